"""Filters of regions, OPDs and the application inventory: one definition each, used by the
pages (through their forms' look, ``opds.forms``) and by the API."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov_portal.filters import (
    BooleanFilter,
    CheckboxFilter,
    ChoiceFilter,
    FilterSet,
    IdFilter,
    SearchFilter,
)
from opds.forms import ApplicationFilterForm, OPDFilterForm
from opds.models import OPD, Application, Region, kemendagri_code_validator


class RegionCodeFilter(SearchFilter):
    """A region by Kemendagri code (``62.10``). A well-formed code of a region the user does not
    see filters to nothing, as one that does not exist: the answer never tells them apart."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Wilayah"))
        kwargs.setdefault("max_length", 13)
        kwargs.setdefault("validators", [kemendagri_code_validator])
        super().__init__(*args, **kwargs)


class RegionFilter(FilterSet):
    kind = ChoiceFilter(choices=Region.Kind.choices, label=_("Jenis"))
    parent = RegionCodeFilter(field_name="parent__code", label=_("Kode provinsi induk"))

    class Meta:
        model = Region
        fields = ["kind", "parent"]


class OPDFilter(FilterSet):
    region = RegionCodeFilter(field_name="region__code")
    active = BooleanFilter(field_name="active", label=_("Aktif"))
    search = SearchFilter(method="filter_search", label=_("Cari"))

    class Meta:
        model = OPD
        fields = ["region", "active", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class OPDListFilter(OPDFilter):
    """The OPD list page: its search is named ``q``, and inactive OPDs show only when asked."""

    q = SearchFilter(method="filter_search", label=_("Cari"))
    include_inactive = CheckboxFilter(
        method="filter_inactive",
        label=_("Tampilkan OPD nonaktif"),
    )

    class Meta(OPDFilter.Meta):
        form = OPDFilterForm
        fields = [*OPDFilter.Meta.fields, "q", "include_inactive"]

    def filter_inactive(self, queryset, name, value):
        return queryset if value else queryset.filter(active=True)


class ApplicationFilter(FilterSet):
    region = RegionCodeFilter(field_name="opd__region__code")
    opd = IdFilter(field_name="opd_id", label=_("OPD pemilik"))
    status = ChoiceFilter(choices=Application.Status.choices, label=_("Status"))
    platform = ChoiceFilter(choices=Application.Platform.choices, label=_("Platform"))
    classification = ChoiceFilter(
        choices=Application._meta.get_field("classification").choices, label=_("Klasifikasi")
    )
    service_type = ChoiceFilter(
        choices=Application._meta.get_field("service_type").choices, label=_("Jenis layanan")
    )
    hosting = ChoiceFilter(
        choices=Application._meta.get_field("hosting").choices, label=_("Hosting")
    )
    search = SearchFilter(method="filter_search", label=_("Cari nama atau deskripsi"))

    class Meta:
        model = Application
        fields = [
            "region",
            "opd",
            "status",
            "platform",
            "classification",
            "service_type",
            "hosting",
            "search",
        ]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class CatalogueFilter(ApplicationFilter):
    """The catalogue page and its export: the search is named ``q``, plus a sort order."""

    SORTS = {
        "name": ("name", "pk"),
        "-name": ("-name", "-pk"),
        "opd": ("opd__name", "name", "pk"),
        "status": ("status", "name", "pk"),
        "platform": ("platform", "name", "pk"),
        "-year_built": ("-year_built", "name", "pk"),
        "-changed_at": ("-changed_at", "pk"),
    }

    q = SearchFilter(method="filter_search", label=_("Cari nama atau deskripsi"))
    sort = ChoiceFilter(
        label=_("Urutkan"),
        empty_label=None,
        method="filter_sort",
        choices=[
            ("name", _("Nama (A–Z)")),
            ("-name", _("Nama (Z–A)")),
            ("opd", _("OPD pemilik")),
            ("status", _("Status")),
            ("platform", _("Platform")),
            ("-year_built", _("Tahun dibangun (terbaru)")),
            ("-changed_at", _("Terakhir diubah")),
        ],
    )

    class Meta(ApplicationFilter.Meta):
        form = ApplicationFilterForm
        fields = [*ApplicationFilter.Meta.fields, "q", "sort"]

    def filter_sort(self, queryset, name, value):
        # Ordering applies with or without a chosen sort: see filter_queryset.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*self.SORTS[self.form.cleaned_data.get("sort") or "name"])
