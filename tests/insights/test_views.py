"""Pages, exports, API, permissions, tenant isolation and query counts of insights."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from alliedup.models import Role
from insights import metrics
from tests.conftest import OUTSIDER_MARKER
from tests.insights.helpers import Builder

PERIOD = "?start=2026-01-01&end=2026-12-31"


def test_staff_dashboard_renders_svg_charts_each_followed_by_its_table(build, alliedup_users, login):
    build.placement(datetime(2026, 1, 5, 7))
    response = login(alliedup_users[Role.COORDINATOR]).get(f"/c/alliedup/insights/{PERIOD}")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") >= 4
    assert 'role="img"' in body and "<title id=\"chart-placements-title\">" in body
    assert "Separations = status changes to withdrawn" in body  # turnover's definition is on the page
    assert "<caption>Placements per month: the numbers of the chart</caption>" in body


@pytest.mark.parametrize("path,allowed,refused", [
    ("", {Role.ADMIN, Role.COORDINATOR, Role.PAYROLL}, {Role.WORKER, Role.BOARD, Role.CLIENT}),
    ("board/", {Role.ADMIN, Role.BOARD}, {Role.COORDINATOR, Role.PAYROLL, Role.WORKER, Role.CLIENT}),
    ("our-coop/", {Role.WORKER, Role.BOARD, Role.ADMIN}, {Role.COORDINATOR, Role.PAYROLL, Role.CLIENT}),
])
def test_each_page_is_open_to_its_roles_only(path, allowed, refused, alliedup_users, login):
    for role in allowed:
        assert login(alliedup_users[role]).get(f"/c/alliedup/insights/{path}").status_code == 200, role
    for role in refused:
        assert login(alliedup_users[role]).get(f"/c/alliedup/insights/{path}").status_code == 403, role


def test_a_bad_period_is_a_400_page_with_the_message(alliedup_users, login):
    client = login(alliedup_users[Role.ADMIN])
    response = client.get("/c/alliedup/insights/?start=2026-05-01&end=2026-04-01")
    assert response.status_code == 400 and b"is before the start" in response.content
    response = client.get("/c/alliedup/insights/board/?start=2010-01-01&end=2026-04-01")
    assert response.status_code == 400 and b"at most 10 years" in response.content
    response = client.get("/c/alliedup/insights/board/?market_reference=ma")
    assert response.status_code == 400 and b"code:hourly rate" in response.content


def test_board_page_takes_the_market_reference(build, alliedup_users, login):
    build.pay(workday=date(2026, 2, 2), amount="264.00")
    body = login(alliedup_users[Role.BOARD]).get(f"/c/alliedup/insights/board/{PERIOD}&market_reference=ma:20").content.decode()
    assert "33.00" in body and "65.0" in body


def test_csv_export_has_a_block_per_figure(build, alliedup_users, login):
    build.placement(datetime(2026, 3, 5, 7))
    response = login(alliedup_users[Role.WORKER]).get(f"/c/alliedup/insights/our-coop.csv{PERIOD}")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "figure,period,placements\r\n" in text and "placements,2026-03,1\r\n" in text
    assert "figure,election,closed_on,on_roll,voted,percent,quorum_met" in text
    assert "figure,resolution,closed_on,on_roll,voted,percent,quorum_met,outcome\r\n" in text


def test_resolution_turnout_is_charted_and_tabled_next_to_election_turnout(build, alliedup_users, login):
    build.resolution(datetime(2026, 3, 9, 17), on_roll=10, voted=7, title="Reserve to 30 %")
    for role, path in ((Role.BOARD, "board/"), (Role.WORKER, "our-coop/")):
        body = login(alliedup_users[role]).get(f"/c/alliedup/insights/{path}{PERIOD}").content.decode()
        assert body.index('id="turnout-h"') < body.index('id="resolution_turnout-h"'), path  # right after election turnout
        assert '<title id="chart-resolution-turnout-title">Resolution turnout</title>' in body
        assert "<title>2026-03: 70.00</title>" in body  # the bar
        assert "<caption>Resolution turnout: the numbers of the chart</caption>" in body
        assert "<td>Reserve to 30 %</td><td>2026-03-09</td><td class=\"num\">10</td><td class=\"num\">7</td>" in body
        assert "<td>yes</td><td>Adopted</td>" in body
        assert "ballots cast = the voters on that" in body  # the definition under the heading
    text = login(alliedup_users[Role.BOARD]).get(f"/c/alliedup/insights/board.csv{PERIOD}").content.decode()
    assert "resolution_turnout,Reserve to 30 %,2026-03-09,10,7,70.00,yes,Adopted\r\n" in text


def test_board_pack_pdf(build, alliedup_users, login):
    build.pay(workday=date(2026, 2, 2), amount="264.00", absorbed="10.00")
    build.resolution(datetime(2026, 3, 9, 17), on_roll=10, voted=7, title="Reserve to 30 %")
    response = login(alliedup_users[Role.BOARD]).get(f"/c/alliedup/insights/board-pack.pdf{PERIOD}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    try:
        import pypdf
    except ImportError:  # optional, as in the patronage PDF tests: the text check runs where pypdf is installed
        pypdf = None
    if pypdf is not None:
        import io

        text = " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
        assert "Resolution turnout" in text and "Reserve to 30 %" in text and "70.00" in text
    assert login(alliedup_users[Role.WORKER]).get(f"/c/alliedup/insights/board-pack.pdf{PERIOD}").status_code == 403


def test_api_lists_and_returns_figures(build, alliedup_users, login):
    build.placement(datetime(2026, 3, 5, 7))
    client = login(alliedup_users[Role.WORKER])
    names = [f["name"] for f in client.get("/api/v1/c/alliedup/insights/figures/").json()["figures"]]
    assert names == ["placements", "placements_by_year", "members_over_time", "patronage", "turnout", "resolution_turnout"]
    data = client.get("/api/v1/c/alliedup/insights/figure/?figure=placements&start=2026-03-01&end=2026-04-30").json()
    assert data["rows"] == [{"period": "2026-03", "placements": 1}, {"period": "2026-04", "placements": 0}]
    assert "approved" in data["definition"]
    assert client.get("/api/v1/c/alliedup/insights/figure/?figure=finance_by_client").status_code == 403


@pytest.mark.parametrize("query,field,message", [
    ("figure=profit", "figure", "Unknown figure 'profit'"),
    ("", "figure", "Name a figure"),
    ("figure=placements&start=2026-05-01&end=2026-04-01", "end", "before the start"),
    ("figure=placements&start=2010-01-01&end=2026-04-01", "end", "at most 10 years"),
    ("figure=placements&start=May", "start", "not a date"),
    ("figure=wage_uplift&market_reference=ma:x", "market_reference", "code:hourly rate"),
    ("figure=wage_uplift&market_reference=ma:1e999999", "market_reference", "code:hourly rate"),
    ("figure=placements&start=9995-01-01&end=9999-12-31", "start", "Choose dates from"),
])
def test_api_bad_input_is_a_400_naming_the_field(query, field, message, alliedup_users, login):
    response = login(alliedup_users[Role.ADMIN]).get(f"/api/v1/c/alliedup/insights/figure/?{query}")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


def test_api_wage_uplift_with_a_market_reference(build, alliedup_users, login):
    build.pay(workday=date(2026, 2, 2), amount="264.00")
    data = login(alliedup_users[Role.BOARD]).get(
        "/api/v1/c/alliedup/insights/figure/?figure=wage_uplift&start=2026-01-01&end=2026-03-31&market_reference=ma:20").json()
    assert data["rows"][0]["average_wage"] == "33.00" and data["rows"][0]["uplift"] == "65.0"
    assert data["extra"]["market_reference"] == {"ma": "20.00"}


def test_api_resolution_turnout(build, alliedup_users, login):
    build.resolution(datetime(2026, 3, 9, 17), on_roll=10, voted=7, title="Reserve to 30 %")
    client = login(alliedup_users[Role.WORKER])
    data = client.get("/api/v1/c/alliedup/insights/figure/?figure=resolution_turnout&start=2026-01-01&end=2026-12-31").json()
    assert data["title"] == "Resolution turnout" and "ballots cast" in data["definition"]
    assert [c["key"] for c in data["columns"]] == ["resolution", "closed_on", "on_roll", "voted", "percent", "quorum_met", "outcome"]
    assert data["rows"] == [{"resolution": "Reserve to 30 %", "closed_on": "2026-03-09", "on_roll": 10, "voted": 7, "percent": "70.00",
                             "quorum_met": True, "outcome": "Adopted"}]
    assert login(alliedup_users[Role.CLIENT]).get(
        "/api/v1/c/alliedup/insights/figure/?figure=resolution_turnout").status_code == 403


# Tenant isolation ---------------------------------------------------------------------------


@pytest.fixture
def outsider_data(nursescan):
    """nursescan: the isolation test's marked rows plus a full year of figures."""
    from tests.alliedup.test_isolation import _outsider_objects

    with scopes_disabled():
        objects = _outsider_objects(nursescan)
    with scope(cooperative=nursescan):
        b = Builder(nursescan, client_name=f"{OUTSIDER_MARKER} 2")
        b.placement(datetime(2026, 3, 5, 7))
        b.shift(datetime(2026, 3, 6, 7))
        b.hired(date(2025, 1, 6), ("owner", date(2026, 2, 1)), ("withdrawn", date(2026, 4, 1)))
        b.pay(workday=date(2026, 2, 2), amount="264.00", absorbed="10.00")
        b.invoice_line(workday=date(2026, 2, 2), amount="300.00")
        b.resolution(datetime(2026, 3, 9, 17), on_roll=3, voted=3, title=f"{OUTSIDER_MARKER} resolution")
    return objects


