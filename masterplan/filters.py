"""Filters of the master-plan list: one definition, used by the page and by the API."""

from django.utils.translation import gettext_lazy as _

from egov_portal.filters import ChoiceFilter, FilterSet
from masterplan.forms import PlanFilterForm
from masterplan.models import MasterPlan
from opds.filters import RegionCodeFilter


class MasterPlanFilter(FilterSet):
    region = RegionCodeFilter(field_name="region__code")
    status = ChoiceFilter(
        choices=MasterPlan.Status.choices, label=_("Status"), empty_label=_("Semua status")
    )

    class Meta:
        model = MasterPlan
        fields = ["region", "status"]


class MasterPlanListFilter(MasterPlanFilter):
    """The list page: the same filters, with the regions the user may see offered in a list."""

    class Meta(MasterPlanFilter.Meta):
        form = PlanFilterForm
