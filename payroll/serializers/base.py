"""What the payroll serializers share: the money, rate and hours fields, the time format and a
CSV upload (a file or its text) with its size limit."""


from rest_framework import serializers


HH_MM = ["%H:%M"]
MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # a co-op's wage tables or a run's results are far smaller


def Money(**kwargs):  # noqa: N802 - a field factory, read like a field class
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


def Rate(**kwargs):  # noqa: N802
    return serializers.DecimalField(max_digits=12, decimal_places=4, **kwargs)


def Hours(**kwargs):  # noqa: N802
    return serializers.DecimalField(max_digits=9, decimal_places=2, **kwargs)


class CsvUploadSerializer(serializers.Serializer):
    """A CSV as a multipart `file`, or its text in `csv` (JSON or form)."""

    file = serializers.FileField(required=False, help_text="CSV, UTF-8.")
    csv = serializers.CharField(required=False, trim_whitespace=False, help_text="The CSV's text, instead of a file.")

    def validate(self, attrs):
        if ("file" in attrs) == ("csv" in attrs):
            raise serializers.ValidationError({"file": ["Send the CSV as a file or as the text field `csv` (one of them)."]})
        if "csv" in attrs:
            text = attrs["csv"]
            if len(text.encode()) > MAX_UPLOAD_BYTES:
                raise serializers.ValidationError({"csv": [f"The text is larger than {MAX_UPLOAD_BYTES // 1024} KB."]})
            return {"text": text.removeprefix("\ufeff")}
        data = attrs["file"].read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError({"file": [f"The file is larger than {MAX_UPLOAD_BYTES // 1024} KB."]})
        try:
            return {"text": data.decode("utf-8-sig")}
        except UnicodeDecodeError as exc:
            raise serializers.ValidationError({"file": [
                f"The file is not UTF-8 text (byte {exc.start + 1}). Save it as \"CSV UTF-8\" and upload it again."
            ]}) from None
