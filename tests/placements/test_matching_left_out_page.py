"""Who the matching left out and why, on the fill board's suggestions and in the API: one
`matching.shift_match` answer for both, paged by 20, at a fixed cost whatever the co-op's
size. "Today" is fixed (2026-12-01 at the co-op); tests/placements/conftest.py opens
alliedup's scope for every test."""

import re
from datetime import date

import pytest
from rest_framework.test import APIClient

from members.models import WorkerCredential
from placements.models import Shift
from placements.services.matching import LEFT_OUT_PAGE_SIZE, shift_match
from placements.services.orders import job_order_create
from tests.conftest import OUTSIDER_MARKER, clock_at
from tests.members.factories import JobClassificationFactory, WorkerFactory
from tests.placements.conftest import DAY

BASE = "/c/alliedup/placements"
API = "/api/v1/c/alliedup/placements"
HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = date(2026, 12, 1)
SHIFT_DAY = date(2026, 12, 3)


@pytest.fixture
def today():
    """The co-op's today is Dec 1, 2026 (noon at the site), whatever the real date."""
    with clock_at("2026-12-01"):
        yield TODAY


@pytest.fixture
def coordinator(today, alliedup_users, login):
    return login(alliedup_users["coordinator"])


@pytest.fixture
def shift(today, contract, lvn):
    order = job_order_create(contract=contract, classification=lvn, starts_on=SHIFT_DAY, ends_on=SHIFT_DAY,
                             shift_start=DAY[0], shift_end=DAY[1])
    return Shift.objects.get(job_order=order)


@pytest.fixture
def cna(alliedup):
    return JobClassificationFactory(cooperative=alliedup, code="cna", name="Certified Nursing Assistant")


def _worker(coop, classification, first, last, licence=None, expires=date(2027, 12, 31), **kw):
    worker = WorkerFactory(cooperative=coop, classifications=[classification], first_name=first, last_name=last, **kw)
    if licence is not None:
        WorkerCredential.objects.create(cooperative=coop, worker=worker, credential_type=licence, expires_on=expires)
    return worker


@pytest.fixture
def crew(alliedup, nursescan, unscoped, lvn, licence, cna):
    """An eligible nurse; one whose licence expired last month; one never licensed; a CNA; a
    separated nurse; and an LVN of the outsider co-op."""
    crew = {
        "ok": _worker(alliedup, lvn, "Ines", "Okafor", licence),
        "expired": _worker(alliedup, lvn, "Bea", "Lapsed", licence, expires=date(2026, 11, 15)),
        "unlicensed": _worker(alliedup, lvn, "Cal", "Nolicence"),
        "cna": _worker(alliedup, cna, "Dee", "Aide"),
        "separated": _worker(alliedup, lvn, "Eve", "Gone", licence, is_active=False),
    }
    with unscoped():
        outsider_lvn = JobClassificationFactory(cooperative=nursescan, code="lvn", name="Licensed Vocational Nurse")
        crew["outsider"] = _worker(nursescan, outsider_lvn, "Fayette", OUTSIDER_MARKER)
    return crew


