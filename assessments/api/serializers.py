from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.models import (
    Answer,
    Assessment,
    Clarification,
    Comment,
    Cycle,
    CycleExtension,
    Dimension,
    Evidence,
    Framework,
    Indicator,
    Stage,
)
from assessments.scoring import (
    assessment_result,
    derived_result,
    framework_aspects,
    framework_dimensions,
)
from egov_portal.fields import TEXT_MAX_LENGTH
from opds.models import Region


class LevelSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    descriptor = serializers.CharField()
    descriptor_en = serializers.CharField()


class IndicatorSerializer(serializers.ModelSerializer):
    levels = LevelSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["code", "name", "name_en", "weight", "evidence", "evidence_en", "levels"]


class AspectSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    weight = serializers.DecimalField(max_digits=8, decimal_places=4)
    indicators = IndicatorSerializer(many=True, read_only=True)


class DimensionSerializer(serializers.ModelSerializer):
    indicators = serializers.SerializerMethodField()
    aspects = serializers.SerializerMethodField()

    class Meta:
        model = Dimension
        fields = ["code", "name", "name_en", "description", "weight", "indicators", "aspects"]

    def get_indicators(self, dimension) -> list:
        if dimension.aspects.all():
            return []
        return IndicatorSerializer(dimension.indicators.all(), many=True).data

    def get_aspects(self, dimension) -> list:
        return AspectSerializer(dimension.aspects.all(), many=True).data


class FrameworkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Framework
        fields = ["code", "name", "name_en", "version", "scale_min", "scale_max"]


class BandSerializer(serializers.Serializer):
    min_score = serializers.DecimalField(max_digits=5, decimal_places=2)
    name = serializers.CharField()
    name_en = serializers.CharField()


class FrameworkDetailSerializer(FrameworkSerializer):
    bands = BandSerializer(many=True, read_only=True)
    dimensions = DimensionSerializer(many=True, read_only=True)

    class Meta(FrameworkSerializer.Meta):
        fields = [
            *FrameworkSerializer.Meta.fields,
            "description",
            "aggregation",
            "bands",
            "dimensions",
        ]


class DimensionScoreSerializer(serializers.Serializer):
    code = serializers.CharField()
    score = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    rating = serializers.CharField(allow_null=True)
    answered = serializers.IntegerField(help_text="Indicators answered (a level or N/A).")
    total = serializers.IntegerField(help_text="Indicators of the dimension.")


class AspectScoreSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    score = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    rating = serializers.CharField(allow_null=True)


class DimensionDetailScoreSerializer(DimensionScoreSerializer):
    aspects = AspectScoreSerializer(
        many=True,
        help_text="The scores of the dimension's aspects, in order: the weighted mean of the "
        "levels of each aspect's answered, applicable indicators; empty for a framework "
        "without aspects.",
    )


class AssessmentSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    framework = serializers.SlugRelatedField(slug_field="code", queryset=Framework.objects.all())
    index = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()
    completeness = serializers.SerializerMethodField()
    dimensions = serializers.SerializerMethodField()
    carry_forward_from = serializers.PrimaryKeyRelatedField(
        queryset=Assessment.objects.all(),
        write_only=True,
        required=False,
        allow_null=True,
        help_text="On create: the id of an earlier assessment of the same region and framework "
        "to start from (each indicator's last level to confirm, its note and evidence).",
        # Whether the earlier assessment is visible is checked by the domain function, which
        # answers an invisible one as it answers a missing one.
        error_messages={
            "does_not_exist": _("Penilaian asal tidak ditemukan."),
            "incorrect_type": _("Tuliskan id penilaian asal sebagai angka."),
        },
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "region",
            "year",
            "framework",
            "status",
            "index",
            "rating",
            "completeness",
            "dimensions",
            "revision",
            "created_at",
            "updated_at",
            "carry_forward_from",
        ]
        read_only_fields = ["status", "revision", "created_at", "updated_at"]
        # Uniqueness is checked by the domain function, with the portal's own message.
        validators = []

    def result(self, assessment):
        results = self.context.setdefault("results", {})
        if assessment.pk not in results:
            results[assessment.pk] = assessment_result(assessment)
        return results[assessment.pk]

    def get_index(self, assessment) -> float | None:
        return self.result(assessment).index

    def get_rating(self, assessment) -> str | None:
        rating = self.result(assessment).rating
        return rating.name if rating else None

    def get_completeness(self, assessment) -> float:
        return self.result(assessment).completeness

    @extend_schema_field(DimensionScoreSerializer(many=True))
    def get_dimensions(self, assessment) -> list[dict]:
        return [
            {
                "code": d.code,
                "score": d.score,
                "rating": d.rating.name if d.rating else None,
                "answered": d.answered,
                "total": d.total,
            }
            for d in self.result(assessment).dimensions
        ]


class DerivedDimensionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="label")
    score = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    rating = serializers.CharField(source="rating.name", allow_null=True, default=None)


class DerivedSerializer(serializers.Serializer):
    """The assessment scored on the reference framework's dimensions through its framework's
    crosswalk."""

    framework = serializers.CharField(
        help_text="Code of the framework scored on: the one the crosswalks map to (pegi with "
        "the shipped data)."
    )
    index = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    rating = serializers.CharField(source="rating.name", allow_null=True, default=None)
    dimensions = DerivedDimensionSerializer(many=True)


