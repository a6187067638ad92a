"""Keeping the dashboards' figures warm: insights.reports.warm_reports, the task the beat queues
per co-op, its beat entry, and the pages reading what it stored (through real Redis)."""

import os
import subprocess
import sys
import time
import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliedup.celery import app
from alliedup.models import Role
from alliedup.tasks import fan_out
from insights.reports import REPORTS, cache_key, report_sections, warm_reports
from insights.tasks import warm_reports_task
from tests.insights.helpers import Builder

pytestmark = pytest.mark.today("2026-11-23")

THIS_YEAR = (date(2026, 1, 1), date(2026, 11, 23))  # what every page opens with on 2026-11-23
PAGES = {"staff": "", "board": "board/", "owner": "our-coop/"}
READER = {"staff": Role.COORDINATOR, "board": Role.BOARD, "owner": Role.WORKER}
BOARD_DEFAULT = {"market_reference": {"ma": Decimal("17.50")}}  # the board page with its field empty


def _options(report):
    return BOARD_DEFAULT if report == "board" else {}


def _some_history(builder):
    for month in (1, 4, 9):
        builder.placement(datetime(2026, month, 5, 7))
        builder.shift(datetime(2026, month, 6, 7))
        builder.pay(workday=date(2026, month, 5), amount="264.00")
        builder.invoice_line(workday=date(2026, month, 5), amount="300.00")
    builder.hired(date(2025, 6, 1), ("candidate", date(2026, 3, 2)))
    builder.resolution(datetime(2026, 5, 1, 12), on_roll=3, voted=2)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def cache_on(settings):
    settings.INSIGHTS_CACHE_SECONDS = 60
    settings.INSIGHTS_WARM_SECONDS = 45
    cache.clear()
    yield
    cache.clear()


def test_warm_reports_stores_each_report_in_each_language_under_the_coops_own_keys(cache_on, alliedup, nursescan, in_scope):
    with in_scope(alliedup):
        _some_history(Builder(alliedup))
        written = warm_reports(alliedup, date(2026, 11, 23))
    assert written == len(REPORTS) * 2  # English and Spanish
    for report in REPORTS:
        for language in ("en", "es"):
            key = cache_key(alliedup, report, *THIS_YEAR, _options(report), language)
            assert key.startswith(f"insights:{alliedup.pk}:{report}:")
            sections = cache.get(key)
            assert [s.figure.name for s in sections] == REPORTS[report]["figures"]
            assert all(s.figure.start == THIS_YEAR[0] and s.figure.end == THIS_YEAR[1] for s in sections)
        # The outsider's figures are its own: nothing was stored for it.
        assert cache.get(cache_key(nursescan, report, *THIS_YEAR, _options(report), "en")) is None
    # The charts of the Spanish entry speak Spanish; the English one English.
    staff_es = cache.get(cache_key(alliedup, "staff", *THIS_YEAR, {}, "es"))
    staff_en = cache.get(cache_key(alliedup, "staff", *THIS_YEAR, {}, "en"))
    assert "Bar chart of placements per month" in staff_en[0].chart
    assert staff_es[0].chart != staff_en[0].chart


def test_report_sections_reads_what_warm_reports_stored(cache_on, alliedup, in_scope):
    with in_scope(alliedup):
        _some_history(Builder(alliedup))
        warm_reports(alliedup, date(2026, 11, 23))
        stored = cache.get(cache_key(alliedup, "board", *THIS_YEAR, BOARD_DEFAULT, "en"))
        # The board page passes the default market reference; a caller giving none means the same.
        assert [s.computed_at for s in report_sections(alliedup, "board", *THIS_YEAR, **BOARD_DEFAULT)] == \
            [s.computed_at for s in stored]
        assert [s.computed_at for s in report_sections(alliedup, "board", *THIS_YEAR)] == [s.computed_at for s in stored]


def test_warm_reports_writes_nothing_with_the_cache_off(settings, alliedup, in_scope):
    settings.INSIGHTS_CACHE_SECONDS = 0
    cache.clear()
    with in_scope(alliedup):
        assert warm_reports(alliedup, date(2026, 11, 23)) == 0
    assert cache.get(cache_key(alliedup, "staff", *THIS_YEAR, {}, "en")) is None


@pytest.mark.parametrize("report", list(REPORTS))
def test_after_the_task_each_dashboard_opens_with_the_queries_of_a_cache_hit(report, cache_on, alliedup, alliedup_users, login,
                                                                              in_scope):
    with in_scope(alliedup):
        _some_history(Builder(alliedup))
    client = login(alliedup_users[READER[report]])
    url = f"/c/alliedup/insights/{PAGES[report]}"
    client.get(url)  # the session, the role lookups
    cache.clear()
    cold = _queries(client, url)
    hit = _queries(client, url)
    cache.clear()
    assert warm_reports_task.delay(cooperative=alliedup.pk).get() == len(REPORTS) * 2
    assert _queries(client, url) == hit
    assert cold - hit >= 5, (cold, hit)  # the figures' aggregates are not run at all


def test_the_task_runs_twice_without_harm(cache_on, alliedup, in_scope):
    assert warm_reports_task.delay(cooperative=alliedup.pk).get() == len(REPORTS) * 2
    assert warm_reports_task.delay(cooperative=alliedup.pk).get() == len(REPORTS) * 2
    assert cache.get(cache_key(alliedup, "owner", *THIS_YEAR, {}, "en")) is not None


