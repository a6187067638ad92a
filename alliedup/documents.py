"""Rendering documents to PDF with WeasyPrint: an HTML template + context → PDF bytes."""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` (which extends documents/base.html) to PDF bytes."""
    from weasyprint import HTML  # noqa: PLC0415 (imported here: it loads Pango, which start-up does not need)

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
