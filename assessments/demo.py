"""Demo assessments: the PeGI framework (and the SPBE 2020 framework with its crosswalk to
PeGI), Gunung Mas 2018 and 2019 (final) and 2020 (draft, with
a question from the province waiting for the head), Palangka Raya 2020 (submitted),
and 2019 finals for six other regions with different profiles; the 2021 SPBE 2020
evaluations: Gunung Mas (final, every indicator with its note), five other regions final
and Kotawaringin Timur still in review; the 2019 and 2020 (PeGI) and 2021 (SPBE 2020)
evaluation cycles of Kalimantan Tengah, with the 2020 extension Gunung Mas was given.
Idempotent: an assessment or a cycle that exists is left as it is.
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
    Framework,
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

# Gunung Mas, SPBE evaluation 2021 (PermenPANRB 59/2020), the province's first under the new
# regime: indicator → (self, verified, note, reason).
GUNUNG_MAS_2021 = {
    "spbe-01": (
        2,
        1,
        "Perbup Rencana Induk SPBE 2021–2024 mengamanatkan penyusunan Arsitektur SPBE.",
        "Belum ada kebijakan internal Arsitektur SPBE; yang ada baru amanat penyusunannya.",
    ),
    "spbe-02": (
        3,
        3,
        "Rencana Induk SPBE 2021–2024 ditetapkan dengan Perbup Nomor 15 Tahun 2021, "
        "menggantikan rencana induk e-government 2017–2020.",
        "",
    ),
    "spbe-03": (
        2,
        1,
        "Rancangan Perbup Satu Data Gunung Mas disusun Diskominfo,SP bersama Bappedalitbang.",
        "Rancangan belum ditetapkan; baru draf.",
    ),
    "spbe-04": (
        2,
        2,
        "Pedoman pengembangan aplikasi ditetapkan Kepala Diskominfo,SP; belum mengikat OPD lain.",
        "",
    ),
    "spbe-05": (
        2,
        2,
        "Surat edaran Bupati meminta OPD menempatkan aplikasinya di ruang server Diskominfo,SP.",
        "",
    ),
    "spbe-06": (
        2,
        2,
        "Surat edaran tentang pemanfaatan jaringan intra pemerintah; kecamatan belum diatur.",
        "",
    ),
    "spbe-07": (1, 1, "Kebijakan sistem penghubung layanan belum disusun.", ""),
    "spbe-08": (
        2,
        2,
        "Perbup persandian untuk pengamanan informasi ada; belum mencakup pengelolaan insiden.",
        "",
    ),
    "spbe-09": (1, 1, "Kebijakan audit TIK belum ada.", ""),
    "spbe-10": (
        3,
        2,
        "Keputusan Bupati tentang Tim Koordinasi SPBE diperbarui pada 2021.",
        "Keputusan belum memuat uraian tugas dan mekanisme kerja tim.",
    ),
    "spbe-11": (
        1,
        1,
        "Arsitektur SPBE belum disusun; dijadwalkan 2022 dalam Rencana Induk SPBE 2021–2024.",
        "",
    ),
    "spbe-12": (
        3,
        3,
        "Peta rencana program per tahun 2021–2024, disusun ulang setelah evaluasi capaian "
        "rencana induk 2017–2020 dan selaras dengan RPJMD 2021–2026.",
        "",
    ),
    "spbe-13": (
        3,
        2,
        "Anggaran TIK sekitar 0,9% belanja daerah, masih kecil; banyak program bergeser.",
        "Belanja TIK per OPD belum direkapitulasi dan direncanakan terpadu.",
    ),
    "spbe-14": (1, 1, "Peta proses bisnis belum disusun; inovasi masih per aplikasi OPD.", ""),
    "spbe-15": (
        3,
        3,
        "Sekitar 30 aplikasi dibangun sendiri oleh Diskominfo,SP bersama OPD, tanpa vendor; "
        "katalog aplikasi dimutakhirkan di portal ini.",
        "",
    ),
    "spbe-16": (
        2,
        2,
        "Ruang server di Diskominfo,SP menampung aplikasi OPD; pendingin dan catu daya cadangan "
        "belum memenuhi standar pusat data.",
        "",
    ),
    "spbe-17": (
        3,
        2,
        "22 OPD terhubung serat optik ke Diskominfo,SP; kecamatan masih memakai VSAT.",
        "Jaringan belum menjangkau seluruh OPD dan kecamatan; pemantauan belum terdokumentasi.",
    ),
    "spbe-18": (
        1,
        1,
        "Belum ada layanan interoperabilitas; pertukaran data antaraplikasi masih manual.",
        "",
    ),
    "spbe-19": (
        2,
        2,
        "Tim Koordinasi SPBE rapat dua kali pada 2021 untuk menyusun rencana induk.",
        "",
    ),
    "spbe-20": (
        3,
        3,
        "Aplikasi dibangun bersama OPD; kerja sama dengan Diskominfo Provinsi untuk pelatihan "
        "dan hosting cadangan.",
        "",
    ),
    "spbe-21": (1, 1, "Belum ada pedoman dan register risiko SPBE.", ""),
    "spbe-22": (
        2,
        2,
        "Indeks KAMI dinilai bersama BSSN pada 2021; belum ada tim tanggap insiden.",
        "",
    ),
    "spbe-23": (
        2,
        2,
        "Portal Open Data memuat data sektoral sebagian OPD; forum Satu Data belum terbentuk.",
        "",
    ),
    "spbe-24": (
        2,
        2,
        "Aset TIK tercatat di SIMBADA; belum ada pedoman pemeliharaan aset TIK.",
        "",
    ),
    "spbe-25": (
        2,
        2,
        "25 ASN bersertifikat kompetensi TIK; pelatihan terbatas oleh anggaran.",
        "",
    ),
    "spbe-26": (
        1,
        1,
        "Dokumentasi aplikasi tersimpan pada masing-masing pengembang; belum ada repositori.",
        "",
    ),
    "spbe-27": (1, 1, "Perubahan aplikasi dan infrastruktur belum dicatat secara formal.", ""),
    "spbe-28": (
        2,
        1,
        "Permintaan layanan dan gangguan diterima helpdesk Diskominfo,SP lewat telepon dan pesan.",
        "Belum ada pencatatan tiket layanan yang dapat ditelusuri.",
    ),
    "spbe-29": (1, 1, "Audit infrastruktur SPBE belum pernah dilaksanakan.", ""),
    "spbe-30": (1, 1, "Aplikasi diuji oleh pengembangnya sendiri; audit belum dilakukan.", ""),
    "spbe-31": (
        2,
        1,
        "Uji kerentanan portal resmi oleh BSSN pada 2021.",
        "Uji kerentanan bukan audit keamanan; tindak lanjut temuannya belum terdokumentasi.",
    ),
    "spbe-32": (
        3,
        3,
        "E-Planning Gunung Mas dan SIPD dipakai menyusun RKPD dan Renja OPD.",
        "",
    ),
    "spbe-33": (
        3,
        3,
        "APBD 2022 disusun di SIPD; belum terhubung dengan E-Planning daerah.",
        "",
    ),
    "spbe-34": (
        3,
        3,
        "SIPKD dipakai BPKAD dan seluruh OPD untuk penatausahaan keuangan.",
        "",
    ),
    "spbe-35": (
        4,
        4,
        "LPSE Kabupaten Gunung Mas memakai SPSE LKPP, terhubung SiRUP dan katalog elektronik.",
        "",
    ),
    "spbe-36": (
        4,
        3,
        "SIMPEG Gunung Mas memuat data 92% ASN; data dikirim ke SIASN BKN.",
        "Pengiriman ke SIASN masih unggah manual, belum terintegrasi.",
    ),
    "spbe-37": (
        3,
        2,
        "E-Office Surat Elektronik dan E-Arsip dipakai sebagian OPD.",
        "Sebagian besar naskah dinas masih diproses di atas kertas.",
    ),
    "spbe-38": (
        3,
        3,
        "SIMBADA mencatat barang milik daerah seluruh OPD untuk penyusunan neraca.",
        "",
    ),
    "spbe-39": (
        2,
        2,
        "SIPENGAWAS mencatat temuan dan tindak lanjut; OPD belum mengisi langsung.",
        "",
    ),
    "spbe-40": (
        2,
        2,
        "E-Monev memantau realisasi kegiatan; laporan SAKIP disusun di luar aplikasi.",
        "",
    ),
    "spbe-41": (
        3,
        3,
        "E-Kinerja ASN dipakai seluruh OPD untuk sasaran kinerja dan laporan harian pegawai.",
        "",
    ),
    "spbe-42": (
        4,
        3,
        "LAPOR Gumas terhubung SP4N-LAPOR!; pengaduan diteruskan ke OPD terkait.",
        "Tindak lanjut pengaduan antarinstansi belum terpantau dalam aplikasi.",
    ),
    "spbe-43": (
        2,
        2,
        "Open Data Gunung Mas menyajikan dataset unduhan; belum terhubung Satu Data Indonesia.",
        "",
    ),
    "spbe-44": (
        4,
        4,
        "JDIH Gunung Mas di Bagian Hukum Setda terintegrasi dengan JDIHN.",
        "",
    ),
    "spbe-45": (
        3,
        3,
        "Administrasi kependudukan: SIAK dan SIDAPUR melayani pengajuan dokumen daring di "
        "9 dari 12 kecamatan.",
        "",
    ),
    "spbe-46": (
        3,
        3,
        "Perizinan: SiCantik Gunung Mas melayani 18 jenis izin daring.",
        "",
    ),
    "spbe-47": (
        2,
        2,
        "Kesehatan: SIKDA Puskesmas dan SIMRS RSUD Kuala Kurun; pendaftaran daring belum ada.",
        "",
    ),
}

# The other regions' 2021 SPBE evaluations: verified levels, one row per aspect in the
# framework's order (10, 4, 4, 2, 8, 3, 10 and 6 indicators), and the indicators whose
# self-assessment claimed one level more than the verification found.
SPBE_PROFILES_2021 = {
    "62.71": (
        [
            [3, 3, 3, 3, 3, 3, 2, 3, 2, 3],
            [2, 3, 3, 3],
            [3, 3, 3, 2],
            [3, 3],
            [2, 3, 3, 3, 3, 2, 2, 3],
            [2, 2, 2],
            [4, 4, 3, 4, 3, 3, 3, 3, 3, 3],
            [4, 3, 4, 4, 3, 3],
        ],
        ("spbe-11", "spbe-18", "spbe-22", "spbe-43"),
    ),
    "62.01": (
        [
            [3, 3, 2, 3, 2, 2, 2, 2, 1, 3],
            [2, 3, 2, 2],
            [3, 2, 3, 2],
            [3, 2],
            [2, 2, 2, 3, 2, 2, 1, 2],
            [1, 2, 1],
            [3, 3, 3, 4, 3, 3, 3, 2, 3, 3],
            [3, 3, 3, 3, 3, 2],
        ],
        ("spbe-12", "spbe-17", "spbe-36", "spbe-42", "spbe-47"),
    ),
    "62.02": (
        [
            [3, 2, 2, 2, 2, 2, 2, 2, 1, 3],
            [2, 3, 2, 2],
            [3, 2, 2, 2],
            [2, 2],
            [1, 2, 2, 2, 2, 1, 1, 2],
            [1, 1, 1],
            [3, 3, 3, 4, 3, 2, 3, 2, 2, 3],
            [3, 2, 3, 3, 3, 2],
        ],
        ("spbe-02", "spbe-13", "spbe-16", "spbe-37", "spbe-43"),
    ),
    "62.03": (
        [
            [2, 2, 2, 2, 2, 1, 1, 2, 1, 2],
            [1, 2, 2, 2],
            [2, 2, 2, 1],
            [2, 2],
            [1, 2, 2, 2, 2, 1, 1, 1],
            [1, 1, 1],
            [3, 3, 3, 3, 3, 2, 3, 2, 2, 3],
            [3, 2, 3, 3, 2, 2],
        ],
        ("spbe-01", "spbe-12", "spbe-15", "spbe-45"),
    ),
    "62.06": (
        [
            [2, 2, 1, 2, 1, 1, 1, 1, 1, 2],
            [1, 2, 1, 1],
            [2, 2, 1, 1],
            [2, 1],
            [1, 1, 1, 2, 2, 1, 1, 1],
            [1, 1, 1],
            [3, 3, 3, 3, 2, 2, 2, 2, 2, 2],
            [2, 1, 3, 2, 2, 2],
        ],
        ("spbe-10", "spbe-16", "spbe-36", "spbe-42", "spbe-46"),
    ),
    "62.12": (
        [
            [1, 2, 1, 1, 1, 1, 1, 1, 1, 2],
            [1, 1, 1, 1],
            [2, 1, 1, 1],
            [1, 1],
            [1, 1, 1, 1, 2, 1, 1, 1],
            [1, 1, 1],
            [3, 3, 3, 3, 2, 1, 2, 2, 2, 2],
            [2, 1, 2, 2, 2, 1],
        ],
        ("spbe-02", "spbe-15", "spbe-44"),
    ),
}
# Kotawaringin Timur's evaluation is still in review: the reviewer has verified these domains.
IN_REVIEW_2021 = {"62.02": ("kebijakan", "tata-kelola")}
CLAIM_REASON = "Bukti dukung belum memenuhi kriteria level yang diajukan."


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


def walk(assessment, steps, *, opened):
    """Moves a new draft through ``steps`` of (status, user, moment, note), dating the draft's
    transition at ``opened`` and each step's at its moment."""
    assessment.transitions.update(at=opened)
    for status, user, moment, note in steps:
        transition = Transition.objects.create(
            assessment=assessment,
            from_status=assessment.status,
            to_status=status,
            user=user,
            note=note,
        )
        Transition.objects.filter(pk=transition.pk).update(at=moment)
        assessment.status = status
    assessment.save(update_fields=["status"])


