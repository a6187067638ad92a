from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import Candidacy, Worker
from members.services.candidacy import eligibility_sweep
from tests.members.factories import HoursEntryFactory, WorkerFactory


def _today(coop):
    return timezone.localdate(timezone=coop.zone)


def _worker_with_hours(coop, classification, hours, **kw):
    worker = WorkerFactory(cooperative=coop, classifications=[classification], **kw)
    day, left = _today(coop), Decimal(hours)
    while left > 0:
        chunk = min(Decimal("10.00"), left)
        HoursEntryFactory(worker=worker, classification=classification, workday=day, hours=chunk)
        left -= chunk
        day -= timedelta(days=1)
    return worker


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def test_worker_sees_hours_toward_350_and_their_candidacy(alliedup, ma, rn, alliedup_users, login):
    user = alliedup_users["worker"]
    worker = _worker_with_hours(alliedup, ma, "350.00", user=user, first_name="Rosa")
    worker.worker_classifications.create(cooperative=alliedup, classification=rn, since=worker.hire_date)
    eligibility_sweep(cooperative=alliedup, check_date=_today(alliedup))
    body = login(user).get("/c/alliedup/members/me/").content.decode()
    assert "350.00 / 350 h" in body and "Threshold reached." in body
    assert "0.00 / 350 h" in body  # RN: hours in another classification do not add up
    assert "Your candidacy" in body and "Intake call: to do" in body
    assert "Candidate" in body


def test_worker_without_a_record_is_told_what_to_do(alliedup_users, login):
    body = login(alliedup_users["worker"]).get("/c/alliedup/members/me/").content
    assert b"No employee record is linked" in body


def test_staff_cannot_open_the_workers_own_page_and_workers_cannot_open_the_pipeline(alliedup_users, login):
    assert login(alliedup_users["payroll"]).get("/c/alliedup/members/me/").status_code == 403
    assert login(alliedup_users["worker"]).get("/c/alliedup/members/").status_code == 403


def test_pipeline_lists_near_threshold_and_candidates_with_bounded_queries(alliedup, ma, alliedup_users, login):
    client = login(alliedup_users["coordinator"])
    _worker_with_hours(alliedup, ma, "300.00", first_name="Near")
    _worker_with_hours(alliedup, ma, "350.00", first_name="Cand")
    eligibility_sweep(cooperative=alliedup, check_date=_today(alliedup))
    baseline = _count(client, "/c/alliedup/members/")
    for i in range(10):
        _worker_with_hours(alliedup, ma, "290.00", first_name=f"N{i}")
        _worker_with_hours(alliedup, ma, "350.00", first_name=f"C{i}")
    eligibility_sweep(cooperative=alliedup, check_date=_today(alliedup))
    assert _count(client, "/c/alliedup/members/") == baseline
    body = client.get("/c/alliedup/members/").content.decode()
    assert "Near" in body and "Cand" in body and body.count("Intake</li>") == 11


def test_worker_record_query_count_is_constant(alliedup, ma, alliedup_users, login):
    client = login(alliedup_users["admin"])
    worker = _worker_with_hours(alliedup, ma, "350.00")
    eligibility_sweep(cooperative=alliedup, check_date=_today(alliedup))
    url = f"/c/alliedup/members/workers/{worker.uuid}/"
    baseline = _count(client, url)
    for i in range(20):
        HoursEntryFactory(worker=worker, classification=ma, workday=_today(alliedup) - timedelta(days=100 + i), hours="4.00")
    assert _count(client, url) == baseline


def test_staff_records_a_step_and_extends_from_the_record_page(alliedup, ma, alliedup_users, login):
    client = login(alliedup_users["coordinator"])
    worker = _worker_with_hours(alliedup, ma, "350.00")
    (candidacy,) = eligibility_sweep(cooperative=alliedup, check_date=_today(alliedup))
    base = f"/c/alliedup/members/candidacies/{candidacy.uuid}"
    client.post(f"{base}/step/", {"step": "intake_call", "done_on": _today(alliedup).isoformat()})
    new_deadline = candidacy.deadline + timedelta(days=14)
    client.post(f"{base}/extend/", {"new_deadline": new_deadline.isoformat(), "reason": "Surgery"})
    candidacy = Candidacy.objects.get(pk=candidacy.pk)
    assert candidacy.intake_call_on == _today(alliedup) and candidacy.deadline == new_deadline
    # a bad extension is refused with a message and changes nothing
    response = client.post(f"{base}/extend/", {"new_deadline": new_deadline.isoformat(), "reason": ""}, follow=True)
    assert b"Check the form" in response.content
    assert Candidacy.objects.get(pk=candidacy.pk).deadline == new_deadline
    assert client.get(f"/c/alliedup/members/workers/{worker.uuid}/").status_code == 200


def test_hire_page_creates_an_employee_and_rejects_bad_input(alliedup, ma, alliedup_users, login):
    client = login(alliedup_users["admin"])
    form = {"first_name": "Ana", "last_name": "Lopez", "email": "ana@example.com", "phone": "", "hire_date": "2026-11-02",
            "classification": ma.pk, "wage_step": 2}
    response = client.post("/c/alliedup/members/workers/new/", form)
    assert response.status_code == 302
    worker = Worker.objects.get(email="ana@example.com")
    assert worker.status == "employee" and worker.worker_classifications.get().wage_step == 2
    duplicate = client.post("/c/alliedup/members/workers/new/", form)
    assert duplicate.status_code == 400 and Worker.objects.count() == 1


def test_welcome_letter_download_is_for_the_worker_and_staff_only(alliedup, ma, alliedup_users, login, django_capture_on_commit_callbacks):
    user = alliedup_users["worker"]
    _worker_with_hours(alliedup, ma, "350.00", user=user)
    with django_capture_on_commit_callbacks(execute=True):
        (candidacy,) = eligibility_sweep(cooperative=alliedup, check_date=_today(alliedup))
    url = f"/c/alliedup/members/candidacies/{candidacy.uuid}/welcome-letter.pdf"
    own = login(user).get(url)
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert b"".join(own.streaming_content).startswith(b"%PDF")
    assert login(alliedup_users["coordinator"]).get(url).status_code == 200
    assert login(alliedup_users["board"]).get(url).status_code == 404
