"""`manage.py generate_data`: counts, reproducibility, --reset and a second run."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_scopes import scopes_disabled

from alliedup import generate
from alliedup.models import AuditEvent, Cooperative, CooperativeRole, Invitation, Role, User
from tests.factories import AuditEventFactory, CooperativeFactory, CooperativeRoleFactory, UserFactory

SIZES = {"cooperatives": 2, "workers": 30, "weeks": 2}


def run(**options) -> str:
    out = StringIO()
    call_command("generate_data", **{**SIZES, "seed": 7, **options}, stdout=out)
    return out.getvalue()


def people() -> list[tuple[str, str]]:
    return list(generate.generated_users().order_by("email").values_list("email", "full_name"))


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

    users = generate.generated_users()
    assert users.count() == 30 + 2 * 9
    assert users.filter(email="w00001@gen-coop-001.example.com").exists()
    assert EmailAddress.objects.filter(user__in=users, verified=True, primary=True).count() == users.count()
    # One hash for everybody, and it is the documented password.
    assert users.values("password").distinct().count() == 1
    assert users.first().check_password(generate.PASSWORD)


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
        gen_user = generate.generated_users().first()
        # Rows of other kinds pointing at a generated co-op go too; the own co-op's history stays,
        # its actor (a generated user) cleared.
        Invitation.objects.create(cooperative=gen_coop, email="x@example.com", role=Role.WORKER, expires_at=gen_coop.created_at)
        AuditEventFactory(cooperative=own, action="alliedup.test.by_generated_user", actor=gen_user)

    deleted = generate.reset()

    assert deleted["alliedup.AuditEvent"] > 0
    with scopes_disabled():
        assert list(Cooperative.objects.values_list("slug", flat=True)) == ["own-coop"]
        assert not generate.generated_users().exists()
        assert User.objects.filter(email=own_user.email).exists()
        assert CooperativeRole.objects.filter(cooperative=own).count() == 1
        assert not Invitation.objects.filter(cooperative_id=gen_coop.pk).exists()
        own_events = AuditEvent.objects.filter(cooperative=own)
        assert own_events.count() == 2
        assert own_events.get(action="alliedup.test.by_generated_user").actor is None
    assert all(n == 0 for n in generate.generated_counts().values())


def test_generate_data_with_reset_replaces_instead_of_adding(db):
    run()
    before = generate.generated_counts()

    run(reset=True)

    assert generate.generated_counts() == before


def test_a_second_run_without_reset_fails_with_a_clear_error_and_adds_nothing(db):
    run()
    before = generate.generated_counts()

    with pytest.raises(CommandError, match="--reset"):
        run()

    assert generate.generated_counts() == before


def test_generated_parameters_record_the_run(db):
    assert generate.generated_parameters() is None
    run()
    params = generate.generated_parameters()
    assert {k: params[k] for k in ("seed", "cooperatives", "workers", "weeks")} == {"seed": 7, **SIZES}
