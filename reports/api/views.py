from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError

from reports import figures
from reports.access import rankable_provinces
from reports.api.serializers import RankingRowSerializer


class RankingView(generics.ListAPIView):
    """Every region of a province for a year, highest index first (reviewers and admins)."""

    serializer_class = RankingRowSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, required=True),
            OpenApiParameter(
                "province", OpenApiTypes.STR, description="Kode provinsi; bawaan: provinsi Anda"
            ),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        try:
            year = int(params.get("year", timezone.now().year))
        except ValueError as error:
            raise ValidationError(
                {"year": [_("Tahun harus berupa angka, misalnya 2019.")]}
            ) from error
        provinces = rankable_provinces(self.request.user)
        code = params.get("province")
        province = provinces.filter(code=code).first() if code else provinces.first()
        framework = figures.framework_for(params.get("framework"))
        if province is None or framework is None:
            raise NotFound
        return figures.province_ranking(
            user=self.request.user, province=province, year=year, framework=framework
        )
