"""API of the capital accounts, mounted under /api/v1/c/<coop_slug>/payroll/patronage/
(patronage/api/urls.py): a worker's capital account with payouts of retained patronage (staff:
"patronage.view" to read, "patronage.manage" to write), and the worker's own account and notices
(/me/…, "patronage.view_own": only their own, and notices of issued allocations only).
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView
from members.selectors import worker_by_uuid, worker_for_user
from patronage import documents, selectors
from patronage.api.allocations import PDF_RESPONSE, notice_response
from patronage.models import PatronageAllocationLine
from patronage.serializers import CapitalAccountSerializer, CapitalEntrySerializer, CapitalRedeemSerializer
from patronage.services import capital


def worker_or_404(view, worker_uuid):
    """The co-op's worker named in the URL; another co-op's (or none) is a 404."""
    worker = worker_by_uuid(view.cooperative, worker_uuid)
    if worker is None:
        raise NotFound("No such worker in this co-op.")
    return worker


def _capital_account(worker, notice_url) -> dict:
    account = selectors.capital_account(worker)
    latest = selectors.latest_issued_line(worker)
    if latest is not None:
        latest.pdf = notice_url(latest)
    return CapitalAccountSerializer({"equity_paid": account.equity_paid, "equity_redeemed": account.equity_redeemed,
                                     "retained_balance": account.retained_balance, "balance": account.balance,
                                     "entries": account.entries, "latest_notice": latest}).data


class WorkerCapitalAccountView(CooperativeAPIView):
    """A worker's capital account; POST records a redemption of retained patronage."""

    required_permissions = {"GET": "patronage.view", "POST": "patronage.manage"}

    def _notice_url(self, worker):
        return lambda line: reverse("payroll_api:patronage_api:notice", kwargs={
            "coop_slug": self.cooperative.slug, "allocation_uuid": line.allocation.uuid, "worker_uuid": worker.uuid})

    @extend_schema(responses=CapitalAccountSerializer)
    def get(self, request, coop_slug, worker_uuid):
        worker = worker_or_404(self, worker_uuid)
        return Response(_capital_account(worker, self._notice_url(worker)))

    @extend_schema(request=CapitalRedeemSerializer, responses={201: CapitalEntrySerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = worker_or_404(self, worker_uuid)
        data = CapitalRedeemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = capital.capital_redeem(worker=worker, recorded_by=request.user, **data.validated_data)
        return Response(CapitalEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


def _me(view):
    worker = worker_for_user(view.cooperative, view.request.user)
    if worker is None:
        raise NotFound("No employee record is linked to your account.")
    return worker


class MyCapitalAccountView(CooperativeAPIView):
    """My capital account: equity paid in, retained patronage entries, balance, and my
    latest notice of allocation."""

    required_permission = "patronage.view_own"

    @extend_schema(responses=CapitalAccountSerializer)
    def get(self, request, coop_slug):
        return Response(_capital_account(_me(self), lambda line: reverse("payroll_api:patronage_api:my_notice", kwargs={
            "coop_slug": self.cooperative.slug, "allocation_uuid": line.allocation.uuid})))


class MyNoticeView(CooperativeAPIView):
    """My notice of allocation for that allocation; anyone else's is a 404."""

    required_permission = "patronage.view_own"

    @extend_schema(responses=PDF_RESPONSE)
    def get(self, request, coop_slug, allocation_uuid):
        return notice_response(get_object_or_404(PatronageAllocationLine, allocation__uuid=allocation_uuid, worker=_me(self),
                                      allocation__status__in=documents.ISSUED))
