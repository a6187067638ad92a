"""Demo rows of payroll for `seed_demo` (idempotent: nothing is added once the co-op has an agreement).

The wage tables are SYNTHETIC and say so: Kaiser Permanente Southern California's step
scales are not public (design § 2). Each classification has a start rate above the $25
California healthcare minimum, × 1.03 per step, five steps; the medical assistant starts
at $33.00, the case study's CBA wage.
"""

from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from alliedup.models import Cooperative
from members.models import JobClassification
from payroll.models import CollectiveAgreement
from payroll.overtime import workweek_start
from payroll.services.holidays import holidays_add_standard
from payroll.services.periods import pay_period_create
from payroll.services.runs import payrun_calculate
from payroll.services.wages import agreement_create, differential_add, wage_table_set

BENCHMARK = "Kaiser Permanente Southern California union scales, 2025 (synthetic demo figures)"
START_RATES = {
    "rn": "78.00", "lvn": "45.00", "cna": "30.00", "ma": "33.00", "lab-tech": "42.00",
    "phlebotomist": "29.50", "rt": "55.00", "slp": "65.00", "coder": "34.00",
}
STEPS = 5
STEP_RAISE = Decimal("1.03")


def step_rates(start: str) -> dict[int, Decimal]:
    """Step n = start × 1.03^(n−1), rounded half up to the cent."""
    return {n: (Decimal(start) * STEP_RAISE ** (n - 1)).quantize(Decimal("0.01"), ROUND_HALF_UP) for n in range(1, STEPS + 1)}


def seed(cooperative: Cooperative) -> None:
    if CollectiveAgreement.objects.filter(cooperative=cooperative).exists():
        return
    today = cooperative.today()
    starts = date(today.year, 1, 1)
    cba = agreement_create(
        cooperative=cooperative, name=f"Collective bargaining agreement {starts.year}–{starts.year + 1}",
        union="SEIU-UHW (demo)", starts_on=starts, ends_on=date(starts.year + 1, 6, 30), benchmark_source=BENCHMARK,
        dues_kind=CollectiveAgreement.DuesKind.PERCENT, dues_percent=Decimal("1.50"), dues_cap=Decimal("45.00"),
    )
    for classification in JobClassification.objects.filter(cooperative=cooperative, code__in=START_RATES):
        wage_table_set(agreement=cba, classification=classification, effective_from=starts,
                       steps=step_rates(START_RATES[classification.code]), note=BENCHMARK)
    differential_add(agreement=cba, kind="night", amount=Decimal("3.50"), window_start=time(23), window_end=time(7))
    differential_add(agreement=cba, kind="weekend", basis="percent", amount=Decimal("5.00"))
    for year in (today.year, today.year + 1):
        holidays_add_standard(cooperative=cooperative, year=year)
    # The current pay period (it holds yesterday's demo shift), calculated for review.
    period = pay_period_create(cooperative=cooperative, starts_on=workweek_start(today - timedelta(days=1), cooperative.workweek_start))
    payrun_calculate(run=period.run)
