"""Pages of patronage, mounted under /c/<coop_slug>/payroll/patronage/ by payroll/urls.py
(namespace "payroll:patronage"). Object kwargs are named as tests/alliedup/test_isolation.py
expects: allocation_uuid, worker_uuid."""

from django.urls import path

from patronage.views import allocations, capital

app_name = "patronage"
urlpatterns = [
    # staff
    path("", allocations.years, name="years"),
    path("years/new/", allocations.year_create, name="year_create"),
    path("allocations/new/", allocations.allocation_draft, name="allocation_draft"),
    path("allocations/<uuid:allocation_uuid>/", allocations.allocation_detail, name="allocation_detail"),
    path("allocations/<uuid:allocation_uuid>/progress/", allocations.allocation_progress, name="allocation_progress"),
    path("allocations/<uuid:allocation_uuid>/approve/", allocations.allocation_approve, name="allocation_approve"),
    path("allocations/<uuid:allocation_uuid>/issue/", allocations.allocation_issue, name="allocation_issue"),
    path("allocations/<uuid:allocation_uuid>/cash-paid/", allocations.allocation_cash_paid, name="allocation_cash_paid"),
    path("allocations/<uuid:allocation_uuid>/1099-patr.csv", allocations.allocation_patr_csv, name="allocation_patr_csv"),
    path("allocations/<uuid:allocation_uuid>/cash.csv", allocations.allocation_cash_csv, name="allocation_cash_csv"),
    path("allocations/<uuid:allocation_uuid>/notices/<uuid:worker_uuid>/pdf/", allocations.notice, name="notice"),
    path("workers/<uuid:worker_uuid>/capital/", capital.capital_account, name="capital_account"),
    path("workers/<uuid:worker_uuid>/capital/redeem/", capital.capital_redeem, name="capital_redeem"),
    # worker portal
    path("my/capital/", capital.my_capital, name="my_capital"),
    path("my/capital/notices/<uuid:allocation_uuid>/pdf/", capital.my_notice, name="my_notice"),
]
