from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action

from egov_portal.api import HistoryEntrySerializer, history_response
from opds.access import may_keep_inventory
from opds.api.serializers import ApplicationSerializer, OPDSerializer, RegionSerializer
from opds.inventory import application_delete, application_history
from opds.models import OPD, Application, Region


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


class KeepsInventory(permissions.BasePermission):
    """Reading follows visibility (the queryset); changing is refused before the body is read
    when the user does not keep the application's OPD (the write functions check it again)."""

    message = _("Anda hanya dapat mengubah aplikasi OPD Anda sendiri.")

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or may_keep_inventory(
            request.user, obj.opd
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("opd", OpenApiTypes.INT, description="ID OPD pemilik"),
            OpenApiParameter("region", OpenApiTypes.STR, description="Kode Kemendagri wilayah"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=Application.Status.values),
            OpenApiParameter("platform", OpenApiTypes.STR, enum=Application.Platform.values),
            OpenApiParameter("search", OpenApiTypes.STR, description="Cari di nama dan deskripsi"),
        ]
    )
)
class ApplicationViewSet(viewsets.ModelViewSet):
    """The application inventory of the regions the caller may see.

    OPD staff create and change their own OPD's applications; admins any.
    """

    serializer_class = ApplicationSerializer
    permission_classes = [permissions.IsAuthenticated, KeepsInventory]

    def get_queryset(self):
        queryset = (
            Application.objects.visible_to(self.request.user)
            .for_list()
            .prefetch_related("integrations")
        )
        params = self.request.query_params
        if params.get("opd", "").isdigit():
            queryset = queryset.filter(opd_id=params["opd"])
        if params.get("region"):
            queryset = queryset.filter(opd__region__code=params["region"])
        for name in ("status", "platform"):
            if params.get(name):
                queryset = queryset.filter(**{name: params[name]})
        if params.get("search"):
            queryset = queryset.search(params["search"])
        return queryset.order_by("name", "pk")

    def current_representation(self, current):
        """What is saved now, with everything a row shows (for a 409)."""
        return self.get_serializer(self.get_queryset().get(pk=current.pk)).data

    def perform_destroy(self, instance):
        application_delete(instance, user=self.request.user)

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Every change to the application, newest first: who, when, and each changed field's
        old and new value."""
        return history_response(self, application_history(self.get_object()))
