"""API of the collective agreements (wage tables, differentials) and the holiday calendar."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from payroll.api.base import CSV_PARSERS, classification_or_400, file_errors
from payroll.models import CollectiveAgreement, ShiftDifferential, WageStep, WageTable
from payroll.serializers import (
    CollectiveAgreementDetailSerializer, CollectiveAgreementSerializer, DifferentialAddSerializer,
    DifferentialSerializer, HolidayDaySerializer, HolidaySerializer, HolidayYearQuerySerializer,
    StandardHolidaysSerializer, WageTableCloseSerializer, WageTableImportResultSerializer,
    WageTableImportSerializer, WageTableSerializer, WageTableSetSerializer,
)
from payroll.services.holidays import holiday_add, holiday_remove, holidays_add_standard
from payroll.services.wages import agreement_create, differential_add, wage_table_close, wage_table_set, wage_tables_import
from worktime.selectors import holidays_in_year


def _agreement_detail(agreement_uuid) -> CollectiveAgreement:
    tables = WageTable.objects.select_related("classification").prefetch_related(
        Prefetch("steps", queryset=WageStep.objects.order_by("step"))
    ).order_by("classification__code", "-effective_from")
    return get_object_or_404(
        CollectiveAgreement.objects.prefetch_related(
            Prefetch("wage_tables", queryset=tables), Prefetch("differentials", queryset=_differentials())
        ),
        uuid=agreement_uuid,
    )


def _differentials():
    return ShiftDifferential.objects.select_related("classification").order_by("kind", "id")


def _tables(agreement):
    return (
        agreement.wage_tables.select_related("classification")
        .prefetch_related(Prefetch("steps", queryset=WageStep.objects.order_by("step")))
        .order_by("classification__code", "-effective_from")
    )


class AgreementListView(CooperativeListAPIView):
    """The co-op's collective agreements, newest term first; POST adds one."""

    required_permissions = {"GET": "payroll.view", "POST": "payroll.manage"}
    serializer_class = CollectiveAgreementSerializer

    def get_queryset(self):
        return CollectiveAgreement.objects.filter(cooperative=self.cooperative).order_by("-starts_on", "-id")

    @extend_schema(request=CollectiveAgreementSerializer, responses={201: CollectiveAgreementDetailSerializer})
    def post(self, request, coop_slug):
        data = CollectiveAgreementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = agreement_create(cooperative=self.cooperative, created_by=request.user, **data.validated_data)
        return Response(CollectiveAgreementDetailSerializer(_agreement_detail(agreement.uuid)).data, status=status.HTTP_201_CREATED)


class AgreementDetailView(CooperativeAPIView):
    """An agreement with its wage tables (each with its steps) and shift differentials."""

    required_permission = "payroll.view"

    @extend_schema(responses=CollectiveAgreementDetailSerializer)
    def get(self, request, coop_slug, agreement_uuid):
        return Response(CollectiveAgreementDetailSerializer(_agreement_detail(agreement_uuid)).data)


class AgreementWageTablesView(CooperativeAPIView):
    """An agreement's wage tables; POST adds one classification's wages from a date, steps
    as {"1": "33.00", …}. Dates overlapping another table of the classification are a 400:
    close that table first."""

    required_permissions = {"GET": "payroll.view", "POST": "payroll.manage"}

    @extend_schema(responses=WageTableSerializer(many=True))
    def get(self, request, coop_slug, agreement_uuid):
        agreement = get_object_or_404(CollectiveAgreement, uuid=agreement_uuid)
        return Response(WageTableSerializer(_tables(agreement), many=True).data)

    @extend_schema(request=WageTableSetSerializer, responses={201: WageTableSerializer})
    def post(self, request, coop_slug, agreement_uuid):
        agreement = get_object_or_404(CollectiveAgreement, uuid=agreement_uuid)
        data = WageTableSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        table = wage_table_set(
            agreement=agreement, classification=classification_or_400(self.cooperative, d.pop("classification")), set_by=request.user, **d
        )
        return Response(WageTableSerializer(_tables(agreement).get(pk=table.pk)).data, status=status.HTTP_201_CREATED)


