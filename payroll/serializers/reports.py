"""The wage-floor report (what the co-op absorbed where a bill rate is below the CBA wage)."""

from datetime import date

from rest_framework import serializers

from alliedup.api import fields as api_fields
from payroll.serializers.base import Hours, Money


# --- wage floor -----------------------------------------------------------------------------


class WageFloorQuerySerializer(serializers.Serializer):
    MAX_YEARS = 10

    start = api_fields.DateField(required=False, help_text="First workday (default: this quarter's first day).")
    end = api_fields.DateField(required=False, help_text="Last workday (default: this quarter's last day).")

    def validate(self, attrs):
        # The view passes this quarter's (first, last) day as the default span.
        default_start, default_end = self.context["default_span"]
        start, end = attrs.setdefault("start", default_start), attrs.setdefault("end", default_end)
        if end < start:
            raise serializers.ValidationError({"end": ["The end is before the start."]})
        try:
            limit = start.replace(year=start.year + self.MAX_YEARS)
        except ValueError:  # 29 February
            limit = date(start.year + self.MAX_YEARS, 3, 1)
        if end >= limit:
            raise serializers.ValidationError({"end": [f"Ask for at most {self.MAX_YEARS} years at a time."]})
        return attrs


class FloorRowSerializer(serializers.Serializer):
    client = serializers.UUIDField(source="client_uuid")
    client_name = serializers.CharField()
    hours = Hours()
    billed = Money()
    paid = Money(help_text="Everything paid for the client's timesheets: straight time, differentials, premiums.")
    margin = Money(help_text="Billed less paid.")
    absorbed = Money(help_text="What the co-op paid from margin because the bill rate is below the CBA wage.")


class QuarterSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    absorbed = Money()


class WageFloorSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    rows = FloorRowSerializer(many=True)
    absorbed_this_quarter = QuarterSerializer(help_text="Absorbed over this calendar quarter (the co-op's today).")
