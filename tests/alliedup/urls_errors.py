"""The project's URLs plus views that fail on purpose, for tests/alliedup/test_api_errors.py:
one under /api/ and one page, each raising an unhandled error, a PermissionDenied and a
SuspiciousOperation, and a POST endpoint under /api/ that Django's CSRF check guards."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpResponse
from django.urls import path

from alliedup.urls import handler400, handler403, handler404, handler500, urlpatterns as project_urlpatterns  # noqa: F401


def crash(request):
    raise RuntimeError("secret detail of the crash")


def denied(request):
    raise PermissionDenied("Only the treasurer may do this.")


def suspicious(request):
    raise SuspiciousOperation("secret detail of the bad request")


def plain_post(request):
    return HttpResponse("ok")


urlpatterns = [
    path("api/v1/test-crash/", crash),
    path("api/v1/test-denied/", denied),
    path("api/v1/test-suspicious/", suspicious),
    path("api/v1/test-post/", plain_post),
    path("test-crash/", crash),
    path("test-denied/", denied),
    *project_urlpatterns,
]
