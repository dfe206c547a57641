from datetime import datetime, time, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Fieldset, Layout, Row
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from egov_portal.params import InvalidNumber, parse_id
from opds.access import home_region
from opds.models import OPD, Application, Region


class FilterForm(forms.Form):
    """The look of a page's filters. Its fields and their validation are those of the page's
    FilterSet (``<app>/filters.py``, shared with the API); this form offers the user's
    choices: the regions they may see, in a list, and only those."""

    # The catalogue is about any region; the other lists about regencies and cities.
    offers_provinces = False

    def for_user(self, user):
        if "region" not in self.fields:
            return
        regions = Region.objects.visible_to(user)
        if not self.offers_provinces:
            regions = regions.exclude(kind=Region.Kind.PROVINCE)
        offered = {region.code: region.name for region in regions}

        def is_offered(code):
            if code and code not in offered:
                raise forms.ValidationError(
                    _("Pilih salah satu wilayah yang ada di daftar."), code="invalid_choice"
                )

        field = self.fields["region"]
        field.validators = [*field.validators, is_offered]
        field.widget = forms.Select(choices=[("", _("Semua wilayah")), *offered.items()])


class OPDFilterForm(FilterForm):
    """Filters of the OPD list (``opds.filters.OPDListFilter``)."""


class LoginForm(AuthenticationForm):
    """The stock login form with a message that never says which of the two was wrong."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Periksa keduanya; huruf besar dan kecil "
            "dibedakan."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi administrator portal."),
    }


class ApplicationForm(forms.ModelForm):
    """An application's inventory record, with choices limited to one region."""

    url = forms.URLField(
        label=capfirst(Application._meta.get_field("url").verbose_name),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": _("Tulis alamat lengkap, misalnya https://simpeg.gunungmaskab.go.id.")
        },
    )
    # The version of the record the user opened: a save from a stale page is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Application
        fields = [
            "opd",
            "name",
            "description",
            "status",
            "platform",
            "url",
            "classification",
            "service_type",
            "developer",
            "vendor_name",
            "year_built",
            "last_developed_year",
            "legal_basis",
            "data_handled",
            "database_engine",
            "programming_language",
            "hosting",
            "person_in_charge",
            "user_opds",
            "integrations",
            "notes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "data_handled": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "user_opds": forms.CheckboxSelectMultiple,
            "integrations": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "name": {"required": _("Tulis nama aplikasi.")},
            "opd": {
                "required": _("Pilih OPD pemilik aplikasi."),
                "invalid_choice": _("Pilih salah satu OPD yang ada di daftar."),
            },
            "year_built": {"invalid": _("Tulis tahun dengan empat angka, misalnya 2019.")},
            "last_developed_year": {"invalid": _("Tulis tahun dengan empat angka, misalnya 2019.")},
        }

    def __init__(self, *args, user, region, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)
        owners = OPD.objects.inventory_editable_by(user).filter(region=region)
        current_opd = self.instance.opd_id if self.instance.pk else None
        self.fields["opd"].queryset = owners.filter(Q(active=True) | Q(pk=current_opd))
        self.fields["opd"].empty_label = _("Pilih OPD")
        self.fields["user_opds"].queryset = OPD.objects.filter(region=region).order_by(
            "short_name", "name"
        )
        self.fields["integrations"].queryset = (
            Application.objects.visible_to(user)
            .filter(opd__region=region)
            .exclude(pk=self.instance.pk)
            .select_related("opd")
            .order_by("name")
        )
        self.fields["integrations"].label_from_instance = lambda app: f"{app.name} ({app.opd})"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Identitas"), "opd", "name", "description", "status"),
            Fieldset(
                _("Jenis dan akses"),
                Row(Column("platform"), Column("url")),
                Row(Column("classification"), Column("service_type")),
            ),
            Fieldset(
                _("Pembangunan"),
                Row(Column("developer"), Column("vendor_name")),
                Row(Column("year_built"), Column("last_developed_year")),
                "legal_basis",
            ),
            Fieldset(
                _("Teknis"),
                "data_handled",
                Row(Column("database_engine"), Column("programming_language")),
                Row(Column("hosting"), Column("person_in_charge")),
            ),
            Fieldset(
                _("Pengguna dan integrasi"),
                Div("user_opds", css_class="checkbox-columns"),
                Div("integrations", css_class="checkbox-columns"),
            ),
            "notes",
            "version",
        )


