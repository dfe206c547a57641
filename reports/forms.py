from django import forms
from django.utils.translation import gettext_lazy as _

from reports import documents


class ReportFileForm(forms.Form):
    """A PDF report to check against the files the portal issued."""

    file = forms.FileField(
        label=_("Berkas PDF laporan"),
        help_text=_("Berkas yang diterima, misalnya lampiran surat atau unduhan dari portal."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": documents.MISSING_FILE, "empty": documents.EMPTY_FILE},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.pdf_bytes = documents.check_report_file(upload)
        return upload

    @property
    def too_large(self) -> bool:
        return self.has_error("file", "too_large")
