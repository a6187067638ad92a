from datetime import date

import pytest
from django.core.exceptions import ValidationError

from governance.selectors import majority_status
from governance.services.board import seat_create, term_add, term_end
from members.services.status import status_change
from tests.governance.conftest import make_owner


def test_a_change_that_breaks_the_worker_owner_majority_is_refused(alliedup):
    a, b = make_owner(alliedup), make_owner(alliedup)
    seats = [seat_create(cooperative=alliedup, name=f"Seat {i}", kind=kind)
             for i, kind in enumerate(["worker_owner", "worker_owner", "appointed", "appointed"])]
    term_add(seat=seats[0], holder_name="", worker=a, starts_on=date(2026, 1, 1), source="appointed")
    term_add(seat=seats[1], holder_name="", worker=b, starts_on=date(2026, 1, 1), source="appointed")
    term_add(seat=seats[2], holder_name="Dr. Lee (independent)", starts_on=date(2026, 1, 1), source="appointed")
    # 2 owners of 3 filled seats hold; a fourth non-owner would make 2 of 4: not more than half
    with pytest.raises(ValidationError, match="2 of 4"):
        term_add(seat=seats[3], holder_name="CEO", starts_on=date(2026, 2, 1), source="appointed")
    with pytest.raises(ValidationError, match="1 of 2"):
        term_end(term=seats[0].terms.get(), ends_on=date(2026, 6, 30))
    assert majority_status(alliedup, date(2026, 7, 1)).holds


def test_an_owner_whose_status_lapses_shows_as_a_breach(alliedup):
    a, b = make_owner(alliedup), make_owner(alliedup)
    for i, w in enumerate((a, b)):
        term_add(seat=seat_create(cooperative=alliedup, name=f"S{i}", kind="worker_owner"), holder_name="", worker=w,
                 starts_on=date(2026, 1, 1), source="elected")
    status_change(worker=a, to_status="lapsed", reason="below 100 hours")
    status = majority_status(alliedup, date(2026, 11, 23))
    assert not status.holds and [t.worker_id for t in status.breaches] == [a.pk]
