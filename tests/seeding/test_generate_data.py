"""`manage.py generate_data`: counts, reproducibility, --reset and a second run."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_scopes import scopes_disabled

from alliedup.models import AuditEvent, Cooperative, CooperativeRole, Invitation, Role, User
from seeding.generate import core
from tests.factories import AuditEventFactory, CooperativeFactory, CooperativeRoleFactory, UserFactory

SIZES = {"cooperatives": 2, "workers": 30, "weeks": 2}


def run(**options) -> str:
    out = StringIO()
    call_command("generate_data", **{**SIZES, "seed": 7, **options}, stdout=out)
    return out.getvalue()


def people() -> list[tuple[str, str]]:
    return list(core.generated_users().order_by("email").values_list("email", "full_name"))


def test_generate_data_creates_the_requested_cooperatives_people_and_history(db):
    output = run()

    assert "Generated" in output
    with scopes_disabled():
        coops = list(Cooperative.objects.filter(slug__startswith="gen-coop-").order_by("slug"))
        assert [c.slug for c in coops] == ["gen-coop-001", "gen-coop-002"]
        workers = CooperativeRole.objects.filter(cooperative__in=coops, role=Role.WORKER)
        assert workers.count() == 30
        for coop in coops:
            assert workers.filter(cooperative=coop).exists()
            held = list(CooperativeRole.objects.filter(cooperative=coop).exclude(role=Role.WORKER).values_list("role", flat=True))
            assert sorted(held) == sorted(
                [Role.ADMIN] + [Role.COORDINATOR] * 2 + [Role.PAYROLL] + [Role.BOARD] * 3 + [Role.CLIENT] * 2
            )
            assert AuditEvent.objects.filter(cooperative=coop).exists()
        assert not AuditEvent.objects.filter(cooperative__isnull=True).exists()
        assert not AuditEvent.objects.filter(cooperative__in=coops, created_at__gt=timezone.now()).exists()
        # Each event's actor belongs to the event's co-op: no history leaks across tenants.
        for coop in coops:
            members = set(CooperativeRole.objects.filter(cooperative=coop).values_list("user_id", flat=True))
            actors = set(
                AuditEvent.objects.filter(cooperative=coop, actor__isnull=False).values_list("actor_id", flat=True)
            )
            assert actors <= members

    users = core.generated_users()
    assert users.count() == 30 + 2 * 9
    assert users.filter(email="w00001@gen-coop-001.example.com").exists()
    assert EmailAddress.objects.filter(user__in=users, verified=True, primary=True).count() == users.count()
    # One hash for everybody, and it is the documented password.
    assert users.values("password").distinct().count() == 1
    assert users.first().check_password(core.PASSWORD)


def test_the_same_seed_gives_the_same_people_and_history(db):
    run()
    first = people()
    with scopes_disabled():
        first_actions = sorted(AuditEvent.objects.filter(cooperative__slug__startswith="gen-coop-").values_list("action", flat=True))

    run(reset=True)

    assert people() == first
    with scopes_disabled():
        assert sorted(AuditEvent.objects.filter(cooperative__slug__startswith="gen-coop-").values_list("action", flat=True)) == first_actions

    run(reset=True, seed=8)
    assert people() != first
    assert [email for email, _ in people()] == [email for email, _ in first]  # names differ, addresses follow the numbering


def test_reset_removes_only_generated_data(db):
    own = CooperativeFactory(slug="own-coop")
    own_user = UserFactory(email="someone@own-coop.example.com")
    CooperativeRoleFactory(cooperative=own, user=own_user, role=Role.ADMIN)
    AuditEventFactory(cooperative=own, action="alliedup.test.recorded")
    run()
    with scopes_disabled():
        gen_coop = Cooperative.objects.get(slug="gen-coop-001")
        gen_user = core.generated_users().first()
        # Rows of other kinds pointing at a generated co-op go too; the own co-op's history stays,
        # its actor (a generated user) cleared.
        Invitation.objects.create(cooperative=gen_coop, email="x@example.com", role=Role.WORKER, expires_at=gen_coop.created_at)
        AuditEventFactory(cooperative=own, action="alliedup.test.by_generated_user", actor=gen_user)

    deleted = core.reset()

    assert deleted["alliedup.AuditEvent"] > 0
    with scopes_disabled():
        assert list(Cooperative.objects.values_list("slug", flat=True)) == ["own-coop"]
        assert not core.generated_users().exists()
        assert User.objects.filter(email=own_user.email).exists()
        assert CooperativeRole.objects.filter(cooperative=own).count() == 1
        assert not Invitation.objects.filter(cooperative_id=gen_coop.pk).exists()
        own_events = AuditEvent.objects.filter(cooperative=own)
        assert own_events.count() == 2
        assert own_events.get(action="alliedup.test.by_generated_user").actor is None
    assert all(n == 0 for n in core.generated_counts().values())


def test_generate_data_with_reset_replaces_instead_of_adding(db):
    run()
    before = core.generated_counts()

    run(reset=True)

    assert core.generated_counts() == before


def test_a_second_run_without_reset_fails_with_a_clear_error_and_adds_nothing(db):
    run()
    before = core.generated_counts()

    with pytest.raises(CommandError, match="--reset"):
        run()

    assert core.generated_counts() == before


def test_generated_parameters_record_the_run(db):
    assert core.generated_parameters() is None
    run()
    params = core.generated_parameters()
    assert {k: params[k] for k in ("seed", "cooperatives", "workers", "weeks")} == {"seed": 7, **SIZES}


def test_generated_placements_and_payroll_follow_the_workers_hours(db):
    from datetime import datetime, timedelta

    from django.db.models import Exists, F, OuterRef, Q, Sum

    from members.models import HoursEntry, JobClassification, Worker
    from payroll.models import CollectiveAgreement, ShiftDifferential, WageStep
    from placements.models import Assignment, BillRate, Client, ClientContract, JobOrder, Shift, Timesheet
    from placements.services.timesheets import worked_hours
    from seeding.generate.payroll import step_wage
    from seeding.generate.placements import BOARD_DAYS, RECENT_WEEKS

    run(workers=60, weeks=6)
    until = datetime.fromisoformat(core.generated_parameters()["until"])
    recent_from = until - timedelta(weeks=RECENT_WEEKS)
    with scopes_disabled():
        coops = list(Cooperative.objects.filter(slug__startswith="gen-coop-"))
        for coop in coops:
            codes = set(JobClassification.objects.filter(cooperative=coop).values_list("code", flat=True))
            assert 5 <= Client.objects.filter(cooperative=coop).count() <= 20
            for contract in ClientContract.objects.filter(cooperative=coop):
                assert {r.classification.code for r in contract.bill_rates.all()} == codes
                assert contract.bill_rates.values("effective_from").distinct().count() == 2  # effective-dated
            # one client pays less than the CBA's step-1 wage for a medical assistant
            assert BillRate.objects.filter(cooperative=coop, classification__code="ma", regular_rate__lt=step_wage("ma", 1)).exists()
            agreement = CollectiveAgreement.objects.get(cooperative=coop)
            assert agreement.benchmark_source.endswith("(synthetic)")
            assert agreement.starts_on <= recent_from.date() and agreement.ends_on >= until.date() + timedelta(days=BOARD_DAYS)
            steps = WageStep.objects.filter(cooperative=coop)
            assert steps.count() == len(codes) * 5
            assert all(s.hourly_rate >= 25 for s in steps)
            assert ShiftDifferential.objects.filter(agreement=agreement, kind="night").exists()
            assert Shift.objects.filter(cooperative=coop, status=Shift.Status.OPEN, starts_at__gte=until).exists()
            assert Shift.objects.filter(cooperative=coop, status=Shift.Status.FILLED, starts_at__gte=until).exists()

        # every row carries its own co-op, the one of the rows it points at
        assert not JobOrder.objects.filter(cooperative__in=coops).exclude(contract__cooperative=F("cooperative")).exists()
        assert not Shift.objects.filter(cooperative__in=coops).exclude(job_order__cooperative=F("cooperative")).exists()
        assignments = Assignment.objects.filter(cooperative__in=coops)
        assert not assignments.exclude(shift__cooperative=F("cooperative")).exists()
        assert not assignments.exclude(worker__cooperative=F("cooperative")).exists()
        assert not assignments.exclude(shift__classification__cooperative=F("cooperative")).exists()
        timesheets = Timesheet.objects.filter(cooperative__in=coops)
        assert not timesheets.exclude(assignment__cooperative=F("cooperative")).exists()

        approved = timesheets.filter(status=Timesheet.Status.APPROVED)
        assert approved.count() > timesheets.filter(status=Timesheet.Status.SUBMITTED).count() > 0
        # approved timesheets are worked and decided within the last weeks, never later
        assert not approved.filter(clock_in__lt=recent_from - timedelta(days=1)).exists()
        assert not approved.filter(decided_at__gte=until).exists()
        assert not approved.filter(clock_out__gte=until).exists()
        assert not approved.exclude(assignment__shift__status=Shift.Status.COMPLETED).exists()
        # the workers' real shifts: a timesheet's hours are those of a ledger entry that day
        for ts in approved.select_related("assignment__worker", "cooperative")[:100]:
            day = ts.clock_in.astimezone(ts.cooperative.zone).date()
            hours = worked_hours(ts.clock_in, ts.clock_out, ts.break_minutes)
            assert HoursEntry.objects.filter(worker=ts.assignment.worker, workday=day, hours=hours).exists()
        worker = Worker.objects.filter(assignments__timesheet__status="approved").first()
        ledger = HoursEntry.objects.filter(worker=worker, workday__gte=recent_from.date()).aggregate(t=Sum("hours"))["t"]
        worked = sum(worked_hours(t.clock_in, t.clock_out, t.break_minutes) for t in Timesheet.objects.filter(assignment__worker=worker))
        assert worked <= ledger
        # what timesheet_submit enforces: near the shift (the co-op's tolerance) and no overlaps
        for coop in coops:
            tolerance = timedelta(minutes=coop.timesheet_tolerance_minutes)
            starts, ends = F("assignment__shift__starts_at"), F("assignment__shift__ends_at")
            assert not timesheets.filter(cooperative=coop).filter(
                Q(clock_in__lt=starts - tolerance) | Q(clock_in__gt=starts + tolerance)
                | Q(clock_out__lt=ends - tolerance) | Q(clock_out__gt=ends + tolerance)).exists()
        assert not timesheets.filter(Exists(
            Timesheet.objects.filter(assignment__worker=OuterRef("assignment__worker"), clock_in__lt=OuterRef("clock_out"),
                                     clock_out__gt=OuterRef("clock_in")).exclude(pk=OuterRef("pk")))).exists()


def test_the_pay_run_benchmark_cooperative_is_one_approved_period_and_calculates(db):
    from django_scopes import scope

    from bench.payrun import ensure_payroll_cooperative
    from payroll.models import PayLine
    from payroll.services.runs_calculate import payrun_calculate
    from placements.models import Timesheet

    until = core.default_until()
    coop, run, generated = ensure_payroll_cooperative(12, seed=1, until=until)
    assert generated is not None
    with scope(cooperative=coop):
        period = run.period
        assert period.starts_on.weekday() == coop.workweek_start and (period.ends_on - period.starts_on).days == 13
        timesheets = Timesheet.objects.filter(cooperative=coop)
        assert 12 * 8 <= timesheets.count() <= 12 * 10
        assert timesheets.filter(status=Timesheet.Status.APPROVED).count() == timesheets.count()
        assert not timesheets.filter(clock_in__date__lt=period.starts_on - timedelta(days=1)).exists()
        assert not timesheets.filter(clock_in__date__gt=period.ends_on + timedelta(days=1)).exists()
        payrun_calculate(run=run)
        assert run.statements.count() == 12
        assert PayLine.objects.filter(run=run, kind=PayLine.Kind.REGULAR).count() >= timesheets.count()
    # the same parameters: reused, not generated again
    assert ensure_payroll_cooperative(12, seed=1, until=until)[2] is None
