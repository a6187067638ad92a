from django.contrib import admin
from django.urls import include, path

from alliedup import views

coop_patterns = [
    path("", views.coop_home, name="coop_home"),
    path("staff/", views.staff_home, name="staff_home"),
    path("me/", views.worker_home, name="worker_home"),
    path("team/", views.team, name="team"),
    path("audit/", views.audit_trail, name="audit_trail"),
    path("invitations/<uuid:token>/", views.invitation_accept, name="invitation_accept"),
    path("members/", include("members.urls")),
    path("placements/", include("placements.urls")),
    path("jobs/", include("placements.urls_jobs")),
    path("payroll/", include("payroll.urls")),
    path("governance/", include("governance.urls")),
    path("insights/", include("insights.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:coop_slug>/", include(coop_patterns)),
    path("accounts/", include("allauth.urls")),
    path("api/", include("alliedup.api.urls")),
    path("admin/", admin.site.urls),
]
