"""Fill an empty database with synthetic data at national scale, for measuring the portal:
552 regional governments, ~22,000 OPDs, ~27,000 applications, seven years of assessments
with their workflow trail and history, master plans with yearly targets, and accounts.

    createdb -h 127.0.0.1 -U postgres portal_national
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_national
    python manage.py migrate && python manage.py generate_national_data --seed 1

The same seed and sizes give the same data. ``--provinces 1`` gives one province and its
14 kabupaten/kota, the scale of a single provincial portal.
"""

import time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.models import Answer, Assessment, Cycle, Transition
from masterplan.models import MasterPlan, Programme, Target
from opds.models import OPD, Application, Membership, Region
from reports.national_data import Sizes, generate

COUNTED = [Region, OPD, Application, Assessment, Answer, Transition, MasterPlan, Programme, Target]
WITH_HISTORY = [
    Application,
    Membership,
    Cycle,
    Assessment,
    Answer,
    Transition,
    MasterPlan,
    Programme,
    Target,
]


class Command(BaseCommand):
    help = "Fill an empty database with deterministic synthetic data at national scale."

    def add_arguments(self, parser):
        defaults = Sizes()
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data (1)")
        parser.add_argument(
            "--provinces",
            type=int,
            default=defaults.provinces,
            help="provinces, each with 13 or 14 kabupaten/kota (38: 552 governments)",
        )
        parser.add_argument(
            "--opds-per-region", type=int, default=defaults.opds_per_region, help="(40)"
        )
        parser.add_argument(
            "--applications",
            type=int,
            default=defaults.applications,
            help="applications in all, spread over the kabupaten/kota "
            "(default: 53 per kabupaten/kota, 27,242 in the country)",
        )
        parser.add_argument("--first-year", type=int, default=defaults.first_year)
        parser.add_argument("--last-year", type=int, default=defaults.last_year)
        parser.add_argument(
            "--password", default="bench12345", help="password of every generated account"
        )

    def handle(self, *args, seed, password, **options):
        sizes = Sizes(
            provinces=options["provinces"],
            opds_per_region=options["opds_per_region"],
            applications=options["applications"],
            first_year=options["first_year"],
            last_year=options["last_year"],
        )
        started = time.perf_counter()
        try:
            generate(sizes, seed=seed, password=password)
        except ValidationError as error:
            raise CommandError(
                " ".join(error.messages) + " Generate into an empty, migrated database."
            ) from error
        elapsed = time.perf_counter() - started
        for model in [*COUNTED, get_user_model()]:
            self.stdout.write(f"{model.__name__}: {model.objects.count():,}")
        history = 0
        for model in WITH_HISTORY:
            rows = model.history.count()
            history += rows
            self.stdout.write(f"history of {model.__name__}: {rows:,}")
        self.stdout.write(f"history rows in all: {history:,}")
        self.stdout.write(f"Generated with seed {seed} in {elapsed:.1f} s.")
