"""Clients, contracts with bill rates, job orders, shifts, assignments and timesheets,
invoices and applicants, one module per subject (the names are re-exported here: migrations,
foreign keys and callers use `placements.models.X`).

The co-op is the employer of record: it dispatches its own employees (members.Worker) to
client facilities and bills the client. Rules live in placements/services/.
"""

from placements.models.clients import (  # noqa: F401
    Client, ClientContact, ClientSite, ClientContract, BillRate,
)
from placements.models.shifts import (  # noqa: F401
    JobOrder, Shift, Assignment, CalendarFeed, ShiftChangeRequest,
)
from placements.models.timesheets import (  # noqa: F401
    Timesheet, TimesheetCorrection,
)
from placements.models.invoices import (  # noqa: F401
    Invoice, InvoiceLine,
)
from placements.models.applicants import (  # noqa: F401
    resume_upload_to, Applicant,
)
