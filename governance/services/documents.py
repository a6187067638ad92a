"""Governance documents (budget, board minutes, financial statements, bylaws): published by
the board or admins, read by worker-owners, the board and staff; by everyone in the co-op
only when marked public (who reads what: governance.selectors.documents_for)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from alliedup.audit import audit_log
from alliedup.models import Cooperative
from alliedup.uploads import check_upload
from governance.models import GovernanceDocument

ZIP = b"PK\x03\x04"  # DOCX and XLSX are zip containers
DOCUMENT_TYPES = {".pdf": b"%PDF", ".docx": ZIP, ".xlsx": ZIP}
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


@transaction.atomic
def document_publish(*, cooperative: Cooperative, kind: str, title: str, file, is_public: bool = False,
                     published_by=None) -> GovernanceDocument:
    """Store an uploaded PDF, DOCX or XLSX (extension and first bytes checked, 20 MB at most)."""
    if file is None:
        raise ValidationError({"file": "Choose a file."})
    check_upload(file, field="file", allowed=DOCUMENT_TYPES, max_bytes=DOCUMENT_MAX_BYTES,
                 wrong_type="Upload a PDF, Word (.docx) or Excel (.xlsx) file.")
    document = GovernanceDocument(cooperative=cooperative, kind=kind, title=(title or "").strip(), is_public=is_public,
                                  published_by=published_by)
    document.file = file
    document.full_clean(exclude=["cooperative", "published_by"])
    document.save()
    audit_log(cooperative=cooperative, action="governance.document.published", user=published_by, obj=document,
              after={"title": document.title, "kind": kind, "is_public": is_public})
    return document


@transaction.atomic
def document_delete(*, document: GovernanceDocument, deleted_by=None) -> None:
    """Remove the row, then the stored file once the transaction commits (a rollback keeps both)."""
    storage, name = document.file.storage, document.file.name
    audit_log(cooperative=document.cooperative, action="governance.document.deleted", user=deleted_by, obj=document,
              before={"title": document.title, "kind": document.kind, "is_public": document.is_public})
    document.delete()
    transaction.on_commit(lambda: storage.delete(name) if name else None)
