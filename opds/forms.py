from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from opds.models import Region


class OPDFilterForm(forms.Form):
    """Filters on the OPD list, offering only the regions the user may see."""

    q = forms.CharField(label=_("Cari"), required=False, max_length=100)
    region = forms.ModelChoiceField(
        label=_("Wilayah"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("Semua wilayah"),
        to_field_name="code",
    )
    include_inactive = forms.BooleanField(label=_("Tampilkan OPD nonaktif"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user).exclude(
            kind=Region.Kind.PROVINCE
        )


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
