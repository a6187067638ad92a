import pytest
from django_scopes import ScopeError, scope

from alliedup.models import AuditEvent, CooperativeRole
from alliedup.tenancy import cooperative_scope
from tests.factories import AuditEventFactory


def test_tenant_query_with_no_active_cooperative_raises(alliedup):
    AuditEventFactory(cooperative=alliedup)
    with pytest.raises(ScopeError):
        list(AuditEvent.objects.all())
    with pytest.raises(ScopeError):
        AuditEvent.objects.count()
    with pytest.raises(ScopeError):
        CooperativeRole.objects.filter(role="admin").exists()


def test_scope_shows_only_the_active_cooperatives_rows(alliedup, nursescan):
    mine = AuditEventFactory(cooperative=alliedup)
    AuditEventFactory(cooperative=nursescan)
    with cooperative_scope(alliedup.slug) as coop:
        assert coop == alliedup
        assert list(AuditEvent.objects.all()) == [mine]
        # even an explicit filter for the other tenant finds nothing
        assert not AuditEvent.objects.filter(cooperative=nursescan).exists()


def test_reverse_relations_are_scoped_too(alliedup, nursescan, alliedup_users, nursescan_users):
    both = alliedup_users["worker"]
    CooperativeRole.objects.create(cooperative=nursescan, user=both, role="coordinator")
    with scope(cooperative=alliedup):
        assert set(both.cooperative_roles.values_list("role", flat=True)) == {"worker"}


def test_cooperative_scope_refuses_a_missing_cooperative(db):
    from alliedup.models import Cooperative

    with pytest.raises(Cooperative.DoesNotExist):
        with cooperative_scope("no-such-coop"):
            pass


def test_every_tenant_model_has_a_non_null_cooperative_and_a_scoped_manager():
    """Guard for later issues: a model with a `cooperative` FK must be TenantModel-shaped."""
    from django.apps import apps

    for model in apps.get_models():
        field = next((f for f in model._meta.fields if f.name == "cooperative"), None)
        if field is None:
            continue
        assert not field.null, f"{model.__name__}.cooperative must be non-null"
        with pytest.raises(ScopeError):
            model._default_manager.count()
