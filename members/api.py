"""API of members, mounted under /api/v1/c/<coop_slug>/members/ (see alliedup/api/urls.py)."""

from django.shortcuts import get_object_or_404
from django.urls import include, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from members import api_accounts, selectors
from members.models import Candidacy, CredentialType, EquityAccount, JobClassification, MemberStatus, MembershipAgreement, Worker
from members.serializers import (
    AgreementSerializer,
    CandidacyOpenSerializer,
    CandidacySerializer,
    CredentialSerializer,
    MoveSerializer,
    EquitySerializer,
    equity_data,
    PaymentSerializer,
    PlanSerializer,
    SignatureSerializer,
    SignSerializer,
    WaiverSerializer,
    ExtensionSerializer,
    HireSerializer,
    HoursEntrySerializer,
    HoursPostSerializer,
    StepSerializer,
    WorkerSerializer,
)
from members.services import candidacy as candidacy_services
from members.services import equity as equity_services
from members.services.agreement import agreement_publish, agreement_sign
from members.services.status import member_move
from members.services.hours import hours_post
from members.services.workers import credential_record, worker_hire


def _classification(cooperative, code) -> JobClassification:
    found = JobClassification.objects.filter(cooperative=cooperative, code=code).first()
    if found is None:
        raise ValidationError({"classification": [f"No classification {code!r} in this cooperative."]})
    return found


class WorkerListView(CooperativeListAPIView):
    required_permissions = {"GET": "members.view", "POST": "members.manage"}
    serializer_class = WorkerSerializer

    @extend_schema(parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=MemberStatus.values, description="Only workers with this status.")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = Worker.objects.filter(cooperative=self.cooperative)
        if status_filter := self.request.query_params.get("status"):
            if status_filter not in MemberStatus.values:
                raise ValidationError({"status": [f"One of {', '.join(MemberStatus.values)}."]})
            qs = qs.filter(status=status_filter)
        return qs

    @extend_schema(request=HireSerializer, responses={201: WorkerSerializer})
    def post(self, request, coop_slug):
        data = HireSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        worker = worker_hire(
            cooperative=self.cooperative, first_name=d["first_name"], last_name=d["last_name"], email=d["email"],
            phone=d["phone"], hire_date=d["hire_date"], hired_by=request.user,
            classifications=[(_classification(self.cooperative, d["classification"]), d["wage_step"])],
            invite_email=d["invite_email"],
        )
        return Response(WorkerSerializer(worker).data, status=status.HTTP_201_CREATED)


class MyWorkerAPIView(CooperativeAPIView):
    """Base for the signed-in worker's own routes (/me/…)."""

    required_permission = "members.view_own"

    def _worker(self, request) -> Worker:
        worker = selectors.worker_for_user(self.cooperative, request.user)
        if worker is None:
            raise NotFound("No employee record is linked to your account here.")
        return worker


