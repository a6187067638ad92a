"""Demo rows of governance for `seed_demo` (idempotent: each part is found by its title first).

The board (a worker-owner majority), a board election open for voting now (ranked choice,
two seats, three worker-owner candidates), a resolution open for voting (next year's budget),
a few ballots cast already (so turnout shows), and governance documents: the budget,
financial statements and minutes, which only worker-owners, the board and staff may read,
and the bylaws, public to everyone in the co-op. The demo worker-owner (owner@…) has not
voted yet: signing in as them shows both votes waiting.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from alliedup.documents import render_pdf
from alliedup.models import Cooperative, User
from alliedup.money import money_text
from governance.models import BoardSeat, BoardTerm, Election, GovernanceDocument, Resolution
from governance.services.board import seat_create, term_add
from governance.services.documents import document_publish
from governance.services.voting import (
    ballot_cast,
    candidate_nominate,
    election_create,
    nominations_open,
    resolution_create,
    voting_open,
)
from members.models import Worker

WO, APPOINTED, INDEPENDENT = BoardSeat.Kind.WORKER_OWNER, BoardSeat.Kind.APPOINTED, BoardSeat.Kind.INDEPENDENT
# (seat, kind, officer, holder: a demo worker's email local part, "board" for the board login,
# else a name; days the term has run)
SEATS = [
    ("Seat 1", WO, "Chair", "kwame", 500),
    ("Seat 2", WO, "Secretary", "mei", 400),
    ("Seat 3", WO, "", "owner", 200),
    ("Seat 4", APPOINTED, "Treasurer", "board", 150),
    ("Seat 5", INDEPENDENT, "", "Dr. Alma Ruiz", 100),
]
CANDIDATES = [
    ("tomas", "Eleven years as a CNA, four of them here. I want the co-op to open a second site in Fresno and to put the "
              "patronage rules in plain words in every new member's packet."),
    ("aisha", "I sit on the Labor-Management Committee. On the board I will push for the step raises of the next contract "
              "and for childcare help on night shifts."),
    ("sofia", "New to ownership and proud of it. I will hold monthly open meetings so every worker-owner hears what the "
              "board decides before it is decided."),
]
# Cast before the demo starts: the worker-owner login's vote is still to come.
ELECTION_BALLOTS = [("kwame", ["tomas", "aisha"]), ("mei", ["aisha", "sofia", "tomas"]), ("tomas", ["tomas", "sofia"])]
RESOLUTION_BALLOTS = [("kwame", "yes"), ("sofia", "yes")]
BUDGET = [
    ("Client billings", Decimal("2480000.00")),
    ("Wages under the CBA", Decimal("-1890000.00")),
    ("Health, dental and vision", Decimal("-212000.00")),
    ("Wage protection (bill rates below the CBA wage)", Decimal("-18500.00")),
    ("Staff, office and software", Decimal("-221000.00")),
    ("Net earnings from member business", Decimal("138500.00")),
    ("Collective reserve (30%)", Decimal("41550.00")),
    ("Patronage pool for worker-owners (70%)", Decimal("96950.00")),
]


def seed(cooperative: Cooperative, board_user: User | None, workers: dict[str, Worker]) -> None:
    today = cooperative.today()
    if not BoardSeat.objects.filter(cooperative=cooperative).exists():
        _board(cooperative, board_user, workers, today)
    year = today.year
    election_title = f"Board election {year}: seats 2 and 3"
    if not Election.objects.filter(cooperative=cooperative, title=election_title).exists():
        _election(cooperative, election_title, board_user, workers)
    resolution_title = f"Adopt the {year + 1} operating budget"
    if not Resolution.objects.filter(cooperative=cooperative, title=resolution_title).exists():
        _resolution(cooperative, resolution_title, board_user, workers)
    _documents(cooperative, board_user, today)


def _board(cooperative, board_user, workers, today) -> None:
    # Worker-owner seats first: every term added must keep the worker-owner majority.
    for name, kind, officer, holder, days in SEATS:
        seat = seat_create(cooperative=cooperative, name=name, kind=kind, officer_role=officer)
        worker = workers.get(holder)
        user = board_user if holder == "board" else None
        holder_name = str(worker) if worker else (user.full_name if user else holder)
        term_add(seat=seat, holder_name=holder_name, worker=worker, user=user, starts_on=today - timedelta(days=days),
                 source=BoardTerm.Source.ELECTED if kind == WO else BoardTerm.Source.APPOINTED)


def _election(cooperative, title, board_user, workers) -> None:
    now, today = timezone.now(), cooperative.today()
    election = election_create(
        cooperative=cooperative, title=title, number_of_seats=2, method=Election.Method.RANKED,
        nominations_open_at=now - timedelta(days=20), nominations_close_at=now - timedelta(days=2),
        voting_opens_at=now - timedelta(days=1), voting_closes_at=now + timedelta(days=13), record_date=today - timedelta(days=2),
        description="Two worker-owner seats, for three years. Rank as many candidates as you like: your ballot moves to "
                    "your next choice when your first is elected with votes to spare or cannot win.",
        created_by=board_user,
    )
    nominations_open(election=election, opened_by=board_user)
    candidates = {local: candidate_nominate(election=election, worker=workers[local], statement=statement, nominated_by=board_user)
                  for local, statement in CANDIDATES}
    election = voting_open(vote=election, opened_by=board_user)
    for voter, ranking in ELECTION_BALLOTS:
        ballot_cast(vote=election, worker=workers[voter], choices=[str(candidates[c].uuid) for c in ranking])


def _resolution(cooperative, title, board_user, workers) -> None:
    now, today = timezone.now(), cooperative.today()
    resolution = resolution_create(
        cooperative=cooperative, title=title, voting_opens_at=now - timedelta(days=1), voting_closes_at=now + timedelta(days=9),
        record_date=today - timedelta(days=2), created_by=board_user,
        text=f"The worker-owners adopt the operating budget for {today.year + 1} that the board proposes (the document "
             f"\"Operating budget {today.year + 1} (proposed)\" under Governance documents).\n\n"
             "It keeps 30% of net earnings from member business as the collective reserve and allocates the rest to "
             "worker-owners as patronage, in proportion to their hours worked.",
    )
    resolution = voting_open(vote=resolution, opened_by=board_user)
    for voter, choice in RESOLUTION_BALLOTS:
        ballot_cast(vote=resolution, worker=workers[voter], choices=choice)


def _documents(cooperative, board_user, today) -> None:
    year = today.year
    documents = [
        (GovernanceDocument.Kind.BUDGET, f"Operating budget {year + 1} (proposed)", False,
         [f"The board's proposal for {year + 1}, put to the worker-owners' vote."], BUDGET),
        (GovernanceDocument.Kind.FINANCIALS, f"Financial statements, {year - 1}", False,
         [f"Income statement of the fiscal year {year - 1}, as reviewed by the board."], BUDGET[:6]),
        (GovernanceDocument.Kind.MINUTES, f"Board minutes, {today:%B %Y}", False,
         ["Present: the five directors. The board approved the proposed budget for the worker-owners' vote, called the "
          "board election for seats 2 and 3, and heard the Labor-Management Committee's report on night-shift staffing."], []),
        (GovernanceDocument.Kind.BYLAWS, "Bylaws", True,
         ["Worker-owners elect the board; worker-owners hold a majority of its seats. One worker-owner, one vote.",
          "An employee becomes a candidate for ownership after 350 hours in one job classification within twelve months, "
          "and a worker-owner on signing the membership agreement and paying (or being excused from) the equity buy-in."], []),
    ]
    for kind, title, is_public, paragraphs, rows in documents:
        if GovernanceDocument.objects.filter(cooperative=cooperative, title=title).exists():
            continue
        pdf = render_pdf("governance/documents/demo_document.html", {
            "cooperative": cooperative, "title": title, "paragraphs": paragraphs, "columns": ("", "Amount"),
            "rows": [(label, money_text(amount)) for label, amount in rows],
        })
        document_publish(cooperative=cooperative, kind=kind, title=title, is_public=is_public, published_by=board_user,
                         file=ContentFile(pdf, name=f"{kind}.pdf"))
