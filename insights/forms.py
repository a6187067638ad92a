from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from insights import metrics


class PeriodForm(forms.Form):
    """The period picker of every insights page (GET): start and end, both included, in the
    co-op's calendar; the board page also takes the market reference wages."""

    start = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))
    market_reference = forms.CharField(
        label="Market wage (code:rate, comma separated)", required=False,
        help_text="What other agencies pay per hour, e.g. ma:17.50, cna:19.00. Empty: ma:17.50.",
    )

    def __init__(self, data, *, cooperative, with_market_reference=False):
        start, end = metrics.default_period(cooperative)
        merged = {"start": start.isoformat(), "end": end.isoformat(), "market_reference": ""}
        merged.update({k: v for k, v in data.items() if k in merged and v})
        super().__init__(merged)
        if not with_market_reference:
            del self.fields["market_reference"]

    def clean(self):
        data = super().clean()
        if "start" in data and "end" in data:
            try:
                metrics.validate_request(data["start"], data["end"])
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    self.add_error(name if name in self.fields else None, messages)
        if "market_reference" in self.fields and "market_reference" in data:
            try:
                data["market_reference"] = metrics.parse_market_reference(data["market_reference"])
            except ValidationError as exc:
                self.add_error("market_reference", exc.message_dict["market_reference"])
        return data
