"""Helpers shared by the governance pages."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from alliedup.permissions import can, check


def require_any(request, *permissions: str) -> None:
    """Raise PermissionDenied (or NoRoleInCooperative) unless the user holds one of `permissions`."""
    if any(can(request.user, request.cooperative, p) for p in permissions):
        return
    check(request.user, request.cooperative, permissions[0])  # raises the right refusal
    raise PermissionDenied("Your role in this cooperative does not allow this.")


def permission_any_in_coop(*permissions: str):
    """Page decorator: login required, then one of `permissions` in the URL's cooperative
    (results are for voters and for staff and the board alike)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_any(request, *permissions)
            return view(request, *args, **kwargs)

        wrapped.required_permission = permissions
        return wrapped

    return decorator


RESULTS_PERMISSIONS = ("governance.view", "governance.vote")


def can_manage(request) -> bool:
    return can(request.user, request.cooperative, "governance.manage")


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def errors_text(exc) -> str:
    return " ".join(exc.messages)
