"""API of leaving the co-op, on members' paths under /api/v1/c/<coop_slug>/members/ with members'
names (members_api:worker_exit, …; patronage/api/urls_members.py, mounted by members/api/):
ending a worker-owner's ownership, paying its redemption installments, and the ownership
overview, which lists each exit's redemption and so is served from patronage, the app above
members (members imports nothing of patronage).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView
from members import selectors as members
from members.services.retention import retention_status
from patronage import selectors
from patronage.api.capital import worker_or_404
from patronage.models import RedemptionInstallment
from patronage.serializers import (
    OwnershipExitSerializer,
    OwnershipSerializer,
    RedemptionPaymentSerializer,
    RedemptionScheduleSerializer,
)
from patronage.services.exit import ownership_exit
from patronage.services.redemption import redemption_payment_record


def _ownership(worker, today) -> dict:
    return {
        "worker": worker,
        "progress": members.worker_hours_progress(worker, today),
        "candidacy": members.open_candidacy(worker),
        "history": worker.status_changes.order_by("changed_at"),
        "retention": retention_status(worker, today),
        "redemption": selectors.redemption_overviews(worker),
    }


class WorkerOwnershipView(CooperativeAPIView):
    """A worker's ownership status: hours toward the threshold, candidacy, history."""

    required_permission = "members.view"

    @extend_schema(responses=OwnershipSerializer)
    def get(self, request, coop_slug, worker_uuid):
        worker = worker_or_404(self, worker_uuid)
        today = self.cooperative.today()
        return Response(OwnershipSerializer(_ownership(worker, today)).data)


class MyOwnershipView(CooperativeAPIView):
    """The signed-in worker's own ownership status."""

    required_permission = "members.view_own"

    @extend_schema(responses=OwnershipSerializer)
    def get(self, request, coop_slug):
        worker = members.worker_for_user(self.cooperative, request.user)
        if worker is None:
            raise NotFound("No employee record is linked to your account here.")
        today = self.cooperative.today()
        return Response(OwnershipSerializer(_ownership(worker, today)).data)


class WorkerExitView(CooperativeAPIView):
    """End a worker-owner's ownership (withdrawal, lapse, termination): the status changes
    and the bylaws' redemption is scheduled, in one transaction. A second exit is a 400."""

    required_permission = "members.manage"

    @extend_schema(request=OwnershipExitSerializer, responses={201: RedemptionScheduleSerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = worker_or_404(self, worker_uuid)
        data = OwnershipExitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        schedule = ownership_exit(worker=worker, recorded_by=request.user, **data.validated_data)
        overview = next(o for o in selectors.redemption_overviews(worker) if o.schedule.pk == schedule.pk)
        return Response(RedemptionScheduleSerializer(overview).data, status=status.HTTP_201_CREATED)


class RedemptionPaymentView(CooperativeAPIView):
    """Record a payment of a redemption installment (default: all that is due): a redemption
    entry in the capital ledger. Answers the schedule as it now stands."""

    required_permission = "patronage.manage"

    @extend_schema(request=RedemptionPaymentSerializer, responses={201: RedemptionScheduleSerializer})
    def post(self, request, coop_slug, worker_uuid, installment_uuid):
        installment = get_object_or_404(RedemptionInstallment.objects.select_related("schedule__worker"),
                                        uuid=installment_uuid, schedule__worker__uuid=worker_uuid)
        data = RedemptionPaymentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        redemption_payment_record(installment=installment, recorded_by=request.user, **data.validated_data)
        worker = installment.schedule.worker
        overview = next(o for o in selectors.redemption_overviews(worker) if o.schedule.pk == installment.schedule_id)
        return Response(RedemptionScheduleSerializer(overview).data, status=status.HTTP_201_CREATED)
