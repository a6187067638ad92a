"""The pages and API of the agreement and the equity buy-in."""


import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from members.models import EquityEntry, MemberStatus, Worker
from members.services.agreement import agreement_publish
from members.services.candidacy import candidacy_open
from tests.members.factories import WorkerFactory


@pytest.fixture
def today(alliedup):
    return timezone.localdate(timezone=alliedup.zone)


@pytest.fixture
def agreement(alliedup, alliedup_users, today):
    return agreement_publish(cooperative=alliedup, title="Membership agreement", body="Para one.\n\nPara two.",
                             effective_from=today, published_by=alliedup_users["admin"])


@pytest.fixture
def candidate(alliedup, ma, alliedup_users, today):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma], first_name="Rosa", last_name="Delgado", user=alliedup_users["worker"])
    candidacy_open(worker=worker, classification=ma, opened_on=today)
    return worker


def test_worker_signs_chooses_installments_and_staff_payment_makes_them_an_owner(candidate, agreement, alliedup_users, login):
    worker_client = login(alliedup_users["worker"])
    page = worker_client.get("/c/alliedup/members/me/").content.decode()
    assert "read and sign" in page and "Choose" in page

    wrong = worker_client.post("/c/alliedup/members/me/agreement/", {"version": agreement.version, "typed_name": "R D", "consent": "on"})
    assert wrong.status_code == 400 and "Type your full name exactly" in wrong.content.decode()
    signed = worker_client.post("/c/alliedup/members/me/agreement/", {"version": agreement.version, "typed_name": "Rosa Delgado", "consent": "on"})
    assert signed.status_code == 302
    assert worker_client.post("/c/alliedup/members/me/equity/plan/", {"plan": "installments"}).status_code == 302
    page = worker_client.get("/c/alliedup/members/me/").content.decode()
    assert "Installment schedule" in page and page.count("not yet") == 5 and "signed" in page

    staff = login(alliedup_users["payroll"])
    form = {"amount": "50.00", "effective_on": candidate.hire_date.isoformat(), "reference": "R-100", "kind": "payment", "submission_key": "k1"}
    staff.post(f"/c/alliedup/members/workers/{candidate.uuid}/equity/payments/", form)
    again = staff.post(f"/c/alliedup/members/workers/{candidate.uuid}/equity/payments/", form, follow=True)
    assert b"already submitted" in again.content
    assert EquityEntry.objects.count() == 1
    assert Worker.objects.get(pk=candidate.pk).status == MemberStatus.OWNER
    assert "Worker-owner" in worker_client.get("/c/alliedup/members/me/").content.decode()


def test_waiver_from_the_record_page_needs_a_reason(candidate, agreement, alliedup_users, login, today):
    admin = login(alliedup_users["admin"])
    admin.post(f"/c/alliedup/members/workers/{candidate.uuid}/equity/plan/", {"plan": "full"})
    refused = admin.post(f"/c/alliedup/members/workers/{candidate.uuid}/equity/waiver/", {"reason": ""}, follow=True)
    assert b"Check the form" in refused.content and not EquityEntry.objects.exists()
    admin.post(f"/c/alliedup/members/workers/{candidate.uuid}/equity/waiver/", {"reason": "Hardship"})
    assert EquityEntry.objects.get().kind == "waiver"
    record = admin.get(f"/c/alliedup/members/workers/{candidate.uuid}/").content.decode()
    assert "Hardship" in record and "waived" in record


def test_payroll_may_record_payments_but_not_waive(candidate, alliedup_users, login):
    staff = login(alliedup_users["payroll"])
    assert staff.post(f"/c/alliedup/members/workers/{candidate.uuid}/equity/waiver/", {"reason": "x"}).status_code == 403


def test_agreement_versions_page_publishes_and_counts_signatures_in_bounded_queries(alliedup_users, login, agreement):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = login(alliedup_users["admin"])
    response = admin.post("/c/alliedup/members/agreements/", {"title": "Membership agreement", "body": "v2 text", "effective_from": "2027-01-01"})
    assert response.status_code == 302
    with CaptureQueriesContext(connection) as ctx:
        page = admin.get("/c/alliedup/members/agreements/")
    assert page.status_code == 200 and b"v2 text" not in page.content and page.content.count(b"<tr>") == 3
    assert len(ctx) <= 8
    assert admin.post("/c/alliedup/members/agreements/", {"title": "x", "body": "", "effective_from": "2027-01-01"}).status_code == 400


def test_signed_pdf_is_for_the_signer_and_staff(candidate, agreement, alliedup_users, login, today):
    from members.services.agreement import agreement_sign

    signature = agreement_sign(worker=candidate, version=agreement.version, typed_name="Rosa Delgado", consent=True, on=today)
    url = f"/c/alliedup/members/signatures/{signature.uuid}/agreement.pdf"
    assert login(alliedup_users["worker"]).get(url).status_code == 200
    assert login(alliedup_users["coordinator"]).get(url).status_code == 200
    assert login(alliedup_users["client"]).get(url).status_code == 404


def test_agreement_and_equity_through_the_api(candidate, agreement, alliedup_users):
    worker = APIClient()
    worker.force_authenticate(alliedup_users["worker"])
    assert worker.get("/api/v1/c/alliedup/members/me/agreement/").json()["version"] == agreement.version
    bad = worker.post("/api/v1/c/alliedup/members/me/agreement/", {"version": agreement.version, "typed_name": "Rosa Delgado", "consent": False}, format="json")
    assert bad.status_code == 400 and "consent" in bad.json()
    assert worker.post("/api/v1/c/alliedup/members/me/agreement/", {"version": agreement.version, "typed_name": "Rosa Delgado", "consent": True}, format="json").status_code == 201
    plan = worker.post("/api/v1/c/alliedup/members/me/equity/plan/", {"plan": "full"}, format="json")
    assert plan.status_code == 201 and plan.json()["owed"] == "250.00"

    staff = APIClient()
    staff.force_authenticate(alliedup_users["payroll"])
    url = f"/api/v1/c/alliedup/members/workers/{candidate.uuid}/equity/payments/"
    too_much = staff.post(url, {"amount": "300.00", "effective_on": "2026-11-23", "reference": "R-1"}, format="json")
    assert too_much.status_code == 400 and "amount" in too_much.json()
    paid = staff.post(url, {"amount": "250.00", "effective_on": "2026-11-23", "reference": "R-1"}, format="json")
    assert paid.status_code == 201 and paid.json()["status"] == "paid"
    ownership = worker.get("/api/v1/c/alliedup/members/me/ownership/").json()
    assert ownership["worker"]["status"] == "owner" and ownership["equity"]["paid"] == "250.00"
    assert ownership["signature"]["version"] == agreement.version
