from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from egov_portal.fields import TEXT_MAX_LENGTH
from masterplan.models import MasterPlan, Programme, Target
from masterplan.progress import plan_progress, score_comparison


def figures(context, plan):
    """The plan's progress figures, computed once per plan and response."""
    cache = context.setdefault("figures", {})
    if plan.pk not in cache:
        progress = plan_progress(plan)
        programmes = {item.programme.pk: item for item in progress.programmes}
        targets = {t.target.pk: t for item in progress.programmes for t in item.targets}
        cache[plan.pk] = (progress, programmes, targets)
    return cache[plan.pk]


class BudgetFields(serializers.Serializer):
    """Planned and realised Rupiah, absorption in per cent (None when nothing is recorded)."""

    budget_planned = serializers.SerializerMethodField()
    budget_realised = serializers.SerializerMethodField()
    budget_absorption = serializers.SerializerMethodField()

    def budget_of(self, obj):
        raise NotImplementedError

    def get_budget_planned(self, obj) -> int:
        return self.budget_of(obj).planned

    def get_budget_realised(self, obj) -> int | None:
        budget = self.budget_of(obj)
        return budget.realised if budget.recorded else None

    def get_budget_absorption(self, obj) -> float | None:
        return self.budget_of(obj).absorption


class TargetSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField(
        help_text="Per cent achieved: (realisation − baseline) / (target − baseline) × 100, "
        "uncapped; null until a realisation is recorded."
    )
    budget_absorption = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = [
            "id",
            "year",
            "metric",
            "unit",
            "baseline",
            "target",
            "realisation",
            "progress",
            "budget_planned",
            "budget_realised",
            "budget_absorption",
            "funding_source",
            "notes",
            "evidence",
            "version",
            "updated_at",
        ]

    def item(self, target):
        return figures(self.context, target.programme.plan)[2][target.pk]

    def get_progress(self, target) -> float | None:
        return self.item(target).percent

    def get_budget_absorption(self, target) -> float | None:
        return self.item(target).budget.absorption


class ProgrammeSerializer(BudgetFields, serializers.ModelSerializer):
    dimension = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.SerializerMethodField(
        help_text="achieved, on_track, behind or not_started, as of the current year."
    )
    progress = serializers.SerializerMethodField(
        help_text="Mean per cent achieved of the targets that count (each capped at 100)."
    )
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "dimension",
            "name",
            "opd",
            "description",
            "expected_output",
            "carried_from",
            "status",
            "progress",
            "budget_planned",
            "budget_realised",
            "budget_absorption",
            "targets",
        ]

    def item(self, programme):
        return figures(self.context, programme.plan)[1][programme.pk]

    def budget_of(self, programme):
        return self.item(programme).budget

    def get_status(self, programme) -> str:
        return self.item(programme).status

    def get_progress(self, programme) -> float | None:
        return self.item(programme).percent


class MasterPlanSerializer(BudgetFields, serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    framework = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # A plain string: as an enum it would clash with the assessment's "status" in the schema.
    status = serializers.CharField(
        read_only=True, help_text="draft, in_force, reviewed or superseded."
    )
    progress = serializers.SerializerMethodField(
        help_text="Mean per cent achieved of the plan's programmes."
    )
    programmes = ProgrammeSerializer(many=True, read_only=True)

    class Meta:
        model = MasterPlan
        fields = [
            "id",
            "region",
            "framework",
            "title",
            "start_year",
            "end_year",
            "status",
            "legal_basis",
            "legal_basis_date",
            "rpjmd_start_year",
            "rpjmd_end_year",
            "supersedes",
            "progress",
            "budget_planned",
            "budget_realised",
            "budget_absorption",
            "programmes",
        ]

    def budget_of(self, plan):
        return figures(self.context, plan)[0].budget

    def get_progress(self, plan) -> float | None:
        return figures(self.context, plan)[0].percent


class GroupFiguresSerializer(serializers.Serializer):
    progress = serializers.DecimalField(
        max_digits=6, decimal_places=1, source="percent", allow_null=True
    )
    budget_planned = serializers.IntegerField(source="budget.planned")
    budget_realised = serializers.SerializerMethodField()
    budget_absorption = serializers.DecimalField(
        max_digits=6, decimal_places=1, source="budget.absorption", allow_null=True
    )

    def get_budget_realised(self, group) -> int | None:
        return group.budget.realised if group.budget.recorded else None


class DimensionFiguresSerializer(GroupFiguresSerializer):
    dimension = serializers.CharField(source="dimension.code")


class YearFiguresSerializer(GroupFiguresSerializer):
    year = serializers.IntegerField()


class ScorePointSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    year = serializers.IntegerField()
    target_score = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    actual_score = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    assessment_status = serializers.CharField(allow_null=True)


class MasterPlanDetailSerializer(MasterPlanSerializer):
    vision = serializers.CharField(read_only=True)
    mission = serializers.CharField(read_only=True)
    dimensions = serializers.SerializerMethodField()
    years = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()

    class Meta(MasterPlanSerializer.Meta):
        fields = [
            *MasterPlanSerializer.Meta.fields,
            "vision",
            "mission",
            "dimensions",
            "years",
            "scores",
        ]

    @extend_schema_field(DimensionFiguresSerializer(many=True))
    def get_dimensions(self, plan):
        return DimensionFiguresSerializer(figures(self.context, plan)[0].dimensions, many=True).data

    @extend_schema_field(YearFiguresSerializer(many=True))
    def get_years(self, plan):
        return YearFiguresSerializer(figures(self.context, plan)[0].years, many=True).data

    @extend_schema_field(ScorePointSerializer(many=True))
    def get_scores(self, plan):
        """Target score against the region's assessment score, per dimension and year."""
        rows = [
            {
                "dimension": scores.dimension.code,
                "year": point.year,
                "target_score": point.target,
                "actual_score": point.actual,
                "assessment_status": point.assessment_status,
            }
            for scores in score_comparison(plan)
            for point in scores.points
        ]
        return ScorePointSerializer(rows, many=True).data


class RealisationSerializer(serializers.Serializer):
    """A year's realisation of one programme; only the fields sent are changed."""

    programme = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    version = serializers.IntegerField(
        min_value=1,
        help_text="The target's version you last read; a stale version answers 409 with the "
        "current target.",
    )
    realisation = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    budget_realised = serializers.IntegerField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=500)
