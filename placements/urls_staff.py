"""Staff pages of placements (placements/views/: board, clients, shifts, timesheets and the rest), in the `placements:` namespace
under /c/<coop_slug>/placements/. Object kwargs are named as tests/alliedup/test_isolation.py
expects: client_uuid, contract_uuid, shift_uuid, assignment_uuid, timesheet_uuid, contact_uuid, worker_uuid, shift_change_uuid."""

from django.urls import path

from placements.views import (
    board,
    clients,
    contacts,
    corrections,
    invoices,
    shift_changes,
    shift_import,
    shifts,
    timesheets,
)
from placements.views import calendar as calendar_views

urlpatterns = [
    path("", board.fill_board, name="fill_board"),
    path("clients/", clients.clients, name="clients"),
    path("clients/new/", clients.client_create, name="client_create"),
    path("clients/<uuid:client_uuid>/", clients.client_detail, name="client_detail"),
    path("clients/<uuid:client_uuid>/contracts/", clients.contract_create, name="contract_create"),
    path("clients/<uuid:client_uuid>/job-orders/", clients.job_order_create, name="job_order_create"),
    path("clients/<uuid:client_uuid>/sites/", contacts.client_site_add, name="client_site_add"),
    path("clients/<uuid:client_uuid>/contacts/", contacts.client_contact_add, name="client_contact_add"),
    path("contacts/<uuid:contact_uuid>/resend/", contacts.client_contact_resend, name="client_contact_resend"),
    path("contacts/<uuid:contact_uuid>/remove/", contacts.client_contact_remove, name="client_contact_remove"),
    path("contracts/<uuid:contract_uuid>/bill-rates/", clients.bill_rate_set, name="bill_rate_set"),
    path("contracts/<uuid:contract_uuid>/shift-import/", shift_import.shift_import, name="shift_import"),
    path("shifts/<uuid:shift_uuid>/", shifts.shift_detail, name="shift_detail"),
    path("shifts/<uuid:shift_uuid>/suggestions/", board.shift_suggest, name="shift_suggest"),
    path("shifts/<uuid:shift_uuid>/assign/", board.shift_assign, name="shift_assign"),
    path("assignments/<uuid:assignment_uuid>/cancel/", shifts.assignment_cancel, name="assignment_cancel"),
    path("assignments/<uuid:assignment_uuid>/confirm/", shifts.assignment_confirm, name="assignment_confirm"),
    path("workers/<uuid:worker_uuid>/calendar/", calendar_views.worker_calendar_issue, name="worker_calendar_issue"),
    path("workers/<uuid:worker_uuid>/calendar/revoke/", calendar_views.worker_calendar_revoke, name="worker_calendar_revoke"),
    path("shift-changes/", shift_changes.shift_changes, name="shift_changes"),
    path("shift-changes/<uuid:shift_change_uuid>/approve/", shift_changes.shift_change_approve, name="shift_change_approve"),
    path("shift-changes/<uuid:shift_change_uuid>/decline/", shift_changes.shift_change_decline, name="shift_change_decline"),
    path("timesheets/", timesheets.timesheets, name="timesheets"),
    path("timesheets/<uuid:timesheet_uuid>/approve/", timesheets.timesheet_approve, name="timesheet_approve"),
    path("timesheets/<uuid:timesheet_uuid>/dispute/", timesheets.timesheet_dispute, name="timesheet_dispute"),
    path("timesheets/<uuid:timesheet_uuid>/correct/", corrections.timesheet_correct, name="timesheet_correct"),
    path("invoices/", invoices.invoices, name="invoices"),
    path("invoices/new/", invoices.invoice_create, name="invoice_create"),
    path("invoices/<uuid:invoice_uuid>/", invoices.invoice_detail, name="invoice_detail"),
    path("invoices/<uuid:invoice_uuid>/issue/", invoices.invoice_issue, name="invoice_issue"),
    path("invoices/<uuid:invoice_uuid>/paid/", invoices.invoice_mark_paid, name="invoice_mark_paid"),
    path("invoices/<uuid:invoice_uuid>/void/", invoices.invoice_void, name="invoice_void"),
    path("invoices/<uuid:invoice_uuid>/delete/", invoices.invoice_delete, name="invoice_delete"),
    path("invoices/<uuid:invoice_uuid>/pdf/", invoices.invoice_pdf_download, name="invoice_pdf"),
]
