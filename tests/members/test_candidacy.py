from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from alliedup.models import AuditEvent
from members.models import Candidacy, MemberStatus, MemberStatusChange, Worker
from members.services.candidacy import (
    candidacy_expiry_sweep,
    candidacy_extend,
    candidacy_record_step,
    eligibility_sweep,
)
from members.tasks import eligibility_sweep_task
from tests.members.factories import HoursEntryFactory, WorkerFactory

CHECK = date(2026, 11, 23)


@pytest.fixture
def eligible_worker(alliedup, ma):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma], first_name="Rosa", email="rosa@example.com")
    for i in range(35):
        HoursEntryFactory(worker=worker, classification=ma, workday=CHECK - timedelta(days=i), hours="10.00")
    return worker


def test_sweep_opens_one_candidacy_sends_one_letter_and_runs_once(alliedup, eligible_worker, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert eligibility_sweep_task.delay(cooperative=alliedup.pk, check_date=CHECK.isoformat()).get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert eligibility_sweep_task.delay(cooperative=alliedup.pk, check_date=CHECK.isoformat()).get() == 0

    candidacy = Candidacy.objects.get()
    assert candidacy.worker == eligible_worker
    assert candidacy.qualifying_hours == Decimal("350.00")
    assert candidacy.deadline == CHECK + timedelta(days=90)
    worker = Worker.objects.get(pk=eligible_worker.pk)
    assert worker.status == MemberStatus.CANDIDATE
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["rosa@example.com"]
    name, content, mimetype = letter.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert candidacy.welcome_letter_sent_at is not None and candidacy.welcome_letter.name.endswith(".pdf")
    assert AuditEvent.objects.filter(action="members.candidacy.opened").count() == 1
    assert list(MemberStatusChange.objects.filter(worker=worker).values_list("to_status", flat=True)) == ["candidate"]


def test_sweep_skips_workers_who_are_not_employees(alliedup, eligible_worker):
    Worker.objects.filter(pk=eligible_worker.pk).update(is_active=False)
    assert eligibility_sweep(cooperative=alliedup, check_date=CHECK) == []


def test_checklist_steps_and_their_rules(alliedup, eligible_worker, alliedup_users):
    (candidacy,) = eligibility_sweep(cooperative=alliedup, check_date=CHECK)
    candidacy_record_step(candidacy=candidacy, step="intake_call", done_on=CHECK + timedelta(days=3), recorded_by=alliedup_users["coordinator"])
    assert Candidacy.objects.get().intake_call_on == CHECK + timedelta(days=3)
    with pytest.raises(ValidationError):
        candidacy_record_step(candidacy=candidacy, step="karaoke", done_on=CHECK)
    with pytest.raises(ValidationError):
        candidacy_record_step(candidacy=candidacy, step="interviews", done_on=CHECK - timedelta(days=1))


def test_expiry_lapses_an_unfinished_candidacy_once_and_worker_stays_employee(alliedup, eligible_worker):
    (candidacy,) = eligibility_sweep(cooperative=alliedup, check_date=CHECK)
    assert candidacy_expiry_sweep(cooperative=alliedup, today=candidacy.deadline) == []  # the deadline day still counts
    lapsed = candidacy_expiry_sweep(cooperative=alliedup, today=candidacy.deadline + timedelta(days=1))
    assert [c.pk for c in lapsed] == [candidacy.pk]
    assert candidacy_expiry_sweep(cooperative=alliedup, today=candidacy.deadline + timedelta(days=2)) == []
    assert Worker.objects.get(pk=eligible_worker.pk).status == MemberStatus.EMPLOYEE
    assert Candidacy.objects.get().status == Candidacy.Status.LAPSED
    # a lapsed candidate is not reopened by the next night's sweep
    assert eligibility_sweep(cooperative=alliedup, check_date=CHECK + timedelta(days=92)) == []


def test_extension_moves_the_deadline_and_saves_the_candidacy_from_expiry(alliedup, eligible_worker, alliedup_users):
    (candidacy,) = eligibility_sweep(cooperative=alliedup, check_date=CHECK)
    new_deadline = candidacy.deadline + timedelta(days=30)
    with pytest.raises(ValidationError):
        candidacy_extend(candidacy=candidacy, new_deadline=new_deadline, reason="", extended_by=alliedup_users["admin"])
    with pytest.raises(ValidationError):
        candidacy_extend(candidacy=candidacy, new_deadline=candidacy.deadline, reason="Leave", extended_by=alliedup_users["admin"])
    candidacy_extend(candidacy=candidacy, new_deadline=new_deadline, reason="Family leave", extended_by=alliedup_users["admin"])
    assert candidacy_expiry_sweep(cooperative=alliedup, today=candidacy.deadline + timedelta(days=1)) == []
    assert Candidacy.objects.get().extensions.get().reason == "Family leave"
    assert AuditEvent.objects.filter(action="members.candidacy.extended").exists()


def test_status_moves_outside_the_path_are_refused(alliedup, eligible_worker):
    from members.services.status import status_change

    with pytest.raises(ValidationError):
        status_change(worker=eligible_worker, to_status=MemberStatus.OWNER, reason="skip the line")
    with pytest.raises(ValidationError):
        status_change(worker=eligible_worker, to_status=MemberStatus.WITHDRAWN, reason=" ")
    assert Worker.objects.get(pk=eligible_worker.pk).status == MemberStatus.EMPLOYEE
