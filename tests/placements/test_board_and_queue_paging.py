"""The fill board by day and the timesheet queue by page, so both stay fast on a large co-op:
the board counts every day's shifts and opens the first day with open shifts (and the days
after it while they fit one page), other days load on demand (`?day=`, htmx or a plain
link); the queue shows 50 timesheets a page with filters by client and classification.
Query counts stay flat. tests/placements/conftest.py opens alliedup's scope for every test."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from members.models import WorkerCredential
from placements.models import Assignment, Shift, Timesheet
from placements.selectors import BoardDay, board_days_shown
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.orders import job_order_create
from tests.members.factories import JobClassificationFactory, WorkerFactory
from tests.placements.conftest import DAY, LICENCE_VALID_UNTIL

BASE = "/c/alliedup/placements"
HTMX = {"HTTP_HX_REQUEST": "true"}
ROW = '<tr id="shift-'
TS_ROW = '<tr id="timesheet-'


def _today(coop):
    return timezone.localdate(timezone=coop.zone)


def _open(contract, classification, day, n):
    """n open shifts on `day` (job orders of at most 50 positions)."""
    shifts = []
    while n > 0:
        order = job_order_create(contract=contract, classification=classification, starts_on=day, ends_on=day,
                                 shift_start=DAY[0], shift_end=DAY[1], headcount=min(n, 50))
        shifts += list(Shift.objects.filter(job_order=order))
        n -= 50
    return shifts


def _filled(contract, classification, day, n):
    shifts = _open(contract, classification, day, n)
    Shift.objects.filter(pk__in=[s.pk for s in shifts]).update(status=Shift.Status.FILLED)


def _waiting(contract, classification, n, *, day, first_submitted):
    """n submitted timesheets of `day`'s shifts, one worker each, submitted a minute apart
    from `first_submitted` (rows written directly: the queue only reads them)."""
    coop = contract.cooperative
    shifts = _open(contract, classification, day, n)
    workers = WorkerFactory.create_batch(n, cooperative=coop, classifications=[classification])
    assignments = Assignment.objects.bulk_create(
        Assignment(cooperative=coop, shift=s, worker=w, starts_at=s.starts_at, ends_at=s.ends_at) for s, w in zip(shifts, workers)
    )
    Shift.objects.filter(pk__in=[s.pk for s in shifts]).update(status=Shift.Status.FILLED)
    return Timesheet.objects.bulk_create(
        Timesheet(cooperative=coop, assignment=a, clock_in=a.starts_at, clock_out=a.ends_at, break_minutes=30,
                  submitted_at=first_submitted + timedelta(minutes=i))
        for i, a in enumerate(assignments)
    )


def _day_section(body, day):
    """The HTML of one day's section of the board."""
    match = re.search(rf'<section class="board-day" id="day-{day:%Y-%m-%d}".*?</section>', body, re.S)
    assert match, day
    return match.group(0)


@pytest.fixture
def coordinator(alliedup_users, login):
    return login(alliedup_users["coordinator"])


@pytest.fixture
def cna(alliedup, contract):
    cna = JobClassificationFactory(cooperative=alliedup, code="cna", name="Certified Nursing Assistant")
    bill_rate_set(contract=contract, classification=cna, effective_from=date(2026, 1, 1), regular_rate="31.00")
    return cna


@pytest.fixture
def other_contract(alliedup, lvn):
    client = client_create(cooperative=alliedup, name="Bayview Rehab")
    other = contract_create(client=client, reference="BR-1", starts_on=date(2026, 1, 1))
    bill_rate_set(contract=other, classification=lvn, effective_from=date(2026, 1, 1), regular_rate="50.00")
    return other


# The fill board ---------------------------------------------------------------------------


def test_days_shown_first_are_the_first_open_day_and_those_fitting_one_page():
    day = date(2026, 12, 1)
    days = [BoardDay(day + timedelta(days=n), open_, 3) for n, open_ in enumerate([0, 20, 0, 25, 6, 1])]
    assert [d.day.day for d in board_days_shown(days)] == [2, 3, 4]  # 20 + 0 + 25 = 45; + 6 would pass 50
    assert [d.day.day for d in board_days_shown([BoardDay(day, 70, 0), BoardDay(day + timedelta(days=1), 1, 0)])] == [1]
    assert board_days_shown([BoardDay(day, 0, 5)]) == []


