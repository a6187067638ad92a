"""The worker's own routes (/me/…): signing the membership agreement and choosing how to pay
the equity buy-in."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView
from members import selectors
from members.models import Worker
from members.serializers import (
    AgreementSerializer,
    EquitySerializer,
    PlanSerializer,
    SignatureSerializer,
    SignSerializer,
    equity_data,
)
from members.services import equity as equity_services
from members.services.agreement import agreement_sign


class MyWorkerAPIView(CooperativeAPIView):
    """Base for the signed-in worker's own routes (/me/…)."""

    required_permission = "members.view_own"

    def _worker(self, request) -> Worker:
        worker = selectors.worker_for_user(self.cooperative, request.user)
        if worker is None:
            raise NotFound("No employee record is linked to your account here.")
        return worker


class MyAgreementView(MyWorkerAPIView):
    """GET the agreement in effect; POST signs it (typed name + consent)."""

    @extend_schema(responses=AgreementSerializer)
    def get(self, request, coop_slug):
        agreement = selectors.current_agreement(self.cooperative, self.cooperative.today())
        if agreement is None:
            raise NotFound("No membership agreement is published yet.")
        return Response(AgreementSerializer(agreement).data)

    @extend_schema(request=SignSerializer, responses={201: SignatureSerializer})
    def post(self, request, coop_slug):
        worker = self._worker(request)
        data = SignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        signature = agreement_sign(
            worker=worker, on=self.cooperative.today(), ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.META.get("HTTP_USER_AGENT", ""), signed_by=request.user, **data.validated_data,
        )
        return Response(SignatureSerializer(signature).data, status=status.HTTP_201_CREATED)


class MyEquityPlanView(MyWorkerAPIView):
    """The worker chooses to pay in full or in installments."""

    @extend_schema(request=PlanSerializer, responses={201: EquitySerializer})
    def post(self, request, coop_slug):
        worker = self._worker(request)
        data = PlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        equity_services.equity_account_open(worker=worker, plan=data.validated_data["plan"], start_on=self.cooperative.today(), opened_by=request.user)
        return Response(EquitySerializer(equity_data(worker)).data, status=status.HTTP_201_CREATED)
