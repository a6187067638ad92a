"""Two-factor authentication required of staff and board (design: "MFA for staff and board").

A user holding a role of `settings.MFA_REQUIRED_ROLES` in the cooperative of the URL must have
an active TOTP authenticator (allauth.mfa) before any of that co-op's pages or API answers:

- pages: a redirect to allauth's TOTP activation with a message saying why (htmx requests get
  an `HX-Redirect` header instead of a 302); the page they were going to is kept in the
  session, and allauth's pages after the activation offer a link back to it;
- API with a session: 403 with a JSON `detail` here; API with a token: the same 403 from
  `alliedup.permissions.CooperativePermission` (this middleware does not see token users).

Everything outside a cooperative stays reachable: allauth's pages (login, logout, MFA set-up,
email, password), the co-op picker, `/api/v1/cooperatives/`. A co-op's public pages (the job
board, open to anonymous visitors) are not held back either. The middleware goes after
CooperativeScopeMiddleware, which sets `request.cooperative`; being a middleware, no view can
forget it. The authenticator is read on every request (one query, only for users holding a
required role), so deactivating it blocks again at the next request.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from alliedup.models import Role
from alliedup.permissions import two_factor_required_api_message, two_factor_roles_without_totp

# {"next": path, "cooperative": name}: where a user sent to set up TOTP was going.
SESSION_KEY = "alliedup.two_factor_setup"


def _role_names(roles) -> str:
    return " and ".join(Role(role).label.lower() for role in sorted(roles))


def _destination(request) -> str:
    """The page to come back to: this one for a plain GET, the page an htmx request came
    from, else the co-op's home (a POST's URL may not answer a GET)."""
    home = reverse("coop_home", kwargs={"coop_slug": request.cooperative.slug})
    if request.htmx:
        candidate = request.htmx.current_url_abs_path
    elif request.method == "GET":
        candidate = request.get_full_path()
    else:
        candidate = None
    if candidate and candidate.startswith("/") and url_has_allowed_host_and_scheme(candidate, allowed_hosts=None):
        return candidate
    return home


def pending_setup(request) -> dict | None:
    """The stored {"next", "cooperative"} of a user sent to set up TOTP, with a safe `next`,
    or None."""
    session = getattr(request, "session", None)
    pending = session.get(SESSION_KEY) if session is not None else None
    if not isinstance(pending, dict):
        return None
    next_url = pending.get("next") or ""
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
        return None
    return {"next": next_url, "cooperative": pending.get("cooperative", "")}


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        cooperative = getattr(request, "cooperative", None)
        if cooperative is None or getattr(view_func, "public_page", False):
            return None
        missing = two_factor_roles_without_totp(request.user, cooperative)
        if not missing:
            if request.user.is_authenticated and SESSION_KEY in request.session:
                del request.session[SESSION_KEY]  # back where they were going
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": two_factor_required_api_message()}, status=403)

        request.session[SESSION_KEY] = {"next": _destination(request), "cooperative": cooperative.name}
        messages.warning(
            request,
            f"Your role as {_role_names(missing)} in {cooperative.name} requires two-factor "
            "authentication. Activate an authenticator app to continue; afterwards you go on "
            "to the page you asked for.",
        )
        setup = reverse("mfa_activate_totp")
        if request.htmx:
            return HttpResponseClientRedirect(setup)
        return HttpResponseRedirect(setup)
