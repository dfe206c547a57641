from django import forms
from django.forms.models import construct_instance
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from assessments.access import creatable_regions, manageable_provinces
from assessments.cycles import framework_to_assess, framework_to_cycle
from assessments.models import Answer, Assessment, Cycle, Evidence, Framework, Stage
from egov_portal.fields import TEXT_MAX_LENGTH
from opds.forms import FilterForm
from opds.models import Region


class AssessmentCreateForm(forms.ModelForm):
    """A new assessment, for a region the user may assess, empty or from an earlier year's."""

    carry_forward_from = forms.ModelChoiceField(
        label=_("Mulai dari penilaian tahun lalu"),
        queryset=Assessment.objects.none(),
        required=False,
        empty_label=_("Tidak, mulai kosong"),
        help_text=_(
            "Setiap indikator dimulai dengan level terakhirnya (level verifikasi bila ada), "
            "catatan dan bukti dukungnya; levelnya perlu Anda konfirmasi."
        ),
    )

    class Meta:
        model = Assessment
        fields = ["region", "year", "framework"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = creatable_regions(user)
        self.fields["region"].queryset = regions
        self.fields["region"].to_field_name = "code"
        self.fields["framework"].queryset = Framework.objects.all()
        self.fields["framework"].to_field_name = "code"
        # Which one fits is checked by assessments.carry when the form is sent.
        self.fields["carry_forward_from"].queryset = (
            Assessment.objects.visible_to(user)
            .filter(region__in=regions)
            .for_list()
            .order_by("region__code", "-year", "framework__code")
        )
        self.fields["carry_forward_from"].label_from_instance = lambda assessment: (
            f"{assessment.region} {assessment.year} · {assessment.framework.name}"
        )
        if not self.is_bound:
            region = self.suggested_region()
            if region is not None:
                # A head assesses one region: it is the one to start.
                self.initial.setdefault("region", region.code)
            if "framework" not in self.initial:
                # The framework the province evaluates the year in, as the data says, so that
                # a new year under another framework needs no code change.
                framework = framework_to_assess(
                    self.suggested_province(region), year=self.suggested_year()
                )
                if framework is not None:
                    self.initial["framework"] = framework.code
            self.initial.setdefault("carry_forward_from", self.latest_earlier(region))

    def suggested_region(self):
        """The suggested region, or the user's only one; None otherwise."""
        region = self.initial.get("region")
        regions = self.fields["region"].queryset
        found = regions.filter(code=region) if region else regions
        found = list(found[:2])
        return found[0] if len(found) == 1 else None

    def suggested_province(self, region):
        """The id of ``region``'s province, or without one of the province all the user's
        regions are in; None otherwise."""
        if region is not None:
            return region.parent_id
        regions = self.fields["region"].queryset
        parents = list(regions.order_by().values_list("parent", flat=True).distinct()[:2])
        return parents[0] if len(parents) == 1 else None

    def suggested_year(self):
        year = str(self.initial.get("year", ""))
        return int(year) if year.isdigit() else None

    def latest_earlier(self, region):
        """The latest earlier assessment of ``region`` in the suggested framework."""
        if region is None:
            return None
        sources = self.fields["carry_forward_from"].queryset.filter(region=region)
        if self.initial.get("framework"):
            sources = sources.filter(framework__code=self.initial["framework"])
        year = self.suggested_year()
        if year is not None:
            sources = sources.filter(year__lt=year)
        source = sources.order_by("-year").first()
        return source.pk if source else None


class AnswerForm(forms.ModelForm):
    """One indicator's levels, N/A, note and reason, with the version the user last saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Answer
        fields = ["self_level", "verified_level", "not_applicable", "note", "reason"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 2}),
            "reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, scale, may_self, may_verify, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale = scale
        choices = [("", _("Belum dinilai"))] + [(level, str(level)) for level in scale]
        for name in ("self_level", "verified_level"):
            self.fields[name] = forms.TypedChoiceField(
                label=Answer._meta.get_field(name).verbose_name,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("Pilih level antara %(min)s dan %(max)s.")
                    % {"min": scale[0], "max": scale[-1]}
                },
            )
        self.initial.setdefault("version", self.instance.version if self.instance.pk else 0)
        self.fields["self_level"].disabled = not may_self
        self.fields["verified_level"].disabled = not may_verify
        self.fields["reason"].disabled = not may_verify
        self.fields["not_applicable"].disabled = not (may_self or may_verify)
        self.fields["note"].disabled = not (may_self or may_verify)

    def _post_clean(self):
        # Levels, reasons and conflicts are checked by assessments.workflow.answer_save.
        pass

    def changes(self):
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if not self.fields[name].disabled
        }


class EvidenceForm(forms.ModelForm):
    """A file or a link supporting an answer."""

    url = forms.URLField(
        label=capfirst(Evidence._meta.get_field("url").verbose_name),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = Evidence
        fields = ["title", "file", "url"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].widget.attrs["placeholder"] = _("Nama berkas bila dikosongkan")

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Unggah satu berkas atau tuliskan satu tautan."))
        return data

    def _post_clean(self):
        # Size, type and storage are checked by assessments.workflow.evidence_add.
        pass


class CommentForm(forms.Form):
    """A question or an answer in a clarification thread; the head may attach a document."""

    text = forms.CharField(
        label=_("Pertanyaan atau jawaban"),
        required=False,  # an empty comment is refused by assessments.clarifications
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    file = forms.FileField(
        label=_("Lampiran (menjadi bukti dukung)"),
        required=False,
        help_text=_("Opsional. PDF, gambar atau dokumen perkantoran."),
    )

    def __init__(self, *args, indicator, **kwargs):
        # One form per indicator on a page: the ids differ, the field names stay plain.
        kwargs.setdefault("auto_id", f"id_cl-{indicator.code}-%s")
        super().__init__(*args, **kwargs)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Assessment.Status.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Set by the confirmation page of a move that needs one (making an assessment final).
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class AssessmentFilterForm(FilterForm):
    """Filters of the assessment list (``assessments.filters.AssessmentFilter``)."""


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CycleForm(forms.ModelForm):
    """A province's cycle for a year: its framework and stage dates."""

    class Meta:
        model = Cycle
        fields = [
            "province",
            "year",
            "framework",
            "self_assessment_opens",
            "submission_deadline",
            "verification_starts",
            "verification_ends",
            "finalisation_deadline",
        ]
        widgets = {name: DateInput() for name in fields[3:]}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = manageable_provinces(user)
        self.fields["province"].to_field_name = "code"
        self.fields["framework"].queryset = Framework.objects.all()
        self.fields["framework"].to_field_name = "code"
        new = not self.is_bound and not self.instance.pk
        provinces = list(self.fields["province"].queryset[:2])
        only = provinces[0] if len(provinces) == 1 else None
        if new and only is not None:
            # A reviewer sets the cycles of one province: theirs.
            self.initial.setdefault("province", only.code)
        if new and "framework" not in self.initial:
            # Most likely the framework of the province's last cycle, as the data says.
            framework = framework_to_cycle(only)
            if framework is not None:
                self.initial["framework"] = framework.code

    def _post_clean(self):
        # Only the values are copied: the order of the stages and uniqueness are checked by
        # assessments.cycles.cycle_save.
        self.instance = construct_instance(self, self.instance, self._meta.fields)


class ExtensionForm(forms.Form):
    """A later deadline for one region and one stage of a cycle, with its reason."""

    region = forms.ModelChoiceField(
        label=_("Wilayah"), queryset=Region.objects.none(), to_field_name="code"
    )
    stage = forms.ChoiceField(label=_("Tenggat yang diperpanjang"), choices=Stage.choices)
    until = forms.DateField(label=_("Diperpanjang sampai"), widget=DateInput())
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tuliskan alasan perpanjangan.")},
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(parent=cycle.province_id)
