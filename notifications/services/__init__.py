"""Writes of notifications, and the public API other apps use to tell a worker something:

- `Kind` (notifications/kinds.py): the kinds of notice, each with its templates;
- `Notice(worker, subject, context)`: one thing to tell one worker; `subject` names it for
  send-once ("assignment:12");
- `deliver(cooperative=, kind=, notices=, task=, now=None)`: each notice once on each channel
  its worker wants (services/delivery.py);
- `queue(task, cooperative_id=, **ids)`: run a notice task once the transaction commits, and
  `paused()` to queue none (services/triggers.py);
- `absolute_url(path)`: a link for a message.

The apps that own the data compose their notices and run their tasks (`placements.notices`,
`payroll.notices`, `governance.notices`); the notices that read only members are composed
here (`sweeps`). `preferences`: opt-outs, SMS consent, unsubscribe, the co-op's channel
settings."""

from notifications.kinds import Kind
from notifications.services.delivery import Notice, absolute_url, deliver
from notifications.services.triggers import paused, queue

__all__ = ["Kind", "Notice", "absolute_url", "deliver", "paused", "queue"]