# The beat entry -----------------------------------------------------------------------------------


def test_the_beat_queues_the_task_for_every_coop_and_a_worker_finds_it(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["insights-warm-reports"]
    assert entry["task"] == "alliedup.tasks.fan_out"
    assert entry["args"] == ["insights.tasks.warm_reports_task"]
    # A worker finds the task (autodiscovery), in a fresh process as a worker starts.
    script = ("import django; django.setup(); from alliedup.celery import app; "
              "app.loader.import_default_modules(); print(' '.join(sorted(app.tasks)))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60).stdout.split()
    assert "insights.tasks.warm_reports_task" in out


def _settings(extra_env: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INSIGHTS_", "CACHE_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "alliedup.settings.base", **extra_env})
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.CELERY_BEAT_SCHEDULE['insights-warm-reports']['schedule'].total_seconds(), "
            "settings.INSIGHTS_CACHE_SECONDS, settings.CACHES['default']['BACKEND'].rsplit('.', 1)[1])")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_settings_warm_before_expiry_and_share_the_cache_through_redis():
    default = _settings({"REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert default.returncode == 0, default.stderr
    assert default.stdout.split() == ["240.0", "300", "RedisCache"]
    shorter = _settings({"INSIGHTS_CACHE_SECONDS": "120", "REDIS_URL": ""})
    assert shorter.stdout.split() == ["96.0", "120", "LocMemCache"]  # no Redis: one process, its own memory
    late = _settings({"INSIGHTS_CACHE_SECONDS": "120", "INSIGHTS_WARM_SECONDS": "120"})
    assert late.returncode != 0
    assert "INSIGHTS_WARM_SECONDS (120) must be shorter than INSIGHTS_CACHE_SECONDS (120)" in late.stderr


# Through the real broker and a shared Redis cache --------------------------------------------------


@pytest.fixture
def redis_cache(settings):
    """The production arrangement: a Redis cache every process shares (a key prefix of its own)."""
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": settings.REDIS_URL,
                                   "KEY_PREFIX": prefix}}
    settings.INSIGHTS_CACHE_SECONDS = 60
    settings.INSIGHTS_WARM_SECONDS = 45
    yield
    client = cache._cache.get_client()
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def redis_worker():
    """A real Celery worker thread consuming a queue of its own on the real Redis broker."""
    assert app.conf.broker_url.startswith("redis://"), "this test needs the real Redis broker"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    saved = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        with start_worker(app, pool="solo", queues=[queue], perform_ping_check=False, shutdown_timeout=10):
            yield queue
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = saved


@pytest.mark.django_db(transaction=True)
def test_the_beats_fan_out_through_redis_warms_the_shared_cache_for_the_page(redis_cache, redis_worker, alliedup, nursescan,
                                                                          alliedup_users, login, in_scope):
    with in_scope(alliedup):
        _some_history(Builder(alliedup))
    client = login(alliedup_users[Role.COORDINATOR])
    client.get("/c/alliedup/insights/")
    key = cache_key(alliedup, "staff", *THIS_YEAR, {}, "en")
    cache.delete(key)
    cold = _queries(client, "/c/alliedup/insights/")
    cache.delete(key)

    assert fan_out.delay("insights.tasks.warm_reports_task").get(timeout=30) == 2  # both active co-ops
    outsider = cache_key(nursescan, "staff", *THIS_YEAR, {}, "en")
    deadline = time.monotonic() + 30
    while None in (cache.get(key), cache.get(outsider)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert cache.get(key) is not None, "the worker never warmed the staff dashboard"
    assert cache.get(outsider) is not None  # each co-op its own entries
    raw = cache._cache.get_client(key)
    # Written for INSIGHTS_CACHE_SECONDS + INSIGHTS_WARM_SECONDS: a late run still finds it there.
    assert 60 < raw.ttl(cache.make_and_validate_key(key)) <= 105
    warmed = _queries(client, "/c/alliedup/insights/")
    assert cold - warmed >= 5, (cold, warmed)


# A report reads what its figures share once ---------------------------------------------------


def test_a_report_reads_the_placements_and_the_status_history_once_with_the_same_figures(alliedup, in_scope):
    from insights import metrics

    with in_scope(alliedup):
        builder = Builder(alliedup)
        _some_history(builder)
        builder.placement(datetime(2025, 12, 31, 23, 30))  # a late-December night shift: 2025 in the co-op's zone
        names = ["placements", "placements_by_year", "members_over_time", "turnover"]
        period = (date(2025, 6, 1), date(2026, 11, 23))
        with CaptureQueriesContext(connection) as alone:
            separate = [metrics.figure_data(alliedup, name, *period).rows for name in names]
        with CaptureQueriesContext(connection) as shared, metrics.shared_reads():
            together = [metrics.figure_data(alliedup, name, *period).rows for name in names]
    assert together == separate
    assert [r["placements"] for r in together[1]] == [1, 9]  # 2025; 2026: 3 placements, 3 paid, 3 invoiced
    assert len(alone.captured_queries) - len(shared.captured_queries) == 3  # one placements read, two of the history
