"""Playwright (sync API) driving Debian's chromium against pytest-django's `live_server`.

One browser per test session; each test gets a fresh context (cookies, storage, viewport),
so tests never share a login. Never run `playwright install`: the system chromium is used.
"""

import os

import pytest
from django.core.cache import cache
from playwright.sync_api import sync_playwright

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
]
DEFAULT_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(session, config, items):
    """Run the browser journeys after every other test of the session.

    From `sync_playwright().start()` until the session ends, an asyncio loop is running in
    the main thread (see `playwright` below): any later test calling `async_to_sync` would
    fail and the ORM's async-safety guard would be off for it. Putting e2e last keeps the
    rest of the suite untouched. (A hook in this conftest sees the whole session's items.)
    """
    e2e = [item for item in items if item.get_closest_marker("e2e")]
    if e2e:
        others = [item for item in items if not item.get_closest_marker("e2e")]
        items[:] = others + e2e


@pytest.fixture(scope="session")
def playwright():
    # Test-only. Playwright's sync API keeps an asyncio event loop running in this (the
    # test) thread from start() to stop(), and while one runs Django refuses synchronous ORM
    # calls here with SynchronousOnlyOperation (a guard meant for code inside async views).
    # The journeys and their fixtures (factories, the transactional_db flush) legitimately
    # make plain sync ORM calls from the test thread, so the guard is switched off exactly
    # while Playwright runs. Never set this in settings or in production.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    pw = sync_playwright().start()
    yield pw
    pw.stop()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser):
    """new_page(**context_options) -> a page in a fresh browser context (closed after the
    test), e.g. new_page(viewport={"width": 390, "height": 844}) for a phone."""
    contexts = []

    def _new_page(**context_options):
        context = browser.new_context(**context_options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's login rate limits live in the locmem cache, shared with the live server
    thread; start each journey with none of another test's attempts counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sign_in(live_server):
    """sign_in(page, user) fills in and submits allauth's login form like a person does."""

    def _sign_in(page, user, password=PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_load_state()

    return _sign_in
