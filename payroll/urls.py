"""Pages of payroll, mounted under /c/<coop_slug>/payroll/ (see alliedup/urls.py). Object
kwargs are named as tests/alliedup/test_isolation.py expects: agreement_uuid, run_uuid,
statement_uuid, worker_uuid, sick_request_uuid."""

from django.urls import include, path

from payroll.views import holidays, portal, reports, runs, sick_requests, wages

app_name = "payroll"
urlpatterns = [
    # staff: pay runs
    path("", runs.runs, name="runs"),
    path("periods/new/", runs.period_create, name="period_create"),
    path("runs/<uuid:run_uuid>/", runs.run_detail, name="run_detail"),
    path("runs/<uuid:run_uuid>/calculate/", runs.run_calculate, name="run_calculate"),
    path("runs/<uuid:run_uuid>/approve/", runs.run_approve, name="run_approve"),
    path("runs/<uuid:run_uuid>/export/", runs.run_export, name="run_export"),
    path("runs/<uuid:run_uuid>/results/", runs.run_import_results, name="run_import_results"),
    path("runs/<uuid:run_uuid>/adjustments/", runs.adjustment_add, name="adjustment_add"),
    path("runs/<uuid:run_uuid>/statements.pdf", runs.run_statements_pdf, name="run_statements_pdf"),
    path("runs/<uuid:run_uuid>/statements.zip", runs.run_statements_zip, name="run_statements_zip"),
    path("statements/<uuid:statement_uuid>/", runs.statement_detail, name="statement_detail"),
    path("statements/<uuid:statement_uuid>/pdf/", runs.statement_pdf, name="statement_pdf"),
    # staff: the collective agreement
    path("agreements/", wages.agreements, name="agreements"),
    path("agreements/<uuid:agreement_uuid>/", wages.agreement_detail, name="agreement_detail"),
    path("agreements/<uuid:agreement_uuid>/tables/", wages.wage_table_add, name="wage_table_add"),
    path("agreements/<uuid:agreement_uuid>/tables/close/", wages.wage_table_close, name="wage_table_close"),
    path("agreements/<uuid:agreement_uuid>/tables/import/", wages.wage_table_import, name="wage_table_import"),
    path("agreements/<uuid:agreement_uuid>/differentials/", wages.differential_add, name="differential_add"),
    # staff: the holiday calendar
    path("holidays/", holidays.holidays, name="holidays"),
    path("holidays/add/", holidays.holiday_add, name="holiday_add"),
    path("holidays/standard/", holidays.holidays_add_standard, name="holidays_add_standard"),
    path("holidays/remove/", holidays.holiday_remove, name="holiday_remove"),
    # staff: reports and sick leave
    path("wage-floor/", reports.wage_floor, name="wage_floor"),
    path("wage-floor/csv/", reports.wage_floor_csv, name="wage_floor_csv"),
    path("workers/<uuid:worker_uuid>/sick-leave/", reports.sick_leave_record, name="sick_leave_record"),
    path("sick-leave/requests/", sick_requests.sick_requests, name="sick_requests"),
    path("sick-leave/requests/<uuid:sick_request_uuid>/approve/", sick_requests.sick_request_approve, name="sick_request_approve"),
    path("sick-leave/requests/<uuid:sick_request_uuid>/decline/", sick_requests.sick_request_decline, name="sick_request_decline"),
    # worker portal
    path("my/statements/", portal.my_statements, name="my_statements"),
    path("my/statements/<uuid:statement_uuid>/pdf/", portal.my_statement_pdf, name="my_statement_pdf"),
    path("my/sick-leave/", portal.my_sick_leave, name="my_sick_leave"),
    path("my/sick-leave/ask/", sick_requests.my_sick_leave_ask, name="my_sick_leave_ask"),
    path("my/sick-leave/requests/<uuid:sick_request_uuid>/withdraw/", sick_requests.my_sick_leave_withdraw,
         name="my_sick_leave_withdraw"),
    path("my/wage/", portal.my_wage, name="my_wage"),
    # patronage is its own app above payroll; its pages keep this path and namespace.
    path("patronage/", include("patronage.urls")),
]
