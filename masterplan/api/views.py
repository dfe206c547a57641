from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from masterplan import workflow
from masterplan.access import require_plan_editor
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
        if self.action == "realisation":
            # Recording a realisation finds the plan and checks its editor; the answer reads
            # the figures afterwards (``current_representation``).
            return MasterPlan.objects.visible_to(self.request.user).select_related("region")
        return self.overviews()

    def overviews(self):
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
        require_plan_editor(request.user, plan)
        body = RealisationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        programme = plan.programmes.filter(pk=data.pop("programme")).first()
        if programme is None:
            raise ValidationError({"programme": [_("Program ini bukan bagian dari rencana ini.")]})
        workflow.target_record_realisation(
            programme, user=request.user, year=data.pop("year"), **data
        )
        return Response(
            self.current_representation(programme.targets.get(year=body.validated_data["year"]))
        )

    def current_representation(self, target):
        """A yearly target with figures recomputed from what is saved now (also for a 409)."""
        fresh = self.overviews().get(pk=target.programme.plan_id)
        target = next(
            item
            for programme in fresh.programmes.all()
            if programme.pk == target.programme_id
            for item in programme.targets.all()
            if item.year == target.year
        )
        return TargetSerializer(target, context=self.get_serializer_context()).data
