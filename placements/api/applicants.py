"""API: staff review of job-board applicants (the pages are placements/views/applicants.py),
routed from placements/api/. Reading needs "placements.view", hiring and declining
"placements.hire"; another co-op's applicant is a 404 (the scoped manager)."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from members.selectors import classification_by_code
from placements.models import Applicant
from placements.serializers import (
    ApplicantDeclineSerializer,
    ApplicantDetailSerializer,
    ApplicantFilterSerializer,
    ApplicantHireSerializer,
    ApplicantSerializer,
)
from placements.services.applicants import applicant_decline, applicant_hire

RESUME_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _applicant(applicant_uuid) -> Applicant:
    return get_object_or_404(Applicant.objects.select_related("classification", "hired_worker"), uuid=applicant_uuid)


class ApplicantListView(CooperativeListAPIView):
    """Applications from the public job board, newest first, by status (default: new)."""

    required_permission = "placements.view"
    serializer_class = ApplicantSerializer

    def get_queryset(self):
        filters = ApplicantFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return (
            Applicant.objects.filter(cooperative=self.cooperative, status=filters.validated_data["status"])
            .select_related("classification")
            .order_by("-applied_at", "-id")
        )

    @extend_schema(parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=Applicant.Status.values, default="new")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ApplicantDetailView(CooperativeAPIView):
    """One application with the applicant's message and the decision taken on it."""

    required_permission = "placements.view"

    @extend_schema(responses=ApplicantDetailSerializer)
    def get(self, request, coop_slug, applicant_uuid):
        return Response(ApplicantDetailSerializer(_applicant(applicant_uuid)).data)


class ApplicantResumeView(CooperativeAPIView):
    """Download the resume (PDF or .docx) as an attachment."""

    required_permission = "placements.view"

    @extend_schema(responses={
        (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="The resume file")
        for content_type in RESUME_CONTENT_TYPES.values()
    })
    def get(self, request, coop_slug, applicant_uuid):
        applicant = get_object_or_404(Applicant, uuid=applicant_uuid)
        name = applicant.resume.name
        ext = name[name.rfind("."):].lower() if "." in name else ""
        return FileResponse(
            applicant.resume.open("rb"), as_attachment=True, filename=f"resume-{applicant.last_name}{ext}",
            content_type=RESUME_CONTENT_TYPES.get(ext, "application/octet-stream"),
        )


class ApplicantHireView(CooperativeAPIView):
    """Hire the applicant: creates the employee record in members (as any hire does)."""

    required_permission = "placements.hire"

    @extend_schema(request=ApplicantHireSerializer, responses={201: ApplicantDetailSerializer})
    def post(self, request, coop_slug, applicant_uuid):
        applicant = get_object_or_404(Applicant, uuid=applicant_uuid)
        data = ApplicantHireSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        classification = classification_by_code(self.cooperative, d.pop("classification"), active_only=True)
        if classification is None:
            raise ValidationError({"classification": ["No such classification in this cooperative."]})
        applicant_hire(applicant=applicant, classification=classification, hired_by=request.user, **d)
        return Response(ApplicantDetailSerializer(_applicant(applicant_uuid)).data, status=status.HTTP_201_CREATED)


class ApplicantDeclineView(CooperativeAPIView):
    """Decline the application with a reason."""

    required_permission = "placements.hire"

    @extend_schema(request=ApplicantDeclineSerializer, responses=ApplicantDetailSerializer)
    def post(self, request, coop_slug, applicant_uuid):
        applicant = get_object_or_404(Applicant, uuid=applicant_uuid)
        data = ApplicantDeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        applicant_decline(applicant=applicant, reason=data.validated_data["reason"], declined_by=request.user)
        return Response(ApplicantDetailSerializer(_applicant(applicant_uuid)).data)
