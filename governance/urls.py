"""Pages of governance, mounted under /c/<coop_slug>/governance/ (see alliedup/urls.py)."""

app_name = "governance"
urlpatterns: list = []
