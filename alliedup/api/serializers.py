from rest_framework import serializers

from alliedup.models import AuditEvent, Cooperative, Invitation, Role


class CooperativeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cooperative
        fields = ["slug", "name", "time_zone"]


class MembershipSerializer(serializers.Serializer):
    cooperative = CooperativeSerializer()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))
    permissions = serializers.ListField(child=serializers.CharField())


class TeamMemberSerializer(serializers.Serializer):
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")
    roles = serializers.ListField(child=serializers.CharField())


class InvitationSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=Role.choices)
    invited_by = serializers.EmailField(source="invited_by.email", read_only=True, default=None)

    class Meta:
        model = Invitation
        fields = ["token", "email", "role", "invited_by", "created_at", "expires_at", "sent_at", "accepted_at", "revoked_at"]
        read_only_fields = ["token", "invited_by", "created_at", "expires_at", "sent_at", "accepted_at", "revoked_at"]


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.EmailField(source="actor.email", read_only=True, default=None)

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "object_type", "object_id", "object_repr", "before", "after", "data", "created_at"]


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class AuditEventFilterSerializer(serializers.Serializer):
    """The query of GET audit-events/ (a CharField refuses NUL characters, which PostgreSQL cannot compare)."""

    action = serializers.CharField(required=False, allow_blank=True, max_length=100,
                                   help_text="Only events whose action starts with this, e.g. 'members.'.")
