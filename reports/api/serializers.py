from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports.inbox import KINDS


class RankingRowSerializer(serializers.Serializer):
    """A region's place in the province ranking; scores from assessments.scoring."""

    rank = serializers.IntegerField(allow_null=True)
    framework = serializers.CharField(
        source="framework.code",
        help_text="The framework of the ranking: the year's, the same on every row.",
    )
    region = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    assessment = serializers.IntegerField(source="assessment.pk", allow_null=True, default=None)
    status = serializers.CharField(source="assessment.status", allow_null=True, default=None)
    index = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    rating = serializers.SerializerMethodField()
    change = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    dimensions = serializers.SerializerMethodField()

    def get_rating(self, row) -> str | None:
        return row.result.rating.name if row.result and row.result.rating else None

    def get_dimensions(self, row) -> list[dict]:
        if not row.result:
            return []
        return [
            {"code": d.code, "score": d.score, "rating": d.rating.name if d.rating else None}
            for d in row.result.dimensions
        ]


class VerificationSerializer(serializers.Serializer):
    """What the portal says about a report's verification code."""

    code = serializers.CharField(help_text="The code as the portal prints it.")
    valid = serializers.BooleanField(help_text="Issued by this portal.")
    current = serializers.BooleanField(
        help_text="The figures the report printed are still the figures now."
    )
    kind = serializers.ChoiceField(choices=["region", "province"], allow_null=True)
    region = serializers.CharField(source="region.code", allow_null=True, default=None)
    region_name = serializers.CharField(source="region.name", allow_null=True, default=None)
    year = serializers.IntegerField(allow_null=True)
    issued_at = serializers.DateTimeField(
        allow_null=True, help_text="When the portal first issued a report with this code."
    )


class ReportFileSerializer(serializers.Serializer):
    """A PDF report file to check."""

    file = serializers.FileField(help_text="The PDF as downloaded from the portal.")


class FileVerificationSerializer(VerificationSerializer):
    """What the portal says about a PDF file: whether it issued these very bytes."""

    valid = serializers.BooleanField(
        help_text="Byte for byte a file the portal issued; any change makes it false."
    )
    code = serializers.CharField(
        allow_null=True, help_text="The verification code of the report the file is."
    )
    current = serializers.BooleanField(
        help_text="The figures the file printed are still the figures now."
    )
    issued_at = serializers.DateTimeField(
        allow_null=True, help_text="When the portal issued this very file."
    )
    signed = serializers.BooleanField(
        allow_null=True, help_text="Whether the file carries the portal's digital signature."
    )


class InboxItemSerializer(serializers.Serializer):
    """One thing that needs the user now; the list is ordered most urgent first."""

    kind = serializers.CharField(help_text="A stable code: {}.".format(", ".join(KINDS)))
    title = serializers.CharField(help_text="What to do, in the user's language.")
    detail = serializers.CharField(allow_blank=True)
    url = serializers.SerializerMethodField(help_text="The page where it is done.")
    due = serializers.DateField(allow_null=True)
    waiting_since = serializers.DateField(allow_null=True)
    region = serializers.CharField(
        allow_blank=True, help_text="Kemendagri code of the item's region."
    )
    object_id = serializers.IntegerField(
        allow_null=True, help_text="Id of the object the kind names, if any."
    )

    def get_url(self, item) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(item.url) if request else item.url


class RenamedFieldsMixin:
    """Fields named with a Python keyword ("from"): declared under another name with an
    explicit ``source``, renamed here, in place."""

    renamed: dict[str, str] = {}

    def get_fields(self):
        fields = super().get_fields()
        return {self.renamed.get(name, name): value for name, value in fields.items()}


def score_field(**kwargs):
    return serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True, **kwargs)


class ComparedAssessmentSerializer(serializers.Serializer):
    """One side of a comparison: an assessment and its index."""

    id = serializers.IntegerField(source="assessment.pk")
    year = serializers.IntegerField(source="assessment.year")
    framework = serializers.CharField(source="assessment.framework.code")
    status = serializers.CharField(source="assessment.status")
    index = score_field(
        help_text="For an assessment of another framework compared through the crosswalk, "
        "its index on the default framework's dimensions."
    )


class DimensionChangeSerializer(RenamedFieldsMixin, serializers.Serializer):
    renamed = {"before_score": "from", "after_score": "to"}

    code = serializers.CharField()
    label = serializers.CharField()
    before_score = score_field(source="before")
    after_score = score_field(source="after")
    change = score_field()


class IndicatorChangeSerializer(RenamedFieldsMixin, serializers.Serializer):
    """An indicator's effective level (verified where set, else self) in both assessments;
    ``null`` when unanswered or not applicable."""

    renamed = {
        "before_level": "from",
        "after_level": "to",
        "before_not_applicable": "from_not_applicable",
        "after_not_applicable": "to_not_applicable",
    }

    code = serializers.CharField()
    name = serializers.CharField()
    dimension = serializers.CharField(source="dimension.code")
    aspect = serializers.CharField(source="aspect.code", allow_null=True, default=None)
    before_level = serializers.IntegerField(source="before.level", allow_null=True)
    after_level = serializers.IntegerField(source="after.level", allow_null=True)
    before_not_applicable = serializers.BooleanField(source="before.not_applicable")
    after_not_applicable = serializers.BooleanField(source="after.not_applicable")
    change = serializers.IntegerField(
        allow_null=True, help_text="Levels up (positive) or down; null when a side has no level."
    )
    changed = serializers.BooleanField(help_text="The two sides differ in any way.")


class ComparisonSerializer(RenamedFieldsMixin, serializers.Serializer):
    """Two assessments of a region side by side. Of the same framework: every dimension and
    indicator. Of different frameworks: dimensions only, through the crosswalk (``derived``);
    none when there is no crosswalk."""

    renamed = {"before": "from", "after": "to"}

    region = serializers.CharField(source="region.code")
    before = serializers.SerializerMethodField(method_name="get_before")
    after = serializers.SerializerMethodField(method_name="get_after")
    index_change = score_field()
    derived = serializers.BooleanField()
    dimensions = DimensionChangeSerializer(many=True)
    indicators = IndicatorChangeSerializer(many=True)

    @extend_schema_field(ComparedAssessmentSerializer)
    def get_before(self, comparison) -> dict:
        side = {"assessment": comparison.before, "index": comparison.before_index}
        return ComparedAssessmentSerializer(side).data

    @extend_schema_field(ComparedAssessmentSerializer)
    def get_after(self, comparison) -> dict:
        side = {"assessment": comparison.after, "index": comparison.after_index}
        return ComparedAssessmentSerializer(side).data
