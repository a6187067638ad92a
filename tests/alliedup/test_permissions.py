import pytest

from alliedup.models import Role
from alliedup.permissions import PERMISSIONS, can, permission_required_in_coop, role_can


def test_unknown_permission_fails_loudly():
    with pytest.raises(KeyError):
        role_can(frozenset({Role.ADMIN}), "coop.fly")
    with pytest.raises(KeyError):
        permission_required_in_coop("coop.fly")


def test_every_permission_names_known_roles():
    for name, roles in PERMISSIONS.items():
        assert roles <= set(Role.values), name


@pytest.mark.parametrize(
    "role, permission, allowed",
    [
        (Role.ADMIN, "coop.view_audit", True),
        (Role.COORDINATOR, "coop.view_audit", False),
        (Role.COORDINATOR, "coop.view_team", True),
        (Role.COORDINATOR, "coop.invite", False),
        (Role.PAYROLL, "coop.view_staff_home", True),
        (Role.WORKER, "coop.view_staff_home", False),
        (Role.WORKER, "coop.view_worker_home", True),
        (Role.CLIENT, "coop.view_team", False),
        (Role.BOARD, "coop.view", True),
    ],
)
def test_role_matrix(role, permission, allowed):
    assert role_can(frozenset({role}), permission) is allowed


def test_roles_are_per_cooperative(alliedup, nursescan, alliedup_users, in_scope):
    admin = alliedup_users["admin"]
    with in_scope(alliedup):
        assert can(admin, alliedup, "coop.view_audit")
    with in_scope(nursescan):
        assert not can(admin, nursescan, "coop.view")
