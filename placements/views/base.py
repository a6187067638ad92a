"""What the staff pages of placements share: the fill board's horizon, a paginator that is told
its count, htmx fragments and the shifts as the pages show them."""

from django.core.paginator import Paginator
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property

from placements import selectors
from placements.models import Shift

BOARD_DAYS = selectors.BOARD_DAYS


class CountedPaginator(Paginator):
    """A paginator given its count (the page already shows that figure, computed with
    others in one query), so it runs no COUNT of its own."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def is_fragment(request) -> bool:
    """An htmx request swapping part of a page. htmx restoring its history after a cache
    miss sends HX-Request too, but wants the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def varies_on_htmx(response):
    """Pages that answer htmx with a fragment: a cache must keep both answers apart."""
    patch_vary_headers(response, ["HX-Request"])
    return response


def shifts_with_client():
    return Shift.objects.select_related("job_order__contract__client", "job_order__site", "classification")
