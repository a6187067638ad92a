"""API of placements, mounted under /api/v1/c/<coop_slug>/placements/ (see alliedup/api/urls.py)."""

app_name = "placements_api"
urlpatterns: list = []
