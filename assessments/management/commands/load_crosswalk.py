from django.core.management.base import BaseCommand

from assessments.crosswalks import load_crosswalk_file
from assessments.loader import load_or_fail


class Command(BaseCommand):
    help = (
        "Load or update a crosswalk between two loaded frameworks from a JSON file (see "
        "assessments/frameworks/README.md). The file is checked as a whole first: any problem "
        "is listed and nothing is loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            help="path of the crosswalk file, e.g. "
            "assessments/frameworks/crosswalks/spbe-2020-pegi.json",
        )

    def handle(self, *args, file, **options):
        crosswalk = load_or_fail(load_crosswalk_file, file, self.stderr)
        self.stdout.write(
            f"Loaded crosswalk {crosswalk.source.code} → {crosswalk.target.code} version "
            f"{crosswalk.version}: {crosswalk.entries.count()} indicators mapped."
        )
