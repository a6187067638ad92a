"""Insights jobs: keeping the dashboards' figures in the cache (beat: insights-warm-reports)."""

from celery import shared_task

from alliedup.celery import CooperativeTask
from insights.reports import warm_reports


@shared_task(base=CooperativeTask)
def warm_reports_task(*, cooperative) -> int:
    """Store the co-op's dashboards' figures for the periods their pages open with, today in
    the co-op's own time zone (insights.reports.warm_reports). Queued per active co-op by
    alliedup.tasks.fan_out every INSIGHTS_WARM_SECONDS. Returns the entries written; running
    it twice only replaces them."""
    return warm_reports(cooperative, cooperative.today())
