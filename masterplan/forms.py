import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from masterplan.models import MasterPlan, Programme, Target
from opds.forms import FilterForm
from opds.models import OPD

# "Rp 1.250.000", "1.250.000", "1,250,000", "1 250 000" or "1250000".
RUPIAH = re.compile(r"^(?P<sign>-)?\s*(?:rp\.?\s*)?(?P<digits>\d{1,3}(?:[.,\s]\d{3})+|\d+)$", re.I)


class RupiahField(forms.Field):
    """A whole number of Rupiah, typed the way people write it (``Rp 1.250.000``).

    The sign is kept: whether a negative amount is allowed is the model's rule, which answers
    with its own message.
    """

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Tulis jumlah rupiah tanpa sen, misalnya 1.250.000."),
    }

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        match = RUPIAH.match(value) if len(value) <= 30 else None
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        number = int(re.sub(r"\D", "", match["digits"]))
        return -number if match["sign"] else number

    def prepare_value(self, value):
        if isinstance(value, int):
            return number_format(value, force_grouping=True)
        return value

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "numeric"}


class TargetRealisationForm(forms.ModelForm):
    """One year's realisation, realised budget, notes and evidence of a programme."""

    budget_realised = RupiahField(label=_("Anggaran realisasi (Rp)"), required=False)
    # The version of the target the user opened: a save from a stale page is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Target
        fields = ["realisation", "budget_realised", "notes", "evidence"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)
        realisation = self.fields["realisation"]
        # Typed the Indonesian way ("12,5") and checked by the domain function, not here.
        realisation.localize = True
        realisation.widget = forms.TextInput(attrs={"inputmode": "decimal"})
        realisation.validators = []
        realisation.error_messages["invalid"] = _("Tulis angka, misalnya 12 atau 12,5.")
        if not self.is_bound and self.instance.realisation is not None:
            # "22" rather than "22,00": shown as people write it.
            self.initial["realisation"] = self.instance.realisation.normalize()
        self.fields["notes"].required = False
        self.fields["evidence"].required = False
        # The inputs sit in the cells of a table row; the form element in the last cell owns
        # them through the HTML ``form`` attribute.
        for name, field in self.fields.items():
            field.widget.attrs.update(
                {"form": self.form_id, "class": "form-control form-control-sm"}
            )
            if name == "evidence":
                field.widget.attrs["placeholder"] = _("Tautan atau uraian bukti")

    @property
    def form_id(self):
        return f"{self.prefix}-form"

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs["class"]:
                    attrs["class"] += " is-invalid"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}-error"

    def _post_clean(self):
        # Negative values, the year and the plan's status are checked by
        # masterplan.workflow.target_record_realisation.
        pass

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MasterPlanForm(forms.ModelForm):
    """The parts of a plan its head keeps up to date: legal basis, RPJMD, vision and mission."""

    class Meta:
        model = MasterPlan
        fields = [
            "title",
            "legal_basis",
            "legal_basis_date",
            "rpjmd_start_year",
            "rpjmd_end_year",
            "vision",
            "mission",
            "notes",
        ]
        widgets = {
            "legal_basis_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "vision": forms.Textarea(attrs={"rows": 3}),
            "mission": forms.Textarea(attrs={"rows": 5}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self):
        # Validated as a whole by masterplan.workflow.plan_update.
        pass


class RedraftForm(forms.Form):
    """The next plan: its period, title, RPJMD period and the programmes it carries forward."""

    title = forms.CharField(
        label=_("Judul rencana baru"),
        max_length=255,
        required=False,
        help_text=_("Kosongkan untuk judul baku dengan nama wilayah dan periodenya."),
    )
    start_year = forms.IntegerField(label=_("Tahun mulai"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("Tahun akhir"), min_value=2000, max_value=2100)
    rpjmd_start_year = forms.IntegerField(
        label=_("RPJMD tahun mulai"), min_value=2000, max_value=2100, required=False
    )
    rpjmd_end_year = forms.IntegerField(
        label=_("RPJMD tahun akhir"), min_value=2000, max_value=2100, required=False
    )
    carry = forms.MultipleChoiceField(
        label=_("Program yang dilanjutkan"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        plan = review.plan
        length = plan.end_year - plan.start_year
        self.fields["carry"].choices = [
            (str(item.programme.pk), item.programme.name) for item in review.carry
        ]
        self.initial.setdefault("start_year", plan.end_year + 1)
        self.initial.setdefault("end_year", plan.end_year + 1 + length)
        self.initial.setdefault("carry", [str(item.programme.pk) for item in review.carry])

    def clean_carry(self):
        return [int(pk) for pk in self.cleaned_data["carry"]]


class PlanFilterForm(FilterForm):
    """Filters of the master-plan list (``masterplan.filters.MasterPlanFilter``)."""


class ProgrammeForm(forms.ModelForm):
    """A new programme of a plan: a dimension of the plan's framework, an OPD of its region."""

    class Meta:
        model = Programme
        fields = ["dimension", "name", "opd", "description", "expected_output"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "expected_output": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].queryset = plan.framework.dimensions.all()
        self.fields["opd"].queryset = OPD.objects.filter(region=plan.region, active=True)

    def _post_clean(self):
        # The whole record is checked by masterplan.workflow.programme_create.
        pass


class TargetForm(forms.ModelForm):
    """A new yearly target of a programme."""

    budget_planned = RupiahField(label=_("Anggaran rencana (Rp)"), required=False)

    class Meta:
        model = Target
        fields = [
            "year",
            "metric",
            "unit",
            "baseline",
            "target",
            "budget_planned",
            "funding_source",
        ]

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        plan = programme.plan
        self.fields["year"].widget = forms.NumberInput(
            attrs={"min": plan.start_year, "max": plan.end_year}
        )
        self.fields["year"].help_text = _("Tahun %(start)s–%(end)s.") % {
            "start": plan.start_year,
            "end": plan.end_year,
        }
        for name in ("baseline", "target"):
            self.fields[name].localize = True
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal"})
            self.fields[name].error_messages["invalid"] = _("Tulis angka, misalnya 12 atau 12,5.")

    def clean_budget_planned(self):
        return self.cleaned_data["budget_planned"] or 0

    def _post_clean(self):
        # The whole record is checked by masterplan.workflow.target_create.
        pass
