"""Pages of members, mounted under /c/<coop_slug>/members/ (see alliedup/urls.py)."""

from django.urls import include, path

from members import views, views_accounts

app_name = "members"
urlpatterns = [
    path("", views.pipeline, name="pipeline"),
    path("me/", views.my_ownership, name="my_ownership"),
    path("workers/", views.workers, name="workers"),
    path("workers/new/", views.worker_hire, name="worker_hire"),
    path("workers/<uuid:worker_uuid>/", views.worker_detail, name="worker_detail"),
    path("workers/<uuid:worker_uuid>/equity/plan/", views.equity_plan_for_worker, name="equity_plan_for_worker"),
    path("workers/<uuid:worker_uuid>/equity/payments/", views.equity_payment, name="equity_payment"),
    path("workers/<uuid:worker_uuid>/equity/waiver/", views.equity_waive, name="equity_waive"),
    path("workers/<uuid:worker_uuid>/move/", views.worker_move, name="worker_move"),
    # Leaving the co-op (the exit and its redemption payments) is patronage's, which sits above
    # members: mounted by name, not imported, with these paths and names (patronage/urls_members.py).
    path("", include("patronage.urls_members")),
    path("workers/<uuid:worker_uuid>/candidacy/", views.worker_candidacy_open, name="worker_candidacy_open"),
    path("workers/<uuid:worker_uuid>/credentials/", views.worker_credential, name="worker_credential"),
    path("workers/<uuid:worker_uuid>/account/invite/", views_accounts.worker_invite, name="worker_invite"),
    path("workers/<uuid:worker_uuid>/account/invitation/revoke/", views_accounts.worker_invitation_revoke,
         name="worker_invitation_revoke"),
    path("workers/<uuid:worker_uuid>/account/link/", views_accounts.worker_account_link, name="worker_account_link"),
    path("workers/<uuid:worker_uuid>/account/unlink/", views_accounts.worker_account_unlink, name="worker_account_unlink"),
    path("credentials/<uuid:credential_uuid>/document/", views.credential_document, name="credential_document"),
    path("me/agreement/", views.agreement_sign, name="agreement_sign"),
    path("me/equity/plan/", views.equity_plan, name="equity_plan"),
    path("agreements/", views.agreements, name="agreements"),
    path("signatures/<uuid:signature_uuid>/agreement.pdf", views.signed_agreement, name="signed_agreement"),
    path("candidacies/<uuid:candidacy_uuid>/step/", views.candidacy_step, name="candidacy_step"),
    path("candidacies/<uuid:candidacy_uuid>/extend/", views.candidacy_extend, name="candidacy_extend"),
    path("candidacies/<uuid:candidacy_uuid>/welcome-letter.pdf", views.welcome_letter, name="welcome_letter"),
]
