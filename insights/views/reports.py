"""Insights pages: the staff (operations), board (money and governance) and "our co-op"
(worker-owners) reports with a period picker, their CSV exports and the board pack PDF.

Views parse the period, call insights.reports.report_sections and render. Every figure is
an aggregate of the active co-op only (the scope is open; the selectors filter on it too).
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from alliedup.documents import render_pdf
from alliedup.permissions import permission_required_in_coop
from insights.board_pack import pack_sections
from insights.forms import PeriodForm
from insights.reports import REPORTS, report_csv, report_sections


def _form(request, report):
    return PeriodForm(request.GET, cooperative=request.cooperative, with_market_reference=(report == "board"))


def _options(form) -> dict:
    market = form.cleaned_data.get("market_reference")
    return {"market_reference": market} if market is not None else {}


def _page(request, report):
    form = _form(request, report)
    context = {"report": report, "title": REPORTS[report]["title"], "form": form, "sections": [],
               "query": request.GET.urlencode()}
    if not form.is_valid():
        return render(request, "insights/report.html", context, status=400)
    context["sections"] = report_sections(request.cooperative, report, form.cleaned_data["start"], form.cleaned_data["end"],
                                          **_options(form))
    context.update(start=form.cleaned_data["start"], end=form.cleaned_data["end"])
    return render(request, "insights/report.html", context)


def _export(request, report):
    """(sections, start, end) of a download, or a plain-text 400 naming the bad fields."""
    form = _form(request, report)
    if not form.is_valid():
        return HttpResponse("; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()), status=400,
                            content_type="text/plain; charset=utf-8")
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return report_sections(request.cooperative, report, start, end, **_options(form)), start, end


def _csv(request, report):
    exported = _export(request, report)
    if isinstance(exported, HttpResponse):
        return exported
    sections, start, end = exported
    response = HttpResponse(report_csv(sections), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="insights-{report}-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    return response


@require_GET
@permission_required_in_coop("insights.staff")
def staff(request, coop_slug):
    return _page(request, "staff")


@require_GET
@permission_required_in_coop("insights.board")
def board(request, coop_slug):
    return _page(request, "board")


@require_GET
@permission_required_in_coop("insights.owner")
def owner(request, coop_slug):
    return _page(request, "owner")


@require_GET
@permission_required_in_coop("insights.staff")
def staff_csv(request, coop_slug):
    return _csv(request, "staff")


@require_GET
@permission_required_in_coop("insights.board")
def board_csv(request, coop_slug):
    return _csv(request, "board")


@require_GET
@permission_required_in_coop("insights.owner")
def owner_csv(request, coop_slug):
    return _csv(request, "owner")


@require_GET
@permission_required_in_coop("insights.board")
def board_pdf(request, coop_slug):
    """The board pack: every board figure with its chart and table (a long finance table as its
    totals by quarter and by client: insights.board_pack)."""
    exported = _export(request, "board")
    if isinstance(exported, HttpResponse):
        return exported
    sections, start, end = exported
    pdf = render_pdf("insights/board_pack.html", {"cooperative": request.cooperative, "sections": pack_sections(sections),
                                                 "start": start, "end": end, "today": request.cooperative.today()})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="board-pack-{start:%Y%m%d}-{end:%Y%m%d}.pdf"'
    return response
