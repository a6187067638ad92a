"""Generated ownership-path data is consistent with the rules it simulates."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.db.models import Sum
from django_scopes import scope, scopes_disabled

from alliedup.models import Cooperative
from members.models import Candidacy, HoursEntry, MemberStatus, Worker
from members.selectors import candidacy_window
from members.services.candidacy import eligibility_sweep
from seeding.generate.members import _reached_on


def test_reached_on_uses_the_rolling_window():
    from datetime import date

    day = date(2026, 1, 1)
    shifts = [(day, Decimal("200.00")), (day + timedelta(days=365), Decimal("150.00")), (day + timedelta(days=366), Decimal("200.00"))]
    # 200 on day 0 has fallen out of the 365-day window by day 365; 150 + 200 reaches 350 on day 366
    assert _reached_on(shifts, Decimal("350.00"), 365) == day + timedelta(days=366)


def test_generated_workers_hours_and_statuses_agree(db):
    call_command("generate_data", cooperatives=2, workers=60, weeks=60, seed=3, stdout=StringIO())
    with scopes_disabled():
        coops = list(Cooperative.objects.filter(slug__startswith="gen-coop-"))
        assert Worker.objects.filter(cooperative__in=coops).count() == 60
        assert HoursEntry.objects.filter(cooperative__in=coops).count() > 60 * 20
        for owner in Worker.objects.filter(status=MemberStatus.OWNER):
            assert owner.owner_since and owner.owner_classification_id
            assert Candidacy.objects.get(worker=owner).status == Candidacy.Status.COMPLETED
        assert Worker.objects.filter(status=MemberStatus.OWNER).exists()
        # every candidacy opened on a day its worker really had the threshold in the window
        for candidacy in Candidacy.objects.select_related("cooperative"):
            start, end = candidacy_window(candidacy.cooperative, candidacy.opened_on)
            total = HoursEntry.objects.filter(worker=candidacy.worker_id, workday__gte=start, workday__lte=end).aggregate(t=Sum("hours"))["t"]
            assert total >= candidacy.cooperative.candidacy_hours_threshold
        last_day = HoursEntry.objects.order_by("-workday").values_list("workday", flat=True).first()
    # the history is a steady state: the nightly sweep on the last day finds almost no backlog
    opened = 0
    for coop in coops:
        with scope(cooperative=coop):
            opened += len(eligibility_sweep(cooperative=coop, check_date=last_day))
    assert opened <= 3
