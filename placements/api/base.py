"""What the placements API's views share: a classification named in a request (the members
API's rule, one place) and timesheets as the API shows them."""

from members.api.base import classification_or_400  # noqa: F401 (the placements views import it from here)
from placements.models import Timesheet


def timesheets_qs(cooperative):
    """The co-op's timesheets with what TimesheetSerializer shows, in one query."""
    return Timesheet.objects.filter(cooperative=cooperative).select_related(
        "assignment__worker", "assignment__shift__classification", "assignment__shift__job_order__contract__client"
    )
