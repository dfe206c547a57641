from rest_framework import serializers


class RankingRowSerializer(serializers.Serializer):
    """A region's place in the province ranking; scores from assessments.scoring."""

    rank = serializers.IntegerField(allow_null=True)
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
