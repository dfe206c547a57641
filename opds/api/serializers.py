from rest_framework import serializers

from opds.models import OPD, Region


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "kind", "parent", "bps_code", "capital"]


class OPDSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = OPD
        fields = ["id", "region", "name", "short_name", "kind", "active"]
