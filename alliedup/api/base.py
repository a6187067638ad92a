"""Base classes for tenant-scoped API views: /api/v1/c/<coop_slug>/…

The middleware has already resolved the cooperative from the path and opened its scope;
`CooperativePermission` checks the user's role through alliedup.permissions.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions
from rest_framework.views import APIView

from alliedup.permissions import CooperativePermission

COOP_SLUG_PARAMETER = OpenApiParameter(
    "coop_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The cooperative's slug"
)


class CooperativeMixin:
    permission_classes = [permissions.IsAuthenticated, CooperativePermission]

    @property
    def cooperative(self):
        return self.request._request.cooperative


@extend_schema(parameters=[COOP_SLUG_PARAMETER])
class CooperativeAPIView(CooperativeMixin, APIView):
    pass


@extend_schema(parameters=[COOP_SLUG_PARAMETER])
class CooperativeListAPIView(CooperativeMixin, generics.ListAPIView):
    pass
