"""Activating a cooperative: the only way tenant-owned querysets can run.

Requests get it from the URL (`/c/<coop_slug>/…`, `/api/v1/c/<coop_slug>/…`) in
`CooperativeScopeMiddleware`; tasks and commands from an explicit argument, through
`cooperative_scope()`. Work that truly spans cooperatives says so with `scopes_disabled()`.

Never write `scope(cooperative=None)`: django-scopes then applies *no* filter and the query
reads every tenant's rows. `cooperative_scope()` only accepts a real cooperative.
"""

from contextlib import contextmanager

from django_scopes import scope

from alliedup.models import Cooperative


def get_cooperative(ref: "Cooperative | int | str") -> Cooperative:
    """Return the active cooperative for an id, slug or instance; raise Cooperative.DoesNotExist."""
    if isinstance(ref, Cooperative):
        return ref
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        return Cooperative.objects.get(pk=int(ref), is_active=True)
    return Cooperative.objects.get(slug=ref, is_active=True)


@contextmanager
def cooperative_scope(ref: "Cooperative | int | str"):
    """Open the tenant scope of one cooperative; yields the Cooperative."""
    cooperative = get_cooperative(ref)
    with scope(cooperative=cooperative):
        yield cooperative