def test_board_counts_every_day_and_opens_the_first_day_with_open_shifts_paged(alliedup, contract, lvn, coordinator):
    today = _today(alliedup)
    _filled(contract, lvn, today + timedelta(days=1), 2)
    busy = today + timedelta(days=2)
    _open(contract, lvn, busy, 55)
    _filled(contract, lvn, busy, 5)
    later = today + timedelta(days=3)
    _open(contract, lvn, later, 3)

    body = coordinator.get(f"{BASE}/").content.decode()
    assert "<dt>Open shifts, next 14 days</dt><dd>58</dd>" in body and "<dt>Fill rate</dt><dd>11%</dd>" in body
    assert body.count('<section class="board-day"') == 14
    assert "· 0 open · 2 filled (100%)" in _day_section(body, today + timedelta(days=1))
    first = _day_section(body, busy)
    assert "· 55 open · 5 filled (8%)" in first and first.count(ROW) == 50 and "Page 1 of 2" in first
    assert f'href="{BASE}/?day={busy:%Y-%m-%d}&amp;page=2#day-{busy:%Y-%m-%d}"' in first
    assert f'hx-get="{BASE}/?day={busy:%Y-%m-%d}&amp;page=2"' in first
    collapsed = _day_section(body, later)
    assert ROW not in collapsed and "Show the 3 open shifts" in collapsed
    assert f'href="{BASE}/?day={later:%Y-%m-%d}#day-{later:%Y-%m-%d}"' in collapsed  # without JavaScript
    assert f'hx-get="{BASE}/?day={later:%Y-%m-%d}" hx-target="#day-{later:%Y-%m-%d}"' in collapsed
    assert body.count(ROW) == 50


def test_a_day_asked_for_opens_alone_as_a_page_or_as_an_htmx_fragment(alliedup, contract, lvn, coordinator):
    today = _today(alliedup)
    busy, later = today + timedelta(days=2), today + timedelta(days=3)
    busy_shifts = _open(contract, lvn, busy, 55)
    later_shifts = _open(contract, lvn, later, 3)

    page = coordinator.get(f"{BASE}/", {"day": f"{later:%Y-%m-%d}"})
    body = page.content.decode()
    assert "<html" in body and body.count(ROW) == 3 and "Show the 55 open shifts" in _day_section(body, busy)
    assert all(f"shift-{s.uuid}" in _day_section(body, later) for s in later_shifts)

    fragment = coordinator.get(f"{BASE}/", {"day": f"{busy:%Y-%m-%d}", "page": "2"}, **HTMX)
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html and "HX-Request" in fragment["Vary"]
    assert html.strip().startswith(f'<section class="board-day" id="day-{busy:%Y-%m-%d}"')
    assert html.count(ROW) == 5 and "Page 2 of 2" in html and "Earlier" in html and "Later</a>" not in html
    # Oldest first by start then id: page 2 holds the last five positions, nothing twice.
    first_page = coordinator.get(f"{BASE}/", {"day": f"{busy:%Y-%m-%d}"}, **HTMX).content.decode()
    ids = re.findall(r'<tr id="shift-([0-9a-f-]+)"', first_page) + re.findall(r'<tr id="shift-([0-9a-f-]+)"', html)
    assert ids == [str(s.uuid) for s in sorted(busy_shifts, key=lambda s: (s.starts_at, s.pk))]


def test_a_day_off_the_board_falls_back_to_the_default_and_is_a_404_for_htmx(alliedup, contract, lvn, coordinator):
    today = _today(alliedup)
    _open(contract, lvn, today + timedelta(days=1), 2)
    for bad in ("2020-01-01", f"{today + timedelta(days=14):%Y-%m-%d}", "tomorrow", ""):
        page = coordinator.get(f"{BASE}/", {"day": bad})
        assert page.status_code == 200 and page.content.decode().count(ROW) == 2, bad
        assert coordinator.get(f"{BASE}/", {"day": bad}, **HTMX).status_code == 404, bad
    assert coordinator.get(f"{BASE}/", {"page": "zz"}).status_code == 200


def test_a_day_with_nothing_open_says_so(alliedup, contract, lvn, coordinator):
    today = _today(alliedup)
    _open(contract, lvn, today + timedelta(days=1), 1)
    quiet = today + timedelta(days=5)
    html = coordinator.get(f"{BASE}/", {"day": f"{quiet:%Y-%m-%d}"}, **HTMX).content.decode()
    assert "No open shift on this day." in html and "· 0 open · 0 filled" in html


def test_nothing_open_in_the_fortnight_says_so(alliedup, contract, lvn, coordinator):
    _filled(contract, lvn, _today(alliedup) + timedelta(days=1), 2)
    body = coordinator.get(f"{BASE}/").content.decode()
    assert "No open shifts in the next 14 days." in body and ROW not in body


