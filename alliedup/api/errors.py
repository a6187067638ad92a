"""Errors of the API: always a JSON body `{"detail": …}` (or DRF's field errors), never an
HTML page, and never a traceback.

Two layers, because not every error passes through a DRF view:
- `exception_handler` (DRF's EXCEPTION_HANDLER) shapes what DRF views raise;
- the error views below are Django's handler400/403/404/500 and CSRF_FAILURE_VIEW: they
  answer JSON for paths under /api/ (an unknown API URL, an exception DRF does not handle,
  a CSRF failure outside DRF) and Django's usual HTML pages everywhere else.

A 500 still reaches Django's logging and `got_request_exception` (with the traceback) first:
handler500 only chooses the body the client gets.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.views import csrf, defaults
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

API_PREFIX = "/api/"


def exception_handler(exc, context):
    """DRF's handler, plus: a service's Django ValidationError becomes a 400 in DRF's usual
    shape ({"field": ["message"]} or {"non_field_errors": [...]}) instead of a 500.
    Anything else DRF does not know is re-raised by DRF and answered by `server_error`."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                (field if field != "__all__" else "non_field_errors"): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)


def is_api_request(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _json(detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def bad_request(request, exception, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    """handler400: a SuspiciousOperation or BadRequest (e.g. too many form fields)."""
    if is_api_request(request):
        return _json("Bad request.", 400)
    return defaults.bad_request(request, exception, template_name)


def permission_denied(request, exception, template_name=defaults.ERROR_403_TEMPLATE_NAME):
    """handler403: the PermissionDenied's own message (our code raises them with text meant
    for the user), else a generic one."""
    if is_api_request(request):
        message = exception.args[0] if exception is not None and exception.args and isinstance(exception.args[0], str) else ""
        return _json(message or "You do not have permission to perform this action.", 403)
    return defaults.permission_denied(request, exception, template_name)


def page_not_found(request, exception, template_name=defaults.ERROR_404_TEMPLATE_NAME):
    """handler404: a fixed message (a Resolver404 carries the URL patterns tried)."""
    if is_api_request(request):
        return _json("Not found.", 404)
    return defaults.page_not_found(request, exception, template_name)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if is_api_request(request):
        return _json("A server error occurred.", 500)
    return defaults.server_error(request, template_name)


def csrf_failure(request, reason="", template_name=csrf.CSRF_FAILURE_TEMPLATE_NAME):
    """CSRF_FAILURE_VIEW: DRF views check CSRF themselves (a JSON 403); this covers the rest."""
    if is_api_request(request):
        return _json(f"CSRF Failed: {reason}" if reason else "CSRF Failed.", 403)
    return csrf.csrf_failure(request, reason, template_name)
