from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from opds.api.serializers import OPDSerializer, RegionSerializer
from opds.models import OPD, Region


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=Region.Kind.values),
            OpenApiParameter("parent", OpenApiTypes.STR, description="Kode provinsi induk"),
        ]
    )
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions the caller may see, keyed by Kemendagri code."""

    serializer_class = RegionSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]+"

    def get_queryset(self):
        queryset = Region.objects.visible_to(self.request.user).select_related("parent")
        params = self.request.query_params
        if params.get("kind"):
            queryset = queryset.filter(kind=params["kind"])
        if params.get("parent"):
            queryset = queryset.filter(parent__code=params["parent"])
        return queryset


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("region", OpenApiTypes.STR, description="Kode Kemendagri wilayah"),
            OpenApiParameter("active", OpenApiTypes.BOOL),
        ]
    )
)
class OPDViewSet(viewsets.ReadOnlyModelViewSet):
    """OPDs of the regions the caller may see."""

    serializer_class = OPDSerializer

    def get_queryset(self):
        queryset = OPD.objects.visible_to(self.request.user).for_list()
        params = self.request.query_params
        if params.get("region"):
            queryset = queryset.filter(region__code=params["region"])
        if params.get("active") in {"true", "false"}:
            queryset = queryset.filter(active=params["active"] == "true")
        return queryset
