from django.core.management.base import BaseCommand

from assessments.loader import load_framework_file, load_or_fail


class Command(BaseCommand):
    help = (
        "Load or update an assessment framework from a JSON file (see "
        "assessments/frameworks/README.md). The file is checked as a whole first: any "
        "problem is listed with its location and nothing is loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="path of the framework file, e.g. assessments/frameworks/pegi.json"
        )

    def handle(self, *args, file, **options):
        framework = load_or_fail(load_framework_file, file, self.stderr)
        indicators = sum(d.indicators.count() for d in framework.dimensions.all())
        self.stdout.write(
            f"Loaded {framework.code} version {framework.version}: "
            f"{framework.dimensions.count()} dimensions, {indicators} indicators, "
            f"levels {framework.scale_min}–{framework.scale_max}."
        )
