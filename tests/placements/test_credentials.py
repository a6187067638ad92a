from datetime import timedelta

from django.core import mail
from django.utils import timezone

from members.models import WorkerCredential
from placements.models import Assignment, Shift
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from placements.tasks import credential_expiry_task
from tests.members.factories import WorkerFactory
from tests.placements.conftest import DAY


def test_sweep_flags_once_mails_coordinators_and_clears_after_renewal(alliedup, alliedup_users, contract, lvn, licence,
                                                                     django_capture_on_commit_callbacks):
    today = timezone.localdate(timezone=alliedup.zone)
    in_ten_days = today + timedelta(days=10)
    order = job_order_create(contract=contract, classification=lvn, starts_on=in_ten_days, ends_on=in_ten_days,
                             shift_start=DAY[0], shift_end=DAY[1], headcount=2)
    first, second = Shift.objects.filter(job_order=order)
    expiring = WorkerFactory(cooperative=alliedup, classifications=[lvn], last_name="Expiring")
    credential = WorkerCredential.objects.create(cooperative=alliedup, worker=expiring, credential_type=licence, expires_on=in_ten_days)
    fine = WorkerFactory(cooperative=alliedup, classifications=[lvn], last_name="Fine")
    WorkerCredential.objects.create(cooperative=alliedup, worker=fine, credential_type=licence, expires_on=today + timedelta(days=400))
    flagged_assignment = shift_assign(shift=first, worker=expiring)
    shift_assign(shift=second, worker=fine)
    credential.expires_on = in_ten_days - timedelta(days=1)  # the licence will now lapse before the shift
    credential.save()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert credential_expiry_task.delay(cooperative=alliedup.pk).get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert credential_expiry_task.delay(cooperative=alliedup.pk).get() == 0  # runs once
    flagged = Assignment.objects.get(pk=flagged_assignment.pk)
    assert flagged.credential_flagged_at and "LVN licence expires" in flagged.credential_issue
    assert Assignment.objects.filter(credential_flagged_at__isnull=False).count() == 1
    assert len(mail.outbox) == 1 and "Expiring" in mail.outbox[0].body
    assert set(mail.outbox[0].to) == {alliedup_users["admin"].email, alliedup_users["coordinator"].email}

    WorkerCredential.objects.create(cooperative=alliedup, worker=expiring, credential_type=licence, expires_on=today + timedelta(days=700))
    with django_capture_on_commit_callbacks(execute=True):
        credential_expiry_task.delay(cooperative=alliedup.pk).get()
    assert Assignment.objects.get(pk=flagged_assignment.pk).credential_flagged_at is None


def test_sweep_query_count_does_not_grow_with_assignments(alliedup, contract, lvn, licence, django_assert_max_num_queries):
    from placements.services.credentials import credential_expiry_sweep

    today = timezone.localdate(timezone=alliedup.zone)
    order = job_order_create(contract=contract, classification=lvn, starts_on=today + timedelta(days=3), ends_on=today + timedelta(days=8),
                             shift_start=DAY[0], shift_end=DAY[1], headcount=3)
    for shift in Shift.objects.filter(job_order=order):
        worker = WorkerFactory(cooperative=alliedup, classifications=[lvn])
        WorkerCredential.objects.create(cooperative=alliedup, worker=worker, credential_type=licence, expires_on=today + timedelta(days=30))
        shift_assign(shift=shift, worker=worker)
    with django_assert_max_num_queries(6):
        assert credential_expiry_sweep(cooperative=alliedup) == []


def test_the_fill_board_lists_flagged_assignments(alliedup, alliedup_users, contract, lvn, licence, login):
    today = timezone.localdate(timezone=alliedup.zone)
    day = today + timedelta(days=5)
    order = job_order_create(contract=contract, classification=lvn, starts_on=day, ends_on=day, shift_start=DAY[0], shift_end=DAY[1])
    worker = WorkerFactory(cooperative=alliedup, classifications=[lvn], last_name="Lapsing")
    credential = WorkerCredential.objects.create(cooperative=alliedup, worker=worker, credential_type=licence, expires_on=day)
    shift_assign(shift=Shift.objects.get(job_order=order), worker=worker)
    credential.expires_on = today
    credential.save()
    from placements.services.credentials import credential_expiry_sweep

    credential_expiry_sweep(cooperative=alliedup)
    body = login(alliedup_users["coordinator"]).get("/c/alliedup/placements/").content.decode()
    assert "Booked shifts without a valid credential" in body and "Lapsing" in body
