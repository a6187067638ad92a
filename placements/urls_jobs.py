"""The public job board at /c/<coop_slug>/jobs/ (see alliedup/urls.py)."""

from django.urls import path

from placements.views import public

app_name = "jobs"
urlpatterns = [path("", public.job_board, name="board")]
