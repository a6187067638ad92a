"""Pages of placements, mounted under /c/<coop_slug>/placements/ (see alliedup/urls.py)."""

app_name = "placements"
urlpatterns: list = []
