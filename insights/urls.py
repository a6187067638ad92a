from django.urls import path

from insights.views import reports

app_name = "insights"
urlpatterns = [
    path("", reports.staff, name="staff"),
    path("board/", reports.board, name="board"),
    path("our-coop/", reports.owner, name="owner"),
    path("staff.csv", reports.staff_csv, name="staff_csv"),
    path("board.csv", reports.board_csv, name="board_csv"),
    path("our-coop.csv", reports.owner_csv, name="owner_csv"),
    path("board-pack.pdf", reports.board_pdf, name="board_pdf"),
]
