"""Sick leave (balances, entries, use) and the holiday calendar."""


from rest_framework import serializers

from payroll.models import SickLeaveEntry


# --- sick leave -----------------------------------------------------------------------------


class SickLeaveEntrySerializer(serializers.ModelSerializer):
    hours = serializers.DecimalField(max_digits=9, decimal_places=4, help_text="Accrued positive, used negative.")
    run = serializers.UUIDField(source="run.uuid", allow_null=True, default=None)
    run_reference = serializers.CharField(source="run.reference", allow_null=True, default=None)

    class Meta:
        model = SickLeaveEntry
        fields = ["kind", "workday", "hours", "note", "run", "run_reference", "recorded_at"]


class SickLeaveSerializer(serializers.Serializer):
    worker = serializers.UUIDField(source="worker.uuid")
    worker_name = serializers.CharField(source="worker.full_name")
    balance = serializers.DecimalField(max_digits=9, decimal_places=4, help_text="Hours available (the ledger's sum).")
    used_this_year = serializers.DecimalField(max_digits=9, decimal_places=4)
    accrual_cap = serializers.DecimalField(max_digits=7, decimal_places=2, help_text="Hours the balance may reach: the greater "
                                           "of the co-op's hours and its days × the worker's day (Labor Code §246).")
    use_cap = serializers.DecimalField(max_digits=7, decimal_places=2, help_text="Hours usable a calendar year, the same way.")
    workday_hours = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="The worker's day: average hours per "
                                             "workday worked in the last 90 days (8 when none).")
    usable_from = serializers.DateField(help_text="First day sick leave may be used: the co-op's day of employment (90 by "
                                        "default), the hire date being day 1 (Labor Code §246(c)).")
    entries = SickLeaveEntrySerializer(many=True)


class SickLeaveUseSerializer(serializers.Serializer):
    workday = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=2)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


# --- the holiday calendar -------------------------------------------------------------------


class HolidaySerializer(serializers.Serializer):
    """A day of the co-op's holiday calendar (worktime.Holiday)."""

    day = serializers.DateField()
    name = serializers.CharField(max_length=100)


class HolidayYearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class HolidayDaySerializer(serializers.Serializer):
    day = serializers.DateField()


class StandardHolidaysSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