class AssessmentDetailSerializer(AssessmentSerializer):
    derived = serializers.SerializerMethodField(
        help_text="For an assessment whose framework has a crosswalk to the reference framework "
        "(the one the crosswalks map to: PeGI with the shipped data): its levels rescaled to "
        "that framework's scale and combined into its dimensions and index; null otherwise."
    )

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "derived"]

    @extend_schema_field(DimensionDetailScoreSerializer(many=True))
    def get_dimensions(self, assessment) -> list[dict]:
        rows = super().get_dimensions(assessment)
        # The names come from the structure the scores were computed with: no query.
        framework = assessment.framework
        dimensions = {d.code: d for d in framework_dimensions(framework)}
        results = self.result(assessment).dimensions
        for row, result in zip(rows, results, strict=True):
            names = {
                aspect.code: aspect.label
                for aspect in framework_aspects(framework, dimensions[row["code"]])
            }
            row["aspects"] = [
                {
                    "code": aspect.code,
                    "name": names[aspect.code],
                    "score": aspect.score,
                    "rating": aspect.rating.name if aspect.rating else None,
                }
                for aspect in result.aspects
            ]
        return rows

    @extend_schema_field(DerivedSerializer(allow_null=True))
    def get_derived(self, assessment) -> dict | None:
        derived = derived_result(assessment)
        return None if derived is None else DerivedSerializer(derived).data


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "title", "url", "content_type", "size", "sha256", "uploaded_at"]

    def get_url(self, evidence) -> str:
        url = evidence.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request and not evidence.url else url


class AnswerSerializer(serializers.ModelSerializer):
    # A change needs the version last read (see egov_portal.schema).
    required_to_change = ("version",)
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    updated_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    version = serializers.IntegerField(
        min_value=0,
        help_text="The version you last read (0 for an indicator not answered yet); "
        "a stale version answers 409 with the current answer.",
    )
    evidence = serializers.SerializerMethodField()
    carried_forward = serializers.SerializerMethodField(
        help_text="Whether the answer started from an earlier year's assessment."
    )

    class Meta:
        model = Answer
        fields = [
            "indicator",
            "self_level",
            "verified_level",
            "not_applicable",
            "note",
            "reason",
            "version",
            "updated_by",
            "updated_at",
            "evidence",
            "carried_forward",
            "awaiting_confirmation",
        ]
        # A carried level is confirmed by saving the indicator's level (the same or another).
        read_only_fields = ["updated_at", "awaiting_confirmation"]

    def get_carried_forward(self, answer) -> bool:
        return answer.carried_from_id is not None

    def get_evidence(self, answer) -> list[dict]:
        if not answer.pk:
            return []
        return EvidenceSerializer(answer.evidence.all(), many=True, context=self.context).data


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Assessment.Status.choices)
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH
    )


class CommentSerializer(serializers.ModelSerializer):
    """One comment of a clarification thread on an indicator."""

    thread = serializers.IntegerField(source="thread_id", read_only=True)
    author = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="User name of who wrote it.",
    )
    side = serializers.ChoiceField(
        choices=Clarification.Side.choices,
        read_only=True,
        help_text="Who wrote it: the region's head or the province (a reviewer or an admin).",
    )
    evidence = EvidenceSerializer(
        read_only=True, allow_null=True, help_text="The document attached to an answer."
    )
    status = serializers.ChoiceField(
        source="thread.status",
        choices=Clarification.Status.choices,
        read_only=True,
        help_text="The thread's status.",
    )

    file = serializers.FileField(
        write_only=True,
        required=False,
        help_text="A document attached to the head's answer (multipart); it becomes evidence "
        "of the indicator's answer.",
    )

    class Meta:
        model = Comment
        fields = ["id", "thread", "author", "side", "at", "text", "evidence", "status", "file"]
        read_only_fields = ["at"]
        extra_kwargs = {
            "text": {
                # An empty text is refused by assessments.clarifications, with its message.
                "allow_blank": True,
                "help_text": "A reviewer's question (it opens a thread when none is open) or "
                "an answer to the open thread.",
            }
        }


class ClarificationSerializer(serializers.ModelSerializer):
    """A clarification thread on an indicator."""

    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    opened_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    closed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Clarification
        fields = [
            "id",
            "indicator",
            "status",
            "waiting_on",
            "opened_by",
            "opened_at",
            "closed_by",
            "closed_at",
        ]
        read_only_fields = fields


class CycleStageSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=Stage.choices)
    name = serializers.CharField()
    starts = serializers.DateField()
    ends = serializers.DateField()


class CycleExtensionSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = CycleExtension
        fields = ["region", "stage", "until", "reason"]


class CycleSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    framework = serializers.SlugRelatedField(slug_field="code", read_only=True)
    stages = CycleStageSerializer(many=True, read_only=True)
    extensions = CycleExtensionSerializer(many=True, read_only=True)

    class Meta:
        model = Cycle
        fields = ["id", "province", "year", "framework", "stages", "extensions"]
