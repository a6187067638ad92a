"""API of client invoices, under /api/v1/c/<coop_slug>/placements/ (included by
placements/api/). Staff ("placements.invoice") draft, issue, record payment of, void and
download invoices as on the pages; a client contact ("placements.client_portal") lists and
downloads their clients' issued and paid invoices (client/invoices/…). Objects named in the
URL come through the scoped managers: another co-op's invoice is a 404.
"""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from placements import selectors
from placements.documents import invoice_filename, invoice_pdf
from placements.models import Client, Invoice, InvoiceLine
from placements.services.invoices import (
    invoice_create,
    invoice_delete_draft,
    invoice_issue,
    invoice_mark_paid,
    invoice_void,
)

# --- serializers --------------------------------------------------------------------------


class InvoiceLineSerializer(serializers.ModelSerializer):
    timesheet = serializers.UUIDField(source="timesheet.uuid")
    classification = serializers.CharField(source="classification.code", help_text="Classification code, e.g. 'lvn'")
    corrects_invoice = serializers.UUIDField(
        source="corrects_invoice.uuid", default=None, read_only=True, allow_null=True,
        help_text="On an adjustment line: the latest invoice that billed these hours (hours and amount are the difference).",
    )

    class Meta:
        model = InvoiceLine
        fields = ["workday", "worker_name", "classification", "kind", "hours", "rate", "amount", "timesheet", "corrects_invoice"]
        extra_kwargs = {"rate": {"help_text": "Per hour: the bill rate times the kind's multiplier."},
                        "amount": {"help_text": "hours × rate, rounded half up to the cent."}}


class InvoiceSerializer(serializers.ModelSerializer):
    client = serializers.UUIDField(source="client.uuid")
    client_name = serializers.CharField(source="client.name")

    class Meta:
        model = Invoice
        fields = ["uuid", "number", "client", "client_name", "period_start", "period_end", "status", "total", "created_at",
                  "issued_at", "due_on", "paid_on", "paid_reference", "voided_at", "void_reason"]
        extra_kwargs = {"number": {"help_text": "Empty until the invoice is issued."}}


class InvoiceDetailSerializer(InvoiceSerializer):
    lines = InvoiceLineSerializer(many=True, read_only=True)

    class Meta(InvoiceSerializer.Meta):
        fields = InvoiceSerializer.Meta.fields + ["lines"]


class InvoiceCreateSerializer(serializers.Serializer):
    client = serializers.UUIDField(help_text="The client's uuid.")
    period_start = serializers.DateField()
    period_end = serializers.DateField(help_text="Inclusive; at most 93 days after period_start.")


class InvoiceFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Invoice.Status.choices, required=False)
    client = serializers.UUIDField(required=False)


class MarkPaidSerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True, default="",
                                      help_text="Check number or transfer reference.")


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)


PDF_RESPONSE = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The invoice as PDF.")}


def _pdf(invoice: Invoice) -> HttpResponse:
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice_filename(invoice)}"'
    return response


# --- staff ----------------------------------------------------------------------------------


def _invoices(cooperative):
    return Invoice.objects.filter(cooperative=cooperative).select_related("client")


def _detail(cooperative, invoice_uuid) -> Invoice:
    lines = InvoiceLine.objects.select_related("classification", "timesheet", "corrects_invoice")
    return get_object_or_404(_invoices(cooperative).prefetch_related(Prefetch("lines", queryset=lines)), uuid=invoice_uuid)


