"""Shared fixtures: an owner cooperative (`alliedup`) and an outsider (`nursescan`), each
with one user per role. Tests open scopes themselves, as production code does."""

import pytest
from django.test import Client
from django_scopes import scope, scopes_disabled

from alliedup.models import Role
from tests.factories import PASSWORD, CooperativeFactory, CooperativeRoleFactory, UserFactory

# Text that appears only in the outsider's data: no response to an alliedup user may show it.
OUTSIDER_MARKER = "NursesCan-Secret-7f3a"


@pytest.fixture
def alliedup(db):
    return CooperativeFactory(slug="alliedup", name="AlliedUP Cooperative")


@pytest.fixture
def nursescan(db):
    return CooperativeFactory(slug="nursescan", name=f"{OUTSIDER_MARKER} Cooperative")


def _users_with_roles(cooperative):
    users = {}
    for role in Role.values:
        user = UserFactory(email=f"{role}@{cooperative.slug}.example.com", full_name=f"{role.title()} of {cooperative.slug}")
        CooperativeRoleFactory(cooperative=cooperative, user=user, role=role)
        users[role] = user
    return users


@pytest.fixture
def alliedup_users(alliedup):
    return _users_with_roles(alliedup)


@pytest.fixture
def nursescan_users(nursescan):
    return _users_with_roles(nursescan)


@pytest.fixture
def login():
    """login(user) -> a Client signed in as that user (through allauth's backend)."""

    def _login(user):
        client = Client()
        assert client.login(email=user.email, password=PASSWORD)
        return client

    return _login


@pytest.fixture
def in_scope():
    """in_scope(coop) -> context manager opening that cooperative's scope."""
    return lambda cooperative: scope(cooperative=cooperative)


@pytest.fixture
def unscoped():
    return scopes_disabled
