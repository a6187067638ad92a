"""Staff page: import an existing roster from a CSV file (onboarding/services/roster_import.py).

Two steps: "Check the file" reads it and shows every row and every error with its line,
writing nothing; "Import" sends the same file back (carried in the page, base64) and imports
it all or nothing. Someone hired meanwhile under an email of the file makes the import fail
with that line named, and nothing is written.
"""

import base64
import binascii

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from alliedup.permissions import permission_required_in_coop
from onboarding.services import roster_import as roster


class RosterFileForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text=f"UTF-8, a header line, at most {roster.MAX_ROWS} rows.",
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))


def _carried(request) -> bytes | None:
    """The checked file sent back by the confirmation, or None if it is missing or damaged."""
    try:
        data = base64.b64decode(request.POST.get("csv_data", ""), validate=True)
    except (binascii.Error, ValueError):
        return None
    return data or None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@permission_required_in_coop("members.manage")
@require_http_methods(["GET", "POST"])
def roster_import(request, coop_slug):
    coop = request.cooperative
    form, preview, errors, carried, status = RosterFileForm(), None, [], "", 200
    if request.method == "POST" and "csv_data" in request.POST:
        data = _carried(request)
        if data is None:
            errors, status = ["The checked file did not come back intact; choose it and check it again."], 400
        else:
            try:
                result = roster.roster_import(cooperative=coop, csv_file=data, imported_by=request.user)
            except ValidationError as exc:
                preview = roster.roster_read(cooperative=coop, csv_file=data)
                errors, status = exc.message_dict.get(roster.FIELD, exc.messages), 400
            else:
                c = result.counts
                messages.success(request, (
                    f"Imported {_plural(c['rows'], 'worker')}: {_plural(c['employees'], 'employee')}, "
                    f"{_plural(c['candidates'], 'candidate')}, {_plural(c['owners'], 'worker-owner')}. "
                    f"{_plural(c['invitations'], 'invitation')} to sign in go out by email."
                ))
                return redirect("members:pipeline", coop_slug=coop_slug)
    elif request.method == "POST":
        form = RosterFileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"].read(roster.MAX_BYTES + 1)
            preview = roster.roster_read(cooperative=coop, csv_file=data)
            errors = preview.errors
            if preview.valid:
                carried = base64.b64encode(data).decode("ascii")
        status = 200 if preview is not None and preview.valid else 400
    context = {
        "form": form, "preview": preview, "errors": errors, "carried": carried,
        "columns": roster.COLUMNS, "required": roster.REQUIRED_COLUMNS, "max_rows": roster.MAX_ROWS,
    }
    return render(request, "members/roster_import.html", context, status=status)
