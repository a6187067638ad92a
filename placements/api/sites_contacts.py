"""API of a client's sites and contacts, under /api/v1/c/<coop_slug>/placements/:
clients/<uuid>/sites/ (GET, POST), clients/<uuid>/contacts/ (GET, POST: invites by email),
contacts/<uuid>/ (GET, DELETE: removes), contacts/<uuid>/resend/ (POST). Staff read with
"placements.view" and write with "placements.manage"; another co-op's client or contact is
a 404 (the scoped managers)."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView
from placements.models import Client, ClientContact
from placements.serializers import ContactSerializer, SiteSerializer
from placements.services import contacts as contact_services


def _contacts(client: Client):
    return client.contacts.select_related("invitation").order_by("name", "email")


def _contact(contact_uuid) -> ClientContact:
    return get_object_or_404(ClientContact.objects.select_related("client", "invitation"), uuid=contact_uuid)


class ClientSitesView(CooperativeAPIView):
    required_permissions = {"GET": "placements.view", "POST": "placements.manage"}

    @extend_schema(responses=SiteSerializer(many=True))
    def get(self, request, coop_slug, client_uuid):
        client = get_object_or_404(Client, uuid=client_uuid)
        return Response(SiteSerializer(client.sites.all(), many=True).data)

    @extend_schema(request=SiteSerializer, responses={201: SiteSerializer})
    def post(self, request, coop_slug, client_uuid):
        client = get_object_or_404(Client, uuid=client_uuid)
        data = SiteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        site = contact_services.client_site_add(client=client, added_by=request.user, **data.validated_data)
        return Response(SiteSerializer(site).data, status=status.HTTP_201_CREATED)


class ClientContactsView(CooperativeAPIView):
    required_permissions = {"GET": "placements.view", "POST": "placements.manage"}

    @extend_schema(responses=ContactSerializer(many=True))
    def get(self, request, coop_slug, client_uuid):
        client = get_object_or_404(Client, uuid=client_uuid)
        return Response(ContactSerializer(_contacts(client), many=True).data)

    @extend_schema(request=ContactSerializer, responses={201: ContactSerializer})
    def post(self, request, coop_slug, client_uuid):
        client = get_object_or_404(Client, uuid=client_uuid)
        data = ContactSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contact = contact_services.client_contact_invite(client=client, invited_by=request.user, **data.validated_data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ContactDetailView(CooperativeAPIView):
    required_permissions = {"GET": "placements.view", "DELETE": "placements.manage"}

    @extend_schema(responses=ContactSerializer)
    def get(self, request, coop_slug, contact_uuid):
        return Response(ContactSerializer(_contact(contact_uuid)).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, coop_slug, contact_uuid):
        contact_services.client_contact_remove(contact=_contact(contact_uuid), removed_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ContactResendView(CooperativeAPIView):
    required_permission = "placements.manage"

    @extend_schema(request=None, responses={201: ContactSerializer})
    def post(self, request, coop_slug, contact_uuid):
        contact = contact_services.client_contact_resend(contact=_contact(contact_uuid), invited_by=request.user)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("clients/<uuid:client_uuid>/sites/", ClientSitesView.as_view(), name="client_sites"),
    path("clients/<uuid:client_uuid>/contacts/", ClientContactsView.as_view(), name="client_contacts"),
    path("contacts/<uuid:contact_uuid>/", ContactDetailView.as_view(), name="contact_detail"),
    path("contacts/<uuid:contact_uuid>/resend/", ContactResendView.as_view(), name="contact_resend"),
]
