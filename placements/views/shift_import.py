"""Staff page: import a contract's shifts from a CSV file (placements/services/shift_import.py).

A bad file comes back with every bad row listed by line number; nothing is imported then.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from alliedup.permissions import permission_required_in_coop
from placements.models import ClientContract
from placements.services import shift_import as import_services


class ShiftImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text=f"UTF-8, at most {import_services.MAX_ROWS} rows.",
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))


@permission_required_in_coop("placements.manage")
def shift_import(request, coop_slug, contract_uuid):
    """GET: the form and the layout; POST: import, or the form with each bad row listed."""
    contract = get_object_or_404(ClientContract.objects.select_related("client"), uuid=contract_uuid)
    errors, status = [], 200
    if request.method == "POST":
        form = ShiftImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                shifts = import_services.shifts_import(contract=contract, csv_file=form.cleaned_data["file"], imported_by=request.user)
            except ValidationError as exc:
                errors = exc.messages
            else:
                orders = len({s.job_order_id for s in shifts})
                messages.success(request, f"Imported {orders} row{'' if orders == 1 else 's'}: {len(shifts)} shift{'' if len(shifts) == 1 else 's'} to fill.")
                return redirect("placements:client_detail", coop_slug=coop_slug, client_uuid=contract.client.uuid)
        status = 400
    else:
        form = ShiftImportForm()
    context = {"contract": contract, "client": contract.client, "form": form, "errors": errors,
               "columns": import_services.COLUMNS, "max_rows": import_services.MAX_ROWS}
    return render(request, "placements/staff/shift_import.html", context, status=status)
