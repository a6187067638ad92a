"""API of the co-op's workers for staff: the roster (GET, POST hires), a worker's hours ledger
(GET, POST posts hours), credentials, and moves along the path."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from members import selectors
from members.api.base import classification_or_400
from members.models import (
    CredentialType,
    MemberStatus,
    Worker,
)
from members.serializers import (
    CredentialSerializer,
    HireSerializer,
    HoursEntrySerializer,
    HoursPostSerializer,
    MoveSerializer,
    WorkerSerializer,
)
from members.services.hours import hours_post
from members.services.status import member_move
from members.services.workers import credential_record, worker_hire


class WorkerListView(CooperativeListAPIView):
    required_permissions = {"GET": "members.view", "POST": "members.manage"}
    serializer_class = WorkerSerializer

    @extend_schema(parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=MemberStatus.values, description="Only workers with this status.")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = Worker.objects.filter(cooperative=self.cooperative)
        if status_filter := self.request.query_params.get("status"):
            if status_filter not in MemberStatus.values:
                raise ValidationError({"status": [f"One of {', '.join(MemberStatus.values)}."]})
            qs = qs.filter(status=status_filter)
        return qs

    @extend_schema(request=HireSerializer, responses={201: WorkerSerializer})
    def post(self, request, coop_slug):
        data = HireSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        worker = worker_hire(
            cooperative=self.cooperative, first_name=d["first_name"], last_name=d["last_name"], email=d["email"],
            phone=d["phone"], hire_date=d["hire_date"], hired_by=request.user,
            classifications=[(classification_or_400(self.cooperative, d["classification"]), d["wage_step"])],
            invite_email=d["invite_email"],
        )
        return Response(WorkerSerializer(worker).data, status=status.HTTP_201_CREATED)


class WorkerHoursView(CooperativeListAPIView):
    """The worker's hours ledger; POST posts imported or staff-entered hours."""

    required_permissions = {"GET": "members.view", "POST": "members.post_hours"}
    serializer_class = HoursEntrySerializer

    def get_queryset(self):
        return selectors.hours_ledger(get_object_or_404(Worker, uuid=self.kwargs["worker_uuid"]))

    @extend_schema(request=HoursPostSerializer, responses={201: HoursEntrySerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        data = HoursPostSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        entry = hours_post(
            worker=worker, classification=classification_or_400(self.cooperative, d["classification"]), workday=d["workday"],
            hours=d["hours"], source=d["source"], source_ref=d["source_ref"], note=d["note"], posted_by=request.user,
        )
        return Response(HoursEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class WorkerCredentialsView(CooperativeAPIView):
    """A worker's credentials; POST (multipart for the document) records one."""

    required_permissions = {"GET": "members.view", "POST": "members.manage"}
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=CredentialSerializer(many=True))
    def get(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        credentials = worker.credentials.select_related("credential_type").order_by("expires_on")
        return Response(CredentialSerializer(credentials, many=True).data)

    @extend_schema(request=CredentialSerializer, responses={201: CredentialSerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        data = CredentialSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        credential_type = CredentialType.objects.filter(cooperative=self.cooperative, code=d.pop("credential_type")).first()
        if credential_type is None:
            raise ValidationError({"credential_type": ["No such credential type in this cooperative."]})
        credential = credential_record(worker=worker, credential_type=credential_type, recorded_by=request.user, **d)
        return Response(CredentialSerializer(credential).data, status=status.HTTP_201_CREATED)


class WorkerMoveView(CooperativeAPIView):
    """A staff decision moving a member (exits and reinstatements only), with a reason."""

    required_permission = "members.manage"

    @extend_schema(request=MoveSerializer, responses={201: WorkerSerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        data = MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member_move(worker=worker, moved_by=request.user, **data.validated_data)
        return Response(WorkerSerializer(Worker.objects.get(pk=worker.pk)).data, status=status.HTTP_201_CREATED)
