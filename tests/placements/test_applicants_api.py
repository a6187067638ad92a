"""The applicant review of the staff pages, in the API: list, detail, resume, hire, decline."""

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from members.models import MemberStatus, Worker
from placements.models import Applicant

BASE = "/api/v1/c/alliedup/placements/applicants"
PDF = b"%PDF-1.7\nresume\n"


@pytest.fixture
def api(alliedup_users):
    def _client(role):
        client = APIClient()
        client.force_authenticate(alliedup_users[role])
        return client

    return _client


def _applicant(cooperative, classification=None, **fields):
    data = {"first_name": "Lupe", "last_name": "Ortiz", "email": "lupe@example.com", "message": "Nights are fine.", **fields}
    return Applicant.objects.create(cooperative=cooperative, classification=classification,
                                    resume=ContentFile(PDF, name="cv.pdf"), **data)


def test_staff_list_and_read_applicants_by_status(api, alliedup, lvn):
    new = _applicant(alliedup, lvn)
    _applicant(alliedup, first_name="Done", email="done@example.com", status=Applicant.Status.DECLINED, decline_reason="No licence")
    staff = api("payroll")  # any staff role may read
    listed = staff.get(f"{BASE}/")
    assert listed.status_code == 200
    assert [a["uuid"] for a in listed.json()["results"]] == [str(new.uuid)]
    assert listed.json()["results"][0]["classification"] == "lvn"
    declined = staff.get(f"{BASE}/", {"status": "declined"}).json()["results"]
    assert [a["first_name"] for a in declined] == ["Done"]
    assert staff.get(f"{BASE}/", {"status": "nonsense"}).status_code == 400
    detail = staff.get(f"{BASE}/{new.uuid}/").json()
    assert detail["message"] == "Nights are fine." and detail["status"] == "new" and detail["hired_worker"] is None
    resume = staff.get(f"{BASE}/{new.uuid}/resume/")
    assert resume.status_code == 200 and resume["Content-Type"] == "application/pdf"
    assert b"".join(resume.streaming_content) == PDF
    assert 'attachment; filename="resume-Ortiz.pdf"' == resume["Content-Disposition"]


def test_hire_through_the_api_creates_the_employee_once(api, alliedup, lvn):
    applicant = _applicant(alliedup, lvn)
    staff = api("coordinator")
    hired = staff.post(f"{BASE}/{applicant.uuid}/hire/", {"hire_date": "2026-12-01", "classification": "lvn", "wage_step": 2}, format="json")
    assert hired.status_code == 201, hired.json()
    worker = Worker.objects.get(email="lupe@example.com")
    assert hired.json()["status"] == "hired" and hired.json()["hired_worker"] == str(worker.uuid)
    assert worker.status == MemberStatus.EMPLOYEE and worker.worker_classifications.get().wage_step == 2
    again = staff.post(f"{BASE}/{applicant.uuid}/hire/", {"hire_date": "2026-12-01", "classification": "lvn"}, format="json")
    assert again.status_code == 400 and "already hired" in str(again.json())
    assert Worker.objects.count() == 1


def test_hire_needs_a_classification_of_this_cooperative(api, alliedup, lvn):
    applicant = _applicant(alliedup, lvn)
    response = api("admin").post(f"{BASE}/{applicant.uuid}/hire/", {"hire_date": "2026-12-01", "classification": "rn"}, format="json")
    assert response.status_code == 400 and "classification" in response.json()
    assert Applicant.objects.get().status == "new" and not Worker.objects.exists()


def test_decline_through_the_api_needs_a_reason(api, alliedup):
    applicant = _applicant(alliedup)
    staff = api("admin")
    blank = staff.post(f"{BASE}/{applicant.uuid}/decline/", {"reason": " "}, format="json")
    assert blank.status_code == 400 and "reason" in blank.json()
    declined = staff.post(f"{BASE}/{applicant.uuid}/decline/", {"reason": "No CNA certificate"}, format="json")
    assert declined.status_code == 200
    assert declined.json()["status"] == "declined" and declined.json()["decline_reason"] == "No CNA certificate"
    assert staff.post(f"{BASE}/{applicant.uuid}/decline/", {"reason": "again"}, format="json").status_code == 400


def test_roles_are_checked(api, alliedup, lvn):
    applicant = _applicant(alliedup, lvn)
    worker, client = api("worker"), api("client")
    for path in ("/", f"/{applicant.uuid}/", f"/{applicant.uuid}/resume/"):
        assert worker.get(f"{BASE}{path}").status_code == 403
        assert client.get(f"{BASE}{path}").status_code == 403
    payroll = api("payroll")  # reads, but does not hire
    assert payroll.post(f"{BASE}/{applicant.uuid}/hire/", {"hire_date": "2026-12-01", "classification": "lvn"}, format="json").status_code == 403
    assert payroll.post(f"{BASE}/{applicant.uuid}/decline/", {"reason": "x"}, format="json").status_code == 403
    assert worker.post(f"{BASE}/{applicant.uuid}/decline/", {"reason": "x"}, format="json").status_code == 403
    assert Applicant.objects.get().status == "new"


def test_another_cooperatives_applicant_is_not_found(api, alliedup, nursescan, unscoped):
    with unscoped():
        outsider = _applicant(nursescan, email="outsider@example.com")
    staff = api("admin")
    for path in (f"/{outsider.uuid}/", f"/{outsider.uuid}/resume/"):
        assert staff.get(f"{BASE}{path}").status_code == 404
    assert staff.post(f"{BASE}/{outsider.uuid}/hire/", {"hire_date": "2026-12-01", "classification": "lvn"}, format="json").status_code == 404
    assert staff.post(f"{BASE}/{outsider.uuid}/decline/", {"reason": "x"}, format="json").status_code == 404
    assert staff.get(f"{BASE}/").json()["results"] == []
    with unscoped():
        assert Applicant.objects.get(pk=outsider.pk).status == "new"


def test_the_schema_names_the_applicant_routes_and_status_enum(api):
    schema = api("admin").get("/api/schema/")
    assert schema.status_code == 200
    for path in ("/applicants/", "/applicants/{applicant_uuid}/hire/", "/applicants/{applicant_uuid}/resume/"):
        assert f"/api/v1/c/{{coop_slug}}/placements{path}".encode() in schema.content
    assert b"ApplicantStatusEnum" in schema.content
