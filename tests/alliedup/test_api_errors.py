"""Under /api/ every error is JSON (`{"detail": …}`), never an HTML page or a traceback,
whether DRF answers it or Django does (an unknown URL, an unhandled exception, a
PermissionDenied or SuspiciousOperation outside DRF, a CSRF failure); pages keep Django's
HTML error pages. alliedup/api/errors.py."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from alliedup.api.views import MeView

FAILING_VIEWS = "tests.alliedup.urls_errors"


def _json(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _html(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_an_unknown_api_url_is_a_json_404_and_an_unknown_page_the_html_404(client):
    assert _json(client.get("/api/v1/no-such-thing/"), 404) == {"detail": "Not found."}
    assert _json(client.post("/api/v1/c/alliedup/no-such-thing/"), 404) == {"detail": "Not found."}
    assert "Page not found" in _html(client.get("/no-such-page/"), 404)


@pytest.mark.urls(FAILING_VIEWS)
def test_a_crash_under_the_api_is_a_json_500_without_the_traceback():
    response = Client(raise_request_exception=False).get("/api/v1/test-crash/")
    assert _json(response, 500) == {"detail": "A server error occurred."}
    assert b"secret detail" not in response.content and b"Traceback" not in response.content


@pytest.mark.urls(FAILING_VIEWS)
def test_a_crashing_page_is_the_html_500():
    body = _html(Client(raise_request_exception=False).get("/test-crash/"), 500)
    assert "Something went wrong" in body and "secret detail" not in body


def test_a_crash_inside_a_drf_view_is_a_json_500(alliedup_users, monkeypatch):
    def crash(self, request, coop_slug):
        raise KeyError("turnout_percent")

    monkeypatch.setattr(MeView, "get", crash)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(alliedup_users["admin"])
    response = client.get("/api/v1/c/alliedup/me/")
    assert _json(response, 500) == {"detail": "A server error occurred."}
    assert b"turnout_percent" not in response.content


@pytest.mark.urls(FAILING_VIEWS)
def test_permission_denied_and_bad_requests_outside_drf_are_json_under_the_api(client):
    assert _json(client.get("/api/v1/test-denied/"), 403) == {"detail": "Only the treasurer may do this."}
    response = client.get("/api/v1/test-suspicious/")
    assert _json(response, 400) == {"detail": "Bad request."} and b"secret detail" not in response.content
    assert "Only the treasurer may do this." in _html(client.get("/test-denied/"), 403)


@pytest.mark.urls(FAILING_VIEWS)
def test_csrf_failures_are_json_under_the_api_and_django_s_page_elsewhere(alliedup_users):
    client = Client(enforce_csrf_checks=True)
    assert _json(client.post("/api/v1/test-post/"), 403)["detail"].startswith("CSRF Failed")
    # DRF's own check of session-authenticated requests answers in JSON too.
    client.force_login(alliedup_users["admin"])
    refused = client.post("/api/v1/c/alliedup/invitations/", {"email": "x@example.com", "role": "worker"}, content_type="application/json")
    assert _json(refused, 403)["detail"].startswith("CSRF Failed")
    assert "CSRF" in _html(Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "a@example.com"}), 403)


def test_a_method_the_api_does_not_offer_is_a_json_405(alliedup_users):
    client = APIClient()
    client.force_authenticate(alliedup_users["admin"])
    assert _json(client.delete("/api/v1/c/alliedup/me/"), 405) == {"detail": 'Method "DELETE" not allowed.'}


def test_a_browser_asking_for_html_still_gets_json_errors(alliedup_users):
    client = APIClient()
    client.force_authenticate(alliedup_users["admin"])
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    missing = client.get("/api/v1/c/alliedup/placements/invoices/00000000-0000-4000-8000-000000000000/", HTTP_ACCEPT=browser)
    assert _json(missing, 404)["detail"]
    assert _json(client.get("/api/v1/c/alliedup/me/", HTTP_ACCEPT=browser), 200)["roles"] == ["admin"]

