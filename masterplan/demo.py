"""Demo data for master plans: Gunung Mas's e-government master plan 2017–2020, reviewed in
2020, and its re-draft 2021–2024 aligned with the RPJMD 2021–2026, now in force.

The figures are illustrative, chosen to show what the portal is for: programmes in every
dimension, realised budgets well below plan, several programmes behind. Idempotent: every
record is looked up by its natural key (plan title and region, programme name, year) and
updated in place; running it again restores the demo state.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from assessments.loader import FRAMEWORKS_DIR, load_framework_file
from assessments.models import Framework
from egov_portal.history import save_if_changed
from masterplan.models import DimensionTarget, MasterPlan, Programme, Target
from opds.models import OPD, Region

GUNUNG_MAS_CODE = "62.10"
ILLUSTRATIVE = (
    "Data ilustratif untuk demonstrasi portal: nomor dan tanggal Perbup, target, realisasi dan "
    "anggaran bukan data resmi Kabupaten Gunung Mas."
)
JT = 1_000_000  # one juta Rupiah

FIRST = {
    "title": "Masterplan e-Government Kabupaten Gunung Mas 2017–2020",
    "start_year": 2017,
    "end_year": 2020,
    "legal_basis": "Peraturan Bupati Gunung Mas Nomor 22 Tahun 2017",
    "legal_basis_date": date(2017, 6, 12),
    "vision": "Terwujudnya pemerintahan Kabupaten Gunung Mas yang efektif, transparan dan "
    "melayani melalui pemanfaatan teknologi informasi dan komunikasi.",
    "mission": "1. Menyusun kebijakan dan kelembagaan e-government.\n"
    "2. Membangun infrastruktur jaringan dan pusat data yang andal.\n"
    "3. Mengembangkan aplikasi layanan publik dan administrasi secara mandiri bersama OPD.\n"
    "4. Merencanakan, menganggarkan dan mengevaluasi TIK secara terpadu.",
    "notes": "Dievaluasi pada Desember 2020 dan disusun ulang untuk 2021–2024. " + ILLUSTRATIVE,
    "reviewed": True,
}

SECOND = {
    "title": "Masterplan e-Government Kabupaten Gunung Mas 2021–2024",
    "start_year": 2021,
    "end_year": 2024,
    "legal_basis": "Peraturan Bupati Gunung Mas Nomor 15 Tahun 2021",
    "legal_basis_date": date(2021, 8, 23),
    "rpjmd_start_year": 2021,
    "rpjmd_end_year": 2026,
    "vision": "Gunung Mas yang maju, sejahtera dan berdaya saing melalui pemerintahan digital "
    "yang melayani (selaras dengan visi Bupati dan Wakil Bupati dalam RPJMD 2021–2026).",
    "mission": "1. Menuntaskan regulasi dan tata kelola SPBE.\n"
    "2. Menghubungkan seluruh OPD dan kecamatan dalam jaringan intra pemerintah.\n"
    "3. Mengintegrasikan aplikasi layanan melalui interoperabilitas data.\n"
    "4. Menjamin anggaran TIK yang memadai dan terukur.",
    "notes": "Disusun ulang dari masterplan 2017–2020 setelah evaluasi. " + ILLUSTRATIVE,
}

# dimension, OPD short name, programme name, expected output, metric, unit, baseline,
# {year: (target, realisation, planned budget in juta, realised budget in juta or None)},
# funding source by year (default APBD)
FIRST_PROGRAMMES = [
    (
        "policy",
        "Setda",
        "Penyusunan regulasi e-government",
        "Perbup tentang e-government, nama domain dan surel resmi, pengelolaan data.",
        "Peraturan Bupati bidang SPBE yang ditetapkan",
        "dokumen",
        0,
        {
            2017: (1, 1, 150, 120),
            2018: (3, 2, 150, 90),
            2019: (5, 3, 150, 100),
            2020: (6, 4, 150, 60),
        },
        {},
    ),
    (
        "policy",
        "Diskominfo,SP",
        "Kebijakan keamanan informasi",
        "Kebijakan keamanan informasi dan prosedur penanganan insiden.",
        "Dokumen kebijakan keamanan informasi",
        "dokumen",
        0,
        {2018: (1, 1, 60, 55), 2019: (1, 1, 20, 15), 2020: (2, 2, 60, 50)},
        {},
    ),
    (
        "institutions",
        "BKPSDM",
        "Peningkatan kompetensi SDM TIK",
        "ASN pengelola TIK di setiap OPD bersertifikat kompetensi.",
        "ASN bersertifikat kompetensi TIK",
        "orang",
        4,
        {
            2017: (10, 8, 200, 150),
            2018: (20, 12, 200, 80),
            2019: (30, 17, 200, 120),
            2020: (40, 21, 200, 60),
        },
        {},
    ),
    (
        "institutions",
        "Diskominfo,SP",
        "Forum koordinasi TIK antar-OPD",
        "Forum TIK yang bertemu rutin dan memutuskan prioritas bersama.",
        "Rapat forum TIK per tahun",
        "kali",
        0,
        {2017: (2, 2, 25, 20), 2018: (4, 4, 25, 25), 2019: (4, 4, 25, 20), 2020: (4, 4, 25, 15)},
        {},
    ),
    (
        "infrastructure",
        "Diskominfo,SP",
        "Pembangunan jaringan intra pemerintah",
        "Jaringan serat optik dan nirkabel yang menghubungkan seluruh OPD.",
        "OPD terhubung jaringan intra pemerintah",
        "OPD",
        6,
        {
            2017: (12, 10, 1200, 750),
            2018: (18, 14, 1500, 600),
            2019: (24, 17, 1500, 550),
            2020: (30, 19, 1200, 400),
        },
        {2018: Target.FundingSource.DAK, 2019: Target.FundingSource.DAK},
    ),
    (
        "infrastructure",
        "Diskominfo,SP",
        "Ruang server dan pusat data daerah",
        "Ruang server berstandar dengan catu daya cadangan, pendingin dan cadangan data.",
        "Kesiapan ruang server terhadap standar",
        "%",
        20,
        {2018: (50, 40, 600, 350), 2019: (75, 55, 800, 300), 2020: (100, 60, 700, 250)},
        {},
    ),
    (
        "infrastructure",
        "Diskominfo,SP",
        "Peningkatan kapasitas internet",
        "Akses internet yang cukup bagi seluruh OPD di Kuala Kurun.",
        "Kapasitas internet pemerintah daerah",
        "Mbps",
        20,
        {
            2017: (50, 50, 300, 300),
            2018: (100, 100, 300, 280),
            2019: (150, 100, 300, 200),
            2020: (200, 150, 300, 220),
        },
        {},
    ),
    (
        "applications",
        "Diskominfo,SP",
        "Portal resmi dan situs web OPD",
        "Portal kabupaten dan situs web setiap OPD yang dikelola sendiri.",
        "OPD dengan situs web aktif",
        "OPD",
        5,
        {
            2017: (10, 12, 100, 95),
            2018: (20, 22, 100, 100),
            2019: (30, 30, 100, 90),
            2020: (30, 30, 100, 80),
        },
        {},
    ),
    (
        "applications",
        "Setda",
        "Aplikasi produk hukum daerah (JDIH)",
        "Produk hukum daerah terbit dan dapat dicari daring, dibangun sendiri.",
        "Produk hukum daerah yang dapat diakses daring",
        "%",
        0,
        {2018: (50, 60, 75, 70), 2019: (80, 85, 75, 60), 2020: (100, 100, 75, 50)},
        {},
    ),
    (
        "applications",
        "Disdukcapil",
        "Layanan administrasi kependudukan daring",
        "Pelayanan dokumen kependudukan daring sampai kecamatan.",
        "Kecamatan terlayani aplikasi adminduk daring",
        "kecamatan",
        1,
        {2018: (4, 3, 250, 200), 2019: (8, 6, 250, 150), 2020: (12, 8, 250, 100)},
        {2019: Target.FundingSource.DAK},
    ),
    (
        "applications",
        "BKPSDM",
        "Sistem informasi kepegawaian (SIMPEG)",
        "Data ASN termutakhir dan layanan kepegawaian daring.",
        "Data ASN termutakhir dalam SIMPEG",
        "%",
        30,
        {2018: (60, 55, 120, 100), 2019: (80, 70, 120, 80), 2020: (100, 85, 120, 60)},
        {},
    ),
    (
        "applications",
        "DPMPTSP",
        "Perizinan daring",
        "Permohonan izin daerah yang dapat diajukan dan dilacak daring.",
        "Jenis izin yang dapat diajukan daring",
        "jenis izin",
        0,
        {2019: (10, 8, 180, 120), 2020: (25, 14, 180, 90)},
        {},
    ),
    (
        "planning",
        "Bappedalitbang",
        "Penyusunan arsitektur dan peta rencana SPBE",
        "Dokumen arsitektur SPBE dan peta rencana yang menjadi acuan program OPD.",
        "Dokumen arsitektur SPBE",
        "dokumen",
        0,
        {2019: (1, 0, 150, 40), 2020: (1, 1, 150, 130)},
        {},
    ),
    (
        "planning",
        "Diskominfo,SP",
        "Monitoring dan evaluasi TIK tahunan",
        "Laporan evaluasi TIK tahunan sebagai dasar perencanaan.",
        "Laporan evaluasi TIK (kumulatif)",
        "laporan",
        0,
        {2017: (1, 1, 50, 45), 2018: (2, 1, 50, 20), 2019: (3, 2, 50, 40), 2020: (4, 3, 50, 35)},
        {},
    ),
    (
        "planning",
        "Bappedalitbang",
        "Penganggaran TIK terpadu",
        "Belanja TIK seluruh OPD direncanakan dan dipantau terpadu.",
        "Porsi belanja TIK dalam APBD",
        "%",
        Decimal("0.5"),
        {
            2018: (Decimal("1.0"), Decimal("0.7"), 40, 30),
            2019: (Decimal("1.5"), Decimal("0.8"), 40, 25),
            2020: (Decimal("2.0"), Decimal("0.8"), 40, 20),
        },
        {},
    ),
]

# Programmes of the re-draft; those named like a 2017–2020 programme carry it forward.
SECOND_PROGRAMMES = [
    (
        "policy",
        "Setda",
        "Penyusunan regulasi e-government",
        "Regulasi SPBE lengkap: tata kelola, data, keamanan, aplikasi umum.",
        "Peraturan Bupati bidang SPBE yang ditetapkan",
        "dokumen",
        4,
        {
            2021: (5, 5, 150, 140),
            2022: (6, 6, 150, 120),
            2023: (7, 6, 150, 100),
            2024: (8, 7, 150, 90),
        },
        {},
    ),
    (
        "institutions",
        "BKPSDM",
        "Peningkatan kompetensi SDM TIK",
        "ASN pengelola TIK di setiap OPD bersertifikat kompetensi.",
        "ASN bersertifikat kompetensi TIK",
        "orang",
        21,
        {
            2021: (26, 25, 200, 150),
            2022: (32, 30, 220, 160),
            2023: (38, 33, 220, 150),
            2024: (44, 36, 220, 130),
        },
        {},
    ),
    (
        "infrastructure",
        "Diskominfo,SP",
        "Pembangunan jaringan intra pemerintah",
        "Seluruh OPD dan kecamatan terhubung jaringan intra pemerintah.",
        "OPD terhubung jaringan intra pemerintah",
        "OPD",
        19,
        {
            2021: (23, 22, 1300, 800),
            2022: (27, 25, 1300, 700),
            2023: (30, 27, 1300, 650),
            2024: (30, None, 1000, None),
        },
        {2022: Target.FundingSource.DAK},
    ),
    (
        "infrastructure",
        "Diskominfo,SP",
        "Ruang server dan pusat data daerah",
        "Ruang server berstandar, siap bergabung dengan pusat data nasional.",
        "Kesiapan ruang server terhadap standar",
        "%",
        60,
        {
            2021: (70, 65, 500, 300),
            2022: (80, 72, 500, 280),
            2023: (90, 78, 500, 260),
            2024: (100, None, 500, None),
        },
        {},
    ),
    (
        "infrastructure",
        "Diskominfo,SP",
        "Peningkatan kapasitas internet",
        "Akses internet yang cukup bagi OPD dan kecamatan.",
        "Kapasitas internet pemerintah daerah",
        "Mbps",
        150,
        {
            2021: (200, 200, 350, 340),
            2022: (300, 250, 400, 300),
            2023: (400, 350, 400, 320),
            2024: (500, 400, 400, 330),
        },
        {},
    ),
    (
        "applications",
        "Disdukcapil",
        "Layanan administrasi kependudukan daring",
        "Pelayanan dokumen kependudukan daring di seluruh kecamatan.",
        "Kecamatan terlayani aplikasi adminduk daring",
        "kecamatan",
        8,
        {
            2021: (10, 9, 200, 180),
            2022: (12, 12, 200, 190),
            2023: (12, 12, 100, 90),
            2024: (12, 12, 100, 90),
        },
        {},
    ),
    (
        "applications",
        "BKPSDM",
        "Sistem informasi kepegawaian (SIMPEG)",
        "Data ASN termutakhir dan layanan kepegawaian daring.",
        "Data ASN termutakhir dalam SIMPEG",
        "%",
        85,
        {2021: (95, 92, 100, 90), 2022: (100, 100, 100, 95)},
        {},
    ),
    (
        "applications",
        "DPMPTSP",
        "Perizinan daring",
        "Seluruh perizinan daerah dapat diajukan dan dilacak daring.",
        "Jenis izin yang dapat diajukan daring",
        "jenis izin",
        14,
        {
            2021: (20, 18, 180, 150),
            2022: (25, 22, 180, 140),
            2023: (30, 25, 180, 120),
            2024: (35, 27, 180, 110),
        },
        {},
    ),
    (
        "applications",
        "Diskominfo,SP",
        "Integrasi layanan dan Satu Data Gunung Mas",
        "Aplikasi OPD bertukar data melalui layanan interoperabilitas dan portal Satu Data.",
        "Aplikasi terintegrasi melalui layanan interoperabilitas",
        "aplikasi",
        0,
        {2022: (5, 4, 300, 200), 2023: (10, 7, 300, 180), 2024: (15, 9, 300, 150)},
        {},
    ),
    (
        "planning",
        "Diskominfo,SP",
        "Monitoring dan evaluasi TIK tahunan",
        "Laporan evaluasi TIK dan evaluasi SPBE mandiri setiap tahun.",
        "Laporan evaluasi TIK (kumulatif)",
        "laporan",
        3,
        {2021: (4, 4, 50, 45), 2022: (5, 5, 50, 45), 2023: (6, 6, 50, 40), 2024: (7, 7, 50, 40)},
        {},
    ),
    (
        "planning",
        "Bappedalitbang",
        "Penganggaran TIK terpadu",
        "Belanja TIK seluruh OPD direncanakan dan dipantau terpadu.",
        "Porsi belanja TIK dalam APBD",
        "%",
        Decimal("0.8"),
        {
            2021: (Decimal("1.0"), Decimal("0.9"), 40, 35),
            2022: (Decimal("1.3"), Decimal("1.0"), 40, 30),
            2023: (Decimal("1.6"), Decimal("1.1"), 40, 30),
            2024: (Decimal("2.0"), Decimal("1.2"), 40, 25),
        },
        {},
    ),
]

# The capability score (PeGI, 1–4) each plan aims at by the end of each year.
DIMENSION_TARGETS = {
    "first": {
        "policy": ("1.50", "2.00", "2.50", "3.00"),
        "institutions": ("1.50", "2.00", "2.30", "2.60"),
        "infrastructure": ("1.80", "2.20", "2.60", "3.00"),
        "applications": ("2.00", "2.40", "2.80", "3.20"),
        "planning": ("1.30", "1.80", "2.20", "2.60"),
    },
    "second": {
        "policy": ("2.80", "3.00", "3.20", "3.40"),
        "institutions": ("2.50", "2.80", "3.00", "3.20"),
        "infrastructure": ("2.60", "2.90", "3.20", "3.40"),
        "applications": ("3.00", "3.20", "3.40", "3.60"),
        "planning": ("2.40", "2.70", "3.00", "3.20"),
    },
}


def pegi():
    return Framework.objects.filter(code="pegi").first() or load_framework_file(
        FRAMEWORKS_DIR / "pegi.json"
    )


def upsert_plan(region, framework, data, *, status, supersedes=None):
    fields = {k: v for k, v in data.items() if k != "reviewed"}
    plan = MasterPlan.objects.filter(region=region, title=data["title"]).order_by(
        "pk"
    ).first() or MasterPlan(region=region)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.framework = framework
    plan.status = status
    plan.supersedes = supersedes
    if data.get("reviewed") and plan.reviewed_at is None:
        plan.reviewed_at = timezone.make_aware(datetime(2020, 12, 15, 10))
    plan.full_clean()
    save_if_changed(plan)
    return plan


def upsert_programmes(plan, rows, *, opds, dimensions, carried=None):
    programmes = {}
    for order, row in enumerate(rows, start=1):
        code, opd, name, output, metric, unit, baseline, years, sources = row
        programme = Programme.objects.filter(plan=plan, name=name).first() or Programme(
            plan=plan, name=name
        )
        programme.dimension = dimensions[code]
        programme.opd = opds[opd]
        programme.expected_output = output
        programme.order = order
        programme.carried_from = (carried or {}).get(name)
        programme.full_clean()
        save_if_changed(programme)
        for year, (target, realisation, planned, realised) in years.items():
            record = Target.objects.filter(programme=programme, year=year).first() or Target(
                programme=programme, year=year
            )
            record.metric, record.unit = metric, unit
            record.baseline = Decimal(baseline)
            record.target = Decimal(target)
            record.realisation = None if realisation is None else Decimal(realisation)
            record.budget_planned = planned * JT
            record.budget_realised = None if realised is None else realised * JT
            record.funding_source = sources.get(year, Target.FundingSource.APBD)
            record.full_clean()
            save_if_changed(record)
        programmes[name] = programme
    return programmes


def upsert_dimension_targets(plan, targets, dimensions):
    for code, scores in targets.items():
        for year, score in zip(plan.years, scores, strict=True):
            DimensionTarget.objects.update_or_create(
                plan=plan,
                dimension=dimensions[code],
                year=year,
                defaults={"score": Decimal(score)},
            )


@transaction.atomic
def load(*, stdout):
    region = Region.objects.get(code=GUNUNG_MAS_CODE)
    framework = pegi()
    dimensions = {d.code: d for d in framework.dimensions.all()}
    opds = {opd.short_name: opd for opd in OPD.objects.filter(region=region)}

    first = upsert_plan(region, framework, FIRST, status=MasterPlan.Status.SUPERSEDED)
    old = upsert_programmes(first, FIRST_PROGRAMMES, opds=opds, dimensions=dimensions)
    upsert_dimension_targets(first, DIMENSION_TARGETS["first"], dimensions)

    # Whatever was put in force since, the demo state has the 2021–2024 plan in force.
    MasterPlan.objects.filter(region=region, status=MasterPlan.Status.IN_FORCE).exclude(
        title=SECOND["title"]
    ).update(status=MasterPlan.Status.SUPERSEDED)
    second = upsert_plan(
        region, framework, SECOND, status=MasterPlan.Status.IN_FORCE, supersedes=first
    )
    upsert_programmes(second, SECOND_PROGRAMMES, opds=opds, dimensions=dimensions, carried=old)
    upsert_dimension_targets(second, DIMENSION_TARGETS["second"], dimensions)

    stdout.write(
        f"Master plans: {MasterPlan.objects.filter(region=region).count()} for "
        f"{region.name} ({Programme.objects.filter(plan__region=region).count()} programmes, "
        f"{Target.objects.filter(programme__plan__region=region).count()} yearly targets)"
    )
