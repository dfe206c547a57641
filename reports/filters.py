"""The query of the rankings API: a year, a province and a framework, checked in one place."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov_portal.filters import YearField
from opds.models import kemendagri_code_validator


class RankingQueryForm(forms.Form):
    year = YearField(label=_("Tahun"), required=False)
    province = forms.CharField(
        label=_("Provinsi"), required=False, max_length=13, validators=[kemendagri_code_validator]
    )
    framework = forms.SlugField(label=_("Kerangka penilaian"), required=False, max_length=50)

    def clean_year(self):
        return self.cleaned_data["year"] or timezone.now().year


class CompareQueryForm(forms.Form):
    """The two years of a comparison (``?from=&to=``); either may be left out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the fields are added here rather than declared.
        self.fields["from"] = YearField(label=_("Dari tahun"), required=False)
        self.fields["to"] = YearField(label=_("Ke tahun"), required=False)
