from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from egov_portal.api import HistoryEntrySerializer, history_response
from egov_portal.versions import StaleVersion
from opds.api.serializers import ApplicationSerializer, OPDSerializer, RegionSerializer
from opds.filters import ApplicationFilter, OPDFilter, RegionFilter
from opds.inventory import application_delete, application_history
from opds.models import OPD, Application, Region


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions the caller may see, keyed by Kemendagri code."""

    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"
    lookup_value_converter = "region_code"

    def get_queryset(self):
        return Region.objects.visible_to(self.request.user).select_related("parent")


class OPDViewSet(viewsets.ReadOnlyModelViewSet):
    """OPDs of the regions the caller may see."""

    serializer_class = OPDSerializer
    filterset_class = OPDFilter
    lookup_value_converter = "api_id"

    def get_queryset(self):
        return OPD.objects.visible_to(self.request.user).for_list()


class CanChangeApplication(permissions.BasePermission):
    """Reading follows visibility (the queryset); changing needs ``editable_by``."""

    message = _("Anda tidak dapat mengubah aplikasi OPD lain.")

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return Application.objects.editable_by(request.user).filter(pk=obj.pk).exists()


class ApplicationViewSet(viewsets.ModelViewSet):
    """The application inventory of the regions the caller may see.

    OPD staff create and change their own OPD's applications; admins any.
    """

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    permission_classes = [permissions.IsAuthenticated, CanChangeApplication]
    lookup_value_converter = "api_id"

    def get_queryset(self):
        return (
            Application.objects.visible_to(self.request.user)
            .for_list()
            .prefetch_related("integrations")
            .order_by("name", "pk")
        )

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
