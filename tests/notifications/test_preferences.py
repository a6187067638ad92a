"""The worker's preferences page and API, and the co-op's channel settings (page and API)."""

import pytest
from django.urls import reverse

from alliedup.models import AuditEvent
from notifications.models import Channel, Kind, NotificationPreference, NotificationProfile, NotificationSettings
from notifications.selectors import worker_preferences
from notifications.services.preferences import phone_normalise
from tests.notifications.conftest import sms_on, worker_with_login


def _url(coop="alliedup"):
    return reverse("notifications:preferences", args=[coop])


def _api(coop="alliedup"):
    return reverse("notifications_api:preferences", args=[coop])


def test_the_worker_home_links_to_the_preferences(alliedup, nurse, login):
    assert _url().encode() in login(nurse.user).get(reverse("worker_home", args=["alliedup"])).content


@pytest.mark.parametrize("sms", [False, True])
def test_the_page_shows_every_kind_in_a_bounded_number_of_queries(alliedup, nurse, login, sms, django_assert_max_num_queries):
    if sms:
        sms_on(alliedup)
    client = login(nurse.user)
    with django_assert_max_num_queries(9):
        response = client.get(_url())
    assert response.status_code == 200
    body = response.content.decode()
    for kind in Kind:
        assert str(kind.label) in body
    assert ("Text message (SMS)" in body) is sms and ('name="sms_phone"' in body) is sms


def test_saving_the_page_opts_out_per_kind_and_channel(alliedup, nurse, login):
    sms_on(alliedup)
    data = {f"{kind}__email": "on" for kind in Kind.values if kind != Kind.OPEN_SHIFTS}
    data |= {f"{kind}__sms": "on" for kind in (Kind.SHIFT_CONFIRMED, Kind.SHIFT_CANCELLED)}
    data |= {"sms_phone": "(510) 555-0100", "sms_opt_in": "on"}
    response = login(nurse.user).post(_url(), data)
    assert response.status_code == 302
    prefs = worker_preferences(nurse)
    rows = {r.kind: r for r in prefs.rows}
    assert rows[Kind.OPEN_SHIFTS].email is False and rows[Kind.PAY_STATEMENT].email is True
    assert rows[Kind.SHIFT_CONFIRMED].sms is True and rows[Kind.PAY_STATEMENT].sms is False
    assert prefs.sms_phone == "+15105550100" and prefs.sms_opted_in
    event = AuditEvent.objects.get(action="notifications.preferences.changed")
    assert event.actor == nurse.user and "5550100" not in str(event.data)  # the number stays out of the trail


def test_a_bad_number_is_refused_and_nothing_is_written(alliedup, nurse, login):
    sms_on(alliedup)
    response = login(nurse.user).post(_url(), {"sms_phone": "12", "sms_opt_in": "on", "pay_statement__email": ""})
    assert response.status_code == 400
    assert b"country code" in response.content
    assert not NotificationPreference.objects.exists() and not NotificationProfile.objects.exists()


def test_a_user_without_an_employee_record_is_told_so(alliedup, alliedup_users, login):
    response = login(alliedup_users["worker"]).get(_url())
    assert response.status_code == 200 and b"No employee record" in response.content


def test_staff_and_outsiders_cannot_open_the_page(alliedup, nursescan, nurse, alliedup_users, login, unscoped):
    assert login(alliedup_users["coordinator"]).get(_url()).status_code == 403
    with unscoped():
        outsider = worker_with_login(nursescan)
    assert login(outsider.user).get(_url()).status_code == 403
    assert login(nurse.user).get(_url("nursescan")).status_code == 403


# --- API ---------------------------------------------------------------------------------------------


