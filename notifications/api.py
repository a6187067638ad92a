"""API of notifications, mounted under /api/v1/c/<coop_slug>/notifications/:
the signed-in worker's preferences (GET/PATCH) and the co-op's channel settings (GET/PATCH,
administrators)."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView
from members.selectors import worker_for_user
from notifications.kinds import Channel, Kind
from notifications.selectors import WorkerPreferences, coop_settings, worker_preferences
from notifications.services import preferences as services
from notifications.services.preferences import SETTINGS_FIELDS


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    label = serializers.CharField(read_only=True)
    email = serializers.BooleanField(required=False, help_text="Sent by email (default: on).")
    sms = serializers.BooleanField(required=False, help_text="Sent by text message, when opted in to SMS (default: on).")


class PreferencesSerializer(serializers.Serializer):
    sms_available = serializers.BooleanField(read_only=True, help_text="The co-op sends text messages.")
    sms_phone = serializers.CharField(required=False, allow_blank=True, max_length=40,
                                      help_text="Mobile number, E.164 (+15105550100); blank removes it and the SMS consent.")
    sms_opt_in = serializers.BooleanField(required=False, help_text="Consent to text messages (needs a number).")
    preferences = PreferenceSerializer(many=True, required=False, help_text="Only the kinds and channels to change.")

    @staticmethod
    def present(current: WorkerPreferences) -> dict:
        return {"sms_available": current.sms_available, "sms_phone": current.sms_phone, "sms_opt_in": current.sms_opted_in,
                "preferences": [{"kind": r.kind, "label": str(r.label), "email": r.email, "sms": r.sms} for r in current.rows]}


class PreferencesView(CooperativeAPIView):
    """The signed-in worker's notification choices."""

    required_permission = "notifications.own"

    def _worker(self):
        worker = worker_for_user(self.cooperative, self.request.user)
        if worker is None:
            raise NotFound("No employee record is linked to your account in this cooperative.")
        return worker

    @extend_schema(responses=PreferencesSerializer)
    def get(self, request, coop_slug):
        return Response(PreferencesSerializer.present(worker_preferences(self._worker(), settings=coop_settings(self.cooperative))))

    @extend_schema(request=PreferencesSerializer, responses=PreferencesSerializer)
    def patch(self, request, coop_slug):
        worker = self._worker()
        data = PreferencesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        choices = {}
        for row in data.validated_data.get("preferences", []):
            for channel in Channel.values:
                if channel in row:
                    choices[(row["kind"], channel)] = row[channel]
        services.preferences_update(worker=worker, choices=choices, sms_phone=data.validated_data.get("sms_phone"),
                                    sms_opt_in=data.validated_data.get("sms_opt_in"), changed_by=request.user)
        return Response(PreferencesSerializer.present(worker_preferences(worker, settings=coop_settings(self.cooperative))))


class NotificationSettingsSerializer(serializers.Serializer):
    sms_enabled = serializers.BooleanField(required=False)
    credential_notice_days = serializers.IntegerField(required=False, min_value=1, max_value=365)
    open_shift_days = serializers.IntegerField(required=False, min_value=1, max_value=90)


class NotificationSettingsView(CooperativeAPIView):
    """The co-op's notification channels and look-ahead."""

    required_permission = "coop.settings"

    @extend_schema(responses=NotificationSettingsSerializer)
    def get(self, request, coop_slug):
        current = coop_settings(self.cooperative)
        return Response({name: getattr(current, name) for name in SETTINGS_FIELDS})

    @extend_schema(request=NotificationSettingsSerializer, responses=NotificationSettingsSerializer)
    def patch(self, request, coop_slug):
        data = NotificationSettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.settings_update(cooperative=self.cooperative, changes=dict(data.validated_data), updated_by=request.user)
        return Response({name: getattr(updated, name) for name in SETTINGS_FIELDS})


app_name = "notifications_api"
urlpatterns = [
    path("preferences/", PreferencesView.as_view(), name="preferences"),
    path("settings/", NotificationSettingsView.as_view(), name="settings"),
]
