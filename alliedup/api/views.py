from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import authentication, exceptions, permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from alliedup import selectors, services
from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from alliedup.api.serializers import (
    AuditEventFilterSerializer,
    AuditEventSerializer,
    CooperativeSerializer,
    InvitationSerializer,
    MembershipSerializer,
    TeamMemberSerializer,
    TokenSerializer,
)
from alliedup.models import Invitation
from alliedup.permissions import PERMISSIONS, role_can, roles_for, two_factor_setup_required_anywhere


class MyCooperativesView(APIView):
    """The cooperatives the authenticated user belongs to."""

    @extend_schema(responses=CooperativeSerializer(many=True))
    def get(self, request):
        return Response(CooperativeSerializer(selectors.user_cooperatives(request.user), many=True).data)


class TokenView(APIView):
    """Create (or rotate) the API token of the user signed in through the browser.

    Session only: a token is issued after the full login, MFA included, never for a bare
    password. A token reaches every cooperative of its user, so someone who must use
    two-factor authentication in any of them (MFA_REQUIRED_ROLES) gets none until it is set up.
    """

    authentication_classes = [authentication.SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={
        201: TokenSerializer,
        403: OpenApiResponse(description="Two-factor authentication must be set up first (a role the user holds requires it)."),
    })
    def post(self, request):
        if two_factor_setup_required_anywhere(request.user):
            raise exceptions.PermissionDenied(
                "Two-factor authentication must be set up before an API token is issued: a role "
                f"you hold requires it. Activate an authenticator app at {reverse('mfa_activate_totp')}."
            )
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
        return Response({"token": token.key}, status=status.HTTP_201_CREATED)


class MeView(CooperativeAPIView):
    """The current user's roles and permissions in this cooperative."""

    required_permission = "coop.view"

    @extend_schema(responses=MembershipSerializer)
    def get(self, request, coop_slug):
        roles = roles_for(request.user, self.cooperative)
        data = {
            "cooperative": self.cooperative,
            "roles": sorted(roles),
            "permissions": sorted(p for p in PERMISSIONS if role_can(roles, p)),
        }
        return Response(MembershipSerializer(data).data)


class TeamView(CooperativeListAPIView):
    """Everyone with a role here and their roles, 50 a page by email."""

    required_permission = "coop.view_team"
    serializer_class = TeamMemberSerializer

    def get_queryset(self):
        return selectors.team_members(self.cooperative)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        data = TeamMemberSerializer(selectors.with_roles(self.cooperative, page), many=True).data
        return self.get_paginated_response(data)


class InvitationListCreateView(CooperativeListAPIView):
    required_permissions = {"GET": "coop.view_team", "POST": "coop.invite"}
    serializer_class = InvitationSerializer

    def get_queryset(self):
        return Invitation.objects.filter(cooperative=self.cooperative).select_related("invited_by")

    @extend_schema(request=InvitationSerializer, responses={201: InvitationSerializer})
    def post(self, request, coop_slug):
        serializer = InvitationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.team_invite(cooperative=self.cooperative, invited_by=request.user, **serializer.validated_data)
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class AuditEventListView(CooperativeListAPIView):
    required_permission = "coop.view_audit"
    serializer_class = AuditEventSerializer

    @extend_schema(parameters=[AuditEventFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = AuditEventFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.audit_events(self.cooperative, action_prefix=filters.validated_data.get("action", ""))
