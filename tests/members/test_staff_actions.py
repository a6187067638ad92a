"""Staff decisions on a worker's record: manual moves, reopening a candidacy, credentials."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from alliedup.models import AuditEvent
from members.models import Candidacy, CredentialType, MemberStatus, Worker, WorkerCredential
from members.services.candidacy import candidacy_open
from members.services.status import member_move
from members.services.workers import credential_record
from tests.members.factories import WorkerFactory

PDF = b"%PDF-1.4\n%fake but well-formed header\n"


@pytest.fixture
def bls(alliedup):
    return CredentialType.objects.create(cooperative=alliedup, code="bls", name="BLS", expires=True)


def test_staff_cannot_make_an_owner_by_hand(alliedup, ma, alliedup_users):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    candidacy_open(worker=worker, classification=ma, opened_on=date(2026, 11, 1))
    with pytest.raises(ValidationError):
        member_move(worker=worker, to_status=MemberStatus.OWNER, reason="friend of mine", moved_by=alliedup_users["admin"], effective_on=date(2026, 11, 2))
    assert Worker.objects.get(pk=worker.pk).status == MemberStatus.CANDIDATE


def test_withdrawing_a_candidate_closes_the_candidacy_and_is_audited(alliedup, ma, alliedup_users):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    candidacy_open(worker=worker, classification=ma, opened_on=date(2026, 11, 1))
    member_move(worker=worker, to_status=MemberStatus.EMPLOYEE, reason="Asked to stop", moved_by=alliedup_users["admin"], effective_on=date(2026, 11, 5))
    assert Worker.objects.get(pk=worker.pk).status == MemberStatus.EMPLOYEE
    assert Candidacy.objects.get().status == Candidacy.Status.WITHDRAWN
    assert AuditEvent.objects.filter(action="members.candidacy.withdrawn", actor=alliedup_users["admin"]).exists()
    # staff may reopen it later, with a reason
    candidacy_open(worker=worker, classification=ma, opened_on=date(2026, 12, 1), opened_by=alliedup_users["admin"], reason="Ready now")
    assert Candidacy.objects.filter(status="open").count() == 1


def test_record_page_actions(alliedup, ma, alliedup_users, login, bls):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    admin = login(alliedup_users["admin"])
    base = f"/c/alliedup/members/workers/{worker.uuid}"
    admin.post(f"{base}/candidacy/", {"classification": ma.pk, "reason": "Imported 400 hours from the old system"})
    assert Worker.objects.get(pk=worker.pk).status == MemberStatus.CANDIDATE
    refused = admin.post(f"{base}/move/", {"to_status": "owner", "reason": "x", "effective_on": "2026-11-23"}, follow=True)
    assert b"Check the form" in refused.content  # not a choice staff have
    admin.post(f"{base}/move/", {"to_status": "withdrawn", "reason": "Left the co-op", "effective_on": "2026-11-23"})
    assert Worker.objects.get(pk=worker.pk).status == MemberStatus.WITHDRAWN

    upload = SimpleUploadedFile("bls card.pdf", PDF, content_type="application/pdf")
    admin.post(f"{base}/credentials/", {"credential_type": bls.pk, "number": "B-1", "expires_on": "2027-06-30", "document": upload})
    credential = WorkerCredential.objects.get()
    assert credential.document.name.endswith(".pdf") and "bls card" not in credential.document.name
    download = admin.get(f"/c/alliedup/members/credentials/{credential.uuid}/document/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert login(alliedup_users["client"]).get(f"/c/alliedup/members/credentials/{credential.uuid}/document/").status_code == 404


@pytest.mark.parametrize("name, content, expires_on, field", [
    ("card.exe", b"MZ...", date(2027, 1, 1), "document"),
    ("card.pdf", b"<html>not a pdf", date(2027, 1, 1), "document"),
    ("card.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024), date(2027, 1, 1), "document"),
    ("card.pdf", PDF, None, "expires_on"),
])
def test_bad_credentials_are_refused_and_nothing_is_written(alliedup, ma, bls, name, content, expires_on, field):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    with pytest.raises(ValidationError) as err:
        credential_record(worker=worker, credential_type=bls, expires_on=expires_on, document=SimpleUploadedFile(name, content))
    assert field in err.value.message_dict
    assert not WorkerCredential.objects.exists()


def test_every_status_change_along_the_path_is_audited(alliedup, ma, alliedup_users):
    from members.services.agreement import agreement_publish, agreement_sign
    from members.services.equity import equity_account_open, equity_waive
    from members.services.workers import worker_hire

    admin = alliedup_users["admin"]
    worker = worker_hire(cooperative=alliedup, first_name="Ana", last_name="Ruiz", email="ana@example.com",
                         hire_date=date(2025, 1, 6), classifications=[(ma, 1)], hired_by=admin)
    candidacy_open(worker=worker, classification=ma, opened_on=date(2026, 11, 1), opened_by=admin)
    agreement = agreement_publish(cooperative=alliedup, title="MA", body="text", effective_from=date(2026, 1, 1), published_by=admin)
    agreement_sign(worker=worker, version=agreement.version, typed_name="Ana Ruiz", consent=True, on=date(2026, 11, 2))
    equity_waive(account=equity_account_open(worker=worker, start_on=date(2026, 11, 2)), reason="Hardship", effective_on=date(2026, 11, 3), waived_by=admin)
    member_move(worker=worker, to_status=MemberStatus.WITHDRAWN, reason="Moved away", moved_by=admin, effective_on=date(2026, 11, 20))

    changes = list(worker.status_changes.order_by("changed_at", "id").values_list("to_status", flat=True))
    assert changes == ["employee", "candidate", "owner", "withdrawn"]
    audited = list(AuditEvent.objects.filter(object_id=str(worker.pk), action__startswith="members.status.")
                   .order_by("created_at", "id").values_list("action", flat=True))
    assert audited == ["members.status.candidate", "members.status.owner", "members.status.withdrawn"]
    assert AuditEvent.objects.filter(action="members.worker.hired", object_id=str(worker.pk)).exists()  # the first status
