from django import forms

from egov_portal.models import Preferences


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = ["reminder_emails", "language"]
