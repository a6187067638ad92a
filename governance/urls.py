"""Pages of governance, mounted under /c/<coop_slug>/governance/ (see alliedup/urls.py)."""

from django.urls import path

from governance.views import board, committees, documents, portal, votes

app_name = "governance"
urlpatterns = [
    # staff and board
    path("elections/", votes.election_list, name="election_list"),
    path("elections/new/", votes.election_create, name="election_create"),
    path("elections/<uuid:election_uuid>/", votes.election_detail, name="election_detail"),
    path("elections/<uuid:election_uuid>/nominate/", votes.election_nominate, name="election_nominate"),
    path("elections/<uuid:election_uuid>/nominations-open/", votes.election_nominations_open, name="election_nominations_open"),
    path("elections/<uuid:election_uuid>/voting-open/", votes.election_voting_open, name="election_voting_open"),
    path("elections/<uuid:election_uuid>/count/", votes.election_count, name="election_count"),
    path("elections/<uuid:election_uuid>/certify/", votes.election_certify, name="election_certify"),
    path("elections/<uuid:election_uuid>/results.pdf", votes.election_results_pdf, name="election_results_pdf"),
    path("resolutions/", votes.resolution_list, name="resolution_list"),
    path("resolutions/new/", votes.resolution_create, name="resolution_create"),
    path("resolutions/<uuid:resolution_uuid>/", votes.resolution_detail, name="resolution_detail"),
    path("resolutions/<uuid:resolution_uuid>/voting-open/", votes.resolution_voting_open, name="resolution_voting_open"),
    path("resolutions/<uuid:resolution_uuid>/count/", votes.resolution_count, name="resolution_count"),
    path("resolutions/<uuid:resolution_uuid>/certify/", votes.resolution_certify, name="resolution_certify"),
    path("resolutions/<uuid:resolution_uuid>/results.pdf", votes.resolution_results_pdf, name="resolution_results_pdf"),
    path("board/", board.board, name="board"),
    path("board/seats/", board.seat_add, name="seat_add"),
    path("board/terms/", board.term_add, name="term_add"),
    path("board/owners/", board.owner_search, name="owner_search"),
    path("board/terms/<uuid:term_uuid>/end/", board.term_end, name="term_end"),
    path("committees/", committees.committee_list, name="committee_list"),
    path("committees/new/", committees.committee_create, name="committee_create"),
    path("committees/<uuid:committee_uuid>/", committees.committee_detail, name="committee_detail"),
    path("committees/<uuid:committee_uuid>/members/", committees.committee_member_add, name="committee_member_add"),
    path("committees/<uuid:committee_uuid>/meetings/", committees.committee_meeting_record, name="committee_meeting_record"),
    # everyone in the co-op (what each may read: governance.selectors.documents_for)
    path("documents/", documents.document_list, name="documents"),
    path("documents/upload/", documents.document_upload, name="document_upload"),
    path("documents/<uuid:document_uuid>/", documents.document_download, name="document_download"),
    path("documents/<uuid:document_uuid>/delete/", documents.document_delete, name="document_delete"),
    # the worker-owner portal
    path("my/", portal.my_votes, name="my_votes"),
    path("my/elections/<uuid:election_uuid>/ballot/", portal.election_ballot, name="election_ballot"),
    path("my/resolutions/<uuid:resolution_uuid>/ballot/", portal.resolution_ballot, name="resolution_ballot"),
    path("elections/<uuid:election_uuid>/results/", portal.election_results, name="election_results"),
    path("resolutions/<uuid:resolution_uuid>/results/", portal.resolution_results, name="resolution_results"),
]
