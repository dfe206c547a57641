from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from egov_portal.api import HistoryEntrySerializer, history_response
from egov_portal.versions import StaleVersion
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


class CanChangeApplication(permissions.BasePermission):
    """Reading follows visibility (the queryset); changing needs ``editable_by``."""

    message = _("Anda tidak dapat mengubah aplikasi OPD lain.")

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return Application.objects.editable_by(request.user).filter(pk=obj.pk).exists()


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
    permission_classes = [permissions.IsAuthenticated, CanChangeApplication]

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

    def _check_owner(self, opd):
        if not OPD.objects.inventory_editable_by(self.request.user).filter(pk=opd.pk).exists():
            raise PermissionDenied(_("Anda hanya dapat mencatat aplikasi OPD Anda sendiri."))

    def perform_create(self, serializer):
        self._check_owner(serializer.validated_data["opd"])
        serializer.save()

    def perform_update(self, serializer):
        if "opd" in serializer.validated_data:
            self._check_owner(serializer.validated_data["opd"])
        serializer.save()

    def update(self, request, *args, **kwargs):
        try:
            return super().update(request, *args, **kwargs)
        except StaleVersion as error:
            current = self.get_queryset().get(pk=error.current.pk)
            return Response(
                {"detail": error.message, "current": self.get_serializer(current).data},
                status=status.HTTP_409_CONFLICT,
            )

    def perform_destroy(self, instance):
        application_delete(instance, user=self.request.user)

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Every change to the application, newest first: who, when, and each changed field's
        old and new value."""
        return history_response(self, application_history(self.get_object()))
