"""Pages of payroll, mounted under /c/<coop_slug>/payroll/ (see alliedup/urls.py)."""

app_name = "payroll"
urlpatterns: list = []
