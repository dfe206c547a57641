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

    kind = serializers.CharField(
        help_text="A stable code: assessment_start, assessment_continue, assessment_submit, "
        "assessment_returned, assessment_submitted, assessment_in_review, "
        "realisation_missing, application_incomplete, application_stale, region_applications."
    )
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
