"""Governance documents: who reads what (owners, the board and staff all; employees,
candidates and clients only public ones), uploads checked, downloads through a view."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliedup.models import AuditEvent
from governance.models import GovernanceDocument
from governance.services.documents import document_publish
from tests.governance.conftest import make_owner
from tests.members.factories import WorkerFactory

PDF = b"%PDF-1.4\n% a budget\n"


def _url(name, **kw):
    return reverse(f"governance:{name}", kwargs={"coop_slug": "alliedup", **kw})


def _api(name, **kw):
    return reverse(f"governance_api:{name}", kwargs={"coop_slug": "alliedup", **kw})


@pytest.fixture
def docs(alliedup, alliedup_users):
    budget = document_publish(cooperative=alliedup, kind="budget", title="Budget 2027 (draft)",
                              file=SimpleUploadedFile("budget.pdf", PDF), published_by=alliedup_users["board"])
    bylaws = document_publish(cooperative=alliedup, kind="bylaws", title="Bylaws", is_public=True,
                              file=SimpleUploadedFile("bylaws.pdf", PDF))
    return budget, bylaws


def test_an_owner_reads_a_non_public_budget(alliedup, alliedup_users, login, docs):
    make_owner(alliedup, user=alliedup_users["worker"])
    budget, bylaws = docs
    client = login(alliedup_users["worker"])
    listing = client.get(_url("documents")).content.decode()
    assert "Budget 2027 (draft)" in listing and "Bylaws" in listing
    response = client.get(_url("document_download", document_uuid=budget.uuid))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("status", ["employee", "candidate", "lapsed"])
def test_an_employee_or_candidate_reads_only_public_documents(alliedup, alliedup_users, login, docs, status):
    extra = {"owner_since": date(2025, 1, 1)} if status == "lapsed" else {}
    WorkerFactory(cooperative=alliedup, user=alliedup_users["worker"], status=status, **extra)
    budget, bylaws = docs
    client = login(alliedup_users["worker"])
    listing = client.get(_url("documents")).content.decode()
    assert "Budget 2027" not in listing and "Bylaws" in listing
    assert client.get(_url("document_download", document_uuid=budget.uuid)).status_code == 404
    assert client.get(_url("document_download", document_uuid=bylaws.uuid)).status_code == 200
    api = client.get(_api("documents")).json()
    titles = [d["title"] for d in (api["results"] if isinstance(api, dict) else api)]
    assert titles == ["Bylaws"]
    assert client.get(_api("document_detail", document_uuid=budget.uuid)).status_code == 404


@pytest.mark.parametrize("role", ["board", "admin", "coordinator", "payroll"])
def test_board_and_staff_read_every_document(alliedup_users, login, docs, role):
    budget, _ = docs
    client = login(alliedup_users[role])
    assert client.get(_url("document_download", document_uuid=budget.uuid)).status_code == 200
    assert client.get(_api("document_detail", document_uuid=budget.uuid)).status_code == 200


def test_a_client_contact_reads_only_public_documents(alliedup_users, login, docs):
    budget, bylaws = docs
    client = login(alliedup_users["client"])
    assert client.get(_url("document_download", document_uuid=budget.uuid)).status_code == 404
    assert client.get(_url("document_download", document_uuid=bylaws.uuid)).status_code == 200


def test_the_board_publishes_and_deletes_with_the_upload_checked(alliedup_users, login):
    client = login(alliedup_users["board"])
    fake = SimpleUploadedFile("minutes.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(_url("document_upload"), {"kind": "minutes", "title": "Minutes", "file": fake})
    assert response.status_code == 400 and b"does not match its type" in response.content
    exe = client.post(_url("document_upload"), {"kind": "minutes", "title": "Minutes", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert exe.status_code == 400 and b"Upload a PDF, Word" in exe.content
    assert not GovernanceDocument.objects.exists()
    xlsx = SimpleUploadedFile("statements.xlsx", b"PK\x03\x04 spreadsheet")
    ok = client.post(_url("document_upload"), {"kind": "financials", "title": "Financial statements 2026", "file": xlsx})
    assert ok.status_code == 302
    document = GovernanceDocument.objects.get()
    assert document.file.name.endswith(".xlsx") and not document.is_public
    assert not document.file.name.startswith("public")  # stored under governance/<coop>/, served only by the view
    client.post(_url("document_delete", document_uuid=document.uuid))
    assert not GovernanceDocument.objects.exists()
    assert set(AuditEvent.objects.filter(action__startswith="governance.document").values_list("action", flat=True)) == {
        "governance.document.published", "governance.document.deleted"}


def test_staff_other_than_board_and_admin_cannot_publish(alliedup_users, login):
    response = login(alliedup_users["coordinator"]).post(_url("document_upload"), {
        "kind": "budget", "title": "B", "file": SimpleUploadedFile("b.pdf", PDF)})
    assert response.status_code == 403 and not GovernanceDocument.objects.exists()


def test_api_upload_and_list(alliedup_users, login):
    client = login(alliedup_users["admin"])
    response = client.post(_api("documents"), {"kind": "bylaws", "title": "Bylaws v2", "is_public": "true",
                                                "file": SimpleUploadedFile("bylaws.docx", b"PK\x03\x04 word")})
    assert response.status_code == 201 and response.json()["is_public"] is True
    bad = client.post(_api("documents"), {"kind": "bylaws", "title": "X", "file": SimpleUploadedFile("x.pdf", b"nope")})
    assert bad.status_code == 400 and "file" in bad.json()
    assert GovernanceDocument.objects.count() == 1
