from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action

from egov_portal.api import HistoryEntrySerializer, history_response
from opds.access import may_keep_inventory
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


class KeepsInventory(permissions.BasePermission):
    """Reading follows visibility (the queryset); changing is refused before the body is read
    when the user does not keep the application's OPD (the write functions check it again)."""

    message = _("Anda hanya dapat mengubah aplikasi OPD Anda sendiri.")

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or may_keep_inventory(
            request.user, obj.opd
        )


class ApplicationViewSet(viewsets.ModelViewSet):
    """The application inventory of the regions the caller may see.

    OPD staff create and change their own OPD's applications; admins any.
    """

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    permission_classes = [permissions.IsAuthenticated, KeepsInventory]
    lookup_value_converter = "api_id"

    def get_queryset(self):
        return (
            Application.objects.visible_to(self.request.user)
            .for_list()
            .prefetch_related("integrations")
            .order_by("name", "pk")
        )

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
