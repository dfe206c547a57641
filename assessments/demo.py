"""Demo assessments: the PeGI framework (and the SPBE 2020 framework with its crosswalk to
PeGI), Gunung Mas 2018 and 2019 (final) and 2020 (draft, with
a question from the province waiting for the head), Palangka Raya 2020 (submitted),
and 2019 finals for six other regions with different profiles; the 2019 and 2020 evaluation
cycles of Kalimantan Tengah, with the 2020 extension Gunung Mas was given. Idempotent: an
assessment or a cycle that exists is left as it is.
"""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from assessments.crosswalks import CROSSWALKS_DIR, load_crosswalk_file
from assessments.loader import FRAMEWORKS_DIR, load_framework_file
from assessments.models import (
    Answer,
    Assessment,
    Clarification,
    Comment,
    Cycle,
    CycleExtension,
    Indicator,
    Transition,
)
from opds.models import Region

JAKARTA = ZoneInfo("Asia/Jakarta")
ORDER = ["policy", "institutions", "infrastructure", "applications", "planning"]

# Gunung Mas, provincial visit of December 2019: indicator → (self, verified, note, reason).
GUNUNG_MAS_2019 = {
    "policy-01": (
        3,
        3,
        "Perbup penyelenggaraan e-government ditetapkan 2017 bersama rencana induk.",
        "",
    ),
    "policy-02": (
        3,
        2,
        "Domain gunungmaskab.go.id dipakai, tetapi belum semua OPD memakai surel resmi.",
        "Surat edaran ada, belum berupa kebijakan yang mengikat seluruh OPD.",
    ),
    "policy-03": (2, 2, "Kebijakan keamanan informasi masih rancangan di Diskominfo,SP.", ""),
    "policy-04": (2, 2, "Satu Data belum diatur; data sektoral dikelola masing-masing OPD.", ""),
    "policy-05": (
        3,
        2,
        "Standar pengembangan aplikasi dipakai tim internal, belum ditetapkan resmi.",
        "Belum ada keputusan yang menetapkan standar; baru panduan internal.",
    ),
    "policy-06": (3, 3, "PPID utama dan pembantu telah ditetapkan dan aktif.", ""),
    "policy-07": (
        2,
        2,
        "Pengelolaan situs web OPD diatur surat edaran; pengadaan TIK belum dikoordinasikan.",
        "",
    ),
    "institutions-01": (
        3,
        3,
        "Diskominfo,SP memegang mandat e-government sejak pembentukan SOTK 2017.",
        "",
    ),
    "institutions-02": (3, 3, "Bidang aplikasi informatika dengan uraian tugas yang jelas.", ""),
    "institutions-03": (
        2,
        2,
        "Tujuh pranata komputer; belum ada sertifikasi keamanan atau jaringan.",
        "",
    ),
    "institutions-04": (2, 2, "Tim koordinasi dibentuk 2018 tetapi belum rutin rapat.", ""),
    "institutions-05": (
        3,
        3,
        "Setiap OPD menunjuk operator; mereka membangun aplikasi bersama Diskominfo,SP.",
        "",
    ),
    "institutions-06": (
        2,
        2,
        "Kerja sama dengan Diskominfo Provinsi untuk hosting dan pelatihan.",
        "",
    ),
    "institutions-07": (2, 2, "Pelatihan operator tahunan, terbatas oleh anggaran.", ""),
    "infrastructure-01": (
        2,
        2,
        "Ruang server di Diskominfo,SP tanpa pendingin cadangan dan genset khusus.",
        "",
    ),
    "infrastructure-02": (
        2,
        2,
        "Jaringan fiber menjangkau kompleks perkantoran Kuala Kurun; kecamatan belum.",
        "",
    ),
    "infrastructure-03": (
        2,
        2,
        "Bandwidth 100 Mbps dibagi seluruh OPD; kecamatan memakai VSAT.",
        "",
    ),
    "infrastructure-04": (
        2,
        1,
        "Firewall ada tetapi belum dikelola; belum ada tim tanggap insiden.",
        "Tidak ada log atau prosedur insiden yang dapat ditunjukkan saat kunjungan.",
    ),
    "infrastructure-05": (1, 1, "Cadangan data manual, tidak terjadwal.", ""),
    "infrastructure-06": (
        2,
        2,
        "Daftar aset TIK ada di BPKAD, belum dipisahkan dan dimutakhirkan.",
        "",
    ),
    "infrastructure-07": (2, 2, "Wi-Fi publik di taman kota dan beberapa ibu kota kecamatan.", ""),
    "applications-01": (3, 3, "Portal resmi dan situs web OPD terkelola dan mutakhir.", ""),
    "applications-02": (
        3,
        3,
        "Layanan perizinan, kependudukan dan pengaduan dapat diakses daring.",
        "",
    ),
    "applications-03": (
        3,
        3,
        "Sekitar 30 aplikasi dibangun sendiri bersama OPD, tanpa vendor pihak ketiga.",
        "",
    ),
    "applications-04": (
        2,
        2,
        "Integrasi antaraplikasi masih terbatas; pertukaran data umumnya manual.",
        "",
    ),
    "applications-05": (3, 3, "E-office dan SIMPEG dipakai bersama seluruh OPD.", ""),
    "applications-06": (
        3,
        3,
        "Aplikasi produk hukum (JDIH) di Bagian Hukum Setda, terhubung JDIHN.",
        "",
    ),
    "applications-07": (
        3,
        2,
        "Inventaris aplikasi ada dalam lembar kerja, belum lengkap.",
        "Inventaris belum mencakup data dan basis data tiap aplikasi.",
    ),
    "planning-01": (
        3,
        3,
        "Rencana induk e-government 2017–2020 berlaku, dengan peta jalan tahunan.",
        "",
    ),
    "planning-02": (3, 3, "Rencana induk selaras dengan RPJMD 2016–2021.", ""),
    "planning-03": (
        1,
        1,
        "Anggaran TIK terlalu kecil: di bawah 1% belanja daerah; banyak program tertunda.",
        "",
    ),
    "planning-04": (2, 2, "Evaluasi dilakukan insidental, belum ada laporan tahunan.", ""),
    "planning-05": (1, 1, "Arsitektur SPBE belum disusun.", ""),
    "planning-06": (2, 2, "Forum data belum terbentuk; data statistik sektoral dari BPS.", ""),
    "planning-07": (1, 1, "Belum ada rencana keberlangsungan layanan.", ""),
}

