from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from django_scopes import scope, scopes_disabled

from alliedup.models import Cooperative

COOP_KWARG = "coop_slug"


class CooperativeScopeMiddleware:
    """Resolve the cooperative named in the URL and run the view inside its scope.

    Unknown or inactive slug: 404 (JSON under /api/). URLs that name no cooperative open no
    scope, so a tenant-owned query there raises ScopeError instead of reading any tenant's
    rows (an explicit `scope(cooperative=None)` would silently return nothing instead);
    only the Django admin (platform operators) runs with scopes disabled.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.cooperative = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        slug = match.kwargs.get(COOP_KWARG) if match else None
        if slug is None:
            if match and match.namespace == "admin":
                with scopes_disabled():
                    return self.get_response(request)
            return self.get_response(request)

        cooperative = Cooperative.objects.filter(slug=slug, is_active=True).first()
        if cooperative is None:
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": "No cooperative with that slug."}, status=404)
            raise Http404("No cooperative with that slug.")
        request.cooperative = cooperative
        with scope(cooperative=cooperative):
            return self.get_response(request)
