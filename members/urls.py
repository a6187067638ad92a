"""Pages of members, mounted under /c/<coop_slug>/members/ (see alliedup/urls.py)."""

from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("", views.pipeline, name="pipeline"),
    path("me/", views.my_ownership, name="my_ownership"),
    path("workers/new/", views.worker_hire, name="worker_hire"),
    path("workers/<uuid:worker_uuid>/", views.worker_detail, name="worker_detail"),
    path("candidacies/<uuid:candidacy_uuid>/step/", views.candidacy_step, name="candidacy_step"),
    path("candidacies/<uuid:candidacy_uuid>/extend/", views.candidacy_extend, name="candidacy_extend"),
    path("candidacies/<uuid:candidacy_uuid>/welcome-letter.pdf", views.welcome_letter, name="welcome_letter"),
]
