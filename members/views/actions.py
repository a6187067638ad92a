"""The one way a staff form posted from a worker's record page runs (members.views.workers and
members.views.accounts): validate, call the service, come back to the record with a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect

from members.models import Worker


def worker_form_action(request, coop_slug, worker_uuid, make_form, action):
    """Run a staff action from a worker-record form; errors come back as a message."""
    worker = get_object_or_404(Worker.objects.select_related("cooperative"), uuid=worker_uuid)
    form = make_form(worker)
    if form.is_valid():
        try:
            action(worker, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Saved.")
    else:
        messages.error(request, "Check the form: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    return redirect("members:worker_detail", coop_slug=coop_slug, worker_uuid=worker.uuid)
