"""Synthetic data at national scale, for measuring the portal: 38 provinces and their 514
kabupaten/kota, their OPDs, application inventories, accounts, evaluation cycles, seven years
of assessments with their workflow trail, and master plans with yearly targets.

Deterministic: the same seed and sizes give the same rows, field for field (primary keys
aside). Every value comes from one ``random.Random(seed)`` drawn in a fixed order, and every
timestamp is a fixed moment: the model's automatic clocks (``auto_now``) are held while the
rows are inserted, and history rows carry the moment of the change they record.

Rows go in with ``bulk_create``, each with its history row (django-simple-history's
``bulk_history_create``), so the full national set loads in minutes.
"""

from __future__ import annotations

import datetime
import random
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import models, transaction

from assessments.crosswalks import CROSSWALKS_DIR, load_crosswalk_file
from assessments.loader import FRAMEWORKS_DIR, load_framework_file
from assessments.models import Answer, Assessment, Cycle, Indicator, Transition
from masterplan.models import MasterPlan, Programme, Target
from opds.models import OPD, Application, Membership, Region

JAKARTA = ZoneInfo("Asia/Jakarta")
BATCH = 2000
# 20 provinces of 14 kabupaten/kota and 18 of 13: 514, with their provinces 552 governments.
REGENCIES_PER_PROVINCE = [14] * 20 + [13] * 18
CITIES_PER_PROVINCE = 2  # the last regions of each province are kota, coded from 71
# The regime changed in 2021: PermenPANRB 59/2020 (SPBE) replaced PeGI.
SPBE_FROM = 2021
LONGEST_PLAN = 10  # years; MasterPlan's constraint
APPLICATIONS_PER_REGENCY = 53

OPD_NAMES = [
    ("Sekretariat Daerah", "Setda", OPD.Kind.SEKRETARIAT),
    ("Sekretariat DPRD", "Setwan", OPD.Kind.SEKRETARIAT),
    ("Inspektorat", "Itda", OPD.Kind.INSPEKTORAT),
    ("Dinas Komunikasi dan Informatika", "Diskominfo", OPD.Kind.DINAS),
    ("Dinas Pendidikan", "Disdik", OPD.Kind.DINAS),
    ("Dinas Kesehatan", "Dinkes", OPD.Kind.DINAS),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", OPD.Kind.DINAS),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", OPD.Kind.DINAS),
    ("Dinas Penanaman Modal dan PTSP", "DPMPTSP", OPD.Kind.DINAS),
    ("Dinas Sosial", "Dinsos", OPD.Kind.DINAS),
    ("Dinas Perhubungan", "Dishub", OPD.Kind.DINAS),
    ("Dinas Lingkungan Hidup", "DLH", OPD.Kind.DINAS),
    ("Dinas Pertanian", "Distan", OPD.Kind.DINAS),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda", OPD.Kind.BADAN),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", OPD.Kind.BADAN),
    ("Badan Kepegawaian dan Pengembangan SDM", "BKPSDM", OPD.Kind.BADAN),
    ("Badan Pendapatan Daerah", "Bapenda", OPD.Kind.BADAN),
    ("Rumah Sakit Umum Daerah", "RSUD", OPD.Kind.RSUD),
]
APPLICATION_NAMES = [
    "Sistem Informasi Kepegawaian",
    "E-Office",
    "Perizinan Daring",
    "Pengaduan Masyarakat",
    "E-Planning",
    "Sistem Informasi Keuangan Daerah",
    "Portal Data",
    "Aplikasi Layanan Kesehatan",
    "Sistem Informasi Sekolah",
    "E-Kinerja",
]


@dataclass(frozen=True)
class Sizes:
    provinces: int = 38
    opds_per_region: int = 40
    # In all, dealt over the kabupaten/kota; None: APPLICATIONS_PER_REGENCY each (27,242 in
    # the country, 742 in one province).
    applications: int | None = None
    first_year: int = 2018
    last_year: int = 2024

    def check(self):
        if not 1 <= self.provinces <= len(REGENCIES_PER_PROVINCE):
            raise ValidationError(f"Provinces: between 1 and {len(REGENCIES_PER_PROVINCE)}.")
        if self.opds_per_region < 1 or (self.applications or 0) < 0:
            raise ValidationError("At least one OPD per region and no negative applications.")
        if not 2000 <= self.first_year <= self.last_year <= 2100:
            raise ValidationError("Years: 2000 ≤ first year ≤ last year ≤ 2100.")

    @property
    def years(self):
        return range(self.first_year, self.last_year + 1)


@dataclass
class Generated:
    """What the generator made, for the caller to report and to use."""

    admin: object
    reviewers: dict  # province id → its reviewer
    heads: dict  # regency id → its head


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, 0, tzinfo=JAKARTA)


