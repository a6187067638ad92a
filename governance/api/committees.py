"""API of committees (the Labor-Management Committee among them): members, meetings, balance."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from governance.api.base import worker_or_400
from governance.selectors import pages
from governance import serializers as s
from governance.models import Committee, CommitteeMember
from governance.services import committees as committee_services


class CommitteeListView(CooperativeListAPIView):
    required_permissions = {"GET": "governance.view", "POST": "governance.manage"}
    serializer_class = s.CommitteeSerializer

    def get_queryset(self):
        return Committee.objects.order_by("name")

    @extend_schema(request=s.CommitteeCreateSerializer, responses={201: s.CommitteeSerializer})
    def post(self, request, coop_slug):
        data = s.CommitteeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        committee = committee_services.committee_create(cooperative=self.cooperative, created_by=request.user, **data.validated_data)
        return Response(s.CommitteeSerializer(committee).data, status=status.HTTP_201_CREATED)


def _committee_detail(committee):
    return s.CommitteeDetailSerializer({
        "committee": committee, "balance": committee_services.committee_balance(committee),
        "members": committee.members.select_related("worker").order_by("side", "name"),
        "meetings": pages.committee_meetings(committee),
    }).data


class CommitteeDetailView(CooperativeAPIView):
    """A committee with its members by side, its balance (sitting today) and its meetings."""

    required_permission = "governance.view"

    @extend_schema(responses=s.CommitteeDetailSerializer)
    def get(self, request, coop_slug, committee_uuid):
        return Response(_committee_detail(get_object_or_404(Committee.objects.select_related("cooperative"), uuid=committee_uuid)))


class CommitteeMemberCreateView(CooperativeAPIView):
    required_permission = "governance.manage"

    @extend_schema(request=s.MemberCreateSerializer, responses={201: s.CommitteeDetailSerializer})
    def post(self, request, coop_slug, committee_uuid):
        committee = get_object_or_404(Committee.objects.select_related("cooperative"), uuid=committee_uuid)
        data = s.MemberCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        committee_services.committee_member_add(committee=committee, worker=worker_or_400(self.cooperative, d.pop("worker")),
                                                added_by=request.user, **d)
        return Response(_committee_detail(committee), status=status.HTTP_201_CREATED)


class CommitteeMeetingCreateView(CooperativeAPIView):
    required_permission = "governance.manage"

    @extend_schema(request=s.MeetingCreateSerializer, responses={201: s.CommitteeDetailSerializer})
    def post(self, request, coop_slug, committee_uuid):
        committee = get_object_or_404(Committee.objects.select_related("cooperative"), uuid=committee_uuid)
        data = s.MeetingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        ids = d.pop("attendees")
        attendees = list(CommitteeMember.objects.filter(committee=committee, pk__in=ids))
        if len(attendees) != len(set(ids)):
            raise ValidationError({"attendees": ["Not all of these are members of this committee."]})
        committee_services.meeting_record(committee=committee, attendees=attendees, recorded_by=request.user, **d)
        return Response(_committee_detail(committee), status=status.HTTP_201_CREATED)