def test_suggest_and_one_click_assign_work_from_a_day_loaded_on_demand(alliedup, contract, lvn, licence, coordinator):
    today = _today(alliedup)
    _open(contract, lvn, today + timedelta(days=1), 51)  # the first day fills the first page
    later = today + timedelta(days=6)
    (shift,) = _open(contract, lvn, later, 1)
    nurse = WorkerFactory(cooperative=alliedup, classifications=[lvn], first_name="Ines", last_name="Okafor")
    WorkerCredential.objects.create(cooperative=alliedup, worker=nurse, credential_type=licence, expires_on=LICENCE_VALID_UNTIL)
    assert f"shift-{shift.uuid}" not in coordinator.get(f"{BASE}/").content.decode()

    html = coordinator.get(f"{BASE}/", {"day": f"{later:%Y-%m-%d}"}, **HTMX).content.decode()
    suggest_url = f"{BASE}/shifts/{shift.uuid}/suggestions/"
    assert f'hx-get="{suggest_url}" hx-target="#suggest-{shift.uuid}"' in html
    assert "Ines Okafor" in coordinator.get(suggest_url, **HTMX).content.decode()
    row = coordinator.post(f"{BASE}/shifts/{shift.uuid}/assign/", {"worker_uuid": str(nurse.uuid)}, **HTMX).content.decode()
    assert "Filled by Ines Okafor" in row
    html = coordinator.get(f"{BASE}/", {"day": f"{later:%Y-%m-%d}"}, **HTMX).content.decode()
    assert "· 0 open · 1 filled (100%)" in html


def test_board_keeps_expiring_credentials_and_flagged_bookings_whatever_the_day(alliedup, contract, lvn, licence, coordinator):
    from placements.services.credentials import credential_expiry_sweep
    from placements.services.matching import shift_assign

    today = _today(alliedup)
    _open(contract, lvn, today + timedelta(days=1), 60)
    day = today + timedelta(days=5)
    (shift,) = _open(contract, lvn, day, 1)
    worker = WorkerFactory(cooperative=alliedup, classifications=[lvn], last_name="Lapsing")
    credential = WorkerCredential.objects.create(cooperative=alliedup, worker=worker, credential_type=licence, expires_on=day)
    shift_assign(shift=shift, worker=worker)
    credential.expires_on = today + timedelta(days=2)
    credential.save()
    credential_expiry_sweep(cooperative=alliedup)
    for query in ({}, {"day": f"{today + timedelta(days=9):%Y-%m-%d}"}, {"day": f"{today + timedelta(days=1):%Y-%m-%d}", "page": "2"}):
        body = coordinator.get(f"{BASE}/", query).content.decode()
        assert "Booked shifts without a valid credential" in body and "Lapsing" in body, query
        assert "<dd>1 worker</dd>" in body, query


@pytest.mark.parametrize("days_and_shifts", [(2, 3), (9, 40)])
def test_board_day_views_cost_a_fixed_number_of_queries(days_and_shifts, alliedup, contract, other_contract, lvn, licence,
                                                       coordinator, django_assert_max_num_queries):
    """Small and larger data: the board (default and `?day=`, any page) and an htmx day
    cost the same few queries."""
    days, per_day = days_and_shifts
    today = _today(alliedup)
    for n in range(days):
        _open(contract if n % 2 else other_contract, lvn, today + timedelta(days=n + 1), per_day)
        WorkerCredential.objects.create(cooperative=alliedup, worker=WorkerFactory(cooperative=alliedup, classifications=[lvn]),
                                        credential_type=licence, expires_on=today + timedelta(days=n + 3))
    second = f"{today + timedelta(days=2):%Y-%m-%d}"
    # the 10th: the holiday calendar; the 11th: drop and swap requests waiting for a coordinator
    with django_assert_max_num_queries(11):
        assert coordinator.get(f"{BASE}/").status_code == 200
    with django_assert_max_num_queries(11):
        assert coordinator.get(f"{BASE}/", {"day": second, "page": "2"}).status_code == 200
    with django_assert_max_num_queries(7):
        assert coordinator.get(f"{BASE}/", {"day": second}, **HTMX).status_code == 200


def test_a_holiday_on_the_board_says_it_bills_and_pays_holiday_rates(alliedup, contract, lvn, coordinator):
    from worktime.services import holiday_add

    today = _today(alliedup)
    _open(contract, lvn, today + timedelta(days=1), 2)
    holiday_add(cooperative=alliedup, day=today + timedelta(days=1), name="Founders' Day")
    body = coordinator.get(f"{BASE}/").content.decode()
    assert "Founders&#x27; Day: holiday rates" in body
    htmx = coordinator.get(f"{BASE}/", {"day": f"{today + timedelta(days=1):%Y-%m-%d}"}, **HTMX).content.decode()
    assert "Founders&#x27; Day: holiday rates" in htmx


