"""API of candidacies and the membership agreement: staff record the candidacy's steps, extend
it or open one; the agreement's versions are listed and published."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView
from members.api.base import classification_or_400
from members.models import (
    Candidacy,
    MembershipAgreement,
    Worker,
)
from members.serializers import (
    AgreementSerializer,
    CandidacyOpenSerializer,
    CandidacySerializer,
    ExtensionSerializer,
    StepSerializer,
)
from members.services import candidacy as candidacy_services
from members.services.agreement import agreement_publish


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


class AgreementListView(CooperativeAPIView):
    """Versions of the membership agreement; POST publishes the next one."""

    required_permissions = {"GET": "members.view", "POST": "members.manage"}

    @extend_schema(responses=AgreementSerializer(many=True))
    def get(self, request, coop_slug):
        return Response(AgreementSerializer(MembershipAgreement.objects.filter(cooperative=self.cooperative), many=True).data)

    @extend_schema(request=AgreementSerializer, responses={201: AgreementSerializer})
    def post(self, request, coop_slug):
        data = AgreementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = agreement_publish(cooperative=self.cooperative, published_by=request.user, **data.validated_data)
        return Response(AgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)


class WorkerCandidacyOpenView(CooperativeAPIView):
    """Staff open a candidacy by hand (e.g. after a lapsed one), with a reason."""

    required_permission = "members.manage"

    @extend_schema(request=CandidacyOpenSerializer, responses={201: CandidacySerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        data = CandidacyOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        candidacy = candidacy_services.candidacy_open(
            worker=worker, classification=classification_or_400(self.cooperative, data.validated_data["classification"]),
            opened_on=self.cooperative.today(), opened_by=request.user, reason=data.validated_data["reason"],
        )
        return Response(CandidacySerializer(candidacy).data, status=status.HTTP_201_CREATED)
