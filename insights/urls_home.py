"""Each role's home, mounted at /c/<coop_slug>/ (see alliedup/urls.py) without a namespace:
`staff_home`, `worker_home`, `board_home`, `client_home`, the names `coop_home` redirects to."""

from django.urls import path

from insights.views import home

urlpatterns = [
    path("staff/", home.staff_home, name="staff_home"),
    path("me/", home.worker_home, name="worker_home"),
    path("board-home/", home.board_home, name="board_home"),
    path("client-home/", home.client_home, name="client_home"),
]
