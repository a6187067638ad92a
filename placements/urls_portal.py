"""Worker and client portal routes (placements/views/portal.py), under the `placements:`
namespace at /c/<coop_slug>/placements/. Worker pages live under me/, client pages under
client/, so they never collide with the staff routes of urls_staff.py."""

from django.urls import path

from placements.views import calendar as calendar_views
from placements.views import invoices as invoice_views
from placements.views import portal
from placements.views import shift_changes

urlpatterns = [
    path("me/shifts/", portal.open_shifts, name="open_shifts"),
    path("me/shifts/<uuid:shift_uuid>/request/", portal.shift_request, name="my_shift_request"),
    path("me/schedule/", portal.my_schedule, name="my_schedule"),
    path("me/assignments/<uuid:assignment_uuid>/timesheet/", portal.timesheet_submit, name="my_timesheet_submit"),
    path("me/assignments/<uuid:assignment_uuid>/change/", shift_changes.my_shift_change, name="my_shift_change"),
    path("me/shift-changes/<uuid:shift_change_uuid>/withdraw/", shift_changes.my_shift_change_withdraw, name="my_shift_change_withdraw"),
    path("me/shift-changes/<uuid:shift_change_uuid>/accept/", shift_changes.my_swap_accept, name="my_swap_accept"),
    path("me/shift-changes/<uuid:shift_change_uuid>/turn-down/", shift_changes.my_swap_turn_down, name="my_swap_turn_down"),
    path("me/calendar/", calendar_views.my_calendar_issue, name="my_calendar_issue"),
    path("me/calendar/revoke/", calendar_views.my_calendar_revoke, name="my_calendar_revoke"),
    path("client/timesheets/", portal.client_timesheets, name="client_timesheets"),
    path("client/timesheets/<uuid:timesheet_uuid>/approve/", portal.client_timesheet_approve, name="client_timesheet_approve"),
    path("client/timesheets/<uuid:timesheet_uuid>/dispute/", portal.client_timesheet_dispute, name="client_timesheet_dispute"),
    path("client/job-orders/new/", portal.client_job_order_new, name="client_job_order_new"),
    path("client/invoices/", invoice_views.client_invoices, name="client_invoices"),
    path("client/invoices/<uuid:invoice_uuid>/pdf/", invoice_views.client_invoice_pdf, name="client_invoice_pdf"),
]
