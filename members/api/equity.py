"""API of a worker's equity buy-in for staff: the account and its ledger, payments and the waiver."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView
from members.models import (
    EquityAccount,
    Worker,
)
from members.serializers import (
    EquitySerializer,
    PaymentSerializer,
    WaiverSerializer,
    equity_data,
)
from members.services import equity as equity_services


class WorkerEquityView(CooperativeAPIView):
    required_permission = "members.view"

    @extend_schema(responses=EquitySerializer)
    def get(self, request, coop_slug, worker_uuid):
        equity = equity_data(get_object_or_404(Worker, uuid=worker_uuid))
        if equity is None:
            raise NotFound("No equity account yet.")
        return Response(EquitySerializer(equity).data)


class WorkerEquityPaymentView(CooperativeAPIView):
    required_permission = "members.post_hours"

    @extend_schema(request=PaymentSerializer, responses={201: EquitySerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        account = get_object_or_404(EquityAccount, worker=worker)
        data = PaymentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        equity_services.equity_payment_record(account=account, recorded_by=request.user, **data.validated_data)
        return Response(EquitySerializer(equity_data(worker)).data, status=status.HTTP_201_CREATED)


class WorkerEquityWaiverView(CooperativeAPIView):
    required_permission = "members.manage"

    @extend_schema(request=WaiverSerializer, responses={201: EquitySerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        account = get_object_or_404(EquityAccount, worker=worker)
        data = WaiverSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        equity_services.equity_waive(account=account, reason=data.validated_data["reason"], effective_on=self.cooperative.today(), waived_by=request.user)
        return Response(EquitySerializer(equity_data(worker)).data, status=status.HTTP_201_CREATED)
