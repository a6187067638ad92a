"""API of insights, mounted under /api/v1/c/<coop_slug>/insights/ (see alliedup/api/urls.py).

GET figures/ lists the figures the user may read, with their definitions; GET
figure/?figure=<name>&start=YYYY-MM-DD&end=YYYY-MM-DD returns one figure's rows. The figure
is a query parameter, not a path segment, so the routes name no object (the isolation
test's rule). Unknown figure or bad period → 400 with the field's message; a figure the
user's roles may not read → 403.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.dateparse import parse_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView
from alliedup.permissions import can
from insights import metrics


def _json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _may_read(request, cooperative, name) -> bool:
    return any(can(request.user, cooperative, p) for p in metrics.FIGURE_PERMISSIONS[name])


def _date(params, name):
    raw = params.get(name)
    if not raw:
        return None
    try:
        value = parse_date(raw)
    except ValueError:
        value = None
    if value is None:
        raise ValidationError({name: f"{raw!r} is not a date (YYYY-MM-DD)."})
    return value


class FigureListView(CooperativeAPIView):
    """The figures you may read: name, title and definition."""

    required_permission = "coop.view"

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, coop_slug):
        return Response({"figures": [
            {"name": name, "title": metrics.FIGURE_TITLES[name], "definition": metrics.definition(name)}
            for name in metrics.FIGURES if _may_read(request, self.cooperative, name)
        ]})


class FigureView(CooperativeAPIView):
    """One figure over a period (default: this calendar year so far)."""

    required_permission = "coop.view"

    @extend_schema(
        parameters=[
            OpenApiParameter("figure", OpenApiTypes.STR, required=True, enum=list(metrics.FIGURES), description="A name from figures/"),
            OpenApiParameter("start", OpenApiTypes.DATE), OpenApiParameter("end", OpenApiTypes.DATE),
            OpenApiParameter("market_reference", OpenApiTypes.STR, description="wage_uplift only: code:rate, … (default ma:17.50)"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, coop_slug):
        params = request.query_params
        name = params.get("figure")
        if not name:
            raise ValidationError({"figure": "Name a figure: ?figure=<name> (GET figures/ lists them)."})
        default_start, default_end = metrics.default_period(self.cooperative)
        start, end = _date(params, "start") or default_start, _date(params, "end") or default_end
        metrics.validate_request(start, end, name)
        if not _may_read(request, self.cooperative, name):
            raise PermissionDenied("Your role in this cooperative does not allow this figure.")
        options = {}
        if name == "wage_uplift":
            options["market_reference"] = metrics.parse_market_reference(params.getlist("market_reference"))
        figure = metrics.figure_data(self.cooperative, name, start, end, **options)
        return Response({
            "figure": figure.name, "title": figure.title, "definition": figure.definition,
            "start": figure.start.isoformat(), "end": figure.end.isoformat(),
            "columns": [{"key": k, "label": label} for k, label in figure.columns],
            "rows": [{k: _json(v) for k, v in row.items()} for row in figure.rows],
            "extra": {k: ({c: _json(r) for c, r in v.items()} if isinstance(v, dict) else _json(v)) for k, v in figure.extra.items()},
        })


app_name = "insights_api"
urlpatterns = [
    path("figures/", FigureListView.as_view(), name="figures"),
    path("figure/", FigureView.as_view(), name="figure"),
]
