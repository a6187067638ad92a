"""API of governance documents: each readable by the audience it was published to."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView, CooperativeListAPIView
from alliedup.permissions import roles_for
from governance import serializers as s
from governance.models import GovernanceDocument
from governance.selectors import documents_for
from governance.services import documents as document_services
from members.selectors import worker_for_user


def _readable(request, cooperative):
    user = request.user
    return documents_for(cooperative, user, roles_for(user, cooperative), worker_for_user(cooperative, user))


class DocumentListView(CooperativeListAPIView):
    """The governance documents the signed-in person may read; POST (multipart) publishes one."""

    required_permissions = {"GET": "governance.documents", "POST": "governance.manage"}
    serializer_class = s.DocumentSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return _readable(self.request, self.cooperative)

    @extend_schema(request=s.DocumentUploadSerializer, responses={201: s.DocumentSerializer})
    def post(self, request, coop_slug):
        data = s.DocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = document_services.document_publish(cooperative=self.cooperative, published_by=request.user, **data.validated_data)
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDetailView(CooperativeAPIView):
    """GET downloads the file (404 unless this person may read it); DELETE removes it."""

    required_permissions = {"GET": "governance.documents", "DELETE": "governance.manage"}

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, coop_slug, document_uuid):
        document = _readable(request, self.cooperative).filter(uuid=document_uuid).first()
        if document is None:
            raise Http404("No such document.")
        ext = document.file.name.rsplit(".", 1)[-1] if "." in document.file.name else ""
        response = FileResponse(document.file.open("rb"), as_attachment=True,
                                filename=f"{slugify(document.title)[:80] or 'document'}{'.' + ext if ext else ''}")
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(responses={204: None})
    def delete(self, request, coop_slug, document_uuid):
        document = get_object_or_404(GovernanceDocument, uuid=document_uuid)
        document_services.document_delete(document=document, deleted_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
