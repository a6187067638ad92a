"""API of the board: its seats and terms, and the majority rule."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView
from governance.api.base import seat_or_400, worker_or_400
from governance import serializers as s
from governance.models import BoardSeat, BoardTerm
from governance.selectors import majority_status, terms_on
from governance.services import board as board_services


class BoardView(CooperativeAPIView):
    """Seats, the terms held today and the worker-owner majority (breaches listed)."""

    required_permission = "governance.view"

    @extend_schema(responses=s.BoardSerializer)
    def get(self, request, coop_slug):
        today = self.cooperative.today()
        return Response(s.BoardSerializer({"on": today, "seats": BoardSeat.objects.order_by("name"),
                                           "terms": terms_on(self.cooperative, today), "majority": majority_status(self.cooperative, today)}).data)


class SeatCreateView(CooperativeAPIView):
    required_permission = "governance.manage"

    @extend_schema(request=s.SeatCreateSerializer, responses={201: s.BoardSeatSerializer})
    def post(self, request, coop_slug):
        data = s.SeatCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        seat = board_services.seat_create(cooperative=self.cooperative, created_by=request.user, **data.validated_data)
        return Response(s.BoardSeatSerializer(seat).data, status=status.HTTP_201_CREATED)


class TermCreateView(CooperativeAPIView):
    """Seat someone; refused (400) when the seat is held then or the majority would break."""

    required_permission = "governance.manage"

    @extend_schema(request=s.TermCreateSerializer, responses={201: s.BoardTermSerializer})
    def post(self, request, coop_slug):
        data = s.TermCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        worker = worker_or_400(self.cooperative, d.pop("worker"))
        term = board_services.term_add(seat=seat_or_400(d.pop("seat")), worker=worker, user=worker.user if worker else None,
                                       added_by=request.user, **d)
        return Response(s.BoardTermSerializer(term).data, status=status.HTTP_201_CREATED)


class TermEndView(CooperativeAPIView):
    required_permission = "governance.manage"

    @extend_schema(request=s.TermEndSerializer, responses=s.BoardTermSerializer)
    def post(self, request, coop_slug, term_uuid):
        term = get_object_or_404(BoardTerm.objects.select_related("seat", "worker"), uuid=term_uuid)
        data = s.TermEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        term = board_services.term_end(term=term, ends_on=data.validated_data["ends_on"], ended_by=request.user)
        return Response(s.BoardTermSerializer(term).data)
