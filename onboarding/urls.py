"""Set-up pages, mounted at /c/<coop_slug>/ (see alliedup/urls.py): the settings under
settings/, and the roster import at members/workers/import/, where it always was. Catalogue
entries are named by their code, unique per co-op (tests/alliedup/test_isolation.py picks the
outsider's with classification_code and credential_code)."""

from django.urls import path

from onboarding.views import roster_import, settings

app_name = "setup"
urlpatterns = [
    path("settings/", settings.settings_page, name="settings"),
    path("settings/classifications/", settings.classifications, name="classifications"),
    path("settings/standard-list/", settings.standard_list_add, name="standard_list_add"),
    path("settings/classifications/<slug:classification_code>/", settings.classification_edit,
         name="classification_edit"),
    path("settings/classifications/<slug:classification_code>/delete/", settings.classification_delete,
         name="classification_delete"),
    path("settings/credential-types/", settings.credential_types, name="credential_types"),
    path("settings/credential-types/<slug:credential_code>/", settings.credential_type_edit,
         name="credential_type_edit"),
    path("settings/credential-types/<slug:credential_code>/delete/", settings.credential_type_delete,
         name="credential_type_delete"),
    path("members/workers/import/", roster_import.roster_import, name="roster_import"),
]