def test_no_figure_counts_another_cooperatives_data(alliedup, outsider_data):
    with scope(cooperative=alliedup):
        for name in metrics.FIGURES:
            figure = metrics.figure_data(alliedup, name, date(2025, 1, 1), date(2026, 12, 31))
            text = repr(figure.rows)
            assert OUTSIDER_MARKER not in text, name
            for row in figure.rows:
                for key, value in row.items():
                    if key in ("year", "goal", "on", "from", "to", "period", "market_reference"):
                        continue
                    assert value in (0, None) or (hasattr(value, "is_zero") and value.is_zero()), (name, row)


def test_resolution_turnout_counts_only_this_cooperatives_resolutions(alliedup, outsider_data, in_scope):
    with in_scope(alliedup):
        Builder(alliedup).resolution(datetime(2026, 3, 9, 17), on_roll=10, voted=7, title="Ours")
        figure = metrics.resolution_turnout(alliedup, date(2025, 1, 1), date(2026, 12, 31))
    # nursescan's two counted resolutions (the isolation test's and one of 3 of 3 the same day) are not here.
    assert [(r["resolution"], r["on_roll"], r["voted"], r["percent"]) for r in figure.rows] == [("Ours", 10, 7, Decimal("70.00"))]


def test_pages_show_nothing_of_another_cooperative(alliedup, outsider_data, alliedup_users, login):
    client = login(alliedup_users[Role.ADMIN])
    for path in ("", "board/", "our-coop/", "staff.csv", "board.csv", "our-coop.csv"):
        response = client.get(f"/c/alliedup/insights/{path}?start=2025-01-01&end=2026-12-31")
        assert response.status_code == 200
        assert OUTSIDER_MARKER.lower() not in response.content.decode().lower(), path


