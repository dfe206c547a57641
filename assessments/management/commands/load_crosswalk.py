from django.core.management.base import BaseCommand, CommandError

from assessments.crosswalks import load_crosswalk_file
from assessments.loader import FrameworkFileError


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
        try:
            crosswalk = load_crosswalk_file(file)
        except FrameworkFileError as error:
            for message in error.messages:
                self.stderr.write(f"  {message}")
            raise CommandError(
                f"{file}: {len(error.messages)} problem(s) found; nothing was loaded."
            ) from error
        self.stdout.write(
            f"Loaded crosswalk {crosswalk.source.code} → {crosswalk.target.code} version "
            f"{crosswalk.version}: {crosswalk.entries.count()} indicators mapped."
        )
