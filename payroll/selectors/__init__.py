"""Reads of payroll used by services, pages, the API and other apps, one module per subject;
the public names are re-exported here, so callers write `from payroll import selectors`."""

from payroll.selectors.wages import (  # noqa: F401
    WageBook, agreement_on, worker_steps, PayRange, pay_ranges, worker_wage_now, to_rate,
    current_wage_tables_qs,
)
from payroll.selectors.sick_leave import (  # noqa: F401
    sick_balances, STANDARD_DAY, DAY_LOOKBACK_DAYS, SickCaps, sick_caps, sick_usable_from, sick_leave_summary,
    sick_used_in_year, sick_requests_waiting,
)
from payroll.selectors.statements import (  # noqa: F401
    employee_id, statement_lines, RateSummary, statement_rates, latest_statement,
)
from payroll.selectors.wage_floor import (  # noqa: F401
    FloorRow, wage_floor_report, quarter_of, absorbed_this_quarter,
)
from payroll.selectors.runs import (  # noqa: F401
    RunException, run_exceptions, negative_pay, run_is_stale, runs_to_approve, periods_with_runs, run_totals,
    work_pay_rows,
)
from payroll.selectors.figures import (  # noqa: F401
    wages_by_client_and_quarter, regular_pay_by_classification, pay_run_summary,
)
