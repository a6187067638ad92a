"""API of the wage-floor report: where a client's bill rate is under the CBA wage."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from alliedup.api.base import CooperativeAPIView
from payroll import selectors
from payroll.serializers import WageFloorQuerySerializer, WageFloorSerializer
from placements.selectors import client_uuids


class WageFloorView(CooperativeAPIView):
    """Per client over approved runs' workdays in [start, end]: hours, billed, paid, margin,
    and what the co-op absorbed paying the CBA wage above the bill rate; plus the absorbed
    total of this calendar quarter. Default span: this quarter; at most 10 years."""

    required_permission = "payroll.wage_floor"

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="First workday (default: this quarter's first day)."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Last workday (default: this quarter's last day)."),
        ],
        responses=WageFloorSerializer,
    )
    def get(self, request, coop_slug):
        quarter = selectors.quarter_of(self.cooperative.today())
        query = WageFloorQuerySerializer(data=request.query_params, context={"default_span": quarter})
        query.is_valid(raise_exception=True)
        start, end = query.validated_data["start"], query.validated_data["end"]
        rows = selectors.wage_floor_report(self.cooperative, start, end)
        uuids = client_uuids(self.cooperative, [r.client_id for r in rows])
        return Response(WageFloorSerializer({
            "start": start,
            "end": end,
            "rows": [{**vars(r), "client_uuid": uuids.get(r.client_id), "margin": r.margin} for r in rows],
            "absorbed_this_quarter": {
                "start": quarter[0], "end": quarter[1], "absorbed": selectors.absorbed_this_quarter(self.cooperative),
            },
        }).data)


