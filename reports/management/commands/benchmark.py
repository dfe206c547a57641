"""Measure the portal at national scale: fill an empty scratch database with 552 regions,
~22,000 OPDs, ~27,000 applications and 7 years of assessments, then time the pages and API
endpoints that read them and count their queries.

    export DATABASE_URL=sqlite:////tmp/bench.sqlite3
    export DJANGO_SETTINGS_MODULE=egov_portal.test_settings  # debug off, no collectstatic
    python manage.py migrate && python manage.py benchmark

Timings are medians of several runs on whatever machine runs it; query counts are exact.
"""

import random
import resource
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.loader import FRAMEWORKS_DIR, load_framework_file
from assessments.models import Answer, Assessment, Indicator, Transition
from opds.models import OPD, Application, Membership, Region

PROVINCES = 38
# 20 provinces of 14 and 18 of 13: 514 kabupaten/kota, 552 regional governments.
REGIONS_PER_PROVINCE = [14] * 20 + [13] * 18
OPDS_PER_REGION = 43  # ~22,000 OPDs
APPLICATIONS_PER_REGION = 53  # ~27,000 applications
YEARS = range(2018, 2025)


class Command(BaseCommand):
    help = "Fill an empty scratch database at national scale and time the main pages."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5, help="timed runs per page")

    def handle(self, *args, runs, **options):
        if Region.objects.exists():
            raise CommandError(
                "The database already holds regions. Run the benchmark on an empty scratch "
                "database (see the command's help)."
            )
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        started = time.perf_counter()
        reviewer, head = self.fill()
        self.stdout.write(f"Data loaded in {time.perf_counter() - started:.0f} s:")
        for model in (Region, OPD, Application, Assessment, Answer):
            self.stdout.write(f"  {model.__name__}: {model.objects.count():,}")
        province = reviewer.membership.region
        region = head.membership.region
        cases = [
            (reviewer, f"/reports/provinces/{province.code}/ranking/?year=2024", "ranking page"),
            (reviewer, "/api/v1/rankings/?year=2024", "rankings API"),
            (reviewer, "/assessments/?year=2024", "assessment list"),
            (reviewer, "/api/v1/assessments/?page_size=500", "assessments API, 500 rows"),
            (head, f"/reports/regions/{region.code}/?year=2024", "region dashboard"),
            (head, f"/assessments/{self.latest(region).pk}/policy/", "dimension page"),
            (reviewer, f"/applications/?region={region.code}", "application catalogue"),
            (reviewer, "/api/v1/applications/?page_size=500", "applications API, 500 rows"),
            (head, f"/reports/regions/{region.code}/2024.pdf", "region PDF (first render)"),
        ]
        self.stdout.write(f"\n{'page':<30} {'median ms':>10} {'max ms':>8} {'queries':>8}")
        for user, url, label in cases:
            client = Client()
            client.force_login(user)
            timings = []
            for _run in range(1 if url.endswith(".pdf") else runs):
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - began) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")
            self.stdout.write(
                f"{label:<30} {statistics.median(timings):>10.0f} {max(timings):>8.0f} "
                f"{len(queries.captured_queries):>8}"
            )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"\nPeak memory of this process: {peak:.0f} MB")

    def latest(self, region):
        return Assessment.objects.filter(region=region).order_by("-year").first()

    @transaction.atomic
    def fill(self):
        rng = random.Random(2019)
        framework = load_framework_file(FRAMEWORKS_DIR / "pegi.json")
        indicators = list(Indicator.objects.filter(dimension__framework=framework))
        regencies = []
        for p in range(PROVINCES):
            province = Region.objects.create(
                code=f"{11 + p}", name=f"Provinsi Uji {p + 1}", kind=Region.Kind.PROVINCE
            )
            regencies += Region.objects.bulk_create(
                Region(
                    code=f"{province.code}.{r + 1:02d}",
                    name=f"Kabupaten Uji {p + 1}-{r + 1}",
                    kind=Region.Kind.REGENCY,
                    parent=province,
                )
                for r in range(REGIONS_PER_PROVINCE[p])
            )
        opds = OPD.objects.bulk_create(
            OPD(region=region, name=f"Dinas Uji {n}", short_name=f"DU{n}")
            for region in regencies
            for n in range(OPDS_PER_REGION)
        )
        by_region = {}
        for opd in opds:
            by_region.setdefault(opd.region_id, []).append(opd)
        Application.objects.bulk_create(
            Application(
                opd=by_region[region.pk][n % OPDS_PER_REGION],
                name=f"Aplikasi Uji {n}",
                description="Aplikasi layanan untuk uji beban",
                platform=rng.choice(["web", "mobile", "desktop"]),
                status=rng.choice(["active", "development", "inactive"]),
            )
            for region in regencies
            for n in range(APPLICATIONS_PER_REGION)
        )
        User = get_user_model()
        reviewer = User.objects.create(username="bench.reviewer")
        Membership.objects.create(
            user=reviewer, role=Membership.Role.REVIEWER, region=regencies[0].parent
        )
        head = User.objects.create(username="bench.head")
        Membership.objects.create(user=head, role=Membership.Role.HEAD, region=regencies[0])
        for year in YEARS:
            assessments = Assessment.objects.bulk_create(
                Assessment(region=region, year=year, framework=framework, status="final")
                for region in regencies
            )
            Transition.objects.bulk_create(
                Transition(assessment=a, to_status="final") for a in assessments
            )
            Answer.objects.bulk_create(
                (
                    Answer(
                        assessment=assessment,
                        indicator=indicator,
                        verified_level=rng.randint(1, 4),
                        note="Catatan uji",
                    )
                    for assessment in assessments
                    for indicator in indicators
                ),
                batch_size=5000,
            )
        return reviewer, head
