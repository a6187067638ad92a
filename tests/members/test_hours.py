from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from members.models import HoursEntry
from members.services.hours import hours_post, hours_reverse
from tests.members.factories import WorkerFactory

DAY = date(2026, 6, 1)


def _post(worker, classification, hours="8.00", ref="ts-1", day=DAY):
    return hours_post(worker=worker, classification=classification, workday=day, hours=hours, source="timesheet", source_ref=ref)


@pytest.mark.parametrize("bad", ["-1.00", "0", "24.01", "7.555", "abc"])
def test_bad_hours_are_refused_and_nothing_is_written(alliedup, ma, bad):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    with pytest.raises(ValidationError) as err:
        _post(worker, ma, hours=bad)
    assert "hours" in err.value.message_dict
    assert not HoursEntry.objects.exists()


def test_posting_the_same_timesheet_twice_counts_once(alliedup, ma):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    first = _post(worker, ma)
    assert _post(worker, ma) == first
    assert HoursEntry.objects.count() == 1


def test_the_same_reference_with_other_figures_is_a_clear_error(alliedup, ma):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    _post(worker, ma)
    with pytest.raises(ValidationError, match="already posted"):
        _post(worker, ma, hours="9.00")


def test_hours_only_in_a_classification_the_worker_holds(alliedup, ma, rn):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    with pytest.raises(ValidationError, match="not hired as"):
        _post(worker, rn)


def test_reversal_nets_to_zero_and_happens_once(alliedup, ma, alliedup_users):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    entry = _post(worker, ma, hours="7.50")
    reversal = hours_reverse(entry=entry, reason="Timesheet disputed", reversed_by=alliedup_users["admin"])
    assert reversal.hours == Decimal("-7.50") and reversal.reverses == entry
    assert sum(HoursEntry.objects.values_list("hours", flat=True)) == 0
    with pytest.raises(ValidationError, match="already been reversed"):
        hours_reverse(entry=entry, reason="again")
    with pytest.raises(ValidationError):
        hours_reverse(entry=reversal, reason="reverse the reversal")
    with pytest.raises(ValidationError):
        hours_reverse(entry=_post(worker, ma, ref="ts-2"), reason="  ")
