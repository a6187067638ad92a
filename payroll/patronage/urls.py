"""Pages of patronage, mounted under /c/<coop_slug>/payroll/patronage/ by payroll/urls.py
(namespace "payroll:patronage"). Object kwargs are named as tests/alliedup/test_isolation.py
expects: allocation_uuid, worker_uuid."""

from django.urls import path

from payroll.patronage import views

app_name = "patronage"
urlpatterns = [
    # staff
    path("", views.years, name="years"),
    path("years/new/", views.year_create, name="year_create"),
    path("allocations/new/", views.allocation_draft, name="allocation_draft"),
    path("allocations/<uuid:allocation_uuid>/", views.allocation_detail, name="allocation_detail"),
    path("allocations/<uuid:allocation_uuid>/progress/", views.allocation_progress, name="allocation_progress"),
    path("allocations/<uuid:allocation_uuid>/approve/", views.allocation_approve, name="allocation_approve"),
    path("allocations/<uuid:allocation_uuid>/issue/", views.allocation_issue, name="allocation_issue"),
    path("allocations/<uuid:allocation_uuid>/cash-paid/", views.allocation_cash_paid, name="allocation_cash_paid"),
    path("allocations/<uuid:allocation_uuid>/1099-patr.csv", views.allocation_patr_csv, name="allocation_patr_csv"),
    path("allocations/<uuid:allocation_uuid>/cash.csv", views.allocation_cash_csv, name="allocation_cash_csv"),
    path("allocations/<uuid:allocation_uuid>/notices/<uuid:worker_uuid>/pdf/", views.notice, name="notice"),
    path("workers/<uuid:worker_uuid>/capital/", views.capital_account, name="capital_account"),
    path("workers/<uuid:worker_uuid>/capital/redeem/", views.capital_redeem, name="capital_redeem"),
    # worker portal
    path("my/capital/", views.my_capital, name="my_capital"),
    path("my/capital/notices/<uuid:allocation_uuid>/pdf/", views.my_notice, name="my_notice"),
]