@transaction.atomic
def load(*, stdout):
    framework = load_framework_file(FRAMEWORKS_DIR / "pegi.json")
    # SPBE 2020, the regime from 2021, and how its indicators count on PeGI's dimensions.
    spbe = load_framework_file(FRAMEWORKS_DIR / "spbe-2020.json")
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
    created += load_spbe_2021(spbe, reviewer, head)
    cycles_created = load_cycles(reviewer)
    stdout.write(
        f"Frameworks {framework.code} {framework.version}, {spbe.code} {spbe.version}; "
        f"assessments created: {created}, in all: {Assessment.objects.count()}; "
        f"cycles created: {cycles_created}"
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


def load_spbe_2021(framework, reviewer, head):
    """The 2021 SPBE evaluations: Gunung Mas from GUNUNG_MAS_2021, the others from their
    profiles. Returns how many assessments it created."""
    indicators = list(
        Indicator.objects.filter(dimension__framework=framework)
        .select_related("dimension", "aspect")
        .order_by("dimension__order", "aspect__order", "order")
    )
    by_code = {indicator.code: indicator for indicator in indicators}
    by_aspect = {}
    for indicator in indicators:
        by_aspect.setdefault(indicator.aspect_id, []).append(indicator)
    created = 0

    def exists(code):
        return Assessment.objects.filter(region__code=code, year=2021, framework=framework).exists()

    if not exists("62.10"):
        # Filled in by the head, verified on a visit to Kuala Kurun.
        assessment = create(Region.objects.get(code="62.10"), 2021, framework, head)
        Answer.objects.bulk_create(
            Answer(
                assessment=assessment,
                indicator=by_code[code],
                self_level=self_level,
                verified_level=verified,
                note=note,
                reason=reason,
                updated_by=reviewer,
            )
            for code, (self_level, verified, note, reason) in GUNUNG_MAS_2021.items()
        )
        walk(
            assessment,
            [
                (
                    "submitted",
                    head,
                    at(2021, 9, 29),
                    "Penilaian mandiri SPBE 2021 diajukan beserta bukti dukung dari OPD.",
                ),
                (
                    "in_review",
                    reviewer,
                    at(2021, 11, 2),
                    "Verifikasi dokumen, wawancara dan kunjungan lapangan ke Kuala Kurun.",
                ),
                (
                    "final",
                    reviewer,
                    at(2021, 12, 14),
                    "Hasil evaluasi SPBE 2021 disepakati bersama Diskominfo,SP Gunung Mas.",
                ),
            ],
            opened=at(2021, 7, 12),
        )
        created += 1

    for number, (code, (rows, claimed)) in enumerate(SPBE_PROFILES_2021.items()):
        if exists(code):
            continue
        verified_domains = IN_REVIEW_2021.get(code)
        assessment = create(Region.objects.get(code=code), 2021, framework, reviewer)
        answers = []
        for row, aspect_indicators in zip(rows, by_aspect.values(), strict=True):
            for indicator, level in zip(aspect_indicators, row, strict=True):
                verified = verified_domains is None or indicator.dimension.code in verified_domains
                lowered = indicator.code in claimed
                answers.append(
                    Answer(
                        assessment=assessment,
                        indicator=indicator,
                        self_level=level + 1 if lowered else level,
                        verified_level=level if verified else None,
                        reason=CLAIM_REASON if verified and lowered else "",
                        updated_by=reviewer,
                    )
                )
        Answer.objects.bulk_create(answers)
        visit = at(2021, 10, 11) + datetime.timedelta(weeks=number)
        steps = [
            ("submitted", reviewer, at(2021, 9, 27 + number % 4), ""),
            ("in_review", reviewer, visit, "Verifikasi dokumen dan wawancara."),
        ]
        if verified_domains is None:
            steps.append(
                (
                    "final",
                    reviewer,
                    at(2021, 12, 10),
                    "Hasil evaluasi SPBE 2021 disepakati bersama Diskominfo kabupaten/kota.",
                )
            )
        walk(assessment, steps, opened=at(2021, 7, 5))
        created += 1
    return created


# Kalimantan Tengah's cycles: self-assessment from July, verification visits in the autumn,
# results final before the year's end (the 2019 visits of November and December fall inside).
# From 2021 the province evaluates with SPBE 2020, PeGI's successor.
CYCLES = {
    2019: ("pegi", "2019-07-01", "2019-08-30", "2019-09-02", "2019-12-06", "2019-12-20"),
    2020: ("pegi", "2020-07-01", "2020-09-30", "2020-10-05", "2020-11-27", "2020-12-18"),
    2021: ("spbe-2020", "2021-07-01", "2021-09-30", "2021-10-04", "2021-11-26", "2021-12-17"),
}


def load_cycles(reviewer):
    province = Region.objects.get(code="62")
    created = 0
    for year, (framework_code, *dates) in CYCLES.items():
        if Cycle.objects.filter(province=province, year=year).exists():
            continue
        opens, submission, verification_starts, verification_ends, finalisation = (
            datetime.date.fromisoformat(day) for day in dates
        )
        cycle = Cycle(
            province=province,
            year=year,
            framework=Framework.objects.get(code=framework_code),
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
