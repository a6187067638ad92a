"""Set-up pages, mounted under /c/<coop_slug>/settings/ (see alliedup/urls.py). Catalogue
entries are named by their code, unique per co-op (tests/alliedup/test_isolation.py picks the
outsider's with classification_code and credential_code)."""

from django.urls import path

from alliedup.setup import views

app_name = "setup"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("classifications/", views.classifications, name="classifications"),
    path("standard-list/", views.standard_list_add, name="standard_list_add"),
    path("classifications/<slug:classification_code>/", views.classification_edit, name="classification_edit"),
    path("classifications/<slug:classification_code>/delete/", views.classification_delete, name="classification_delete"),
    path("credential-types/", views.credential_types, name="credential_types"),
    path("credential-types/<slug:credential_code>/", views.credential_type_edit, name="credential_type_edit"),
    path("credential-types/<slug:credential_code>/delete/", views.credential_type_delete, name="credential_type_delete"),
]
