from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """A date field as the browser's date picker (<input type="date">)."""

    input_type = "date"


class TimeInput(forms.TimeInput):
    """A time field as the browser's time picker (<input type="time">)."""

    input_type = "time"


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
