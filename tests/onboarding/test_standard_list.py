"""A new co-op starts its catalogue from the standard list (issue 15): the classifications
set-up page and the API offer it only while it adds something; adding is audited and
idempotent, and leaves the co-op's own entries as they are."""

import pytest
from rest_framework.test import APIClient

from alliedup.models import AuditEvent
from members.models import CredentialRequirement, CredentialType, JobClassification
from members.services.classifications import (
    DEFAULT_CLASSIFICATIONS,
    DEFAULT_CREDENTIALS,
    classifications_seed_defaults,
    job_classification_create,
    standard_list_missing,
)

PAGE = "/c/alliedup/settings/classifications/"
ADD = "/c/alliedup/settings/standard-list/"
API = "/api/v1/c/alliedup/settings/standard-list/"


@pytest.fixture
def admin(alliedup_users):
    return alliedup_users["admin"]


def test_the_page_offers_the_standard_list_adds_it_audited_then_stops_offering_it(alliedup, admin, login,
                                                                                  django_assert_max_num_queries):
    client = login(admin)
    with django_assert_max_num_queries(10):
        page = client.get(PAGE).content.decode()
    assert "Start from the standard list" in page and "9 job classifications: Registered Nurse" in page

    response = client.post(ADD)
    assert response.status_code == 302 and response["Location"] == PAGE
    assert JobClassification.objects.count() == len(DEFAULT_CLASSIFICATIONS)
    assert CredentialType.objects.count() == len(DEFAULT_CREDENTIALS)
    bls = CredentialType.objects.get(code="bls")
    assert sorted(bls.required_for.values_list("code", flat=True)) == ["cna", "lvn", "ma", "rn", "rt"]
    (event,) = AuditEvent.objects.filter(action="members.classification.standard_added")
    assert event.actor == admin and event.data["classifications"][0] == "rn" and len(event.data["credential_types"]) == 11
    assert AuditEvent.objects.filter(action="members.classification.created", actor=admin).count() == 9
    assert AuditEvent.objects.filter(action="members.credential_type.created", actor=admin).count() == 11

    after = client.get(PAGE).content.decode()
    assert "Added 9 job classifications and 11 credential types from the standard list." in after
    assert f'action="{ADD}"' not in after  # nothing left to add: not offered

    events = AuditEvent.objects.count()
    client.post(ADD)  # a second click (or a stale page) adds nothing and records nothing
    assert JobClassification.objects.count() == 9 and AuditEvent.objects.count() == events


def test_the_cooperatives_own_entries_are_left_alone(alliedup, admin):
    """An entry whose code or name the co-op uses already is not added again, and an existing
    credential type keeps the requirements the co-op gave it."""
    job_classification_create(cooperative=alliedup, code="reg-nurse", name="Registered Nurse")
    job_classification_create(cooperative=alliedup, code="ma", name="Clinic Assistant", is_active=False)
    own_bls = CredentialType.objects.create(cooperative=alliedup, code="bls", name="CPR card")

    missing = standard_list_missing(alliedup)
    assert "rn" not in [c for c, _ in missing.classifications] and "ma" not in [c for c, _ in missing.classifications]
    added = classifications_seed_defaults(cooperative=alliedup, seeded_by=admin)
    assert len(added.classifications) == 7 and "bls" not in [t.code for t in added.credential_types]
    assert JobClassification.objects.get(code="ma").name == "Clinic Assistant"
    assert not CredentialRequirement.objects.filter(credential_type=own_bls).exists()
    # A new type of the list requires the co-op's own classification of the standard code.
    tb = CredentialType.objects.get(code="tb-test")
    assert "ma" in tb.required_for.values_list("code", flat=True)
    assert not standard_list_missing(alliedup)


def test_the_api_shows_what_it_would_add_adds_it_once_then_refuses(alliedup, admin):
    api = APIClient()
    api.force_authenticate(admin)
    offered = api.get(API).json()
    assert offered["classifications"][0] == {"code": "rn", "name": "Registered Nurse"}
    assert len(offered["credential_types"]) == 11

    created = api.post(API)
    assert created.status_code == 201
    assert {"code": "ccs", "name": "Certified Coding Specialist", "expires": False, "required_for": ["coder"]} in \
        created.json()["credential_types"]
    assert api.get(API).json() == {"classifications": [], "credential_types": []}
    again = api.post(API)
    assert again.status_code == 400 and again.json() == {"detail": ["Everything on the standard list is here already."]}
    assert AuditEvent.objects.filter(action="members.classification.standard_added").count() == 1


@pytest.mark.parametrize("role", ["coordinator", "payroll", "worker", "board", "client"])
def test_only_administrators_add_the_standard_list(role, alliedup_users, login):
    assert login(alliedup_users[role]).post(ADD).status_code == 403
    api = APIClient()
    api.force_authenticate(alliedup_users[role])
    assert api.post(API).status_code == 403
    assert not JobClassification.objects.exists()