class WorkerHoursView(CooperativeListAPIView):
    """The worker's hours ledger; POST posts imported or staff-entered hours."""

    required_permissions = {"GET": "members.view", "POST": "members.post_hours"}
    serializer_class = HoursEntrySerializer

    def get_queryset(self):
        return selectors.hours_ledger(get_object_or_404(Worker, uuid=self.kwargs["worker_uuid"]))

    @extend_schema(request=HoursPostSerializer, responses={201: HoursEntrySerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        data = HoursPostSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        entry = hours_post(
            worker=worker, classification=_classification(self.cooperative, d["classification"]), workday=d["workday"],
            hours=d["hours"], source=d["source"], source_ref=d["source_ref"], note=d["note"], posted_by=request.user,
        )
        return Response(HoursEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class CandidacyStepView(CooperativeAPIView):
    required_permission = "members.manage"

    @extend_schema(request=StepSerializer, responses=CandidacySerializer)
    def post(self, request, coop_slug, candidacy_uuid):
        candidacy = get_object_or_404(Candidacy, uuid=candidacy_uuid)
        data = StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        candidacy = candidacy_services.candidacy_record_step(candidacy=candidacy, recorded_by=request.user, **data.validated_data)
        return Response(CandidacySerializer(candidacy).data)


class CandidacyExtendView(CooperativeAPIView):
    required_permission = "members.manage"

    @extend_schema(request=ExtensionSerializer, responses=CandidacySerializer)
    def post(self, request, coop_slug, candidacy_uuid):
        candidacy = get_object_or_404(Candidacy, uuid=candidacy_uuid)
        data = ExtensionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        candidacy = candidacy_services.candidacy_extend(candidacy=candidacy, extended_by=request.user, **data.validated_data)
        return Response(CandidacySerializer(candidacy).data)


class AgreementListView(CooperativeAPIView):
    """Versions of the membership agreement; POST publishes the next one."""

    required_permissions = {"GET": "members.view", "POST": "members.manage"}

    @extend_schema(responses=AgreementSerializer(many=True))
    def get(self, request, coop_slug):
        return Response(AgreementSerializer(MembershipAgreement.objects.filter(cooperative=self.cooperative), many=True).data)

    @extend_schema(request=AgreementSerializer, responses={201: AgreementSerializer})
    def post(self, request, coop_slug):
        data = AgreementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = agreement_publish(cooperative=self.cooperative, published_by=request.user, **data.validated_data)
        return Response(AgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)


class MyAgreementView(MyWorkerAPIView):
    """GET the agreement in effect; POST signs it (typed name + consent)."""

    @extend_schema(responses=AgreementSerializer)
    def get(self, request, coop_slug):
        agreement = selectors.current_agreement(self.cooperative, self.cooperative.today())
        if agreement is None:
            raise NotFound("No membership agreement is published yet.")
        return Response(AgreementSerializer(agreement).data)

    @extend_schema(request=SignSerializer, responses={201: SignatureSerializer})
    def post(self, request, coop_slug):
        worker = self._worker(request)
        data = SignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        signature = agreement_sign(
            worker=worker, on=self.cooperative.today(), ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.META.get("HTTP_USER_AGENT", ""), signed_by=request.user, **data.validated_data,
        )
        return Response(SignatureSerializer(signature).data, status=status.HTTP_201_CREATED)


class MyEquityPlanView(MyWorkerAPIView):
    """The worker chooses to pay in full or in installments."""

    @extend_schema(request=PlanSerializer, responses={201: EquitySerializer})
    def post(self, request, coop_slug):
        worker = self._worker(request)
        data = PlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        equity_services.equity_account_open(worker=worker, plan=data.validated_data["plan"], start_on=self.cooperative.today(), opened_by=request.user)
        return Response(EquitySerializer(equity_data(worker)).data, status=status.HTTP_201_CREATED)


class WorkerEquityView(CooperativeAPIView):
    required_permission = "members.view"

    @extend_schema(responses=EquitySerializer)
    def get(self, request, coop_slug, worker_uuid):
        equity = equity_data(get_object_or_404(Worker, uuid=worker_uuid))
        if equity is None:
            raise NotFound("No equity account yet.")
        return Response(EquitySerializer(equity).data)


class WorkerEquityPaymentView(CooperativeAPIView):
    required_permission = "members.post_hours"

    @extend_schema(request=PaymentSerializer, responses={201: EquitySerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        account = get_object_or_404(EquityAccount, worker=worker)
        data = PaymentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        equity_services.equity_payment_record(account=account, recorded_by=request.user, **data.validated_data)
        return Response(EquitySerializer(equity_data(worker)).data, status=status.HTTP_201_CREATED)


class WorkerEquityWaiverView(CooperativeAPIView):
    required_permission = "members.manage"

    @extend_schema(request=WaiverSerializer, responses={201: EquitySerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        account = get_object_or_404(EquityAccount, worker=worker)
        data = WaiverSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        equity_services.equity_waive(account=account, reason=data.validated_data["reason"], effective_on=self.cooperative.today(), waived_by=request.user)
        return Response(EquitySerializer(equity_data(worker)).data, status=status.HTTP_201_CREATED)


class WorkerCredentialsView(CooperativeAPIView):
    """A worker's credentials; POST (multipart for the document) records one."""

    required_permissions = {"GET": "members.view", "POST": "members.manage"}
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=CredentialSerializer(many=True))
    def get(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        credentials = worker.credentials.select_related("credential_type").order_by("expires_on")
        return Response(CredentialSerializer(credentials, many=True).data)

    @extend_schema(request=CredentialSerializer, responses={201: CredentialSerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        data = CredentialSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        credential_type = CredentialType.objects.filter(cooperative=self.cooperative, code=d.pop("credential_type")).first()
        if credential_type is None:
            raise ValidationError({"credential_type": ["No such credential type in this cooperative."]})
        credential = credential_record(worker=worker, credential_type=credential_type, recorded_by=request.user, **d)
        return Response(CredentialSerializer(credential).data, status=status.HTTP_201_CREATED)


class WorkerMoveView(CooperativeAPIView):
    """A staff decision moving a member (exits and reinstatements only), with a reason."""

    required_permission = "members.manage"

    @extend_schema(request=MoveSerializer, responses={201: WorkerSerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        data = MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member_move(worker=worker, moved_by=request.user, **data.validated_data)
        return Response(WorkerSerializer(Worker.objects.get(pk=worker.pk)).data, status=status.HTTP_201_CREATED)


class WorkerCandidacyOpenView(CooperativeAPIView):
    """Staff open a candidacy by hand (e.g. after a lapsed one), with a reason."""

    required_permission = "members.manage"

    @extend_schema(request=CandidacyOpenSerializer, responses={201: CandidacySerializer})
    def post(self, request, coop_slug, worker_uuid):
        worker = get_object_or_404(Worker, uuid=worker_uuid)
        data = CandidacyOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        candidacy = candidacy_services.candidacy_open(
            worker=worker, classification=_classification(self.cooperative, data.validated_data["classification"]),
            opened_on=self.cooperative.today(), opened_by=request.user, reason=data.validated_data["reason"],
        )
        return Response(CandidacySerializer(candidacy).data, status=status.HTTP_201_CREATED)


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
    path("workers/<uuid:worker_uuid>/account/", api_accounts.WorkerAccountView.as_view(), name="worker_account"),
    path("workers/<uuid:worker_uuid>/account/invitation/", api_accounts.WorkerInvitationView.as_view(),
         name="worker_invitation"),
    path("workers/<uuid:worker_uuid>/account/link/", api_accounts.WorkerAccountLinkView.as_view(), name="worker_account_link"),
    path("workers/<uuid:worker_uuid>/account/unlink/", api_accounts.WorkerAccountUnlinkView.as_view(),
         name="worker_account_unlink"),
]
