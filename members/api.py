"""API of members, mounted under /api/v1/c/<coop_slug>/members/ (see alliedup/api/urls.py)."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from members import selectors
from members.models import Candidacy, JobClassification, Worker
from members.serializers import (
    CandidacySerializer,
    ExtensionSerializer,
    HireSerializer,
    HoursEntrySerializer,
    HoursPostSerializer,
    OwnershipSerializer,
    StepSerializer,
    WorkerSerializer,
)
from members.services import candidacy as candidacy_services
from members.services.hours import hours_post
from members.services.workers import worker_hire


def _classification(cooperative, code) -> JobClassification:
    found = JobClassification.objects.filter(cooperative=cooperative, code=code).first()
    if found is None:
        raise ValidationError({"classification": [f"No classification {code!r} in this cooperative."]})
    return found


def _ownership(worker: Worker, today) -> dict:
    return {
        "worker": worker,
        "progress": selectors.worker_hours_progress(worker, today),
        "candidacy": selectors.open_candidacy(worker),
        "history": worker.status_changes.order_by("changed_at"),
    }


class WorkerListView(CooperativeListAPIView):
    required_permissions = {"GET": "members.view", "POST": "members.manage"}
    serializer_class = WorkerSerializer

    def get_queryset(self):
        qs = Worker.objects.filter(cooperative=self.cooperative)
        if status_filter := self.request.query_params.get("status"):
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
            classifications=[(_classification(self.cooperative, d["classification"]), d["wage_step"])],
        )
        return Response(WorkerSerializer(worker).data, status=status.HTTP_201_CREATED)


class WorkerOwnershipView(CooperativeAPIView):
    """A worker's ownership status: hours toward the threshold, candidacy, history."""

    required_permission = "members.view"

    @extend_schema(responses=OwnershipSerializer)
    def get(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        today = timezone.localdate(timezone=self.cooperative.zone)
        return Response(OwnershipSerializer(_ownership(worker, today)).data)


class MyOwnershipView(CooperativeAPIView):
    """The signed-in worker's own ownership status."""

    required_permission = "members.view_own"

    @extend_schema(responses=OwnershipSerializer)
    def get(self, request, coop_slug):
        worker = selectors.worker_for_user(self.cooperative, request.user)
        if worker is None:
            raise NotFound("No employee record is linked to your account here.")
        today = timezone.localdate(timezone=self.cooperative.zone)
        return Response(OwnershipSerializer(_ownership(worker, today)).data)


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
            worker=worker, classification=_classification(self.cooperative, d["classification"]), workday=d["workday"],
            hours=d["hours"], source=d["source"], source_ref=d["source_ref"], note=d["note"], posted_by=request.user,
        )
        return Response(HoursEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class CandidacyStepView(CooperativeAPIView):
    required_permission = "members.manage"

    @extend_schema(request=StepSerializer, responses=CandidacySerializer)
    def post(self, request, coop_slug, candidacy_uuid):
        candidacy = get_object_or_404(Candidacy, uuid=candidacy_uuid)
        data = StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        candidacy = candidacy_services.candidacy_record_step(candidacy=candidacy, recorded_by=request.user, **data.validated_data)
        return Response(CandidacySerializer(candidacy).data)


class CandidacyExtendView(CooperativeAPIView):
    required_permission = "members.manage"

    @extend_schema(request=ExtensionSerializer, responses=CandidacySerializer)
    def post(self, request, coop_slug, candidacy_uuid):
        candidacy = get_object_or_404(Candidacy, uuid=candidacy_uuid)
        data = ExtensionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        candidacy = candidacy_services.candidacy_extend(candidacy=candidacy, extended_by=request.user, **data.validated_data)
        return Response(CandidacySerializer(candidacy).data)


app_name = "members_api"
urlpatterns = [
    path("workers/", WorkerListView.as_view(), name="workers"),
    path("workers/<uuid:worker_uuid>/ownership/", WorkerOwnershipView.as_view(), name="worker_ownership"),
    path("workers/<uuid:worker_uuid>/hours/", WorkerHoursView.as_view(), name="worker_hours"),
    path("me/ownership/", MyOwnershipView.as_view(), name="my_ownership"),
    path("candidacies/<uuid:candidacy_uuid>/step/", CandidacyStepView.as_view(), name="candidacy_step"),
    path("candidacies/<uuid:candidacy_uuid>/extend/", CandidacyExtendView.as_view(), name="candidacy_extend"),
]
