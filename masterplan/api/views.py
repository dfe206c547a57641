from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as APIPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from egov_portal.versions import StaleVersion
from masterplan import workflow
from masterplan.api.serializers import (
    MasterPlanDetailSerializer,
    MasterPlanSerializer,
    RealisationSerializer,
    TargetSerializer,
)
from masterplan.filters import MasterPlanFilter
from masterplan.models import MasterPlan


class MasterPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Master plans of the regions the caller may see, with programmes, yearly targets and
    progress figures (per cent achieved, budget absorption) from ``masterplan.progress``."""

    filterset_class = MasterPlanFilter
    lookup_value_converter = "api_id"

    def get_queryset(self):
        return (
            MasterPlan.objects.visible_to(self.request.user)
            .for_overview()
            .prefetch_related("framework__dimensions")
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return MasterPlanDetailSerializer
        if self.action == "realisation":
            return RealisationSerializer
        return MasterPlanSerializer

    @extend_schema(request=RealisationSerializer, responses=TargetSerializer)
    @action(detail=True, methods=["post"])
    def realisation(self, request, pk=None):
        """Record a year's realisation of one of the plan's programmes (head or admin, plan in
        force): ``{"programme": 12, "year": 2019, "realisation": 14, "budget_realised":
        450000000, "notes": "…"}``."""
        plan = self.get_object()
        body = RealisationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        programme = plan.programmes.filter(pk=data.pop("programme")).first()
        if programme is None:
            raise ValidationError({"programme": [_("Program ini bukan bagian dari rencana ini.")]})
        conflict = None
        try:
            workflow.target_record_realisation(
                programme, user=request.user, year=data.pop("year"), **data
            )
        except PermissionDenied as error:
            raise APIPermissionDenied(str(error)) from error
        except StaleVersion as error:
            conflict = error.message
        # Answer with figures recomputed from what is saved now.
        year = body.validated_data["year"]
        fresh = self.get_queryset().get(pk=plan.pk)
        target = next(
            target
            for item in fresh.programmes.all()
            if item.pk == programme.pk
            for target in item.targets.all()
            if target.year == year
        )
        current = TargetSerializer(target, context=self.get_serializer_context()).data
        if conflict:
            return Response(
                {"detail": conflict, "current": current}, status=status.HTTP_409_CONFLICT
            )
        return Response(current)
