"""API of payroll, mounted under /api/v1/c/<coop_slug>/payroll/ (see alliedup/api/urls.py)."""

app_name = "payroll_api"
urlpatterns: list = []
