"""Staff page of the co-op's holiday calendar: a year's holidays, one added by hand, the
standard list added for a year, one removed. Views parse, call payroll.services.holidays,
and redirect back to the year shown."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.permissions import permission_required_in_coop
from payroll.forms import HolidayForm, HolidayRemoveForm, StandardHolidaysForm
from payroll.services import holidays as holiday_services
from worktime.selectors import holidays_in_year


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _back(coop_slug, year: int):
    return redirect(f"{reverse('payroll:holidays', args=[coop_slug])}?year={year}")


def _page(request, year: int, *, form=None, standard_form=None, status=200):
    days = holidays_in_year(request.cooperative, year)
    return render(request, "payroll/staff/holidays.html", {
        "year": year, "holidays": days, "previous_year": year - 1, "next_year": year + 1,
        "form": form or HolidayForm(), "standard_form": standard_form or StandardHolidaysForm(initial={"year": year}),
    }, status=status)


@require_GET
@permission_required_in_coop("payroll.view")
def holidays(request, coop_slug):
    return _page(request, _year(request, request.cooperative.today().year))


@require_POST
@permission_required_in_coop("payroll.manage")
def holiday_add(request, coop_slug):
    form = HolidayForm(request.POST)
    year = request.cooperative.today().year
    if form.is_valid():
        year = form.cleaned_data["day"].year
        try:
            holiday = holiday_services.holiday_add(cooperative=request.cooperative, added_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{holiday} added to the holiday calendar.")
            return _back(coop_slug, year)
    return _page(request, year, form=form, status=400)


@require_POST
@permission_required_in_coop("payroll.manage")
def holidays_add_standard(request, coop_slug):
    form = StandardHolidaysForm(request.POST)
    year = request.cooperative.today().year
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            added = holiday_services.holidays_add_standard(cooperative=request.cooperative, year=year, added_by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{len(added)} holiday{'' if len(added) == 1 else 's'} of {year} added."
                             if added else f"The standard holidays of {year} are all in the calendar already.")
            return _back(coop_slug, year)
    return _page(request, year, standard_form=form, status=400)


@require_POST
@permission_required_in_coop("payroll.manage")
def holiday_remove(request, coop_slug):
    form = HolidayRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say which day to remove.")
        return _back(coop_slug, request.cooperative.today().year)
    day = form.cleaned_data["day"]
    try:
        holiday_services.holiday_remove(cooperative=request.cooperative, day=day, removed_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{day:%b %d, %Y} is no longer a holiday.")
    return _back(coop_slug, day.year)
