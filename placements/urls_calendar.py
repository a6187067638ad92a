"""A worker's private calendar feed, mounted at the site's root (see alliedup/urls.py) without
a namespace: `calendar_feed`, /cal/<token>.ics. No sign-in (calendar apps send no cookies);
the token is the key (placements/views/calendar.py)."""

from django.urls import re_path

from placements.views.calendar import calendar_feed

urlpatterns = [
    re_path(r"^cal/(?P<token>[A-Za-z0-9_-]{16,128})\.ics$", calendar_feed, name="calendar_feed"),
]
