"""Pages of members, mounted under /c/<coop_slug>/members/ (see alliedup/urls.py)."""

from django.urls import include, path

from members.views import accounts, candidacy, equity, mine, workers

app_name = "members"
urlpatterns = [
    path("", workers.pipeline, name="pipeline"),
    path("me/", mine.my_ownership, name="my_ownership"),
    path("workers/", workers.workers, name="workers"),
    path("workers/new/", workers.worker_hire, name="worker_hire"),
    path("workers/<uuid:worker_uuid>/", workers.worker_detail, name="worker_detail"),
    path("workers/<uuid:worker_uuid>/equity/plan/", equity.equity_plan_for_worker, name="equity_plan_for_worker"),
    path("workers/<uuid:worker_uuid>/equity/payments/", equity.equity_payment, name="equity_payment"),
    path("workers/<uuid:worker_uuid>/equity/waiver/", equity.equity_waive, name="equity_waive"),
    path("workers/<uuid:worker_uuid>/move/", workers.worker_move, name="worker_move"),
    # Leaving the co-op (the exit and its redemption payments) is patronage's, which sits above
    # members: mounted by name, not imported, with these paths and names (patronage/urls_members.py).
    path("", include("patronage.urls_members")),
    path("workers/<uuid:worker_uuid>/candidacy/", workers.worker_candidacy_open, name="worker_candidacy_open"),
    path("workers/<uuid:worker_uuid>/credentials/", workers.worker_credential, name="worker_credential"),
    path("workers/<uuid:worker_uuid>/account/invite/", accounts.worker_invite, name="worker_invite"),
    path("workers/<uuid:worker_uuid>/account/invitation/revoke/", accounts.worker_invitation_revoke,
         name="worker_invitation_revoke"),
    path("workers/<uuid:worker_uuid>/account/link/", accounts.worker_account_link, name="worker_account_link"),
    path("workers/<uuid:worker_uuid>/account/unlink/", accounts.worker_account_unlink, name="worker_account_unlink"),
    path("credentials/<uuid:credential_uuid>/document/", workers.credential_document, name="credential_document"),
    path("me/agreement/", mine.agreement_sign, name="agreement_sign"),
    path("me/equity/plan/", mine.equity_plan, name="equity_plan"),
    path("agreements/", candidacy.agreements, name="agreements"),
    path("signatures/<uuid:signature_uuid>/agreement.pdf", mine.signed_agreement, name="signed_agreement"),
    path("candidacies/<uuid:candidacy_uuid>/step/", candidacy.candidacy_step, name="candidacy_step"),
    path("candidacies/<uuid:candidacy_uuid>/extend/", candidacy.candidacy_extend, name="candidacy_extend"),
    path("candidacies/<uuid:candidacy_uuid>/welcome-letter.pdf", candidacy.welcome_letter, name="welcome_letter"),
]
