"""The public job board: anyone applies with a resume; staff hire (creating the members record) or decline."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from members.models import MemberStatus, Worker
from placements.models import Applicant
from placements.services.orders import job_order_create
from tests.placements.conftest import DAY

PDF = b"%PDF-1.7\nresume\n"
DOCX = b"PK\x03\x04 a word document"


def _apply(client, **overrides):
    data = {"first_name": "Lupe", "last_name": "Ortiz", "email": "Lupe@Example.com", "phone": "510-555-0100", "message": "Nights are fine.",
            "resume": SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf"), "website": ""}
    return client.post("/c/alliedup/jobs/", {**data, **overrides})


def test_anyone_sees_open_positions_without_client_names(contract, lvn):
    job_order_create(contract=contract, classification=lvn, starts_on=date(2030, 1, 7), ends_on=date(2030, 1, 8), shift_start=DAY[0], shift_end=DAY[1])
    body = Client().get("/c/alliedup/jobs/").content.decode()
    assert "Licensed Vocational Nurse" in body and "2 open shifts" in body
    assert contract.client.name not in body


@pytest.mark.parametrize("name, content", [("cv.pdf", DOCX), ("cv.exe", PDF), ("cv.docx", b"%PDF pretending"), ("cv.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024))])
def test_bad_resumes_are_refused_and_nothing_is_kept(name, content):
    response = _apply(Client(), resume=SimpleUploadedFile(name, content))
    assert response.status_code == 400 and b"resume" in response.content.lower()
    assert not Applicant.objects.exists()


def test_an_application_with_a_docx_is_stored_privately(lvn):
    response = _apply(Client(), classification=lvn.pk, resume=SimpleUploadedFile("My CV.docx", DOCX))
    assert response.status_code == 200 and b"Thank you" in response.content
    applicant = Applicant.objects.get()
    assert applicant.email == "lupe@example.com" and applicant.classification == lvn
    assert applicant.resume.name.startswith("resumes/") and "My CV" not in applicant.resume.name


def test_the_honeypot_keeps_bots_out():
    assert b"Thank you" in _apply(Client(), website="http://spam.example.com").content
    assert not Applicant.objects.exists()


def test_staff_hire_an_applicant_into_members(alliedup_users, login, lvn):
    _apply(Client(), classification=lvn.pk)
    applicant = Applicant.objects.get()
    staff = login(alliedup_users["coordinator"])
    assert b"Lupe Ortiz" in staff.get("/c/alliedup/placements/applicants/").content
    resume = staff.get(f"/c/alliedup/placements/applicants/{applicant.uuid}/resume/")
    assert b"".join(resume.streaming_content) == PDF
    response = staff.post(f"/c/alliedup/placements/applicants/{applicant.uuid}/hire/",
                          {"hire_date": "2026-12-01", "classification": lvn.pk, "wage_step": 2})
    worker = Worker.objects.get(email="lupe@example.com")
    assert response["Location"] == f"/c/alliedup/members/workers/{worker.uuid}/"
    assert worker.status == MemberStatus.EMPLOYEE and worker.worker_classifications.get().wage_step == 2
    assert Applicant.objects.get().hired_worker == worker
    again = staff.post(f"/c/alliedup/placements/applicants/{applicant.uuid}/hire/", {"hire_date": "2026-12-01", "classification": lvn.pk, "wage_step": 1}, follow=True)
    assert b"already hired" in again.content and Worker.objects.count() == 1


def test_decline_needs_a_reason_and_roles_are_checked(alliedup_users, login, lvn):
    _apply(Client())
    applicant = Applicant.objects.get()
    assert login(alliedup_users["worker"]).get("/c/alliedup/placements/applicants/").status_code == 403
    assert login(alliedup_users["payroll"]).post(f"/c/alliedup/placements/applicants/{applicant.uuid}/decline/", {"reason": "x"}).status_code == 403
    staff = login(alliedup_users["admin"])
    staff.post(f"/c/alliedup/placements/applicants/{applicant.uuid}/decline/", {"reason": ""})
    assert Applicant.objects.get().status == "new"
    staff.post(f"/c/alliedup/placements/applicants/{applicant.uuid}/decline/", {"reason": "No CNA certificate"})
    assert Applicant.objects.get().status == "declined"