# The timesheet queue ----------------------------------------------------------------------


@pytest.fixture
def earlier(alliedup):
    return _today(alliedup) - timedelta(days=4)


def test_queue_pages_50_oldest_first_with_the_count_of_all_waiting(alliedup, contract, lvn, earlier, coordinator):
    waiting = _waiting(contract, lvn, 55, day=earlier, first_submitted=datetime(2026, 11, 1, 12, tzinfo=UTC))
    page = coordinator.get(f"{BASE}/timesheets/")
    body = page.content.decode()
    assert "HX-Request" in page["Vary"]
    assert "<strong>55 timesheets waiting</strong>" in body and "Showing 1–50." in body and "Page 1 of 2" in body
    assert f'href="{BASE}/timesheets/?page=2"' in body and f'hx-get="{BASE}/timesheets/?page=2"' in body
    assert 'hx-target="#timesheet-queue"' in body and 'hx-push-url="true"' in body
    second = coordinator.get(f"{BASE}/timesheets/", {"page": 2}).content.decode()
    assert "Showing 51–55." in second and "Older" in second
    ids = re.findall(r'<tr id="timesheet-([0-9a-f-]+)"', body) + re.findall(r'<tr id="timesheet-([0-9a-f-]+)"', second)
    assert ids == [str(t.uuid) for t in waiting]  # oldest first, nothing twice, nothing left out
    assert coordinator.get(f"{BASE}/timesheets/", {"page": "99"}).content.decode().count(TS_ROW) == 5  # the last page


def test_queue_filters_by_client_and_classification(alliedup, contract, other_contract, lvn, cna, earlier, coordinator):
    start = datetime(2026, 11, 1, 12, tzinfo=UTC)
    ours = _waiting(contract, lvn, 3, day=earlier, first_submitted=start)
    aides = _waiting(contract, cna, 2, day=earlier - timedelta(days=1), first_submitted=start + timedelta(hours=1))
    theirs = _waiting(other_contract, lvn, 4, day=earlier, first_submitted=start + timedelta(hours=2))
    eastbay, bayview = contract.client, other_contract.client

    body = coordinator.get(f"{BASE}/timesheets/").content.decode()
    assert f'<option value="{eastbay.uuid}">Eastbay Skilled Nursing (5)</option>' in body
    assert f'<option value="{bayview.uuid}">Bayview Rehab (4)</option>' in body
    assert '<option value="lvn">Licensed Vocational Nurse (7)</option>' in body and "All clients (9)" in body

    def shown(**query):
        html = coordinator.get(f"{BASE}/timesheets/", query).content.decode()
        return html, set(re.findall(r'<tr id="timesheet-([0-9a-f-]+)"', html))

    html, ids = shown(client=str(bayview.uuid))
    assert ids == {str(t.uuid) for t in theirs} and "<strong>9 timesheets waiting</strong>; 4 match these filters" in html
    assert f'<option value="{bayview.uuid}" selected>' in html
    assert shown(classification="cna")[1] == {str(t.uuid) for t in aides}
    assert shown(client=str(eastbay.uuid), classification="lvn")[1] == {str(t.uuid) for t in ours}
    html, ids = shown(client=str(bayview.uuid), classification="cna")
    assert ids == set() and "No timesheet of these filters is waiting." in html


def test_queue_drops_a_filter_naming_nothing_waiting_here(alliedup, nursescan, contract, lvn, earlier, coordinator, unscoped):
    _waiting(contract, lvn, 2, day=earlier, first_submitted=datetime(2026, 11, 1, 12, tzinfo=UTC))
    with unscoped():
        outsider = client_create(cooperative=nursescan, name="Elsewhere Hospital")
    for query in ({"client": str(outsider.uuid)}, {"client": "not-a-uuid"}, {"classification": "rn"}):
        html = coordinator.get(f"{BASE}/timesheets/", query).content.decode()
        assert html.count(TS_ROW) == 2 and "Elsewhere" not in html and "match these filters" not in html, query


