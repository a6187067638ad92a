"""The worker's own payroll routes (/me/…): approved statements, their PDF, sick leave, wage."""

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from payroll import selectors
from payroll.api.base import PDF_RESPONSE, own_worker
from payroll.api.runs import pdf_response, statement_detail, statements_qs
from payroll.api.sick_leave_balance import sick_leave_summary
from payroll.models import PayRun
from payroll.serializers import MyWageSerializer, SickLeaveSerializer, StatementDetailSerializer, StatementSerializer

if TYPE_CHECKING:
    from members.models import Worker


class MyPayrollMixin:
    required_permission = "payroll.view_own"

    def _worker(self, request) -> "Worker":
        return own_worker(self.cooperative, request.user)

    def _my_statements(self, request):
        """The worker's statements of approved runs only: a draft or calculated run may change."""
        return statements_qs(self.cooperative).filter(worker=self._worker(request), run__status__in=PayRun.FINAL)


class MyStatementsView(MyPayrollMixin, CooperativeListAPIView):
    """The signed-in worker's pay statements, newest first."""

    serializer_class = StatementSerializer

    def get_queryset(self):
        return self._my_statements(self.request).order_by("-run__period__starts_on")


class MyStatementDetailView(MyPayrollMixin, CooperativeAPIView):
    """One of the worker's own statements with its lines; anyone else's is a 404."""

    @extend_schema(responses=StatementDetailSerializer)
    def get(self, request, coop_slug, statement_uuid):
        statement = get_object_or_404(self._my_statements(request), uuid=statement_uuid)
        return Response(StatementDetailSerializer(statement_detail(statement)).data)


class MyStatementPdfView(MyPayrollMixin, CooperativeAPIView):
    """One of the worker's own statements as PDF."""

    @extend_schema(responses=PDF_RESPONSE)
    def get(self, request, coop_slug, statement_uuid):
        return pdf_response(get_object_or_404(self._my_statements(request), uuid=statement_uuid))


class MySickLeaveView(MyPayrollMixin, CooperativeAPIView):
    """The worker's paid sick leave balance, hours used this year and ledger."""

    @extend_schema(responses=SickLeaveSerializer)
    def get(self, request, coop_slug):
        return Response(SickLeaveSerializer(sick_leave_summary(self._worker(request))).data)


class MyWageView(MyPayrollMixin, CooperativeAPIView):
    """The worker's classifications with their wage step and CBA wage today."""

    @extend_schema(responses=MyWageSerializer(many=True))
    def get(self, request, coop_slug):
        return Response(MyWageSerializer(selectors.worker_wage_now(self._worker(request)), many=True).data)


