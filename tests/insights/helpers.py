"""Builders of hand-worked insight fixtures: plain model rows, written directly so each
test states exactly the history it counts (the services' own rules are tested elsewhere)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from members.models import MemberStatusChange
from placements.models import Assignment, Client, ClientContract, JobOrder, Shift, Timesheet
from tests.members.factories import JobClassificationFactory, WorkerFactory

LA = ZoneInfo("America/Los_Angeles")


class Builder:
    def __init__(self, coop, client_name="Eastbay Clinic"):
        self.coop = coop
        self.ma = JobClassificationFactory(cooperative=coop, code="ma", name="Medical Assistant")
        self.client = Client.objects.create(cooperative=coop, name=client_name)
        self.contract = ClientContract.objects.create(cooperative=coop, client=self.client, reference=f"{client_name}-1",
                                                      starts_on=date(2025, 1, 1))
        self.order = JobOrder.objects.create(cooperative=coop, contract=self.contract, classification=self.ma, starts_on=date(2025, 1, 1),
                                             ends_on=date(2027, 12, 31), shift_start=time(7), shift_end=time(15))
        self.worker = WorkerFactory(cooperative=coop, hire_date=date(2025, 1, 6), classifications=[self.ma])
        self._voters = []

    def shift(self, local_start: datetime, status=Shift.Status.OPEN, hours=8) -> Shift:
        starts = local_start.replace(tzinfo=LA)
        return Shift.objects.create(cooperative=self.coop, job_order=self.order, classification=self.ma, starts_at=starts,
                                    ends_at=starts + timedelta(hours=hours), status=status)

    def placement(self, local_start: datetime, timesheet_status=Timesheet.Status.APPROVED, worker=None) -> Timesheet:
        shift = self.shift(local_start, Shift.Status.COMPLETED if timesheet_status == Timesheet.Status.APPROVED else Shift.Status.FILLED)
        assignment = Assignment.objects.create(cooperative=self.coop, shift=shift, worker=worker or self.worker,
                                               starts_at=shift.starts_at, ends_at=shift.ends_at)
        return Timesheet.objects.create(cooperative=self.coop, assignment=assignment, clock_in=shift.starts_at,
                                        clock_out=shift.ends_at, status=timesheet_status)

    def history(self, worker, *moves):
        """moves: (to_status, effective_on) in order; the first move's from_status is ''."""
        previous = ""
        for to_status, effective_on in moves:
            MemberStatusChange.objects.create(cooperative=self.coop, worker=worker, from_status=previous, to_status=to_status,
                                              effective_on=effective_on, reason="test")
            previous = to_status
        worker.status = previous
        if previous in ("owner", "lapsed"):
            worker.owner_since = [d for s, d in moves if s == "owner"][-1]
        worker.save()
        return worker

    def hired(self, hire_date, *moves, **kwargs):
        worker = WorkerFactory(cooperative=self.coop, hire_date=hire_date, **kwargs)
        return self.history(worker, ("employee", hire_date), *moves)

    def pay(self, *, workday, amount, hours="8.00", absorbed="0.00", bill_amount="0.00", status="approved", kind="regular",
            timesheet=None, starts_on=None):
        from payroll.models import PayLine, PayPeriod, PayRun

        starts_on = starts_on or workday
        period, _ = PayPeriod.objects.get_or_create(cooperative=self.coop, starts_on=starts_on,
                                                    defaults={"ends_on": starts_on + timedelta(days=13), "pay_date": starts_on + timedelta(days=19)})
        run, _ = PayRun.objects.get_or_create(cooperative=self.coop, period=period, defaults={"status": status})
        timesheet = timesheet or self.placement(datetime.combine(workday, time(7)))
        return PayLine.objects.create(cooperative=self.coop, run=run, worker=timesheet.assignment.worker, workday=workday, kind=kind,
                                      classification=self.ma, timesheet=timesheet, hours=Decimal(hours), rate=Decimal("33.0000"),
                                      amount=Decimal(amount), client=self.client, bill_amount=Decimal(bill_amount),
                                      absorbed=Decimal(absorbed))

    def invoice_line(self, *, workday, amount, status="issued", timesheet=None):
        from placements.models import Invoice, InvoiceLine

        timesheet = timesheet or self.placement(datetime.combine(workday, time(7)))
        invoice = Invoice.objects.create(cooperative=self.coop, client=self.client, period_start=workday, period_end=workday,
                                         status=status, total=Decimal(amount))
        return InvoiceLine.objects.create(cooperative=self.coop, invoice=invoice, timesheet=timesheet, workday=workday, kind="regular",
                                          classification=self.ma, worker_name="x", hours=Decimal("8.00"),
                                          rate=Decimal(amount) / 8, amount=Decimal(amount))

    def resolution(self, local_close: datetime, *, on_roll: int, voted: int, adopted: bool | None = True, status="closed",
                   title="Amend the bylaws", quorum_percent="50.00"):
        """A resolution whose voting closed at `local_close` (the co-op's wall clock): `on_roll`
        voters on its roll, the first `voted` of them with a participation and as many
        ballots, and a count recording `adopted` (None: no outcome recorded)."""
        from governance.models import Resolution, ResolutionBallot, VoterParticipation, VoterRollEntry

        closes = local_close.replace(tzinfo=LA)
        voters = self.voters(on_roll)
        result = {"on_roll": on_roll, "voted": voted} if status in ("closed", "certified") else {}
        if result and adopted is not None:
            result["adopted"] = adopted
        resolution = Resolution.objects.create(
            cooperative=self.coop, title=title, text="Resolved: …", voting_opens_at=closes - timedelta(days=7), voting_closes_at=closes,
            record_date=(closes - timedelta(days=14)).date(), quorum_percent=Decimal(quorum_percent), status=status, result=result)
        entries = VoterRollEntry.objects.bulk_create(
            [VoterRollEntry(cooperative=self.coop, resolution=resolution, worker=w) for w in voters])
        VoterParticipation.objects.bulk_create([VoterParticipation(cooperative=self.coop, roll_entry=e) for e in entries[:voted]])
        ResolutionBallot.objects.bulk_create([
            ResolutionBallot(cooperative=self.coop, resolution=resolution, receipt_code=f"R{resolution.pk}-{i}", choice="yes")
            for i in range(voted)])
        return resolution

    def voters(self, n: int) -> list:
        """n worker-owners (made once, shared by every roll of this builder)."""
        while len(self._voters) < n:
            self._voters.append(WorkerFactory(cooperative=self.coop, hire_date=date(2024, 1, 8), status="owner",
                                              owner_since=date(2025, 1, 6)))
        return self._voters[:n]
