"""Reads of placements used by services, pages, the API and other apps, one module per subject;
the public names are re-exported here, so callers write `from placements import selectors`."""

from placements.billing import (  # noqa: F401 (payroll reads them here)
    WorkedTimesheet, approved_between, approved_timesheets, billed_segments, billing_by_worker,
)
from placements.selectors.board import (  # noqa: F401
    BOARD_DAYS, BOARD_PAGE_SIZE, FILLED, BoardDay, local_midnight, board_days, board_day, placements_in_year,
    board_days_shown,
)
from placements.selectors.shifts import (  # noqa: F401
    bill_rate_on, shift_local_date, shifts_open_to, shifts_bookable, worker_schedule, open_shifts_between,
    open_positions, next_assignment,
)
from placements.selectors.timesheets import (  # noqa: F401
    timesheets_awaiting, timesheets_waiting, timesheets_submitted, QueueOption, QueueCounts,
    timesheet_queue_counts,
)
from placements.selectors.clients import (  # noqa: F401
    client_ids_for, invoices_for_clients, ClientHome, client_home, client_uuids,
)
from placements.selectors.for_payroll import (  # noqa: F401
    approved_timesheet_count, approved_timesheet_ids, timesheets_undecided, corrections_to_pay,
    corrections_paid_in, corrections_since,
)
from placements.selectors.figures import (  # noqa: F401
    placement_counts, shift_fill_counts, billed_by_client_and_quarter,
)
from placements.selectors.calendar import (  # noqa: F401
    FEED_STATUSES, calendar_feed_live, calendar_feed_for_token, calendar_assignments,
)
from placements.selectors.invoices import (  # noqa: F401
    LOOKBACK_DAYS, CorrectionToAdjust, corrections_to_adjust, LateHours, late_hours_to_bill,
)
from placements.selectors.shift_changes import (  # noqa: F401
    RECENT_DAYS, shift_changes_waiting, shift_changes_open, shift_changes_decided, worker_shift_changes,
    swap_coworkers, reopened_by_drop,
)
