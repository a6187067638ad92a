"""API routes of leaving the co-op and of the ownership overview (patronage/api/exit.py), mounted
by members/api/ under /api/v1/c/<coop_slug>/members/ with members' names
(members_api:worker_ownership, …): they kept their paths and names when the exit moved to
patronage. No app_name here, so the names land in members' namespace."""

from django.urls import path

from patronage.api import exit as exit_api

urlpatterns = [
    path("workers/<uuid:worker_uuid>/ownership/", exit_api.WorkerOwnershipView.as_view(), name="worker_ownership"),
    path("me/ownership/", exit_api.MyOwnershipView.as_view(), name="my_ownership"),
    path("workers/<uuid:worker_uuid>/exit/", exit_api.WorkerExitView.as_view(), name="worker_exit"),
    path("workers/<uuid:worker_uuid>/redemption/<uuid:installment_uuid>/payments/", exit_api.RedemptionPaymentView.as_view(),
         name="redemption_payment"),
]
