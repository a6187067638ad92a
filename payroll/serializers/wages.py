"""Collective agreements, wage tables and shift differentials (set, close, import), and the
worker's own wage."""


from rest_framework import serializers

from payroll.models import (
    CollectiveAgreement, ShiftDifferential, WageStep, WageTable,
)
from payroll.serializers.base import CsvUploadSerializer, Rate, HH_MM


# --- collective agreements, wage tables, differentials -------------------------------------


class CollectiveAgreementSerializer(serializers.ModelSerializer):
    """An agreement in lists, and the input of agreement_create (terms not given keep the
    model's defaults: statutory California overtime, 1.5 % dues)."""

    class Meta:
        model = CollectiveAgreement
        fields = ["uuid", "name", "union", "starts_on", "ends_on", "status", "benchmark_source", "step_basis", "hours_per_step",
                  "dues_kind", "dues_percent", "dues_cap", "dues_flat", "daily_overtime_after", "daily_double_time_after",
                  "weekly_overtime_after", "seventh_day_rule", "holiday_multiplier"]
        read_only_fields = ["uuid"]


class WageStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = WageStep
        fields = ["step", "hourly_rate"]


class WageTableSerializer(serializers.ModelSerializer):
    classification = serializers.CharField(source="classification.code", help_text="Classification code, e.g. 'ma'")
    classification_name = serializers.CharField(source="classification.name")
    steps = WageStepSerializer(many=True, read_only=True)

    class Meta:
        model = WageTable
        fields = ["classification", "classification_name", "effective_from", "effective_to", "benchmark_note", "steps"]


class DifferentialSerializer(serializers.ModelSerializer):
    classification = serializers.CharField(source="classification.code", allow_null=True, default=None,
                                           help_text="Classification code, or null for every classification.")
    window_start = serializers.TimeField(format="%H:%M", allow_null=True)
    window_end = serializers.TimeField(format="%H:%M", allow_null=True)

    class Meta:
        model = ShiftDifferential
        fields = ["kind", "basis", "amount", "window_start", "window_end", "classification"]


class CollectiveAgreementDetailSerializer(CollectiveAgreementSerializer):
    wage_tables = WageTableSerializer(many=True, read_only=True)
    differentials = DifferentialSerializer(many=True, read_only=True)

    class Meta(CollectiveAgreementSerializer.Meta):
        fields = CollectiveAgreementSerializer.Meta.fields + ["wage_tables", "differentials"]


class WageTableSetSerializer(serializers.Serializer):
    classification = serializers.SlugField(help_text="Classification code, e.g. 'ma'")
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(required=False, allow_null=True, default=None,
                                         help_text="Last day in force; null: until replaced.")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                 help_text="Where the scale comes from (benchmark note).")
    steps = serializers.DictField(child=Rate(), help_text='Hourly wage by step, e.g. {"1": "33.00", "2": "34.00"}')

    def validate_steps(self, steps):
        parsed = {}
        for key, rate in steps.items():
            if not str(key).isdigit():
                raise serializers.ValidationError(f"Step {key!r} is not a whole number.")
            parsed[int(key)] = rate
        return parsed


class WageTableCloseSerializer(serializers.Serializer):
    """Names the table by its classification and first day (unique), and gives its last day."""

    classification = serializers.SlugField(help_text="Classification code, e.g. 'ma'")
    effective_from = serializers.DateField(help_text="First day of the table to close.")
    effective_to = serializers.DateField(help_text="Its new last day in force.")


class DifferentialAddSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ShiftDifferential.Kind.choices)
    basis = serializers.ChoiceField(choices=ShiftDifferential.Basis.choices, default=ShiftDifferential.Basis.PER_HOUR)
    amount = Rate(help_text="Dollars per hour, or percent of the base wage.")
    window_start = serializers.TimeField(input_formats=HH_MM, required=False, allow_null=True, default=None,
                                         help_text="Night differential: HH:MM in the co-op's zone.")
    window_end = serializers.TimeField(input_formats=HH_MM, required=False, allow_null=True, default=None,
                                       help_text="Night differential: HH:MM; earlier than the start wraps midnight.")
    classification = serializers.SlugField(required=False, allow_null=True, default=None,
                                           help_text="Classification code; null for every classification.")


class WageTableImportSerializer(CsvUploadSerializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        return {**super().validate(attrs), "note": attrs.get("note", "")}


class WageTableImportResultSerializer(serializers.Serializer):
    tables = WageTableSerializer(many=True, help_text="The tables created, with their steps.")


# --- the worker's own wage ------------------------------------------------------------------


class MyWageSerializer(serializers.Serializer):
    classification = serializers.CharField(source="classification.code")
    classification_name = serializers.CharField(source="classification.name")
    step = serializers.IntegerField()
    wage = Rate(allow_null=True, help_text="The CBA hourly wage today; null when no table is in force.")
