"""API of client facilities, their contracts and bill rates: staff read with "placements.view"
and write with "placements.manage"; another co-op's client is a 404 (the scoped managers)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from placements.api.base import classification_or_400
from placements.models import BillRate, Client, ClientContract
from placements.serializers import (
    BillRateSerializer,
    BillRateSetSerializer,
    ClientDetailSerializer,
    ClientSerializer,
    ContractCreateSerializer,
    ContractSerializer,
)
from placements.services.clients import bill_rate_set, client_create, contract_create


class ClientListView(CooperativeListAPIView):
    """The co-op's client facilities; POST adds one."""

    required_permissions = {"GET": "placements.view", "POST": "placements.manage"}
    serializer_class = ClientSerializer

    def get_queryset(self):
        return Client.objects.filter(cooperative=self.cooperative)

    @extend_schema(request=ClientSerializer, responses={201: ClientDetailSerializer})
    def post(self, request, coop_slug):
        data = ClientSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        client = client_create(cooperative=self.cooperative, name=fields.pop("name"), created_by=request.user, **fields)
        return Response(ClientDetailSerializer(client).data, status=status.HTTP_201_CREATED)


def _client_detail(client_uuid) -> Client:
    rates = BillRate.objects.select_related("classification")
    return get_object_or_404(
        Client.objects.prefetch_related("sites", Prefetch("contracts__bill_rates", queryset=rates)), uuid=client_uuid
    )


class ClientDetailView(CooperativeAPIView):
    """A client with its sites, and its contracts with their bill rates."""

    required_permission = "placements.view"

    @extend_schema(responses=ClientDetailSerializer)
    def get(self, request, coop_slug, client_uuid):
        return Response(ClientDetailSerializer(_client_detail(client_uuid)).data)


class ClientContractsView(CooperativeAPIView):
    """A client's contracts; POST adds one (bill rates are set on the contract after)."""

    required_permissions = {"GET": "placements.view", "POST": "placements.manage"}

    @extend_schema(responses=ContractSerializer(many=True))
    def get(self, request, coop_slug, client_uuid):
        return Response(ContractSerializer(_client_detail(client_uuid).contracts.all(), many=True).data)

    @extend_schema(request=ContractCreateSerializer, responses={201: ContractSerializer})
    def post(self, request, coop_slug, client_uuid):
        client = get_object_or_404(Client, uuid=client_uuid)
        data = ContractCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = contract_create(client=client, created_by=request.user, **data.validated_data)
        return Response(ContractSerializer(contract).data, status=status.HTTP_201_CREATED)


class ContractBillRatesView(CooperativeAPIView):
    """A contract's effective-dated bill rates; POST sets the rate of a classification from a
    date (the same classification and date again replaces that rate)."""

    required_permissions = {"GET": "placements.view", "POST": "placements.manage"}

    @extend_schema(responses=BillRateSerializer(many=True))
    def get(self, request, coop_slug, contract_uuid):
        contract = get_object_or_404(ClientContract, uuid=contract_uuid)
        return Response(BillRateSerializer(contract.bill_rates.select_related("classification"), many=True).data)

    @extend_schema(request=BillRateSetSerializer, responses={201: BillRateSerializer})
    def post(self, request, coop_slug, contract_uuid):
        contract = get_object_or_404(ClientContract, uuid=contract_uuid)
        data = BillRateSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        rate = bill_rate_set(
            contract=contract, classification=classification_or_400(self.cooperative, d.pop("classification")), set_by=request.user, **d
        )
        return Response(BillRateSerializer(rate).data, status=status.HTTP_201_CREATED)