# Verified levels per dimension (in ORDER) for the other demo assessments.
PROFILES = {
    ("62.10", 2018): [
        [2, 2, 2, 1, 2, 2, 1],
        [2, 2, 2, 1, 2, 1, 2],
        [2, 1, 2, 1, 1, 2, 1],
        [2, 2, 2, 2, 2, 3, 2],
        [3, 2, 1, 1, 1, 1, 1],
    ],
    ("62.71", 2019): [
        [4, 3, 3, 3, 3, 4, 3],
        [4, 3, 3, 3, 3, 3, 3],
        [3, 3, 4, 3, 3, 3, 3],
        [4, 4, 3, 3, 3, 4, 3],
        [3, 3, 3, 3, 2, 3, 3],
    ],
    ("62.01", 2019): [
        [3, 3, 3, 2, 3, 3, 3],
        [3, 3, 3, 3, 3, 2, 2],
        [3, 3, 3, 2, 2, 3, 2],
        [3, 3, 3, 2, 3, 3, 3],
        [3, 3, 2, 2, 2, 3, 2],
    ],
    ("62.02", 2019): [
        [3, 3, 2, 2, 2, 3, 2],
        [3, 2, 2, 2, 3, 2, 2],
        [3, 2, 3, 2, 2, 2, 2],
        [3, 3, 3, 2, 2, 3, 2],
        [2, 3, 2, 2, 2, 2, 2],
    ],
    ("62.03", 2019): [
        [2, 2, 2, 1, 2, 3, 2],
        [3, 2, 2, 2, 2, 2, 2],
        [2, 2, 2, 1, 2, 2, 2],
        [3, 2, 2, 2, 2, 2, 2],
        [2, 2, 2, 2, 1, 2, 2],
    ],
    ("62.06", 2019): [
        [2, 2, 1, 1, 1, 2, 2],
        [2, 2, 2, 1, 2, 1, 2],
        [2, 2, 2, 1, 1, 2, 1],
        [2, 2, 2, 1, 2, 2, 1],
        [2, 2, 1, 2, 1, 1, 1],
    ],
    ("62.12", 2019): [
        [2, 1, 1, 1, 1, 2, 1],
        [2, 2, 1, 1, 2, 1, 1],
        [1, 1, 2, 1, 1, 1, 1],
        [2, 2, 1, 1, 1, 2, 1],
        [1, 2, 1, 1, 1, 1, 1],
    ],
}


