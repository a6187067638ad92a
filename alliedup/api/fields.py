"""Date fields of the API for dates the platform computes with.

A date at Python's limits (0001-01-01, 9999-12-31) breaks the first "day after", "local date
in the co-op's zone" or "ten years on" computed from it (OverflowError: a 500). No co-op
record is that far from today, so fields feeding such arithmetic refuse dates outside
EARLIEST–LATEST with a 400 naming the field. insights.metrics applies the same bounds to
its query dates.
"""

from datetime import date

from rest_framework import serializers

EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)
OUT_OF_RANGE = f"Give a date from {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d}."


class DateField(serializers.DateField):
    default_error_messages = {"out_of_range": OUT_OF_RANGE}

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not EARLIEST <= day <= LATEST:
            self.fail("out_of_range")
        return day


class DateTimeField(serializers.DateTimeField):
    default_error_messages = {"out_of_range": OUT_OF_RANGE}

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if not EARLIEST <= moment.date() <= LATEST:
            self.fail("out_of_range")
        return moment
