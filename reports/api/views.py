from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from reports import documents, figures
from reports.access import rankable_provinces, reportable_regions
from reports.api.serializers import (
    ComparisonSerializer,
    FileVerificationSerializer,
    InboxItemSerializer,
    RankingRowSerializer,
    ReportFileSerializer,
    VerificationSerializer,
)
from reports.filters import CompareQueryForm, RankingQueryForm
from reports.inbox import inbox_for
from reports.pdf import well_formed


class RankingView(generics.ListAPIView):
    """Every region of a province for a year, highest index first (reviewers and admins)."""

    serializer_class = RankingRowSerializer

    # The query is not a queryset's filter: it is checked by its own form.
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": 2000, "maximum": 2100},
                description="Tahun penilaian; bawaan: tahun ini",
            ),
            OpenApiParameter(
                "province", OpenApiTypes.STR, description="Kode provinsi; bawaan: provinsi Anda"
            ),
            OpenApiParameter(
                "framework",
                OpenApiTypes.STR,
                description="Kode kerangka penilaian; bawaan: kerangka tahun itu",
            ),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = RankingQueryForm(self.request.query_params)
        if not query.is_valid():
            raise ValidationError(query.errors)
        year, code = query.cleaned_data["year"], query.cleaned_data["province"]
        provinces = rankable_provinces(self.request.user)
        province = provinces.filter(code=code).first() if code else provinces.first()
        if province is None:
            raise NotFound
        chosen = query.cleaned_data["framework"]
        framework = (
            figures.framework_for(chosen) if chosen else figures.framework_of_year(province, year)
        )
        if framework is None:
            raise NotFound
        return figures.province_ranking(
            user=self.request.user, province=province, year=year, framework=framework
        )


class InboxView(generics.ListAPIView):
    """What needs the signed-in user now, most urgent first: overdue items, then by due date,
    then the longest waiting (the same list as their home page)."""

    serializer_class = InboxItemSerializer
    filter_backends = []

    def get_queryset(self):
        return inbox_for(self.request.user)


class VerifyView(APIView):
    """Check a report without an account. GET: its verification code, which may be in any case
    and carry stray spaces: whether the portal issued it, for which region or province and
    year, when, and whether its figures are still current. POST: the PDF file itself, as
    multipart field ``file``: whether the portal issued exactly these bytes."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("code", OpenApiTypes.STR, required=True)],
        responses={
            200: VerificationSerializer,
            400: OpenApiResponse(description="No code, or text that is not shaped like one."),
        },
    )
    def get(self, request):
        code = request.query_params.get("code", "")
        if not code.strip():
            raise ValidationError({"code": [_("Tulis kode verifikasi yang tercetak di laporan.")]})
        if len(code) > 200 or not well_formed(code):
            raise ValidationError(
                {
                    "code": [
                        _(
                            "Ini bukan bentuk kode verifikasi, misalnya "
                            "R62.10-2019-r3.1a2b3c4d-5E6F7A8B."
                        )
                    ]
                }
            )
        return Response(VerificationSerializer(documents.verify(code)).data)

    @extend_schema(
        request={"multipart/form-data": ReportFileSerializer},
        responses={
            200: FileVerificationSerializer,
            400: OpenApiResponse(description="No file, an empty file, or a file that is no PDF."),
        },
    )
    def post(self, request):
        try:
            data = documents.check_report_file(request.FILES.get("file"))
        except documents.FileTooLarge as error:
            return Response({"detail": error.messages[0]}, status=413)
        except DjangoValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        return Response(FileVerificationSerializer(documents.verify_file(data)).data)


class RegionCompareView(APIView):
    """Two assessments of a region side by side (whoever may open the region's dashboard):
    index, dimension scores and, for assessments of the same framework, every indicator's
    level, each with its change. By default the latest year and the latest year before it."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from",
                {"type": "integer", "minimum": 2000, "maximum": 2100},
                description="Tahun pembanding; bawaan: tahun penilaian terakhir sebelum `to`",
            ),
            OpenApiParameter(
                "to",
                {"type": "integer", "minimum": 2000, "maximum": 2100},
                description="Tahun yang dibandingkan; bawaan: tahun penilaian terakhir",
            ),
        ],
        responses={
            200: ComparisonSerializer,
            400: OpenApiResponse(
                description="A year that is not a year, the same year twice, or no earlier year."
            ),
        },
    )
    def get(self, request, code):
        region = reportable_regions(request.user).filter(code=code).first()
        if region is None:
            raise NotFound
        query = CompareQueryForm(request.query_params)
        if not query.is_valid():
            raise ValidationError(query.errors)
        by_year = figures.comparable_assessments(user=request.user, region=region)
        if not by_year:
            raise NotFound(_("Belum ada penilaian untuk %(region)s.") % {"region": region.name})
        from_year, to_year = figures.compared_years(
            list(by_year), from_year=query.cleaned_data["from"], to_year=query.cleaned_data["to"]
        )
        if from_year == to_year:
            raise ValidationError({"from": [_("Pilih dua tahun yang berbeda untuk dibandingkan.")]})
        if from_year is None:
            raise ValidationError(
                {
                    "from": [
                        _("Belum ada penilaian sebelum tahun %(year)s untuk dibandingkan.")
                        % {"year": to_year}
                    ]
                }
            )
        for year in (from_year, to_year):
            if year not in by_year:
                raise NotFound(
                    _("Belum ada penilaian %(region)s untuk tahun %(year)s.")
                    % {"region": region.name, "year": year}
                )
        comparison = figures.assessment_comparison(by_year[from_year], by_year[to_year])
        return Response(ComparisonSerializer(comparison).data)