class AgreementWageTableCloseView(CooperativeAPIView):
    """Give an agreement's table (named by classification and first day) a last day, so a
    new scale can start the day after."""

    required_permission = "payroll.manage"

    @extend_schema(request=WageTableCloseSerializer, responses=WageTableSerializer)
    def post(self, request, coop_slug, agreement_uuid):
        agreement = get_object_or_404(CollectiveAgreement, uuid=agreement_uuid)
        data = WageTableCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        table = _tables(agreement).filter(classification__code=d["classification"], effective_from=d["effective_from"]).first()
        if table is None:
            raise ValidationError({"effective_from": [f"This agreement has no {d['classification']} table from {d['effective_from']}."]})
        wage_table_close(table=table, effective_to=d["effective_to"], closed_by=request.user)
        return Response(WageTableSerializer(_tables(agreement).get(pk=table.pk)).data)


class AgreementWageTablesImportView(CooperativeAPIView):
    """Import wage tables from CSV (classification,effective_from,effective_to,step,hourly_rate;
    one row per step). All or nothing: a 400 lists each bad line."""

    required_permission = "payroll.manage"
    parser_classes = CSV_PARSERS

    @extend_schema(
        request={"multipart/form-data": WageTableImportSerializer, "application/json": WageTableImportSerializer},
        responses={201: WageTableImportResultSerializer},
    )
    def post(self, request, coop_slug, agreement_uuid):
        agreement = get_object_or_404(CollectiveAgreement, uuid=agreement_uuid)
        data = WageTableImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            tables = wage_tables_import(agreement=agreement, csv_text=data.validated_data["text"],
                                        note=data.validated_data["note"], imported_by=request.user)
        except DjangoValidationError as exc:
            raise file_errors(exc) from None
        created = _tables(agreement).filter(pk__in=[t.pk for t in tables])
        return Response(WageTableImportResultSerializer({"tables": created}).data, status=status.HTTP_201_CREATED)


class AgreementDifferentialsView(CooperativeAPIView):
    """An agreement's shift differentials; POST adds one (a night differential needs its window)."""

    required_permissions = {"GET": "payroll.view", "POST": "payroll.manage"}

    @extend_schema(responses=DifferentialSerializer(many=True))
    def get(self, request, coop_slug, agreement_uuid):
        agreement = get_object_or_404(CollectiveAgreement, uuid=agreement_uuid)
        return Response(DifferentialSerializer(_differentials().filter(agreement=agreement), many=True).data)

    @extend_schema(request=DifferentialAddSerializer, responses={201: DifferentialSerializer})
    def post(self, request, coop_slug, agreement_uuid):
        agreement = get_object_or_404(CollectiveAgreement, uuid=agreement_uuid)
        data = DifferentialAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        code = d.pop("classification")
        classification = classification_or_400(self.cooperative, code) if code else None
        diff = differential_add(agreement=agreement, classification=classification, created_by=request.user, **d)
        return Response(DifferentialSerializer(diff).data, status=status.HTTP_201_CREATED)


class HolidaysView(CooperativeAPIView):
    """The holiday calendar of a year (?year=, this year by default); POST adds a day. Hours
    on these workdays bill at each contract's holiday multiplier and are paid the
    agreement's holiday multiplier of the regular rate."""

    required_permissions = {"GET": "payroll.view", "POST": "payroll.manage"}

    @extend_schema(parameters=[HolidayYearQuerySerializer], responses=HolidaySerializer(many=True))
    def get(self, request, coop_slug):
        query = HolidayYearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or self.cooperative.today().year
        return Response(HolidaySerializer(holidays_in_year(self.cooperative, year), many=True).data)

    @extend_schema(request=HolidaySerializer, responses={201: HolidaySerializer})
    def post(self, request, coop_slug):
        data = HolidaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        holiday = holiday_add(cooperative=self.cooperative, added_by=request.user, **data.validated_data)
        return Response(HolidaySerializer(holiday).data, status=status.HTTP_201_CREATED)


class HolidaysStandardView(CooperativeAPIView):
    """Add the standard holidays of a year that the calendar does not hold yet; returns the added."""

    required_permissions = {"POST": "payroll.manage"}

    @extend_schema(request=StandardHolidaysSerializer, responses={201: HolidaySerializer(many=True)})
    def post(self, request, coop_slug):
        data = StandardHolidaysSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        added = holidays_add_standard(cooperative=self.cooperative, added_by=request.user, **data.validated_data)
        return Response(HolidaySerializer(added, many=True).data, status=status.HTTP_201_CREATED)


class HolidayRemoveView(CooperativeAPIView):
    """Remove a day from the calendar (refused for a day of an approved pay run)."""

    required_permissions = {"POST": "payroll.manage"}

    @extend_schema(request=HolidayDaySerializer, responses={204: None})
    def post(self, request, coop_slug):
        data = HolidayDaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        holiday_remove(cooperative=self.cooperative, removed_by=request.user, **data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)

