"""API: import an existing co-op's roster from a CSV file (multipart), routed in
onboarding/api/__init__.py as POST /api/v1/c/<coop_slug>/members/workers/import/.

`dry_run` checks the file and answers 200 with every row and every error, writing nothing;
otherwise the import is all or nothing: 201 with the counts and the workers, or 400
{"file": ["Line 3: ...", ...]} and nothing written (onboarding.services.roster_import)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView
from members.serializers import WorkerSerializer
from onboarding.services import roster_import as roster


def _money(**kwargs):
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class RosterFileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=(
        f"CSV, UTF-8, header first, at most {roster.MAX_ROWS} rows: {','.join(roster.COLUMNS)} "
        f"({', '.join(roster.REQUIRED_COLUMNS)} required; docs/members.md)."
    ))
    dry_run = serializers.BooleanField(default=False, help_text="Check the file and show each row; write nothing.")


class RosterRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    hire_date = serializers.DateField(allow_null=True)
    classification = serializers.CharField(source="classification_code")
    wage_step = serializers.IntegerField()
    prior_hours = serializers.DecimalField(max_digits=7, decimal_places=2)
    prior_hours_through = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    owner_since = serializers.DateField(allow_null=True)
    equity_paid = _money()
    capital_balance = _money(help_text="A worker-owner's capital account balance brought over (0: none).")
    invite = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())


class RosterCountsSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    employees = serializers.IntegerField()
    candidates = serializers.IntegerField()
    owners = serializers.IntegerField()
    invitations = serializers.IntegerField()
    prior_hours = serializers.DecimalField(max_digits=12, decimal_places=2)
    equity_paid = _money()
    capital_balance = _money()


class RosterPreviewSerializer(serializers.Serializer):
    valid = serializers.BooleanField(help_text="True when the file would import as it is.")
    errors = serializers.ListField(child=serializers.CharField(), help_text="\"Line 4: …\", or what is wrong with the file.")
    counts = RosterCountsSerializer()
    rows = RosterRowSerializer(many=True)


class RosterImportResultSerializer(serializers.Serializer):
    counts = RosterCountsSerializer()
    workers = WorkerSerializer(many=True)


class RosterImportView(CooperativeAPIView):
    """Import the co-op's existing workers (hire, prior hours, candidacy or ownership, equity
    paid, capital account balance, invitation), or with `dry_run` only check the file."""

    required_permission = "members.manage"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": RosterFileSerializer},
        responses={
            200: OpenApiResponse(RosterPreviewSerializer, description="dry_run: the rows and errors, nothing written."),
            201: RosterImportResultSerializer,
            400: OpenApiResponse(description="{\"file\": [\"Line 3: …\"]}: nothing was imported."),
        },
    )
    def post(self, request, coop_slug):
        data = RosterFileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        if data.validated_data["dry_run"]:
            preview = roster.roster_read(cooperative=self.cooperative, csv_file=upload)
            body = {"valid": preview.valid, "errors": preview.errors, "counts": preview.counts, "rows": preview.rows}
            return Response(RosterPreviewSerializer(body).data)
        result = roster.roster_import(cooperative=self.cooperative, csv_file=upload, imported_by=request.user)
        return Response(RosterImportResultSerializer(result).data, status=status.HTTP_201_CREATED)
