"""API of a worker's sign-in, under /api/v1/c/<coop_slug>/members/workers/<uuid>/account/:
the linked account or open invitation (GET), invite or send again (POST invitation/),
withdraw (DELETE invitation/), link an existing account (POST link/), unlink (POST unlink/).
Staff who manage members write; another co-op's worker is a 404 (the scoped manager)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView
from members.models import Worker
from members.serializers import (
    WorkerAccountSerializer,
    WorkerInviteSerializer,
    WorkerLinkSerializer,
    WorkerUnlinkSerializer,
)
from members.services import accounts


def _account(worker: Worker) -> dict:
    worker = Worker.objects.select_related("user").get(pk=worker.pk)
    return {"user": worker.user, "invitation": accounts.worker_open_invitation(worker) if worker.user is None else None}


class WorkerAccountView(CooperativeAPIView):
    required_permission = "members.view"

    @extend_schema(responses=WorkerAccountSerializer)
    def get(self, request, coop_slug, worker_uuid):
        return Response(WorkerAccountSerializer(_account(get_object_or_404(Worker, uuid=worker_uuid))).data)


class WorkerInvitationView(CooperativeAPIView):
    required_permission = "members.manage"

    @extend_schema(request=WorkerInviteSerializer, responses={201: WorkerAccountSerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        data = WorkerInviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        accounts.worker_invite(worker=worker, email=data.validated_data.get("email"), invited_by=request.user)
        return Response(WorkerAccountSerializer(_account(worker)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        accounts.worker_invitation_revoke(worker=worker, revoked_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WorkerAccountLinkView(CooperativeAPIView):
    required_permission = "members.manage"

    @extend_schema(request=WorkerLinkSerializer, responses=WorkerAccountSerializer)
    def post(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        data = WorkerLinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        accounts.worker_account_link(worker=worker, email=data.validated_data["email"], linked_by=request.user)
        return Response(WorkerAccountSerializer(_account(worker)).data)


class WorkerAccountUnlinkView(CooperativeAPIView):
    required_permission = "members.manage"

    @extend_schema(request=WorkerUnlinkSerializer, responses=WorkerAccountSerializer)
    def post(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        data = WorkerUnlinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        accounts.worker_account_unlink(worker=worker, reason=data.validated_data["reason"], unlinked_by=request.user)
        return Response(WorkerAccountSerializer(_account(worker)).data)
