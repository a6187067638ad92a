"""API of governance, mounted under /api/v1/c/<coop_slug>/governance/ (see alliedup/api/urls.py)."""

app_name = "governance_api"
urlpatterns: list = []