def at(year, month, day):
    return datetime.datetime(year, month, day, 10, 0, tzinfo=JAKARTA)


def create(region, year, framework, reviewer):
    assessment = Assessment.objects.create(
        region=region, year=year, framework=framework, created_by=reviewer
    )
    Transition.objects.create(assessment=assessment, to_status="draft", user=reviewer)
    return assessment


def finalise(assessment, reviewer, *, visit, closed):
    Transition.objects.create(
        assessment=assessment,
        from_status="draft",
        to_status="in_review",
        user=reviewer,
        note="Kunjungan lapangan dan verifikasi dokumen oleh Diskominfo Provinsi.",
    )
    Transition.objects.create(
        assessment=assessment,
        from_status="in_review",
        to_status="final",
        user=reviewer,
        note="Hasil verifikasi disepakati bersama Diskominfo kabupaten.",
    )
    assessment.status = "final"
    assessment.save(update_fields=["status"])
    for transition, moment in zip(
        assessment.transitions.order_by("pk"), [visit, visit, closed], strict=True
    ):
        Transition.objects.filter(pk=transition.pk).update(at=moment)


@transaction.atomic
def load(*, stdout):
    framework = load_framework_file(FRAMEWORKS_DIR / "pegi.json")
    # SPBE 2020, the regime from 2021, and how its indicators count on PeGI's dimensions.
    load_framework_file(FRAMEWORKS_DIR / "spbe-2020.json")
    load_crosswalk_file(CROSSWALKS_DIR / "spbe-2020-pegi.json")
    User = get_user_model()
    reviewer = User.objects.get(username="reviewer")
    head = User.objects.get(username="kadis.gumas")
    indicators = {i.code: i for i in Indicator.objects.filter(dimension__framework=framework)}
    by_dimension = {code: [indicators[f"{code}-{n:02d}"] for n in range(1, 8)] for code in ORDER}
    created = 0

    def exists(code, year):
        return Assessment.objects.filter(region__code=code, year=year, framework=framework).exists()

    if not exists("62.10", 2019):
        assessment = create(Region.objects.get(code="62.10"), 2019, framework, reviewer)
        Answer.objects.bulk_create(
            Answer(
                assessment=assessment,
                indicator=indicators[code],
                self_level=self_level,
                verified_level=verified,
                note=note,
                reason=reason,
                updated_by=reviewer,
            )
            for code, (self_level, verified, note, reason) in GUNUNG_MAS_2019.items()
        )
        finalise(assessment, reviewer, visit=at(2019, 12, 3), closed=at(2019, 12, 20))
        created += 1

    for (code, year), levels in PROFILES.items():
        if exists(code, year):
            continue
        assessment = create(Region.objects.get(code=code), year, framework, reviewer)
        Answer.objects.bulk_create(
            Answer(
                assessment=assessment,
                indicator=indicator,
                verified_level=level,
                updated_by=reviewer,
            )
            for dimension, row in zip(ORDER, levels, strict=True)
            for indicator, level in zip(by_dimension[dimension], row, strict=True)
        )
        finalise(assessment, reviewer, visit=at(year, 11, 12), closed=at(year, 12, 10))
        created += 1

    if not exists("62.10", 2020):
        # The head has filled the self-assessment and not yet submitted it.
        assessment = create(Region.objects.get(code="62.10"), 2020, framework, head)
        Answer.objects.bulk_create(
            Answer(
                assessment=assessment,
                indicator=indicators[code],
                self_level=min(4, verified + (1 if code.startswith("applications") else 0)),
                updated_by=head,
            )
            for code, (_self, verified, _note, _reason) in GUNUNG_MAS_2019.items()
        )
        created += 1

    if not exists("62.71", 2020):
        # Palangka Raya submitted its 2020 self-assessment on time; it waits for verification.
        region = Region.objects.get(code="62.71")
        assessment = create(region, 2020, framework, reviewer)
        Answer.objects.bulk_create(
            Answer(
                assessment=assessment,
                indicator=indicator,
                self_level=min(4, level + (1 if dimension == "applications" else 0)),
                updated_by=reviewer,
            )
            for dimension, row in zip(ORDER, PROFILES[("62.71", 2019)], strict=True)
            for indicator, level in zip(by_dimension[dimension], row, strict=True)
        )
        submitted = Transition.objects.create(
            assessment=assessment, from_status="draft", to_status="submitted", user=reviewer
        )
        Transition.objects.filter(pk=submitted.pk).update(at=at(2020, 9, 28))
        assessment.status = "submitted"
        assessment.save(update_fields=["status"])
        created += 1

    ask_gunung_mas(framework, reviewer, indicators)
    cycles_created = load_cycles(framework, reviewer)
    stdout.write(
        f"Framework {framework.code} {framework.version}; assessments created: {created}, "
        f"in all: {Assessment.objects.count()}; cycles created: {cycles_created}"
    )


