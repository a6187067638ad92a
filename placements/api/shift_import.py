"""API: import a contract's shifts from a CSV file (multipart), routed from placements/api/.

All or nothing, like the staff page: a 400 {"file": ["Line 3: ...", ...]} lists every bad
row and nothing is written.
"""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView
from placements.models import ClientContract, JobOrder
from placements.serializers import ShiftImportResultSerializer, ShiftImportSerializer
from placements.services.shift_import import shifts_import


class ContractShiftImportView(CooperativeAPIView):
    """Create one single-day job order per CSV row (columns
    date,start,end,classification[,site,headcount,notes]; times at the client's site)."""

    required_permission = "placements.manage"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": ShiftImportSerializer}, responses={201: ShiftImportResultSerializer})
    def post(self, request, coop_slug, contract_uuid):
        contract = get_object_or_404(ClientContract.objects.select_related("client"), uuid=contract_uuid)
        data = ShiftImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        shifts = shifts_import(contract=contract, csv_file=data.validated_data["file"], imported_by=request.user)
        orders = (
            JobOrder.objects.filter(pk__in={s.job_order_id for s in shifts})
            .select_related("contract__client", "site", "classification")
            .annotate(shift_count=Count("shifts"))
            .order_by("starts_on", "shift_start", "id")
        )
        result = {"rows": len(orders), "shift_count": len(shifts), "job_orders": orders}
        return Response(ShiftImportResultSerializer(result).data, status=status.HTTP_201_CREATED)
