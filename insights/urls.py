from django.urls import path

from insights import views

app_name = "insights"
urlpatterns = [
    path("", views.staff, name="staff"),
    path("board/", views.board, name="board"),
    path("our-coop/", views.owner, name="owner"),
    path("staff.csv", views.staff_csv, name="staff_csv"),
    path("board.csv", views.board_csv, name="board_csv"),
    path("our-coop.csv", views.owner_csv, name="owner_csv"),
    path("board-pack.pdf", views.board_pdf, name="board_pdf"),
]
