"""API of members, mounted under /api/v1/c/<coop_slug>/members/ (see alliedup/api/urls.py)."""

app_name = "members_api"
urlpatterns: list = []