def test_queue_pages_and_filters_answer_htmx_with_the_queue_alone(alliedup, contract, lvn, earlier, coordinator):
    _waiting(contract, lvn, 51, day=earlier, first_submitted=datetime(2026, 11, 1, 12, tzinfo=UTC))
    response = coordinator.get(f"{BASE}/timesheets/", {"page": 2, "client": str(contract.client.uuid)}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html and html.strip().startswith('<div id="timesheet-queue">') and html.count(TS_ROW) == 1
    assert f'hx-get="{BASE}/timesheets/?client={contract.client.uuid}&amp;page=1"' in html
    # htmx restoring its history after a cache miss wants the whole page.
    restore = coordinator.get(f"{BASE}/timesheets/", {"page": 2}, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    assert "<html" in restore.content.decode()


def test_a_decision_returns_to_the_same_page_and_filters(alliedup, contract, lvn, earlier, coordinator):
    waiting = _waiting(contract, lvn, 52, day=earlier, first_submitted=datetime(2026, 11, 1, 12, tzinfo=UTC))
    client = contract.client.uuid
    html = coordinator.get(f"{BASE}/timesheets/", {"client": str(client), "page": 2}).content.decode()
    assert f'<input type="hidden" name="queue" value="client={client}&amp;page=2">' in html
    last = waiting[-1]
    approved = coordinator.post(f"{BASE}/timesheets/{last.uuid}/approve/", {"queue": f"client={client}&page=2"})
    assert approved.status_code == 302 and approved["Location"] == f"{BASE}/timesheets/?client={client}&page=2"
    assert Timesheet.objects.get(pk=last.pk).status == Timesheet.Status.APPROVED
    disputed = coordinator.post(f"{BASE}/timesheets/{waiting[-2].uuid}/dispute/",
                                {"reason": "Left early", "queue": "page=2&next=https://evil.example&client=x"})
    assert disputed["Location"] == f"{BASE}/timesheets/?client=x&page=2"  # the queue's own parameters only
    followed = coordinator.get(disputed["Location"]).content.decode()
    assert "<strong>50 timesheets waiting</strong>" in followed and followed.count(TS_ROW) == 50  # page 2 is gone: the last page
    assert coordinator.post(f"{BASE}/timesheets/{waiting[0].uuid}/approve/")["Location"] == f"{BASE}/timesheets/"


@pytest.mark.parametrize("count", [3, 60])
def test_queue_pages_cost_a_fixed_number_of_queries(count, alliedup, contract, other_contract, lvn, cna, earlier, coordinator,
                                                    django_assert_max_num_queries):
    start = datetime(2026, 11, 1, 12, tzinfo=UTC)
    _waiting(contract, lvn, count // 3, day=earlier, first_submitted=start)
    _waiting(contract, cna, count // 3, day=earlier - timedelta(days=1), first_submitted=start)
    _waiting(other_contract, lvn, count // 3, day=earlier, first_submitted=start)
    for query, headers in (({}, {}), ({"page": 2}, {}), ({"client": str(contract.client.uuid), "classification": "lvn"}, {}),
                           ({"page": 2}, HTMX)):
        with django_assert_max_num_queries(6):
            assert coordinator.get(f"{BASE}/timesheets/", query, **headers).status_code == 200


def test_api_timesheets_are_paged_and_filtered(alliedup, alliedup_users, nursescan, contract, other_contract, lvn, cna, earlier,
                                               unscoped, django_assert_max_num_queries):
    start = datetime(2026, 11, 1, 12, tzinfo=UTC)
    ours = _waiting(contract, lvn, 52, day=earlier, first_submitted=start)
    aides = _waiting(contract, cna, 2, day=earlier - timedelta(days=1), first_submitted=start + timedelta(hours=1))
    _waiting(other_contract, lvn, 1, day=earlier, first_submitted=start + timedelta(hours=2))
    api = APIClient()
    api.force_authenticate(alliedup_users["coordinator"])
    url = "/api/v1/c/alliedup/placements/timesheets/"
    with django_assert_max_num_queries(8):
        first = api.get(url).json()
    assert first["count"] == 55 and len(first["results"]) == 50 and first["next"].endswith("?page=2")
    assert [t["uuid"] for t in first["results"]] == [str(t.uuid) for t in ours[:50]]
    assert len(api.get(url, {"page": 2}).json()["results"]) == 5
    assert api.get(url, {"client": str(contract.client.uuid)}).json()["count"] == 54
    assert [t["uuid"] for t in api.get(url, {"classification": "cna"}).json()["results"]] == [str(t.uuid) for t in aides]
    assert api.get(url, {"client": "nope"}).status_code == 400
    with unscoped():
        outsider = client_create(cooperative=nursescan, name="Elsewhere Hospital")
    assert api.get(url, {"client": str(outsider.uuid)}).json()["count"] == 0