@contextmanager
def held_clocks(*model_classes):
    """Stops the ``auto_now``/``auto_now_add`` fields of these models from stamping the time of
    insertion, so the rows keep the fixed moments the generator gives them."""
    fields = [
        field
        for model in model_classes
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def insert(model, objs, *, when, user=None):
    """Inserts ``objs`` and, for a model that keeps history, a creation record of each, dated
    ``when`` (a moment, or a function of the object) and made by ``user`` (likewise)."""
    objs = model.objects.bulk_create(objs, batch_size=BATCH)
    history = getattr(model, "history", None)
    if history is not None:
        for obj in objs:
            obj._history_date = when(obj) if callable(when) else when
            obj._history_user = user(obj) if callable(user) else user
        history.bulk_history_create(objs, batch_size=BATCH)
    return objs


def framework_of(year, frameworks):
    return frameworks["spbe-2020" if year >= SPBE_FROM else "pegi"]


@transaction.atomic
def generate(sizes: Sizes, *, seed: int = 1, password: str = "bench12345") -> Generated:
    """Fills an empty database (no regions) with the national data set of ``sizes``."""
    sizes.check()
    if Region.objects.exists():
        raise ValidationError("The database already holds regions.")
    rng = random.Random(seed)
    frameworks = {
        framework.code: framework
        for framework in (
            load_framework_file(FRAMEWORKS_DIR / "pegi.json"),
            load_framework_file(FRAMEWORKS_DIR / "spbe-2020.json"),
        )
    }
    load_crosswalk_file(CROSSWALKS_DIR / "spbe-2020-pegi.json")
    User = get_user_model()
    with held_clocks(User, Application, Assessment, Answer, Transition, Cycle, MasterPlan, Target):
        provinces, regencies = make_regions(sizes)
        opds = make_opds(sizes, [*provinces, *regencies], rng)
        made = make_accounts(sizes, provinces, regencies, opds, password)
        make_applications(sizes, regencies, opds, made, rng)
        make_cycles(sizes, provinces, frameworks, made)
        make_assessments(sizes, regencies, frameworks, made, rng)
        make_master_plans(sizes, regencies, opds, frameworks, made, rng)
    return made


def make_regions(sizes):
    opened = at(sizes.first_year - 1, 1, 2)
    provinces = insert(
        Region,
        [
            Region(code=f"{11 + p}", name=f"Provinsi Uji {p + 1}", kind=Region.Kind.PROVINCE)
            for p in range(sizes.provinces)
        ],
        when=opened,
    )
    regencies = []
    for p, province in enumerate(provinces):
        count = REGENCIES_PER_PROVINCE[p]
        for r in range(count):
            city = r >= count - CITIES_PER_PROVINCE
            number = 71 + r - (count - CITIES_PER_PROVINCE) if city else r + 1
            regencies.append(
                Region(
                    code=f"{province.code}.{number:02d}",
                    name=f"{'Kota' if city else 'Kabupaten'} Uji {p + 1}-{r + 1}",
                    kind=Region.Kind.CITY if city else Region.Kind.REGENCY,
                    parent=province,
                    capital=f"Ibu Kota {p + 1}-{r + 1}",
                )
            )
    return provinces, insert(Region, regencies, when=opened)


def make_opds(sizes, regions, rng):
    """``opds_per_region`` OPDs in every region (provinces too), the first its Diskominfo's
    secretariat; returns them by region id, in order."""
    objs = []
    for region in regions:
        for n in range(sizes.opds_per_region):
            name, short, kind = OPD_NAMES[n % len(OPD_NAMES)]
            round_ = n // len(OPD_NAMES)
            if round_:
                name, short, kind = f"Kecamatan Uji {round_}-{n}", f"Kec{n}", OPD.Kind.KECAMATAN
            objs.append(
                OPD(
                    region=region,
                    name=name,
                    short_name=short,
                    kind=kind,
                    active=n == 0 or rng.random() > 0.02,
                )
            )
    by_region = {}
    for opd in insert(OPD, objs, when=at(sizes.first_year - 1, 1, 2)):
        by_region.setdefault(opd.region_id, []).append(opd)
    return by_region


def make_accounts(sizes, provinces, regencies, opds, password):
    """bench.admin; a reviewer per province; a head and an OPD operator per regency. One hash
    for all: hashing each (Argon2) would take minutes."""
    User = get_user_model()
    hashed = make_password(password)
    joined = at(sizes.first_year - 1, 1, 3)
    people = [("bench.admin", Membership.Role.ADMIN, None, None)]
    people += [(f"bench.reviewer.{p.code}", Membership.Role.REVIEWER, p, None) for p in provinces]
    for regency in regencies:
        people.append((f"bench.head.{regency.code}", Membership.Role.HEAD, regency, None))
        opd = opds[regency.pk][0]
        people.append((f"bench.opd.{regency.code}", Membership.Role.OPD_STAFF, None, opd))
    users = User.objects.bulk_create(
        [
            User(
                username=username,
                password=hashed,
                email=f"{username}@bench.example.org",
                is_staff=role == Membership.Role.ADMIN,
                is_superuser=role == Membership.Role.ADMIN,
                date_joined=joined,
            )
            for username, role, _region, _opd in people
        ],
        batch_size=BATCH,
    )
    admin = users[0]
    insert(
        Membership,
        [
            Membership(user=user, role=role, region=region, opd=opd)
            for user, (_username, role, region, opd) in zip(users, people, strict=True)
        ],
        when=joined,
        user=admin,
    )
    by_role = {role: {} for role in Membership.Role.values}
    for user, (_username, role, region, _opd) in zip(users, people, strict=True):
        if region is not None:
            by_role[role][region.pk] = user
    return Generated(
        admin=admin,
        reviewers=by_role[Membership.Role.REVIEWER],
        heads=by_role[Membership.Role.HEAD],
    )


def make_applications(sizes, regencies, opds, made, rng):
    """The applications, dealt over the regencies in turn, each to one of its OPDs."""
    count = sizes.applications
    if count is None:
        count = APPLICATIONS_PER_REGENCY * len(regencies)
    platforms = Application.Platform.values
    statuses = [*[Application.Status.ACTIVE] * 6, Application.Status.DEVELOPMENT]
    statuses.append(Application.Status.INACTIVE)
    hostings = Application.Hosting.values
    objs = []
    for n in range(count):
        regency = regencies[n % len(regencies)]
        opd = rng.choice(opds[regency.pk])
        vendor = rng.random() < 0.3
        built = rng.randint(sizes.first_year - 10, sizes.last_year)
        objs.append(
            Application(
                opd=opd,
                name=f"{APPLICATION_NAMES[n % len(APPLICATION_NAMES)]} {n + 1}",
                description="Aplikasi layanan untuk uji beban.",
                developer=Application.Developer.VENDOR
                if vendor
                else Application.Developer.IN_HOUSE,
                vendor_name=f"PT Vendor Uji {rng.randint(1, 50)}" if vendor else "",
                classification=rng.choice(Application.Classification.values),
                service_type=rng.choice(Application.ServiceType.values),
                platform=rng.choice(platforms),
                status=rng.choice(statuses),
                year_built=built,
                last_developed_year=rng.randint(built, sizes.last_year),
                hosting=rng.choice(hostings),
                url=f"https://app{n + 1}.uji.go.id/",
                changed_by=made.heads[regency.pk],
                changed_at=at(built, 3, 1),
            )
        )
    insert(
        Application,
        objs,
        when=lambda application: application.changed_at,
        user=lambda application: application.changed_by,
    )


def make_cycles(sizes, provinces, frameworks, made):
    """Each province's cycle of each year, so every page knows the framework of the year."""
    objs = [
        Cycle(
            province=province,
            year=year,
            framework=framework_of(year, frameworks),
            self_assessment_opens=datetime.date(year, 7, 1),
            submission_deadline=datetime.date(year, 9, 30),
            verification_starts=datetime.date(year, 10, 5),
            verification_ends=datetime.date(year, 11, 27),
            finalisation_deadline=datetime.date(year, 12, 18),
            updated_by=made.reviewers[province.pk],
            updated_at=at(year, 6, 1),
        )
        for province in provinces
        for year in sizes.years
    ]
    insert(Cycle, objs, when=lambda cycle: cycle.updated_at, user=lambda c: c.updated_by)


def trail(year, k, *, final):
    """The workflow's steps of one assessment, with their moments: draft, submitted by the
    head, in review and — unless still open — final, by the reviewer."""
    steps = [
        ("", "draft", "reviewer", at(year, 7, 1 + k % 10), ""),
        ("draft", "submitted", "head", at(year, 9, 15 + k % 14), "Penilaian mandiri diajukan."),
        (
            "submitted",
            "in_review",
            "reviewer",
            at(year, 10, 6 + k % 20),
            "Verifikasi dokumen dan wawancara.",
        ),
    ]
    if final:
        steps.append(
            ("in_review", "final", "reviewer", at(year, 12, 1 + k % 14), "Hasil disepakati.")
        )
    return steps


def make_assessments(sizes, regencies, frameworks, made, rng):
    """Every regency, every year: final before the last year, in review in the last. Each
    region has a maturity that grows over the years; each answer varies around it."""
    indicators = {
        code: list(
            Indicator.objects.filter(dimension__framework=framework).order_by(
                "dimension__order", "aspect__order", "order", "code"
            )
        )
        for code, framework in sorted(frameworks.items())
    }
    maturity = {regency.pk: rng.uniform(0.0, 0.6) for regency in regencies}
    for year in sizes.years:
        framework = framework_of(year, frameworks)
        final = year < sizes.last_year
        steps = {regency.pk: trail(year, k, final=final) for k, regency in enumerate(regencies)}

        def who(regency, role):
            return made.heads[regency.pk] if role == "head" else made.reviewers[regency.parent_id]

        assessments = insert(
            Assessment,
            [
                Assessment(
                    region=regency,
                    year=year,
                    framework=framework,
                    status="final" if final else "in_review",
                    created_by=made.reviewers[regency.parent_id],
                    created_at=steps[regency.pk][0][3],
                    updated_at=steps[regency.pk][-1][3],
                )
                for regency in regencies
            ],
            when=lambda a: a.created_at,
            user=lambda a: a.created_by,
        )
        insert(
            Transition,
            [
                Transition(
                    assessment=assessment,
                    from_status=from_status,
                    to_status=to_status,
                    user=who(assessment.region, role),
                    note=note,
                    at=moment,
                )
                for assessment in assessments
                for from_status, to_status, role, moment, note in steps[assessment.region_id]
            ],
            when=lambda t: t.at,
            user=lambda t: t.user,
        )
        answers = []
        span = framework.scale_max - framework.scale_min
        for assessment in assessments:
            region = assessment.region
            verified_at = steps[region.pk][2][3]
            grown = maturity[region.pk] + 0.05 * (year - sizes.first_year)
            for indicator in indicators[framework.code]:
                share = min(1.0, max(0.0, grown + rng.uniform(-0.25, 0.25)))
                verified = framework.scale_min + round(share * span)
                claimed = min(framework.scale_max, verified + (rng.random() < 0.2))
                answers.append(
                    Answer(
                        assessment=assessment,
                        indicator=indicator,
                        self_level=claimed,
                        verified_level=verified,
                        reason=(
                            "Bukti dukung belum memenuhi kriteria level yang diajukan."
                            if claimed != verified
                            else ""
                        ),
                        updated_by=made.reviewers[region.parent_id],
                        updated_at=verified_at,
                    )
                )
        insert(Answer, answers, when=lambda a: a.updated_at, user=lambda a: a.updated_by)


def make_master_plans(sizes, regencies, opds, frameworks, made, rng):
    """Each regency's plan in force, in the framework of the last year: a programme per
    dimension, a target per year, realisations recorded for the years that have passed."""
    framework = framework_of(sizes.last_year, frameworks)
    dimensions = list(framework.dimensions.order_by("order", "code"))
    start = max(sizes.first_year, sizes.last_year - LONGEST_PLAN + 1)
    drafted = at(start, 3, 1)
    plans = insert(
        MasterPlan,
        [
            MasterPlan(
                region=regency,
                framework=framework,
                title=f"Rencana Induk SPBE {regency.name} {start}–{sizes.last_year}",
                start_year=start,
                end_year=sizes.last_year,
                legal_basis=f"Peraturan Kepala Daerah Nomor {k % 40 + 1} Tahun {start}",
                legal_basis_date=datetime.date(start, 4, 1 + k % 28),
                status=MasterPlan.Status.IN_FORCE,
                vision="Pemerintahan digital yang melayani.",
                created_by=made.heads[regency.pk],
                created_at=drafted,
                updated_at=drafted,
            )
            for k, regency in enumerate(regencies)
        ],
        when=drafted,
        user=lambda plan: plan.created_by,
    )
    programmes = insert(
        Programme,
        [
            Programme(
                plan=plan,
                dimension=dimension,
                name=f"Program {dimension.name}",
                opd=rng.choice(opds[plan.region_id]),
                expected_output=f"Capaian {dimension.name} meningkat.",
                order=1,
            )
            for plan in plans
            for dimension in dimensions
        ],
        when=drafted,
        user=lambda programme: programme.plan.created_by,
    )
    targets = []
    for programme in programmes:
        baseline = rng.randint(0, 5)
        step = rng.randint(1, 4)
        for n, year in enumerate(range(start, sizes.last_year + 1)):
            goal = baseline + step * (n + 1)
            passed = year < sizes.last_year and rng.random() < 0.85
            planned = rng.randint(50, 1500) * 1_000_000
            targets.append(
                Target(
                    programme=programme,
                    year=year,
                    metric="Capaian keluaran program",
                    unit="unit",
                    baseline=Decimal(baseline),
                    target=Decimal(goal),
                    realisation=Decimal(rng.randint(baseline, goal)) if passed else None,
                    budget_planned=planned,
                    budget_realised=planned * rng.randint(40, 100) // 100 if passed else None,
                    updated_by=programme.plan.created_by,
                    updated_at=at(year, 12, 20) if passed else drafted,
                )
            )
    insert(Target, targets, when=lambda t: t.updated_at, user=lambda t: t.updated_by)
