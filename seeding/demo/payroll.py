"""Demo rows of payroll for `seed_demo` (idempotent: nothing is added once the co-op has an agreement).

A collective agreement in force over the year of history (seeding.demo.placements) and a
pay period after another over that year, each run calculated, approved, exported and
completed with the processor's results (synthetic taxes), so every worker has a year of pay
statements. The last period that has ended is calculated and waits for payroll staff to
approve it; the current one is open.

The wage tables are SYNTHETIC and say so: Kaiser Permanente Southern California's step
scales are not public (design § 2). Each classification has a start rate above the $25
California healthcare minimum, × 1.03 per step, five steps; the medical assistant starts
at $33.00, the case study's CBA wage.
"""

import csv
import io
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from alliedup.models import Cooperative, User
from members.models import JobClassification
from payroll.models import CollectiveAgreement, PayRun
from payroll.selectors import employee_id
from payroll.services.holidays import holidays_add_standard
from payroll.services.periods import pay_period_create
from payroll.services.processor import payrun_export, payrun_import_results
from payroll.services.runs_approve import payrun_approve
from payroll.services.runs_calculate import payrun_calculate
from payroll.services.wages import agreement_create, differential_add, wage_table_set
from worktime.overtime import workweek_start

BENCHMARK = "Kaiser Permanente Southern California union scales, 2025 (synthetic demo figures)"
START_RATES = {
    "rn": "78.00", "lvn": "45.00", "cna": "30.00", "ma": "33.00", "lab-tech": "42.00",
    "phlebotomist": "29.50", "rt": "55.00", "slp": "65.00", "coder": "34.00",
}
STEPS = 5
STEP_RAISE = Decimal("1.03")
HISTORY_DAYS = 365  # as seeding.demo.placements'
TAX_SHARE = Decimal("0.17")  # the processor's withholding in the demo's results files (synthetic)


def step_rates(start: str) -> dict[int, Decimal]:
    """Step n = start × 1.03^(n−1), rounded half up to the cent."""
    return {n: (Decimal(start) * STEP_RAISE ** (n - 1)).quantize(Decimal("0.01"), ROUND_HALF_UP) for n in range(1, STEPS + 1)}


def seed(cooperative: Cooperative, payroll_user: User | None = None) -> None:
    if CollectiveAgreement.objects.filter(cooperative=cooperative).exists():
        return
    today = cooperative.today()
    starts = date(today.year - 1, 1, 1)  # in force over the whole year of history
    ends = date(today.year + 1, 6, 30)
    cba = agreement_create(
        cooperative=cooperative, name=f"Collective bargaining agreement {starts.year}–{ends.year}",
        union="SEIU-UHW (demo)", starts_on=starts, ends_on=ends, benchmark_source=BENCHMARK,
        dues_kind=CollectiveAgreement.DuesKind.PERCENT, dues_percent=Decimal("1.50"), dues_cap=Decimal("45.00"),
    )
    for classification in JobClassification.objects.filter(cooperative=cooperative, code__in=START_RATES):
        wage_table_set(agreement=cba, classification=classification, effective_from=starts,
                       steps=step_rates(START_RATES[classification.code]), note=BENCHMARK)
    differential_add(agreement=cba, kind="night", amount=Decimal("3.50"), window_start=time(23), window_end=time(7))
    differential_add(agreement=cba, kind="weekend", basis="percent", amount=Decimal("5.00"))
    for year in range(starts.year, today.year + 2):
        holidays_add_standard(cooperative=cooperative, year=year)
    _pay_history(cooperative, today, payroll_user)


def _pay_history(cooperative: Cooperative, today: date, payroll_user: User | None) -> None:
    """The periods from the first workweek of the history to the current one; every run of a
    period that has ended is paid, except the last (calculated, to approve)."""
    period = pay_period_create(cooperative=cooperative, starts_on=workweek_start(today - timedelta(days=HISTORY_DAYS - 1),
                                                                                  cooperative.workweek_start))
    ended = []
    while period.ends_on < today:
        ended.append(period)
        period = pay_period_create(cooperative=cooperative)
    for n, period in enumerate(ended):
        run = payrun_calculate(run=period.run, calculated_by=payroll_user)
        if n == len(ended) - 1:
            break
        run = payrun_approve(run=run, approved_by=payroll_user)
        payrun_export(run=run, exported_by=payroll_user)
        payrun_import_results(run=run, csv_text=_results_file(run), imported_by=payroll_user)


def _results_file(run: PayRun) -> str:
    """What the processor would send back: per worker, taxes withheld (a flat synthetic share
    of gross less co-op deductions) and the net pay."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["employee_id", "taxes", "net_pay"])
    for statement in run.statements.select_related("worker"):
        available = statement.gross - statement.deductions
        taxes = max(available * TAX_SHARE, Decimal("0.00")).quantize(Decimal("0.01"), ROUND_HALF_UP)
        writer.writerow([employee_id(statement.worker), taxes, max(available - taxes, Decimal("0.00"))])
    return out.getvalue()
