"""Filters of the assessment list: one definition, used by the page and by the API."""

from django.utils.translation import gettext_lazy as _

from assessments.forms import AssessmentFilterForm
from assessments.models import Assessment, Cycle
from egov_portal.filters import ChoiceFilter, FilterSet, YearFilter
from opds.filters import RegionCodeFilter


class AssessmentFilter(FilterSet):
    region = RegionCodeFilter(field_name="region__code")
    year = YearFilter(field_name="year", label=_("Tahun"))
    status = ChoiceFilter(
        choices=Assessment.Status.choices, label=_("Status"), empty_label=_("Semua status")
    )

    class Meta:
        model = Assessment
        fields = ["region", "year", "status"]


class AssessmentListFilter(AssessmentFilter):
    """The list page: the same filters, with the regions the user may see offered in a list."""

    class Meta(AssessmentFilter.Meta):
        form = AssessmentFilterForm


class CycleFilter(FilterSet):
    province = RegionCodeFilter(field_name="province__code", label=_("Provinsi"))
    year = YearFilter(field_name="year", label=_("Tahun"))

    class Meta:
        model = Cycle
        fields = ["province", "year"]
