"""The governance API's routes, mounted under /api/v1/c/<coop_slug>/governance/ (alliedup/api/urls.py)."""

from django.urls import path

from governance.api import board, committees, documents, votes


app_name = "governance_api"
urlpatterns = [
    path("elections/", votes.ElectionListView.as_view(), name="elections"),
    path("elections/<uuid:election_uuid>/", votes.ElectionDetailView.as_view(), name="election_detail"),
    path("elections/<uuid:election_uuid>/candidates/", votes.ElectionNominateView.as_view(), name="election_nominate"),
    path("elections/<uuid:election_uuid>/nominations-open/", votes.ElectionNominationsOpenView.as_view(), name="election_nominations_open"),
    path("elections/<uuid:election_uuid>/voting-open/", votes.ElectionVotingOpenView.as_view(), name="election_voting_open"),
    path("elections/<uuid:election_uuid>/count/", votes.ElectionCountView.as_view(), name="election_count"),
    path("elections/<uuid:election_uuid>/certify/", votes.ElectionCertifyView.as_view(), name="election_certify"),
    path("elections/<uuid:election_uuid>/turnout/", votes.ElectionTurnoutView.as_view(), name="election_turnout"),
    path("elections/<uuid:election_uuid>/results/", votes.ElectionResultsView.as_view(), name="election_results"),
    path("elections/<uuid:election_uuid>/ballots/", votes.ElectionBallotsView.as_view(), name="election_ballots"),
    path("elections/<uuid:election_uuid>/receipt/", votes.ElectionReceiptView.as_view(), name="election_receipt"),
    path("elections/<uuid:election_uuid>/ballot/", votes.ElectionCastView.as_view(), name="election_cast"),
    path("resolutions/", votes.ResolutionListView.as_view(), name="resolutions"),
    path("resolutions/<uuid:resolution_uuid>/", votes.ResolutionDetailView.as_view(), name="resolution_detail"),
    path("resolutions/<uuid:resolution_uuid>/voting-open/", votes.ResolutionVotingOpenView.as_view(), name="resolution_voting_open"),
    path("resolutions/<uuid:resolution_uuid>/count/", votes.ResolutionCountView.as_view(), name="resolution_count"),
    path("resolutions/<uuid:resolution_uuid>/certify/", votes.ResolutionCertifyView.as_view(), name="resolution_certify"),
    path("resolutions/<uuid:resolution_uuid>/turnout/", votes.ResolutionTurnoutView.as_view(), name="resolution_turnout"),
    path("resolutions/<uuid:resolution_uuid>/results/", votes.ResolutionResultsView.as_view(), name="resolution_results"),
    path("resolutions/<uuid:resolution_uuid>/ballots/", votes.ResolutionBallotsView.as_view(), name="resolution_ballots"),
    path("resolutions/<uuid:resolution_uuid>/receipt/", votes.ResolutionReceiptView.as_view(), name="resolution_receipt"),
    path("resolutions/<uuid:resolution_uuid>/ballot/", votes.ResolutionCastView.as_view(), name="resolution_cast"),
    path("me/votes/", votes.MyVotesView.as_view(), name="my_votes"),
    path("board/", board.BoardView.as_view(), name="board"),
    path("board/seats/", board.SeatCreateView.as_view(), name="seat_create"),
    path("board/terms/", board.TermCreateView.as_view(), name="term_create"),
    path("board/terms/<uuid:term_uuid>/end/", board.TermEndView.as_view(), name="term_end"),
    path("committees/", committees.CommitteeListView.as_view(), name="committees"),
    path("committees/<uuid:committee_uuid>/", committees.CommitteeDetailView.as_view(), name="committee_detail"),
    path("committees/<uuid:committee_uuid>/members/", committees.CommitteeMemberCreateView.as_view(), name="committee_member_create"),
    path("committees/<uuid:committee_uuid>/meetings/", committees.CommitteeMeetingCreateView.as_view(), name="committee_meeting_create"),
    path("documents/", documents.DocumentListView.as_view(), name="documents"),
    path("documents/<uuid:document_uuid>/", documents.DocumentDetailView.as_view(), name="document_detail"),
]
