"""Pages of placements, mounted under /c/<coop_slug>/placements/ (see alliedup/urls.py).

Staff pages live in placements/views/ (board, clients, shifts, timesheets) (urls_staff.py), the worker and client
portals in placements/views/portal.py (urls_portal.py).
"""

from django.urls import include, path

app_name = "placements"
urlpatterns = [
    path("", include("placements.urls_staff")),
    path("", include("placements.urls_portal")),
    path("", include("placements.urls_applicants")),
]
