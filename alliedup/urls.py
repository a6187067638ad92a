from django.contrib import admin
from django.urls import include, path, re_path

from alliedup import views
from alliedup.manifest import web_manifest
from alliedup.views_i18n import set_language
from placements.views.calendar import calendar_feed

coop_patterns = [
    path("", views.coop_home, name="coop_home"),
    path("staff/", views.staff_home, name="staff_home"),
    path("me/", views.worker_home, name="worker_home"),
    path("board-home/", views.board_home, name="board_home"),
    path("client-home/", views.client_home, name="client_home"),
    path("team/", views.team, name="team"),
    path("audit/", views.audit_trail, name="audit_trail"),
    path("settings/", include("alliedup.setup.urls")),
    path("invitations/<uuid:token>/", views.invitation_accept, name="invitation_accept"),
    path("members/", include("members.urls")),
    path("placements/", include("placements.urls")),
    path("jobs/", include("placements.urls_jobs")),
    path("payroll/", include("payroll.urls")),
    path("governance/", include("governance.urls")),
    path("insights/", include("insights.urls")),
    path("notifications/", include("notifications.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:coop_slug>/", include(coop_patterns)),
    path("accounts/", include("allauth.urls")),
    path("language/", set_language, name="set_language"),
    path("api/", include("alliedup.api.urls")),
    path("admin/", admin.site.urls),
    path("manifest.webmanifest", web_manifest, name="web_manifest"),
    # A worker's private calendar feed: no sign-in (calendar apps send no cookies), the
    # token is the key (placements/views/calendar.py).
    re_path(r"^cal/(?P<token>[A-Za-z0-9_-]{16,128})\.ics$", calendar_feed, name="calendar_feed"),
]

# Error pages, JSON under /api/ (alliedup/api/errors.py).
handler400 = "alliedup.api.errors.bad_request"
handler403 = "alliedup.api.errors.permission_denied"
handler404 = "alliedup.api.errors.page_not_found"
handler500 = "alliedup.api.errors.server_error"
