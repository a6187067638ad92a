"""API of a co-op's set-up, mounted under /api/v1/c/<coop_slug>/ (see alliedup/api/urls.py):
settings.py (settings/: the settings, the checklist, classifications and credential types)
and roster_import.py (members/workers/import/: the roster CSV import, where it always was)."""

from django.urls import path

from onboarding.api.roster_import import RosterImportView
from onboarding.api.settings import (
    ChecklistView,
    ClassificationDetailView,
    ClassificationListView,
    CredentialTypeDetailView,
    CredentialTypeListView,
    SettingsView,
    StandardListView,
)

app_name = "setup_api"
urlpatterns = [
    path("settings/", SettingsView.as_view(), name="settings"),
    path("settings/checklist/", ChecklistView.as_view(), name="checklist"),
    path("settings/standard-list/", StandardListView.as_view(), name="standard_list"),
    path("settings/classifications/", ClassificationListView.as_view(), name="classifications"),
    path("settings/classifications/<slug:classification_code>/", ClassificationDetailView.as_view(),
         name="classification"),
    path("settings/credential-types/", CredentialTypeListView.as_view(), name="credential_types"),
    path("settings/credential-types/<slug:credential_code>/", CredentialTypeDetailView.as_view(),
         name="credential_type"),
    path("members/workers/import/", RosterImportView.as_view(), name="roster_import"),
]
