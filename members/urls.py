"""Pages of members, mounted under /c/<coop_slug>/members/ (see alliedup/urls.py)."""

app_name = "members"
urlpatterns: list = []