def test_the_api_reads_and_changes_the_signed_in_workers_preferences(alliedup, nurse, login):
    client = login(nurse.user)
    body = client.get(_api()).json()
    assert body["sms_available"] is False and body["sms_opt_in"] is False
    assert [p["kind"] for p in body["preferences"]] == Kind.values
    assert all(p["email"] and p["sms"] for p in body["preferences"])

    changed = client.patch(_api(), {"preferences": [{"kind": "pay_statement", "email": False}]}, content_type="application/json")
    assert changed.status_code == 200
    pay = next(p for p in changed.json()["preferences"] if p["kind"] == "pay_statement")
    assert pay == {"kind": "pay_statement", "label": "Pay statement ready", "email": False, "sms": True}
    assert NotificationPreference.objects.get().enabled is False


def test_the_api_refuses_sms_the_coop_does_not_send_and_bad_input(alliedup, nurse, login):
    client = login(nurse.user)
    refused = client.patch(_api(), {"sms_phone": "+15105550100", "sms_opt_in": True}, content_type="application/json")
    assert refused.status_code == 400 and "sms_opt_in" in refused.json()
    assert not NotificationProfile.objects.filter(sms_consented_at__isnull=False).exists()
    assert client.patch(_api(), {"preferences": [{"kind": "nope"}]}, content_type="application/json").status_code == 400
    sms_on(alliedup)
    assert client.patch(_api(), {"sms_phone": "call me", "sms_opt_in": True}, content_type="application/json").status_code == 400
    ok = client.patch(_api(), {"sms_phone": "+44 20 7946 0958", "sms_opt_in": True}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["sms_phone"] == "+442079460958" and ok.json()["sms_opt_in"] is True
    # Removing the number withdraws the consent.
    removed = client.patch(_api(), {"sms_phone": ""}, content_type="application/json").json()
    assert removed["sms_phone"] == "" and removed["sms_opt_in"] is False


def test_the_api_answers_a_worker_of_another_coop_and_staff_with_no_data(alliedup, nursescan, nurse, alliedup_users, login, unscoped):
    assert login(alliedup_users["admin"]).get(_api()).status_code == 403
    assert login(alliedup_users["worker"]).get(_api()).status_code == 404  # no employee record linked
    with unscoped():
        outsider = worker_with_login(nursescan)
    assert login(outsider.user).get(_api()).status_code == 403
    assert login(nurse.user).get(_api("nursescan")).status_code == 403


@pytest.mark.parametrize("raw, expected", [
    ("510-555-0100", "+15105550100"), ("1 (510) 555 0100", "+15105550100"), ("0044 20 7946 0958", "+442079460958"),
])
def test_phone_numbers_are_stored_in_e164(raw, expected):
    assert phone_normalise(raw) == expected


# --- the co-op's channel settings -------------------------------------------------------------------


def test_an_admin_turns_sms_on_and_it_is_audited(alliedup, alliedup_users, login):
    client = login(alliedup_users["admin"])
    url = reverse("notifications:settings", args=["alliedup"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"sms_enabled": "on", "credential_notice_days": "45", "open_shift_days": "14"}).status_code == 302
    settings = NotificationSettings.objects.get()
    assert settings.sms_enabled and settings.credential_notice_days == 45 and settings.updated_by == alliedup_users["admin"]
    event = AuditEvent.objects.get(action="notifications.settings.changed")
    assert event.before == {"sms_enabled": False, "credential_notice_days": 30}
    assert event.after == {"sms_enabled": True, "credential_notice_days": 45}
    assert client.post(url, {"credential_notice_days": "0", "open_shift_days": "14"}).status_code == 400
    assert login(alliedup_users["coordinator"]).get(url).status_code == 403


def test_the_settings_api(alliedup, alliedup_users, login):
    client = login(alliedup_users["admin"])
    url = reverse("notifications_api:settings", args=["alliedup"])
    assert client.get(url).json() == {"sms_enabled": False, "credential_notice_days": 30, "open_shift_days": 14}
    assert client.patch(url, {"sms_enabled": True}, content_type="application/json").json()["sms_enabled"] is True
    assert client.patch(url, {"open_shift_days": 0}, content_type="application/json").status_code == 400
    assert login(alliedup_users["worker"]).get(url).status_code == 403
    assert NotificationSettings.objects.get().sms_enabled
    assert Channel.SMS == "sms"
