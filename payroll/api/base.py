"""What payroll's API modules share: lookups of the objects a request names (a 400 or 404 when
they are not the co-op's), the CSV and PDF response shapes, the worker's own record."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import DecimalField, Value
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from alliedup.money import ZERO
from members.selectors import classification_by_code, worker_by_uuid, worker_for_user
from payroll.serializers import CsvUploadSerializer

if TYPE_CHECKING:
    from members.models import JobClassification, Worker

# Coalesce(Sum(...), SQL_ZERO): a run summary with no statements shows 0.00, not null
SQL_ZERO = Value(ZERO, output_field=DecimalField(max_digits=14, decimal_places=2))
CSV_PARSERS = [MultiPartParser, FormParser, JSONParser]
CSV_RESPONSE = {(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The processor file, UTF-8 CSV.")}
PDF_RESPONSE = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The pay statement as PDF.")}
CSV_REQUEST = {"multipart/form-data": CsvUploadSerializer, "application/json": CsvUploadSerializer}


def classification_or_400(cooperative, code: str) -> "JobClassification":
    found = classification_by_code(cooperative, code)
    if found is None:
        raise ValidationError({"classification": [f"No classification {code!r} in this cooperative."]})
    return found


def worker_or_400(cooperative, worker_uuid) -> "Worker":
    found = worker_by_uuid(cooperative, worker_uuid)
    if found is None:
        raise ValidationError({"worker": ["No such worker in this cooperative."]})
    return found


def worker_or_404(cooperative, worker_uuid) -> "Worker":
    """The co-op's worker named in the URL, or a 404."""
    found = worker_by_uuid(cooperative, worker_uuid)
    if found is None:
        raise Http404("No such worker in this cooperative.")
    return found


def file_errors(exc: DjangoValidationError) -> DjangoValidationError:
    """An import's line-by-line errors under `file`, as the shift import reports them."""
    return exc if hasattr(exc, "error_dict") else DjangoValidationError({"file": exc.messages})


def own_worker(cooperative, user) -> "Worker":
    """The signed-in user's employee record in the co-op, or a 404 (payroll's /me/ routes)."""
    worker = worker_for_user(cooperative, user)
    if worker is None:
        raise NotFound("No employee record is linked to your account here.")
    return worker
