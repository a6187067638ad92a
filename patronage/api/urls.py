"""API of patronage, mounted under /api/v1/c/<coop_slug>/payroll/patronage/ by payroll/api/urls.py
(namespace "payroll_api:patronage_api"). Leaving the co-op keeps members' paths: urls_members.py."""

from django.urls import path

from patronage.api import allocations, capital

app_name = "patronage_api"
urlpatterns = [
    path("fiscal-years/", allocations.FiscalYearListView.as_view(), name="fiscal_years"),
    path("allocations/", allocations.AllocationListView.as_view(), name="allocations"),
    path("allocations/<uuid:allocation_uuid>/", allocations.AllocationDetailView.as_view(), name="allocation_detail"),
    path("allocations/<uuid:allocation_uuid>/lines/", allocations.AllocationLinesView.as_view(), name="allocation_lines"),
    path("allocations/<uuid:allocation_uuid>/approve/", allocations.AllocationApproveView.as_view(), name="allocation_approve"),
    path("allocations/<uuid:allocation_uuid>/issue/", allocations.AllocationIssueView.as_view(), name="allocation_issue"),
    path("allocations/<uuid:allocation_uuid>/progress/", allocations.AllocationProgressView.as_view(), name="allocation_progress"),
    path("allocations/<uuid:allocation_uuid>/cash-paid/", allocations.AllocationCashPaidView.as_view(), name="allocation_cash_paid"),
    path("allocations/<uuid:allocation_uuid>/1099-patr/", allocations.AllocationPatrView.as_view(), name="allocation_patr"),
    path("allocations/<uuid:allocation_uuid>/notices/<uuid:worker_uuid>/pdf/", allocations.AllocationNoticeView.as_view(), name="notice"),
    path("workers/<uuid:worker_uuid>/capital-account/", capital.WorkerCapitalAccountView.as_view(), name="worker_capital_account"),
    path("me/capital-account/", capital.MyCapitalAccountView.as_view(), name="my_capital_account"),
    path("me/notices/<uuid:allocation_uuid>/pdf/", capital.MyNoticeView.as_view(), name="my_notice"),
]