# Query counts -------------------------------------------------------------------------------


def _grow(builder, n, offset=0):
    """n more of everything the dashboards count."""
    for i in range(n):
        day = date(2026, 1 + (i + offset) % 12, 1 + (i + offset) % 27)
        builder.placement(datetime(day.year, day.month, day.day, 7))
        builder.shift(datetime(day.year, day.month, day.day, 15))
        builder.hired(date(2025, 6, 1), ("candidate", day))
        builder.pay(workday=day, amount="264.00", absorbed="1.00")
        builder.invoice_line(workday=day, amount="300.00")
        builder.resolution(datetime(day.year, day.month, day.day, 12), on_roll=i % 4 + 1, voted=i % 2, title=f"Resolution {offset + i}")


@pytest.mark.parametrize("path,role", [("", Role.COORDINATOR), ("board/", Role.BOARD), ("our-coop/", Role.WORKER)])
def test_dashboard_queries_are_bounded_and_do_not_grow_with_data(path, role, build, alliedup_users, login, django_assert_max_num_queries):
    client = login(alliedup_users[role])
    url = f"/c/alliedup/insights/{path}{PERIOD}"
    _grow(build, 2)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(build, 25, offset=5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    assert len(small.captured_queries) <= 25


def test_report_figures_are_cached_per_period_when_the_cache_is_on(settings, alliedup, in_scope):
    from datetime import date

    from django.core.cache import cache

    from insights.reports import report_sections

    settings.INSIGHTS_CACHE_SECONDS = 60
    cache.clear()
    with in_scope(alliedup):
        first = report_sections(alliedup, "staff", date(2026, 1, 1), date(2026, 11, 23))
        again = report_sections(alliedup, "staff", date(2026, 1, 1), date(2026, 11, 23))
        other = report_sections(alliedup, "staff", date(2026, 2, 1), date(2026, 11, 23))
    assert [s.computed_at for s in again] == [s.computed_at for s in first]
    assert other[0].computed_at > first[0].computed_at
    cache.clear()
