"""API of the worker's private calendar link, under /api/v1/c/<coop_slug>/placements/:
me/calendar/ GET (whether a link is live, since when), POST (make a new one: 201 with the
address, shown this once; the old one stops working), DELETE (revoke: 204; 404 when none
is live). Needs "placements.work" and an employee record linked to the account."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView
from members.selectors import worker_for_user
from placements.selectors.calendar import calendar_feed_live
from placements.services.calendar import calendar_feed_issue, calendar_feed_revoke
from placements.views.calendar import feed_links


class CalendarFeedSerializer(serializers.Serializer):
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField(allow_null=True, help_text="The feed's address: only in the answer to POST.")
    webcal_url = serializers.CharField(allow_null=True, help_text="The same with webcal://: only in the answer to POST.")


def _body(feed, links=None) -> dict:
    return CalendarFeedSerializer({
        "active": feed is not None, "created_at": feed.created_at if feed else None,
        "url": links["url"] if links else None, "webcal_url": links["webcal"] if links else None,
    }).data


class MyCalendarView(CooperativeAPIView):
    """The signed-in worker's calendar link."""

    required_permission = "placements.work"

    def _worker(self, request):
        worker = worker_for_user(self.cooperative, request.user)
        if worker is None:
            raise NotFound("No employee record is linked to your account here.")
        return worker

    @extend_schema(responses=CalendarFeedSerializer)
    def get(self, request, coop_slug):
        return Response(_body(calendar_feed_live(self._worker(request))))

    @extend_schema(request=None, responses={201: CalendarFeedSerializer})
    def post(self, request, coop_slug):
        feed, token = calendar_feed_issue(worker=self._worker(request), issued_by=request.user)
        return Response(_body(feed, feed_links(request._request, token)), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, coop_slug):
        worker = self._worker(request)
        if calendar_feed_live(worker) is None:
            raise NotFound("No calendar link is active.")
        calendar_feed_revoke(worker=worker, revoked_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [path("me/calendar/", MyCalendarView.as_view(), name="my_calendar")]
