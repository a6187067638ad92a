
import pytest
from rest_framework.test import APIClient

from members.models import HoursEntry, Worker
from tests.members.factories import WorkerFactory


@pytest.fixture
def api(alliedup_users):
    def _client(role):
        client = APIClient()
        client.force_authenticate(alliedup_users[role])
        return client

    return _client


def test_hire_and_post_hours_through_the_api(api, alliedup, ma):
    staff = api("admin")
    created = staff.post("/api/v1/c/alliedup/members/workers/", {
        "first_name": "Li", "last_name": "Wong", "email": "li@example.com", "hire_date": "2026-01-05", "classification": "ma",
    }, format="json")
    assert created.status_code == 201, created.json()
    uuid = created.json()["uuid"]
    url = f"/api/v1/c/alliedup/members/workers/{uuid}/hours/"
    posted = staff.post(url, {"workday": "2026-02-02", "classification": "ma", "hours": "7.50", "source": "import", "source_ref": "csv-1"}, format="json")
    assert posted.status_code == 201
    assert staff.get(url).json()["results"][0]["hours"] == "7.50"
    ownership = staff.get(f"/api/v1/c/alliedup/members/workers/{uuid}/ownership/").json()
    assert ownership["progress"][0]["classification"]["code"] == "ma"
    assert ownership["worker"]["status"] == "employee"


@pytest.mark.parametrize("payload, field", [
    ({"hours": "-2.00"}, "hours"),
    ({"hours": "25.00"}, "hours"),
    ({"classification": "astronaut"}, "classification"),
    ({"source": "timesheet"}, "source"),
])
def test_bad_hours_are_400s_and_nothing_is_written(api, alliedup, ma, payload, field):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    body = {"workday": "2026-02-02", "classification": "ma", "hours": "7.50", "source": "manual", "source_ref": "x-1", **payload}
    response = api("payroll").post(f"/api/v1/c/alliedup/members/workers/{worker.uuid}/hours/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not HoursEntry.objects.exists()


def test_worker_reads_their_own_ownership_only(api, alliedup, ma, alliedup_users):
    WorkerFactory(cooperative=alliedup, classifications=[ma], user=alliedup_users["worker"])
    me = api("worker").get("/api/v1/c/alliedup/members/me/ownership/")
    assert me.status_code == 200 and me.json()["worker"]["status"] == "employee"
    assert api("worker").get("/api/v1/c/alliedup/members/workers/").status_code == 403
    assert api("board").get("/api/v1/c/alliedup/members/me/ownership/").status_code == 403


def test_duplicate_hire_is_a_400(api, alliedup, ma):
    WorkerFactory(cooperative=alliedup, email="dup@example.com", classifications=[ma])
    response = api("admin").post("/api/v1/c/alliedup/members/workers/", {
        "first_name": "D", "last_name": "Up", "email": "dup@example.com", "hire_date": "2026-01-05", "classification": "ma",
    }, format="json")
    assert response.status_code == 400
    assert Worker.objects.count() == 1


def test_credentials_moves_and_candidacy_through_the_api(api, alliedup, ma):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from members.models import CredentialType, WorkerCredential

    CredentialType.objects.create(cooperative=alliedup, code="bls", name="BLS")
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    staff = api("admin")
    base = f"/api/v1/c/alliedup/members/workers/{worker.uuid}"
    bad = staff.post(f"{base}/credentials/", {"credential_type": "bls", "expires_on": "2027-01-01",
                                               "document": SimpleUploadedFile("x.pdf", b"not a pdf")}, format="multipart")
    assert bad.status_code == 400 and "document" in bad.json() and not WorkerCredential.objects.exists()
    good = staff.post(f"{base}/credentials/", {"credential_type": "bls", "number": "B-9", "expires_on": "2027-01-01",
                                                "document": SimpleUploadedFile("x.pdf", b"%PDF-1.7 ok")}, format="multipart")
    assert good.status_code == 201 and good.json()["has_document"] is True
    assert staff.get(f"{base}/credentials/").json()[0]["credential_type"] == "bls"

    opened = staff.post(f"{base}/candidacy/", {"classification": "ma", "reason": "Imported history"}, format="json")
    assert opened.status_code == 201 and opened.json()["status"] == "open"
    assert staff.post(f"{base}/move/", {"to_status": "owner", "reason": "x", "effective_on": "2026-11-23"}, format="json").status_code == 400
    moved = staff.post(f"{base}/move/", {"to_status": "employee", "reason": "Paused candidacy", "effective_on": "2026-11-23"}, format="json")
    assert moved.status_code == 201 and moved.json()["status"] == "employee"


def test_the_worker_list_filters_by_status_and_refuses_an_unknown_one(api, alliedup, in_scope):
    with in_scope(alliedup):
        WorkerFactory(cooperative=alliedup, status="candidate", first_name="Ana")
        WorkerFactory(cooperative=alliedup, status="employee", first_name="Ben")
    staff = api("coordinator")
    candidates = staff.get("/api/v1/c/alliedup/members/workers/?status=candidate")
    assert [w["first_name"] for w in candidates.json()["results"]] == ["Ana"]
    # A NUL character reached PostgreSQL (a 500) before the value was checked.
    for bad in ("emperor", "candidate\x00"):
        response = staff.get("/api/v1/c/alliedup/members/workers/", {"status": bad})
        assert response.status_code == 400 and "One of" in response.json()["status"][0]