class InvoiceListView(CooperativeListAPIView):
    """Invoices, latest period first, filtered by status and client; POST drafts one for a
    client and period from the approved hours not billed yet (400 if there is nothing to
    bill or a bill rate is missing)."""

    required_permission = "placements.invoice"
    serializer_class = InvoiceSerializer

    def get_queryset(self):
        filters = InvoiceFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        qs = _invoices(self.cooperative)
        if "status" in filters.validated_data:
            qs = qs.filter(status=filters.validated_data["status"])
        if "client" in filters.validated_data:
            qs = qs.filter(client__uuid=filters.validated_data["client"])
        return qs.order_by("-period_end", "-id")

    @extend_schema(parameters=[
        OpenApiParameter("status", OpenApiTypes.STR, enum=Invoice.Status.values),
        OpenApiParameter("client", OpenApiTypes.UUID, description="The client's uuid."),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=InvoiceCreateSerializer, responses={201: InvoiceDetailSerializer})
    def post(self, request, coop_slug):
        data = InvoiceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        client = Client.objects.filter(cooperative=self.cooperative, uuid=d["client"]).first()
        if client is None:
            raise ValidationError({"client": ["No such client in this cooperative."]})
        invoice = invoice_create(client=client, period_start=d["period_start"], period_end=d["period_end"], created_by=request.user)
        return Response(InvoiceDetailSerializer(_detail(self.cooperative, invoice.uuid)).data, status=status.HTTP_201_CREATED)


class InvoiceDetailView(CooperativeAPIView):
    """An invoice with its lines; DELETE removes a draft (issued invoices are voided instead)."""

    required_permission = "placements.invoice"

    @extend_schema(responses=InvoiceDetailSerializer)
    def get(self, request, coop_slug, invoice_uuid):
        return Response(InvoiceDetailSerializer(_detail(self.cooperative, invoice_uuid)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, coop_slug, invoice_uuid):
        invoice_delete_draft(invoice=get_object_or_404(Invoice, uuid=invoice_uuid), deleted_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvoiceIssueView(CooperativeAPIView):
    """Issue a draft: it gets its number (INV-<year>-<sequence>) and a due date 30 days on;
    from then on it never changes."""

    required_permission = "placements.invoice"

    @extend_schema(request=None, responses=InvoiceDetailSerializer)
    def post(self, request, coop_slug, invoice_uuid):
        invoice = invoice_issue(invoice=get_object_or_404(Invoice, uuid=invoice_uuid), issued_by=request.user)
        return Response(InvoiceDetailSerializer(_detail(self.cooperative, invoice.uuid)).data)


class InvoicePaidView(CooperativeAPIView):
    """Record the client's payment of an issued invoice."""

    required_permission = "placements.invoice"

    @extend_schema(request=MarkPaidSerializer, responses=InvoiceDetailSerializer)
    def post(self, request, coop_slug, invoice_uuid):
        invoice = get_object_or_404(Invoice, uuid=invoice_uuid)
        data = MarkPaidSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invoice_mark_paid(invoice=invoice, marked_by=request.user, **data.validated_data)
        return Response(InvoiceDetailSerializer(_detail(self.cooperative, invoice.uuid)).data)


class InvoiceVoidView(CooperativeAPIView):
    """Void a draft or issued invoice with a reason; its hours can be billed again."""

    required_permission = "placements.invoice"

    @extend_schema(request=VoidSerializer, responses=InvoiceDetailSerializer)
    def post(self, request, coop_slug, invoice_uuid):
        invoice = get_object_or_404(Invoice, uuid=invoice_uuid)
        data = VoidSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invoice_void(invoice=invoice, reason=data.validated_data["reason"], voided_by=request.user)
        return Response(InvoiceDetailSerializer(_detail(self.cooperative, invoice.uuid)).data)


class InvoicePdfView(CooperativeAPIView):
    """The invoice as PDF (a draft or void one says so on the page)."""

    required_permission = "placements.invoice"

    @extend_schema(responses=PDF_RESPONSE)
    def get(self, request, coop_slug, invoice_uuid):
        return _pdf(get_object_or_404(_invoices(self.cooperative), uuid=invoice_uuid))


# --- client contacts --------------------------------------------------------------------------


class ClientInvoiceListView(CooperativeListAPIView):
    """The issued and paid invoices of the clients the user acts for, latest first."""

    required_permission = "placements.client_portal"
    serializer_class = InvoiceSerializer

    def get_queryset(self):
        client_ids = selectors.client_ids_for(self.cooperative, self.request.user)
        return selectors.invoices_for_clients(self.cooperative, client_ids).order_by("-issued_at", "-id")


class ClientInvoicePdfView(CooperativeAPIView):
    """One of the user's clients' issued or paid invoices as PDF; anything else is a 404."""

    required_permission = "placements.client_portal"

    @extend_schema(responses=PDF_RESPONSE)
    def get(self, request, coop_slug, invoice_uuid):
        client_ids = selectors.client_ids_for(self.cooperative, request.user)
        return _pdf(get_object_or_404(selectors.invoices_for_clients(self.cooperative, client_ids), uuid=invoice_uuid))


urlpatterns = [
    path("invoices/", InvoiceListView.as_view(), name="invoices"),
    path("invoices/<uuid:invoice_uuid>/", InvoiceDetailView.as_view(), name="invoice_detail"),
    path("invoices/<uuid:invoice_uuid>/issue/", InvoiceIssueView.as_view(), name="invoice_issue"),
    path("invoices/<uuid:invoice_uuid>/paid/", InvoicePaidView.as_view(), name="invoice_mark_paid"),
    path("invoices/<uuid:invoice_uuid>/void/", InvoiceVoidView.as_view(), name="invoice_void"),
    path("invoices/<uuid:invoice_uuid>/pdf/", InvoicePdfView.as_view(), name="invoice_pdf"),
    path("client/invoices/", ClientInvoiceListView.as_view(), name="client_invoices"),
    path("client/invoices/<uuid:invoice_uuid>/pdf/", ClientInvoicePdfView.as_view(), name="client_invoice_pdf"),
]
