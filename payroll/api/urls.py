"""The payroll API's routes, mounted under /api/v1/c/<coop_slug>/payroll/ (alliedup/api/urls.py)."""

from django.urls import include, path

from payroll.api import mine, runs, sick_leave_balance, sick_requests, wage_floor, wages

app_name = "payroll_api"
urlpatterns = [
    path("agreements/", wages.AgreementListView.as_view(), name="agreements"),
    path("agreements/<uuid:agreement_uuid>/", wages.AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<uuid:agreement_uuid>/wage-tables/", wages.AgreementWageTablesView.as_view(), name="agreement_wage_tables"),
    path("agreements/<uuid:agreement_uuid>/wage-tables/close/", wages.AgreementWageTableCloseView.as_view(),
         name="agreement_wage_table_close"),
    path("agreements/<uuid:agreement_uuid>/wage-tables/import/", wages.AgreementWageTablesImportView.as_view(),
         name="agreement_wage_tables_import"),
    path("agreements/<uuid:agreement_uuid>/differentials/", wages.AgreementDifferentialsView.as_view(), name="agreement_differentials"),
    path("holidays/", wages.HolidaysView.as_view(), name="holidays"),
    path("holidays/standard/", wages.HolidaysStandardView.as_view(), name="holidays_standard"),
    path("holidays/remove/", wages.HolidayRemoveView.as_view(), name="holiday_remove"),
    path("runs/", runs.RunListView.as_view(), name="runs"),
    path("runs/<uuid:run_uuid>/", runs.RunDetailView.as_view(), name="run_detail"),
    path("runs/<uuid:run_uuid>/calculate/", runs.RunCalculateView.as_view(), name="run_calculate"),
    path("runs/<uuid:run_uuid>/approve/", runs.RunApproveView.as_view(), name="run_approve"),
    path("runs/<uuid:run_uuid>/adjustments/", runs.RunAdjustmentsView.as_view(), name="run_adjustments"),
    path("runs/<uuid:run_uuid>/export/", runs.RunExportView.as_view(), name="run_export"),
    path("runs/<uuid:run_uuid>/results/", runs.RunResultsImportView.as_view(), name="run_results_import"),
    path("runs/<uuid:run_uuid>/statements/", runs.RunStatementsView.as_view(), name="run_statements"),
    path("statements/<uuid:statement_uuid>/", runs.StatementDetailView.as_view(), name="statement_detail"),
    path("statements/<uuid:statement_uuid>/pdf/", runs.StatementPdfView.as_view(), name="statement_pdf"),
    path("wage-floor/", wage_floor.WageFloorView.as_view(), name="wage_floor"),
    path("workers/<uuid:worker_uuid>/sick-leave/", sick_leave_balance.WorkerSickLeaveView.as_view(), name="worker_sick_leave"),
    path("me/statements/", mine.MyStatementsView.as_view(), name="my_statements"),
    path("me/statements/<uuid:statement_uuid>/", mine.MyStatementDetailView.as_view(), name="my_statement_detail"),
    path("me/statements/<uuid:statement_uuid>/pdf/", mine.MyStatementPdfView.as_view(), name="my_statement_pdf"),
    path("me/sick-leave/", mine.MySickLeaveView.as_view(), name="my_sick_leave"),
    path("me/sick-leave/requests/", sick_requests.MySickLeaveRequestsView.as_view(), name="my_sick_leave_requests"),
    path("me/sick-leave/requests/<uuid:sick_request_uuid>/withdraw/", sick_requests.MySickLeaveWithdrawView.as_view(),
         name="my_sick_leave_withdraw"),
    path("sick-leave/requests/", sick_requests.SickLeaveRequestsView.as_view(), name="sick_leave_requests"),
    path("sick-leave/requests/<uuid:sick_request_uuid>/approve/", sick_requests.SickLeaveApproveView.as_view(),
         name="sick_leave_request_approve"),
    path("sick-leave/requests/<uuid:sick_request_uuid>/decline/", sick_requests.SickLeaveDeclineView.as_view(),
         name="sick_leave_request_decline"),
    path("me/wage/", mine.MyWageView.as_view(), name="my_wage"),
    # patronage is its own app above payroll; its API keeps this path and namespace.
    path("patronage/", include("patronage.api.urls")),
]
