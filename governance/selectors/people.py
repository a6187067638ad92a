"""Workers by name, for the governance forms' name boxes (issue 17): each box resolves the typed
name within its own `people` (a queryset of the co-op's workers) and is offered suggestions
from the one search endpoint, whose `among` names one of PEOPLE."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db.models import Q, Value
from django.db.models.functions import Concat

from alliedup.models import Cooperative
from members.choices import MemberStatus
from members.selectors import workers_qs

if TYPE_CHECKING:
    from members.models import Worker


NAME_SEARCH_LIMIT = 20


_EMAIL_SUFFIX = re.compile(r"(.*?)\s*<([^<>\s]+@[^<>\s]+)>")


def owners(cooperative: Cooperative):
    """The co-op's worker-owners today: who may hold a worker-owner seat or stand for election."""
    return workers_qs(cooperative, status=MemberStatus.OWNER)


def committee_workers(cooperative: Cooperative):
    """The co-op's workers who may be named as a committee member: anyone not withdrawn."""
    return workers_qs(cooperative, exclude_status=MemberStatus.WITHDRAWN)


PEOPLE = {"owners": owners, "workers": committee_workers}


def people_matching(people, text: str, *, limit: int = NAME_SEARCH_LIMIT) -> list:
    """Those of `people` whose first or last name contains each word of `text`, in any case
    ("delgado, ro" finds Rosa Delgado), by last then first name, at most `limit`. One query;
    none when `text` has no word."""
    words = [w for w in re.split(r"[\s,]+", text) if w][:5]
    if not words:
        return []
    query = people
    for word in words:
        query = query.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return list(query.order_by("last_name", "first_name", "pk")[:limit])


def people_named(people, text: str, *, limit: int = NAME_SEARCH_LIMIT) -> list:
    """Those of `people` typed `text` can mean, at most `limit` + 1 (so a caller can tell
    "too many"): the one whose email is given as "Name <email>" (a label of people_labels);
    else those called exactly `text` ("Last, First" or "First Last", any case); else
    people_matching. One or two queries."""
    text = " ".join(text.split())
    if m := _EMAIL_SUFFIX.fullmatch(text):
        return list(people.filter(email__iexact=m[2])[:1])
    exact = list(people.annotate(
        last_first=Concat("last_name", Value(", "), "first_name"), first_last=Concat("first_name", Value(" "), "last_name"),
    ).filter(Q(last_first__iexact=text) | Q(first_last__iexact=text)).order_by("last_name", "first_name", "pk")[:limit + 1])
    return exact or people_matching(people, text, limit=limit + 1)


def people_labels(workers) -> list[tuple[Worker, str]]:
    """(worker, label) for each of `workers`: "Last, First", with the email added for
    namesakes in the list ("Last, First <email>"), so that a label names one person."""
    names = [f"{w.last_name}, {w.first_name}" for w in workers]
    repeated = {n for n in names if names.count(n) > 1}
    return [(w, f"{n} <{w.email}>" if n in repeated else n) for w, n in zip(workers, names)]