def ask_gunung_mas(framework, reviewer, indicators):
    """The province's question on Gunung Mas's 2020 draft, waiting for the head's answer."""
    assessment = Assessment.objects.get(region__code="62.10", year=2020, framework=framework)
    indicator = indicators["planning-01"]
    if Clarification.objects.filter(assessment=assessment, indicator=indicator).exists():
        return
    thread = Clarification.objects.create(
        assessment=assessment,
        indicator=indicator,
        opened_by=reviewer,
        waiting_on=Clarification.Side.HEAD,
    )
    comment = Comment.objects.create(
        thread=thread,
        author=reviewer,
        side=Clarification.Side.REVIEWER,
        text="Mohon unggah peta jalan tahunan rencana induk yang disebut pada penilaian 2019, "
        "beserta berita acara reviunya.",
    )
    asked = at(2020, 10, 20)
    Comment.objects.filter(pk=comment.pk).update(at=asked)
    Clarification.objects.filter(pk=thread.pk).update(opened_at=asked, last_comment_at=asked)


# Kalimantan Tengah's cycles: self-assessment from July, verification visits in the autumn,
# results final before the year's end (the 2019 visits of November and December fall inside).
CYCLES = {
    2019: ("2019-07-01", "2019-08-30", "2019-09-02", "2019-12-06", "2019-12-20"),
    2020: ("2020-07-01", "2020-09-30", "2020-10-05", "2020-11-27", "2020-12-18"),
}


def load_cycles(framework, reviewer):
    province = Region.objects.get(code="62")
    created = 0
    for year, dates in CYCLES.items():
        if Cycle.objects.filter(province=province, year=year).exists():
            continue
        opens, submission, verification_starts, verification_ends, finalisation = (
            datetime.date.fromisoformat(day) for day in dates
        )
        cycle = Cycle(
            province=province,
            year=year,
            framework=framework,
            self_assessment_opens=opens,
            submission_deadline=submission,
            verification_starts=verification_starts,
            verification_ends=verification_ends,
            finalisation_deadline=finalisation,
            updated_by=reviewer,
        )
        cycle.full_clean()
        cycle.save()
        created += 1
        if year == 2020:
            CycleExtension.objects.create(
                cycle=cycle,
                region=Region.objects.get(code="62.10"),
                stage="self_assessment",
                until=datetime.date(2020, 10, 30),
                reason="Pembatasan kegiatan selama pandemi COVID-19 menunda pengumpulan bukti "
                "dukung dari OPD.",
                created_by=reviewer,
            )
    return created
