from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpdsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "opds"
    verbose_name = _("Wilayah dan OPD")
