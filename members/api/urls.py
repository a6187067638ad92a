"""Routes of the members API, mounted under /api/v1/c/<coop_slug>/members/ (see
alliedup/api/urls.py). Each module of this package holds the views of one use case."""

from django.urls import include, path

from members.api import accounts
from members.api.candidacy import (
    AgreementListView,
    CandidacyExtendView,
    CandidacyStepView,
    WorkerCandidacyOpenView,
)
from members.api.equity import (
    WorkerEquityPaymentView,
    WorkerEquityView,
    WorkerEquityWaiverView,
)
from members.api.mine import MyAgreementView, MyEquityPlanView
from members.api.workers import (
    WorkerCredentialsView,
    WorkerHoursView,
    WorkerListView,
    WorkerMoveView,
)

app_name = "members_api"


urlpatterns = [
    path("workers/", WorkerListView.as_view(), name="workers"),
    path("workers/<uuid:worker_uuid>/hours/", WorkerHoursView.as_view(), name="worker_hours"),
    path("candidacies/<uuid:candidacy_uuid>/step/", CandidacyStepView.as_view(), name="candidacy_step"),
    path("candidacies/<uuid:candidacy_uuid>/extend/", CandidacyExtendView.as_view(), name="candidacy_extend"),
    path("agreements/", AgreementListView.as_view(), name="agreements"),
    path("me/agreement/", MyAgreementView.as_view(), name="my_agreement"),
    path("me/equity/plan/", MyEquityPlanView.as_view(), name="my_equity_plan"),
    path("workers/<uuid:worker_uuid>/equity/", WorkerEquityView.as_view(), name="worker_equity"),
    path("workers/<uuid:worker_uuid>/equity/payments/", WorkerEquityPaymentView.as_view(), name="worker_equity_payments"),
    path("workers/<uuid:worker_uuid>/equity/waiver/", WorkerEquityWaiverView.as_view(), name="worker_equity_waiver"),
    path("workers/<uuid:worker_uuid>/credentials/", WorkerCredentialsView.as_view(), name="worker_credentials"),
    path("workers/<uuid:worker_uuid>/move/", WorkerMoveView.as_view(), name="worker_move"),
    path("workers/<uuid:worker_uuid>/candidacy/", WorkerCandidacyOpenView.as_view(), name="worker_candidacy_open"),
    # The ownership overview (it lists each exit's redemption), the exit and its redemption
    # payments are patronage's, which sits above members: mounted by name, not imported, with
    # these paths and names (patronage/api/urls_members.py).
    path("", include("patronage.api.urls_members")),
    path("workers/<uuid:worker_uuid>/account/", accounts.WorkerAccountView.as_view(), name="worker_account"),
    path("workers/<uuid:worker_uuid>/account/invitation/", accounts.WorkerInvitationView.as_view(),
         name="worker_invitation"),
    path("workers/<uuid:worker_uuid>/account/link/", accounts.WorkerAccountLinkView.as_view(), name="worker_account_link"),
    path("workers/<uuid:worker_uuid>/account/unlink/", accounts.WorkerAccountUnlinkView.as_view(),
         name="worker_account_unlink"),
]
