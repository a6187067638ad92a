"""Checking uploaded files before they are stored: the extension AND the file's first
bytes must agree with an allowed type (a renamed .exe is not a PDF), and the size is capped."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_upload(upload, *, field: str, allowed: dict[str, bytes], max_bytes: int, wrong_type: str) -> None:
    """Raise ValidationError({field: ...}) unless `upload` ends in one of `allowed`'s
    extensions, starts with that extension's magic bytes and is at most `max_bytes`."""
    name = (upload.name or "").lower()
    ext = name[name.rfind("."):] if "." in name else ""
    if ext not in allowed:
        raise ValidationError({field: wrong_type})
    if upload.size > max_bytes:
        raise ValidationError({field: _("The file is larger than %(size)s MB.") % {"size": max_bytes // (1024 * 1024)}})
    head = upload.read(len(allowed[ext]))
    upload.seek(0)
    if head != allowed[ext]:
        raise ValidationError({field: _("The file's content does not match its type.")})
