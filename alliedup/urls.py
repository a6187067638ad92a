from django.contrib import admin
from django.urls import include, path

from alliedup import views
from alliedup.manifest import web_manifest
from alliedup.views_i18n import set_language

coop_patterns = [
    path("", views.coop_home, name="coop_home"),
    # Each role's home (staff/, me/, board-home/, client-home/), un-namespaced.
    path("", include("insights.urls_home")),
    path("team/", views.team, name="team"),
    path("audit/", views.audit_trail, name="audit_trail"),
    # The co-op's set-up: settings/… and the roster import at members/workers/import/.
    path("", include("onboarding.urls")),
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
    # A worker's private calendar feed at cal/<token>.ics: no sign-in (calendar apps send no
    # cookies), the token is the key (placements/views/calendar.py).
    path("", include("placements.urls_calendar")),
]

# Error pages, JSON under /api/ (alliedup/api/errors.py).
handler400 = "alliedup.api.errors.bad_request"
handler403 = "alliedup.api.errors.permission_denied"
handler404 = "alliedup.api.errors.page_not_found"
handler500 = "alliedup.api.errors.server_error"
