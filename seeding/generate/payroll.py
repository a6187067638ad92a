"""Generated payroll data, for `generate_data` and `make bench`: per generated co-op, a
collective agreement in force over the generated weeks and well beyond, with a wage table
per classification (steps 1–5) and a night differential.

The wages are SYNTHETIC: a start rate per classification of at least $25.00 and 3 % more
per step, labelled so wherever they show ("(synthetic)" in the agreement's benchmark source
and each table's note). They are in the range of a large California employer's scale, not
copied from it.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from alliedup.models import Cooperative
from members.models import JobClassification
from payroll.models import CollectiveAgreement, ShiftDifferential, WageStep, WageTable

BENCHMARK_SOURCE = "Kaiser Permanente Southern California, 2025 scale (synthetic)"
TABLE_NOTE = "Synthetic wage table for generated data: start rate × 1.03 per step; not a real scale."
# Step-1 hourly wage by classification code (synthetic).
START_RATES = {
    "ma": Decimal("26.00"), "cna": Decimal("27.50"), "phlebotomist": Decimal("28.00"), "coder": Decimal("31.00"),
    "lab-tech": Decimal("39.00"), "lvn": Decimal("42.00"), "rt": Decimal("55.00"), "slp": Decimal("62.00"),
    "rn": Decimal("74.00"),
}
DEFAULT_START_RATE = Decimal("25.00")
STEP_RAISE = Decimal("1.03")
STEPS = 5
# Hours from 23:00 to 07:00 in the co-op's zone: $2.50 an hour more.
NIGHT_WINDOW = (time(23, 0), time(7, 0))
NIGHT_AMOUNT = Decimal("2.5000")


def step_wage(code: str, step: int) -> Decimal:
    """The synthetic CBA wage of a classification at a step (1–5), to the cent."""
    return (START_RATES.get(code, DEFAULT_START_RATE) * STEP_RAISE ** (step - 1)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def create_agreement(coop: Cooperative, classifications, *, starts_on: date, ends_on: date) -> CollectiveAgreement:
    """The co-op's agreement (in force), a table per classification from `starts_on` and the
    night differential. Seven queries whatever the number of classifications."""
    agreement = CollectiveAgreement.objects.create(
        cooperative=coop, name=f"Generated CBA {starts_on.year}–{ends_on.year} (synthetic)", union="SEIU-UHW (synthetic)",
        starts_on=starts_on, ends_on=ends_on, status=CollectiveAgreement.Status.ACTIVE, benchmark_source=BENCHMARK_SOURCE,
        dues_kind=CollectiveAgreement.DuesKind.PERCENT, dues_percent=Decimal("1.50"), dues_cap=Decimal("60.00"),
    )
    tables = WageTable.objects.bulk_create([
        WageTable(cooperative=coop, agreement=agreement, classification=c, effective_from=starts_on, benchmark_note=TABLE_NOTE)
        for c in classifications
    ])
    WageStep.objects.bulk_create([
        WageStep(cooperative=coop, table=table, step=step, hourly_rate=step_wage(c.code, step))
        for table, c in zip(tables, classifications) for step in range(1, STEPS + 1)
    ])
    ShiftDifferential.objects.create(
        cooperative=coop, agreement=agreement, kind=ShiftDifferential.Kind.NIGHT, basis=ShiftDifferential.Basis.PER_HOUR,
        amount=NIGHT_AMOUNT, window_start=NIGHT_WINDOW[0], window_end=NIGHT_WINDOW[1],
    )
    return agreement


def generate_payroll(ctx) -> dict[str, int]:
    starts_on = ctx.start.date() - timedelta(days=1)
    ends_on = ctx.until.date() + timedelta(days=3 * 365)
    counts = {"agreements": 0, "wage tables": 0}
    by_coop: dict[int, list[JobClassification]] = {}
    for c in JobClassification.objects.filter(cooperative__in=ctx.coops).order_by("cooperative_id", "code"):
        by_coop.setdefault(c.cooperative_id, []).append(c)
    for coop in ctx.coops:
        create_agreement(coop, by_coop.get(coop.pk, []), starts_on=starts_on, ends_on=ends_on)
        counts["agreements"] += 1
        counts["wage tables"] += len(by_coop.get(coop.pk, []))
    return counts
