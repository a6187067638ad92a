"""Pages of leaving the co-op (patronage/views/exit.py), mounted by members/urls.py under
/c/<coop_slug>/members/ with members' names (members:worker_exit, members:redemption_payment):
they are forms on the worker's record page and kept their paths and names when the exit moved
to patronage. No app_name here, so the names land in members' namespace. Object kwargs are
named as tests/alliedup/test_isolation.py expects: worker_uuid, installment_uuid."""

from django.urls import path

from patronage.views import exit as exit_views

urlpatterns = [
    path("workers/<uuid:worker_uuid>/exit/", exit_views.worker_exit, name="worker_exit"),
    path("workers/<uuid:worker_uuid>/redemption/<uuid:installment_uuid>/pay/", exit_views.redemption_payment,
         name="redemption_payment"),
]
