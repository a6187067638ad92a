"""Routes of the placements API, mounted under /api/v1/c/<coop_slug>/placements/ (see
alliedup/api/urls.py). Each module of this package holds the views of one use case."""

from django.urls import path

from placements.api import (
    applicants,
    calendar,
    corrections,
    invoices,
    shift_changes,
    shift_import,
    sites_contacts,
)
from placements.api.clients import (
    ClientContractsView,
    ClientDetailView,
    ClientListView,
    ContractBillRatesView,
)
from placements.api.mine import MyOpenShiftsView, MyShiftRequestView, MyTimesheetView
from placements.api.shifts import (
    AssignmentCancelView,
    AssignmentConfirmView,
    JobOrderListView,
    ShiftAssignView,
    ShiftCandidatesView,
    ShiftListView,
)
from placements.api.timesheets import (
    TimesheetApproveView,
    TimesheetDisputeView,
    TimesheetListView,
)

app_name = "placements_api"


urlpatterns = [
    path("clients/", ClientListView.as_view(), name="clients"),
    path("clients/<uuid:client_uuid>/", ClientDetailView.as_view(), name="client_detail"),
    path("clients/<uuid:client_uuid>/contracts/", ClientContractsView.as_view(), name="client_contracts"),
    path("contracts/<uuid:contract_uuid>/bill-rates/", ContractBillRatesView.as_view(), name="contract_bill_rates"),
    path("contracts/<uuid:contract_uuid>/shift-import/", shift_import.ContractShiftImportView.as_view(), name="contract_shift_import"),
    path("job-orders/", JobOrderListView.as_view(), name="job_orders"),
    path("shifts/", ShiftListView.as_view(), name="shifts"),
    path("shifts/<uuid:shift_uuid>/candidates/", ShiftCandidatesView.as_view(), name="shift_candidates"),
    path("shifts/<uuid:shift_uuid>/assign/", ShiftAssignView.as_view(), name="shift_assign"),
    path("assignments/<uuid:assignment_uuid>/cancel/", AssignmentCancelView.as_view(), name="assignment_cancel"),
    path("assignments/<uuid:assignment_uuid>/confirm/", AssignmentConfirmView.as_view(), name="assignment_confirm"),
    path("me/open-shifts/", MyOpenShiftsView.as_view(), name="my_open_shifts"),
    path("me/open-shifts/<uuid:shift_uuid>/request/", MyShiftRequestView.as_view(), name="my_shift_request"),
    path("me/assignments/<uuid:assignment_uuid>/timesheet/", MyTimesheetView.as_view(), name="my_timesheet"),
    path("timesheets/", TimesheetListView.as_view(), name="timesheets"),
    path("timesheets/<uuid:timesheet_uuid>/approve/", TimesheetApproveView.as_view(), name="timesheet_approve"),
    path("timesheets/<uuid:timesheet_uuid>/dispute/", TimesheetDisputeView.as_view(), name="timesheet_dispute"),
    path("timesheets/<uuid:timesheet_uuid>/correct/", corrections.TimesheetCorrectView.as_view(), name="timesheet_correct"),
    # applicants from the public job board (placements/applicants.py)
    path("applicants/", applicants.ApplicantListView.as_view(), name="applicants"),
    path("applicants/<uuid:applicant_uuid>/", applicants.ApplicantDetailView.as_view(), name="applicant_detail"),
    path("applicants/<uuid:applicant_uuid>/resume/", applicants.ApplicantResumeView.as_view(), name="applicant_resume"),
    path("applicants/<uuid:applicant_uuid>/hire/", applicants.ApplicantHireView.as_view(), name="applicant_hire"),
    path("applicants/<uuid:applicant_uuid>/decline/", applicants.ApplicantDeclineView.as_view(), name="applicant_decline"),
]


# client invoices: their routes live with their views (placements/invoices.py)
urlpatterns += invoices.urlpatterns


# a client's sites and contacts (placements/sites_contacts.py)
urlpatterns += sites_contacts.urlpatterns


# the worker's private calendar link (placements/calendar.py)
urlpatterns += calendar.urlpatterns


# workers' drop and swap requests and the coordinator's decisions (placements/shift_changes.py)
urlpatterns += shift_changes.urlpatterns
