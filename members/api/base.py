"""What the members API's views share (the placements API too): a classification named in a request."""

from rest_framework.exceptions import ValidationError

from members import selectors
from members.models import JobClassification


def classification_or_400(cooperative, code) -> JobClassification:
    """The co-op's job classification with this code; a 400 naming the field when there is none."""
    found = selectors.classification_by_code(cooperative, code)
    if found is None:
        raise ValidationError({"classification": [f"No classification {code!r} in this cooperative."]})
    return found
