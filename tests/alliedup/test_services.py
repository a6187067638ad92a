from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alliedup import services
from alliedup.audit import MASK, audit_log
from alliedup.models import AuditEvent, Cooperative, CooperativeRole, Invitation, Role
from tests.factories import InvitationFactory, UserFactory


@pytest.fixture(autouse=True)
def _scope(alliedup, in_scope):
    with in_scope(alliedup):
        yield


def test_cooperative_create_has_design_defaults_and_is_audited(db):
    coop = services.cooperative_create(slug="fresh", name="Fresh Co-op")
    assert coop.candidacy_hours_threshold == 350
    assert coop.candidacy_window_days == 90
    assert str(coop.equity_buy_in) == "250.00"
    assert coop.equity_installments == 5
    assert coop.retention_hours_per_year == 100
    assert coop.time_zone == "America/Los_Angeles"
    assert coop.workweek_start == Cooperative.Weekday.SUNDAY
    assert AuditEvent.objects.filter(cooperative=coop, action="alliedup.cooperative.created").count() == 0  # other scope
    from django_scopes import scope

    with scope(cooperative=coop):
        assert AuditEvent.objects.filter(action="alliedup.cooperative.created").count() == 1


def test_cooperative_create_rejects_a_bad_time_zone_and_writes_nothing(db):
    with pytest.raises(ValidationError) as err:
        services.cooperative_create(slug="bad", name="Bad", time_zone="Mars/Olympus")
    assert "time_zone" in err.value.message_dict
    assert not Cooperative.objects.filter(slug="bad").exists()


def test_cooperative_rejects_a_cash_share_below_twenty_percent(db):
    with pytest.raises(ValidationError) as err:
        services.cooperative_create(slug="low", name="Low", patronage_cash_percent=15)
    assert "patronage_cash_percent" in err.value.message_dict


def test_role_grant_is_idempotent_and_audited_once(alliedup):
    user = UserFactory()
    services.role_grant(cooperative=alliedup, user=user, role=Role.WORKER)
    services.role_grant(cooperative=alliedup, user=user, role=Role.WORKER)
    assert CooperativeRole.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.filter(action="alliedup.role.granted", after__user=user.email).count() == 1


def test_role_grant_rejects_an_unknown_role(alliedup):
    with pytest.raises(ValidationError):
        services.role_grant(cooperative=alliedup, user=UserFactory(), role="emperor")


def test_the_last_administrator_cannot_be_removed(alliedup):
    admin = UserFactory()
    services.role_grant(cooperative=alliedup, user=admin, role=Role.ADMIN)
    with pytest.raises(ValidationError):
        services.role_revoke(cooperative=alliedup, user=admin, role=Role.ADMIN)
    second = UserFactory()
    services.role_grant(cooperative=alliedup, user=second, role=Role.ADMIN)
    assert services.role_revoke(cooperative=alliedup, user=admin, role=Role.ADMIN, revoked_by=second)
    assert AuditEvent.objects.filter(action="alliedup.role.revoked").count() == 1


def test_invitation_accept_grants_the_role_once(alliedup, alliedup_users):
    invitation = services.invitation_create(
        cooperative=alliedup, email="Nurse@Example.com", role=Role.COORDINATOR,
        invited_by=alliedup_users["admin"],
    )
    assert invitation.email == "nurse@example.com"
    nurse = UserFactory(email="nurse@example.com")
    services.invitation_accept(invitation=invitation, user=nurse)
    assert CooperativeRole.objects.filter(user=nurse, role=Role.COORDINATOR).exists()
    with pytest.raises(ValidationError, match="already been accepted"):
        services.invitation_accept(invitation=invitation, user=nurse)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"alliedup.invitation.created", "alliedup.invitation.accepted", "alliedup.role.granted"} <= actions


def test_invitation_refuses_another_address_and_expired_links(alliedup):
    invitation = InvitationFactory(cooperative=alliedup, email="a@example.com")
    with pytest.raises(ValidationError, match="different email"):
        services.invitation_accept(invitation=invitation, user=UserFactory(email="b@example.com"))
    expired = InvitationFactory(
        cooperative=alliedup, email="c@example.com", expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(invitation=expired, user=UserFactory(email="c@example.com"))
    assert not CooperativeRole.objects.filter(user__email__in=["b@example.com", "c@example.com"]).exists()
    assert Invitation.objects.filter(accepted_at__isnull=False).count() == 0


def test_inviting_someone_into_a_role_they_hold_is_refused(alliedup, alliedup_users):
    with pytest.raises(ValidationError) as err:
        services.invitation_create(
            cooperative=alliedup, email=alliedup_users["worker"].email, role=Role.WORKER,
            invited_by=alliedup_users["admin"],
        )
    assert "email" in err.value.message_dict
    assert not Invitation.objects.exists()


def test_audit_log_masks_secret_looking_keys_and_requires_a_namespace(alliedup):
    event = audit_log(
        cooperative=alliedup, action="alliedup.test.done",
        data={"password": "hunter2", "nested": {"api_token": "abc", "amount": "250.00"}},
    )
    assert event.data == {"password": MASK, "nested": {"api_token": MASK, "amount": "250.00"}}
    with pytest.raises(ValueError):
        audit_log(cooperative=alliedup, action="unnamespaced")