class ApplicationFilterForm(FilterForm):
    """Search, filters and sort order of the catalogue (``opds.filters.CatalogueFilter``); also
    drives the export. The catalogue is about one region when one is chosen, implied by the
    chosen OPD, or the only one the user sees; then its OPDs are offered."""

    offers_provinces = True

    def for_user(self, user):
        super().for_user(user)
        self.region = self._selected_region(self.data, user)
        if self.region is not None:
            data = self.data.copy()
            data.setdefault("region", self.region.code)
            self.data = data
            opds = OPD.objects.filter(region=self.region).order_by("name")
            self.fields["opd"].widget = forms.Select(
                choices=[("", _("Semua OPD")), *((opd.pk, opd.name) for opd in opds)]
            )

    def chosen_filters(self) -> list[str]:
        """The search, filters and sort order in force, each as "label: value" (what an
        export says of itself); the region is left out, the export's title names it."""
        if not self.is_valid():
            return []
        chosen = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if name == "region" or value in forms.Field.empty_values:
                continue
            shown = dict((str(key), label) for key, label in getattr(field.widget, "choices", []))
            chosen.append(f"{field.label}: {shown.get(str(value), value)}")
        return chosen

    def _selected_region(self, data, user):
        code = data.get("region")
        if code:
            return Region.objects.visible_to(user).filter(code=code).first()
        try:
            opd_id = parse_id(data.get("opd", ""))
        except InvalidNumber:
            opd_id = None
        if opd_id is not None:
            opd = OPD.objects.visible_to(user).select_related("region").filter(pk=opd_id).first()
            if opd is not None:
                return opd.region
        return home_region(user)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        help_text=_("Judul kolom seperti pada berkas ekspor atau templat."),
        error_messages={"required": _("Pilih berkas yang akan diimpor.")},
    )


class HistoryFilterForm(forms.Form):
    """Filters on the whole history: who, where, what kind of record, when."""

    user = forms.CharField(
        label=_("Nama pengguna"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"placeholder": "kadis.gumas"}),
    )
    region = forms.ModelChoiceField(
        label=_("Wilayah"),
        queryset=Region.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("Semua wilayah"),
    )
    kind = forms.ChoiceField(label=_("Jenis data"), required=False)
    since = forms.DateField(
        label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user)
        self.fields["kind"].choices = [("", _("Semua jenis")), *kinds]

    def clean_user(self):
        from django.contrib.auth import get_user_model

        username = self.cleaned_data["user"].strip()
        if not username:
            return None
        found = get_user_model().objects.filter(username=username).first()
        if found is None:
            raise forms.ValidationError(
                _("Tidak ada pengguna bernama “%(name)s”. Periksa ejaannya.") % {"name": username}
            )
        return found

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data

    def filters(self) -> dict:
        """The valid filters as ``egov_portal.history.history_log`` takes them: a province
        with its regencies and cities, whole days in the portal's time zone."""
        data = self.cleaned_data
        region = data["region"]

        def day_start(day):
            return timezone.make_aware(datetime.combine(day, time.min))

        return {
            "user": data["user"],
            "regions": None
            if region is None
            else Region.objects.filter(Q(pk=region.pk) | Q(parent=region)).values_list(
                "pk", flat=True
            ),
            "kinds": [data["kind"]] if data["kind"] else None,
            "since": day_start(data["since"]) if data["since"] else None,
            "until": day_start(data["until"] + timedelta(days=1)) if data["until"] else None,
        }