def _suggestions(client, shift, **query):
    response = client.get(f"{BASE}/shifts/{shift.uuid}/suggestions/", query, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_left_out_lists_the_classifications_blocked_workers_first_then_the_others_with_reasons(shift, crew):
    match = shift_match(shift)
    assert [c.worker for c in match.eligible] == [crew["ok"]]
    left_out = match.left_out
    assert [(c.worker.last_name, c.in_classification, c.reasons) for c in left_out.candidates] == [
        ("Lapsed", True, ["LVN licence expires 2026-11-15, before the shift ends on 2026-12-03."]),
        ("Nolicence", True, ["No LVN licence on file."]),
        ("Aide", False, ["Not hired as Licensed Vocational Nurse.", "No LVN licence on file."]),
    ]
    # Separated workers and the outsider co-op's are not candidates at all.
    assert (left_out.count, left_out.in_classification, left_out.outside_classification, left_out.pages) == (3, 2, 1, 1)
    assert match.ineligible == left_out.candidates[:2]


def test_fill_board_suggestions_show_who_was_left_out_and_why(shift, crew, coordinator):
    board = coordinator.get(f"{BASE}/").content.decode()
    assert f'hx-get="{BASE}/shifts/{shift.uuid}/suggestions/"' in board

    html = _suggestions(coordinator, shift)
    suggested, left_out = html.split("<details", 1)
    assert "Ines Okafor" in suggested and "Bea Lapsed" not in suggested
    assert "<summary>Left out (3)</summary>" in left_out
    assert "2 hired as Licensed Vocational Nurse but not eligible, 1 not hired as Licensed Vocational Nurse." in left_out
    assert ">Bea Lapsed</a>: LVN licence expires 2026-11-15, before the shift ends on 2026-12-03.</li>" in left_out
    assert ">Cal Nolicence</a>: No LVN licence on file.</li>" in left_out
    assert ('>Dee Aide</a> <span class="muted">(other classification)</span>: '
            "Not hired as Licensed Vocational Nurse. No LVN licence on file.</li>") in left_out
    assert "Ines Okafor" not in left_out and "Eve Gone" not in html
    assert OUTSIDER_MARKER not in html and "Fayette" not in html
    assert "Showing" not in left_out  # one page: no pager
    assert "<details class=\"left-out\">" in html  # closed while someone is eligible


def test_nobody_eligible_opens_the_left_out_list(shift, crew, coordinator):
    crew["ok"].worker_classifications.all().delete()
    html = _suggestions(coordinator, shift)
    assert "Nobody is eligible." in html and '<details class="left-out" open>' in html
    assert "<summary>Left out (4)</summary>" in html and "Ines Okafor" in html


def test_the_page_and_the_api_give_the_same_left_out_workers_and_reasons(shift, crew, coordinator, alliedup_users):
    api = APIClient()
    api.force_authenticate(alliedup_users["coordinator"])
    body = api.get(f"{API}/shifts/{shift.uuid}/candidates/").json()
    left_out = body["left_out"]
    assert (left_out["count"], left_out["in_classification"], left_out["page"], left_out["pages"]) == (3, 2, 1, 1)
    assert [w["name"] for w in left_out["workers"]] == ["Bea Lapsed", "Cal Nolicence", "Dee Aide"]
    assert left_out["workers"][0]["reasons"] == ["LVN licence expires 2026-11-15, before the shift ends on 2026-12-03."]
    assert [w["name"] for w in body["ineligible"]] == ["Bea Lapsed", "Cal Nolicence"]  # unchanged: the classification's
    html = _suggestions(coordinator, shift)
    listed = re.findall(r'<li><a href="[^"]+">([^<]+)</a>(?: <span class="muted">\(other classification\)</span>)?: ([^<]*)</li>', html)
    assert listed == [(w["name"], " ".join(w["reasons"])) for w in left_out["workers"]]
    assert api.get(f"{API}/shifts/{shift.uuid}/candidates/", {"left_out_page": "two"}).status_code == 400


def test_left_out_is_paged_by_20_blocked_classification_workers_first(alliedup, shift, crew, cna, coordinator):
    for n in range(45):
        _worker(alliedup, cna, "Aide", f"Z{n:02d}")
    # 2 blocked nurses, then 46 workers of another classification (Dee Aide and the 45 Z's).
    pages = [shift_match(shift, left_out_page=p) for p in (1, 2, 3)]
    assert [p.left_out.count for p in pages] == [48, 48, 48] and pages[0].left_out.pages == 3
    names = [c.worker.last_name for p in pages for c in p.left_out.candidates]
    assert names == ["Lapsed", "Nolicence", "Aide"] + [f"Z{n:02d}" for n in range(45)]
    assert [len(p.left_out.candidates) for p in pages] == [LEFT_OUT_PAGE_SIZE, LEFT_OUT_PAGE_SIZE, 8]
    assert all(not c.eligible for p in pages for c in p.left_out.candidates)
    assert shift_match(shift, left_out_page=99).left_out.page == 3  # past the last: the last

    first = _suggestions(coordinator, shift)
    assert "<summary>Left out (48)</summary>" in first and "Showing 1–20 of 48." in first
    assert f'hx-get="{BASE}/shifts/{shift.uuid}/suggestions/?left_out_page=2" hx-target="#suggest-{shift.uuid}">Later' in first
    assert "Earlier" not in first and "Z16" in first and "Z17" not in first
    second = _suggestions(coordinator, shift, left_out_page="2")
    assert "Showing 21–40 of 48." in second and "Z17" in second and "Z36" in second and "Z16" not in second and "Z37" not in second
    assert '<details class="left-out" open>' in second and "?left_out_page=1" in second and "?left_out_page=3" in second
    assert "Showing 1–20 of 48." in _suggestions(coordinator, shift, left_out_page="nonsense")


@pytest.mark.parametrize("workers", [3, 60])
def test_left_out_costs_a_fixed_number_of_queries(workers, alliedup, shift, crew, lvn, licence, cna, coordinator,
                                                  django_assert_max_num_queries):
    """The suggestions with their left-out page cost the same whether the co-op has a few
    workers or many, blocked in the classification or outside it, on any page."""
    for n in range(workers):
        _worker(alliedup, lvn, "Nurse", f"Y{n:02d}", licence, expires=date(2026, 11, 1))  # expired: left out
        _worker(alliedup, cna, "Aide", f"Z{n:02d}")
    # The suggestions (page 1, the classification's blocked workers), a page across both
    # groups, and one of other classifications only.
    for page in ("1", "4", "7") if workers == 60 else ("1",):
        with django_assert_max_num_queries(19):
            html = _suggestions(coordinator, shift, left_out_page=page)
        assert f"<summary>Left out ({2 * workers + 3})</summary>" in html
