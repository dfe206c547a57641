from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import module_has_submodule

from egov_portal import history


class Command(BaseCommand):
    help = (
        "Load the demo data (Kalimantan Tengah, Gunung Mas and the demo accounts). "
        "Safe to run again: nothing is created twice."
    )

    def handle(self, *args, **options):
        # Each app contributes its own demo module; INSTALLED_APPS lists the ground app
        # first, so every app finds the records of the apps below it already in place.
        for app_config in apps.get_app_configs():
            if module_has_submodule(app_config.module, "demo"):
                import_module(f"{app_config.name}.demo").load(stdout=self.stdout)
        # Records written in bulk get the first entry of their history, as anyone's would.
        history.record_baselines()
