from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from alliedup.api import views

coop_patterns = [
    path("me/", views.MeView.as_view(), name="api_me"),
    path("team/", views.TeamView.as_view(), name="api_team"),
    path("invitations/", views.InvitationListCreateView.as_view(), name="api_invitations"),
    path("audit-events/", views.AuditEventListView.as_view(), name="api_audit_events"),
    # The co-op's set-up: settings/… and the roster import at members/workers/import/.
    path("", include("onboarding.api")),
    path("members/", include("members.api.urls")),
    path("placements/", include("placements.api.urls")),
    path("payroll/", include("payroll.api.urls")),
    path("governance/", include("governance.api.urls")),
    path("insights/", include("insights.api")),
    path("notifications/", include("notifications.api")),
]

urlpatterns = [
    path("v1/cooperatives/", views.MyCooperativesView.as_view(), name="api_cooperatives"),
    path("v1/auth/token/", views.TokenView.as_view(), name="api_token"),
    path("v1/c/<slug:coop_slug>/", include(coop_patterns)),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
]
