from django.utils.translation import gettext as _
from rest_framework import serializers

from egov_portal.api import ManyPrimaryKeysField
from opds.inventory import application_completeness, application_create, application_update
from opds.models import OPD, Application, Region


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "kind", "parent", "bps_code", "capital"]


class OPDSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = OPD
        fields = ["id", "region", "name", "short_name", "kind", "active"]


class ApplicationSerializer(serializers.ModelSerializer):
    """An inventory record. Only ``opd`` and ``name`` are needed to create one."""

    # A change needs the version last read (see egov_portal.schema).
    required_to_change = ("version",)

    opd = serializers.PrimaryKeyRelatedField(queryset=OPD.objects.none())
    region = serializers.CharField(source="opd.region.code", read_only=True)
    user_opds = ManyPrimaryKeysField(required=False, queryset=OPD.objects.none())
    integrations = ManyPrimaryKeysField(required=False, queryset=Application.objects.none())
    completeness = serializers.SerializerMethodField()
    missing_fields = serializers.SerializerMethodField()
    changed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The version you last read; required to change a record. A stale version "
        "answers 409 with the current record. Ignored on create.",
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "opd",
            "region",
            "name",
            "description",
            "url",
            "platform",
            "status",
            "classification",
            "service_type",
            "developer",
            "vendor_name",
            "user_opds",
            "year_built",
            "last_developed_year",
            "legal_basis",
            "data_handled",
            "database_engine",
            "programming_language",
            "integrations",
            "hosting",
            "person_in_charge",
            "notes",
            "completeness",
            "missing_fields",
            "changed_by",
            "changed_at",
            "version",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["opd"].queryset = OPD.objects.visible_to(request.user)
            self.fields["user_opds"].child_relation.queryset = OPD.objects.visible_to(request.user)
            self.fields["integrations"].child_relation.queryset = Application.objects.visible_to(
                request.user
            )

    def get_completeness(self, application) -> int:
        return self.completeness_of(application).percent

    def get_missing_fields(self, application) -> list[str]:
        return self.completeness_of(application).missing

    @staticmethod
    def completeness_of(application):
        """Worked out once per record for the two fields that show it."""
        if getattr(application, "_completeness", None) is None:
            application._completeness = application_completeness(application)
        return application._completeness

    def validate(self, attrs):
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError(
                {"version": [_("Sertakan versi catatan yang terakhir Anda baca.")]}
            )
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        return application_create(
            user=self.context["request"].user,
            opd=validated_data.pop("opd"),
            name=validated_data.pop("name"),
            **validated_data,
        )

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        return application_update(
            instance, user=self.context["request"].user, data=validated_data, version=version
        )
