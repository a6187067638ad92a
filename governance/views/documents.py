"""Governance documents: the list a person may read (governance.selectors.documents_for),
uploads by the board and admins, and downloads served through a view that checks access
(never from a public media URL)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.permissions import permission_required_in_coop, roles_for
from governance.forms import DocumentForm
from governance.models import GovernanceDocument
from governance.selectors import documents_for
from governance.services import documents as document_services
from governance.views.common import can_manage
from members.selectors import worker_for_user


def readable_documents(request):
    """The documents this user may read in the URL's co-op."""
    coop = request.cooperative
    return documents_for(coop, request.user, roles_for(request.user, coop), worker_for_user(coop, request.user))


def _list_page(request, form=None, status=200):
    manage = can_manage(request)
    context = {"documents": readable_documents(request), "can_manage": manage,
               "form": (form or DocumentForm()) if manage else None}
    return render(request, "governance/documents.html", context, status=status)


@require_GET
@permission_required_in_coop("governance.documents")
def document_list(request, coop_slug):
    return _list_page(request)


@require_POST
@permission_required_in_coop("governance.manage")
def document_upload(request, coop_slug):
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = document_services.document_publish(cooperative=request.cooperative, published_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{document.title} is published{' to everyone in the co-op' if document.is_public else ''}.")
            return redirect("governance:documents", coop_slug=coop_slug)
    return _list_page(request, form, status=400)


@require_GET
@permission_required_in_coop("governance.documents")
def document_download(request, coop_slug, document_uuid):
    document = readable_documents(request).filter(uuid=document_uuid).first()
    if document is None:  # another co-op's, or not for this reader: the same answer
        raise Http404("No such document.")
    name = document.file.name.rsplit(".", 1)
    ext = f".{name[1]}" if len(name) == 2 else ""
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=f"{_slug(document.title)}{ext}")
    response["Cache-Control"] = "private, no-store"
    return response


def _slug(title: str) -> str:
    return slugify(title)[:80] or "document"


@require_POST
@permission_required_in_coop("governance.manage")
def document_delete(request, coop_slug, document_uuid):
    document = get_object_or_404(GovernanceDocument, uuid=document_uuid)
    document_services.document_delete(document=document, deleted_by=request.user)
    messages.success(request, f"{document.title} is deleted.")
    return redirect("governance:documents", coop_slug=coop_slug)
