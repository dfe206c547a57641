"""Demo data for the ground app: Kalimantan Tengah, its regions and OPDs, the demo accounts and
the application inventory.

Idempotent: every record is looked up by its natural key and updated in place.
"""

import csv
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from egov_portal.history import save_if_changed
from opds.inventory import application_create, application_update
from opds.models import OPD, Application, Membership, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
PROVINCE_CODE = "62"
GUNUNG_MAS_CODE = "62.10"

# BPS numbers differ from Kemendagri codes; only the confirmed ones are filled in.
BPS_CODES = {"62": "62", "62.10": "6211"}

OTHER_REGION_OPDS = {
    "62.02": [
        ("Setda", "Sekretariat Daerah", "sekretariat"),
        (
            "Bappelitbangda",
            "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
            "badan",
        ),
        ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "badan"),
        ("Diskominfo", "Dinas Komunikasi dan Informatika", "dinas"),
        ("Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "dinas"),
    ],
    "62.71": [
        ("Setda", "Sekretariat Daerah", "sekretariat"),
        (
            "Bappedalitbang",
            "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
            "badan",
        ),
        ("Diskominfosantik", "Dinas Komunikasi, Informatika, Persandian dan Statistik", "dinas"),
        ("Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "dinas"),
        ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas"),
    ],
}

# username, first name, role, region code, OPD short name (within Gunung Mas)
ACCOUNTS = [
    ("admin", "Administrator Portal", Membership.Role.ADMIN, None, None),
    ("reviewer", "Penilai Diskominfo Provinsi", Membership.Role.REVIEWER, PROVINCE_CODE, None),
    ("kadis.gumas", "Kepala Diskominfo,SP Gunung Mas", Membership.Role.HEAD, GUNUNG_MAS_CODE, None),
    ("opd.kominfo", "Operator Diskominfo,SP", Membership.Role.OPD_STAFF, None, "Diskominfo,SP"),
    ("opd.dukcapil", "Operator Disdukcapil", Membership.Role.OPD_STAFF, None, "Disdukcapil"),
]


# OPD short name, application name, then its fields. Some records are left incomplete on
# purpose, as real inventories are; the two surat (letter) applications of Diskominfo,SP
# and the DPRD secretariat are the likely duplicate the catalogue should point out.
GUNUNG_MAS_APPLICATIONS = [
    (
        "Setda",
        "JDIH Gunung Mas",
        {
            "description": (
                "Jaringan dokumentasi dan informasi hukum: publikasi produk hukum daerah "
                "(Perda, Perbup, Keputusan Bupati) yang dapat dicari masyarakat."
            ),
            "platform": "web",
            "status": "active",
            "classification": "umum",
            "service_type": "layanan_publik",
            "year_built": 2017,
            "last_developed_year": 2019,
            "url": "https://jdih.gunungmaskab.go.id",
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "legal_basis": "Perbup Gunung Mas No. 21 Tahun 2017 tentang JDIH",
            "data_handled": "Produk hukum daerah dan metadata dokumen",
            "person_in_charge": "Kepala Bagian Hukum Setda",
            "user_opds": ["Setda", "Setwan"],
        },
    ),
    (
        "Setda",
        "E-Produk Hukum",
        {
            "description": (
                "Penyusunan dan harmonisasi rancangan produk hukum daerah secara berjenjang "
                "dari OPD pengusul sampai penetapan."
            ),
            "platform": "web",
            "status": "active",
            "classification": "umum",
            "service_type": "administrasi",
            "year_built": 2018,
            "last_developed_year": 2019,
            "url": "https://eprodukhukum.gunungmaskab.go.id",
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "data_handled": "Rancangan produk hukum dan catatan harmonisasi",
            "person_in_charge": "Kepala Bagian Hukum Setda",
        },
    ),
    (
        "Setda",
        "SIPEBANG — Pelaporan Pembangunan",
        {
            "description": (
                "Pelaporan realisasi fisik dan keuangan kegiatan pembangunan setiap OPD per bulan."
            ),
            "platform": "web",
            "status": "active",
            "classification": "umum",
            "service_type": "administrasi",
            "year_built": 2018,
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "data_handled": "Realisasi fisik dan keuangan kegiatan",
            "person_in_charge": "Kepala Bagian Administrasi Pembangunan",
            "user_opds": ["Bappedalitbang", "BPKAD"],
        },
    ),
    (
        "Setwan",
        "SIMASURAT DPRD",
        {
            "description": (
                "Surat menyurat Sekretariat DPRD: pencatatan surat masuk dan surat keluar, "
                "disposisi pimpinan dan arsip naskah dinas."
            ),
            "platform": "web",
            "status": "active",
            "classification": "khusus",
            "service_type": "administrasi",
            "year_built": 2018,
            "last_developed_year": 2019,
            "url": "https://surat-dprd.gunungmaskab.go.id",
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "data_handled": "Surat masuk, surat keluar, disposisi",
            "person_in_charge": "Kasubbag Umum Setwan",
            "user_opds": ["Setwan"],
        },
    ),
    (
        "Setwan",
        "Risalah Sidang DPRD",
        {
            "description": (
                "Dokumentasi risalah dan jadwal rapat paripurna serta alat kelengkapan DPRD."
            ),
            "platform": "web",
            "status": "development",
            "classification": "khusus",
            "service_type": "administrasi",
            "year_built": 2019,
            "hosting": "own_server_room",
        },
    ),
    (
        "Inspektorat",
        "SIPENGAWAS",
        {
            "description": (
                "Perencanaan dan pelaporan hasil pengawasan internal, serta pemantauan tindak"
                " lanjut temuan."
            ),
            "platform": "web",
            "status": "active",
            "classification": "khusus",
            "service_type": "administrasi",
            "year_built": 2018,
            "last_developed_year": 2019,
            "url": "https://sipengawas.gunungmaskab.go.id",
            "database_engine": "PostgreSQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "legal_basis": "Perbup Gunung Mas No. 7 Tahun 2018",
            "data_handled": "Temuan pemeriksaan dan tindak lanjut",
            "person_in_charge": "Sekretaris Inspektorat",
            "user_opds": ["Inspektorat"],
        },
    ),
    (
        "Bappedalitbang",
        "E-Planning Gunung Mas",
        {
            "description": (
                "Perencanaan pembangunan daerah: usulan Musrenbang, Renja OPD dan RKPD yang "
                "selaras dengan RPJMD."
            ),
            "platform": "web",
            "status": "active",
            "classification": "umum",
            "service_type": "administrasi",
            "year_built": 2017,
            "last_developed_year": 2019,
            "url": "https://eplanning.gunungmaskab.go.id",
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "legal_basis": (
                "Perbup Gunung Mas No. 15 Tahun 2017 tentang Perencanaan Pembangunan Berbasis"
                " Elektronik"
            ),
            "data_handled": "Usulan Musrenbang, Renja, RKPD",
            "person_in_charge": "Kabid Perencanaan Bappedalitbang",
            "user_opds": ["Bappedalitbang", "BPKAD", "Setda"],
        },
    ),
    (
        "Bappedalitbang",
        "E-Monev",
        {
            "description": (
                "Pemantauan dan evaluasi capaian kinerja program dan kegiatan RKPD per triwulan."
            ),
            "platform": "web",
            "status": "active",
            "classification": "umum",
            "service_type": "administrasi",
            "year_built": 2018,
            "url": "https://emonev.gunungmaskab.go.id",
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "data_handled": "Capaian kinerja program",
            "user_opds": ["Bappedalitbang"],
        },
    ),
    (
        "BPKAD",
        "SIPKD",
        {
            "description": (
                "Pengelolaan keuangan daerah: penganggaran, penatausahaan, akuntansi dan "
                "pelaporan APBD."
            ),
            "platform": "desktop",
            "status": "active",
            "classification": "umum",
            "service_type": "administrasi",
            "year_built": 2014,
            "last_developed_year": 2019,
            "database_engine": "SQL Server",
            "programming_language": "Delphi",
            "hosting": "own_server_room",
            "legal_basis": "Permendagri 13 Tahun 2006 dan perubahannya",
            "data_handled": "Anggaran, SP2D, jurnal akuntansi",
            "person_in_charge": "Kabid Perbendaharaan BPKAD",
            "user_opds": ["BPKAD", "Bappedalitbang", "Inspektorat"],
        },
    ),
    (
        "BPKAD",
        "SIMBADA",
        {
            "description": (
                "Inventarisasi barang milik daerah: pencatatan, mutasi, dan penyusutan aset "
                "setiap OPD."
            ),
            "platform": "web",
            "status": "active",
            "classification": "umum",
            "service_type": "administrasi",
            "year_built": 2016,
            "last_developed_year": 2018,
            "url": "https://simbada.gunungmaskab.go.id",
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "data_handled": "Aset tetap dan barang persediaan",
            "person_in_charge": "Kabid Aset BPKAD",
            "user_opds": ["BPKAD"],
        },
    ),
    (
        "Bapenda",
        "SIMPATDA",
        {
            "description": "Pendataan, penetapan, dan pembayaran pajak daerah serta retribusi.",
            "platform": "web",
            "status": "active",
            "classification": "khusus",
            "service_type": "layanan_publik",
            "year_built": 2017,
            "last_developed_year": 2019,
            "url": "https://simpatda.gunungmaskab.go.id",
            "database_engine": "PostgreSQL",
            "programming_language": "Java",
            "hosting": "own_server_room",
            "legal_basis": "Perda Gunung Mas No. 3 Tahun 2016 tentang Pajak Daerah",
            "data_handled": "Wajib pajak, ketetapan, pembayaran",
            "person_in_charge": "Kabid Pendataan Bapenda",
            "user_opds": ["Bapenda", "BPKAD"],
        },
    ),
    (
        "Bapenda",
        "E-PBB Gunung Mas",
        {
            "description": (
                "Cek tagihan dan cetak SPPT Pajak Bumi dan Bangunan perdesaan dan perkotaan."
            ),
            "platform": "mobile",
            "status": "development",
            "classification": "khusus",
            "service_type": "layanan_publik",
            "year_built": 2019,
            "programming_language": "Kotlin",
        },
    ),
    (
        "BKPSDM",
        "SIMPEG Gunung Mas",
        {
            "description": (
                "Data kepegawaian ASN: riwayat jabatan, pangkat, pendidikan, cuti, dan "
                "kenaikan gaji berkala."
            ),
            "platform": "web",
            "status": "active",
            "classification": "umum",
            "service_type": "administrasi",
            "year_built": 2015,
            "last_developed_year": 2019,
            "url": "https://simpeg.gunungmaskab.go.id",
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "legal_basis": "Perbup Gunung Mas No. 9 Tahun 2015 tentang SIMPEG",
            "data_handled": "Data pribadi dan riwayat kepegawaian ASN",
            "person_in_charge": "Kabid Data dan Informasi BKPSDM",
            "user_opds": ["BKPSDM", "Setda", "BPKAD", "Inspektorat"],
        },
    ),
    (
        "BKPSDM",
        "E-Kinerja ASN",
        {
            "description": (
                "Penyusunan sasaran kinerja pegawai dan laporan kinerja harian sebagai dasar "
                "tambahan penghasilan."
            ),
            "platform": "web",
            "status": "active",
            "classification": "umum",
            "service_type": "administrasi",
            "year_built": 2019,
            "url": "https://ekinerja.gunungmaskab.go.id",
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "data_handled": "Sasaran dan capaian kinerja pegawai",
            "user_opds": ["BKPSDM"],
        },
    ),
    (
        "BPBD",
        "SI Bencana Gumas",
        {
            "description": (
                "Pelaporan kejadian bencana dan peta kawasan rawan banjir serta kebakaran "
                "hutan dan lahan."
            ),
            "platform": "web",
            "status": "inactive",
            "classification": "khusus",
            "service_type": "layanan_publik",
            "year_built": 2016,
            "last_developed_year": 2017,
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "data_handled": "Kejadian bencana, titik panas",
        },
    ),
    (
        "Disdik",
        "Dapodik Daerah",
        {
            "description": (
                "Rekap data pokok pendidikan sekolah, guru, dan peserta didik tingkat kabupaten."
            ),
            "platform": "web",
            "status": "active",
            "classification": "khusus",
            "service_type": "administrasi",
            "year_built": 2017,
            "last_developed_year": 2018,
            "url": "https://dapodik.gunungmaskab.go.id",
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "data_handled": "Sekolah, guru, peserta didik",
            "person_in_charge": "Kasi Data Disdik",
            "user_opds": ["Disdik"],
        },
    ),
    (
        "Dinkes",
        "SIKDA Puskesmas",
        {
            "description": (
                "Rekam medis dan pelaporan kunjungan pasien di puskesmas se-Kabupaten Gunung Mas."
            ),
            "platform": "web",
            "status": "active",
            "classification": "khusus",
            "service_type": "layanan_publik",
            "year_built": 2017,
            "last_developed_year": 2019,
            "database_engine": "PostgreSQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "data_handled": "Rekam medis, kunjungan pasien",
            "person_in_charge": "Kasi Data dan Informasi Dinkes",
            "user_opds": ["Dinkes"],
        },
    ),
    (
        "DPUPR",
        "SIJALAN",
        {
            "description": (
                "Basis data kondisi jalan dan jembatan kabupaten untuk perencanaan pemeliharaan."
            ),
            "platform": "web",
            "status": "development",
            "classification": "khusus",
            "service_type": "administrasi",
            "year_built": 2019,
            "database_engine": "PostgreSQL",
            "programming_language": "Python",
            "data_handled": "Ruas jalan, jembatan, kondisi",
        },
    ),
    (
        "Dinsos",
        "SIKS-NG Lokal",
        {
            "description": (
                "Pemutakhiran data terpadu kesejahteraan sosial dan usulan penerima bantuan sosial."
            ),
            "platform": "web",
            "status": "active",
            "classification": "khusus",
            "service_type": "layanan_publik",
            "year_built": 2018,
            "last_developed_year": 2019,
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "data_handled": "Keluarga penerima manfaat",
            "person_in_charge": "Kabid Perlindungan Sosial",
            "user_opds": ["Dinsos", "DPMD"],
        },
    ),
    (
        "Disdukcapil",
        "SIAK Gunung Mas",
        {
            "description": (
                "Administrasi kependudukan: pendaftaran penduduk dan pencatatan sipil (KK, "
                "KTP-el, akta)."
            ),
            "platform": "desktop",
            "status": "active",
            "classification": "khusus",
            "service_type": "layanan_publik",
            "year_built": 2013,
            "last_developed_year": 2019,
            "database_engine": "Oracle",
            "programming_language": "Java",
            "hosting": "national_dc",
            "legal_basis": "UU 24 Tahun 2013 tentang Administrasi Kependudukan",
            "data_handled": "Data kependudukan",
            "person_in_charge": "Kabid Pengelolaan Informasi Administrasi Kependudukan",
            "user_opds": ["Disdukcapil"],
        },
    ),
    (
        "Disdukcapil",
        "SIDAPUR — Daftar Penduduk Online",
        {
            "description": (
                "Pendaftaran online layanan kependudukan dan antrean, dengan notifikasi "
                "ketika dokumen siap diambil."
            ),
            "platform": "web",
            "status": "active",
            "classification": "khusus",
            "service_type": "layanan_publik",
            "year_built": 2019,
            "url": "https://sidapur.gunungmaskab.go.id",
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "data_handled": "Permohonan layanan kependudukan",
        },
    ),
    (
        "DPMD",
        "SIPADES",
        {
            "description": "Pelaporan penggunaan dana desa dan profil desa.",
            "platform": "web",
            "status": "active",
            "classification": "umum",
            "service_type": "administrasi",
            "year_built": 2018,
            "last_developed_year": 2019,
            "url": "https://sipades.gunungmaskab.go.id",
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "data_handled": "Dana desa, profil desa",
            "person_in_charge": "Kabid Pemerintahan Desa",
            "user_opds": ["DPMD"],
        },
    ),
    (
        "Diskominfo,SP",
        "Portal Resmi Gunung Mas",
        {
            "description": (
                "Portal informasi resmi pemerintah kabupaten: berita, agenda, profil daerah, "
                "dan tautan layanan publik."
            ),
            "platform": "web",
            "status": "active",
            "classification": "umum",
            "service_type": "layanan_publik",
            "year_built": 2016,
            "last_developed_year": 2019,
            "url": "https://gunungmaskab.go.id",
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "legal_basis": "Perbup Gunung Mas No. 4 Tahun 2016 tentang Pengelolaan Situs Web",
            "data_handled": "Berita, agenda, profil daerah",
            "person_in_charge": "Kabid Informasi dan Komunikasi Publik",
            "user_opds": ["Setda"],
        },
    ),
    (
        "Diskominfo,SP",
        "E-Office Surat Elektronik",
        {
            "description": (
                "Naskah dinas elektronik: surat masuk dan surat keluar, disposisi berjenjang,"
                " tanda tangan elektronik dan arsip surat."
            ),
            "platform": "web",
            "status": "active",
            "classification": "umum",
            "service_type": "administrasi",
            "year_built": 2018,
            "last_developed_year": 2019,
            "url": "https://eoffice.gunungmaskab.go.id",
            "database_engine": "PostgreSQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "legal_basis": (
                "Perbup Gunung Mas No. 30 Tahun 2018 tentang Tata Naskah Dinas Elektronik"
            ),
            "data_handled": "Surat masuk, surat keluar, disposisi, arsip",
            "person_in_charge": "Kabid Aplikasi Informatika",
            "user_opds": ["Setda", "Diskominfo,SP", "BKPSDM"],
        },
    ),
    (
        "Diskominfo,SP",
        "Open Data Gunung Mas",
        {
            "description": (
                "Portal data terbuka: publikasi dataset statistik sektoral OPD dalam format "
                "terbuka."
            ),
            "platform": "web",
            "status": "development",
            "classification": "umum",
            "service_type": "layanan_publik",
            "year_built": 2019,
        },
    ),
    (
        "Diskominfo,SP",
        "LAPOR Gumas",
        {
            "description": (
                "Pengaduan masyarakat yang diteruskan ke OPD terkait dan dipantau penyelesaiannya."
            ),
            "platform": "mobile",
            "status": "active",
            "classification": "umum",
            "service_type": "layanan_publik",
            "year_built": 2018,
            "last_developed_year": 2019,
            "database_engine": "MySQL",
            "programming_language": "Java",
            "hosting": "cloud",
            "data_handled": "Pengaduan dan tindak lanjut",
            "person_in_charge": "Kabid Informasi dan Komunikasi Publik",
            "user_opds": ["Setda", "Inspektorat"],
        },
    ),
    (
        "DPMPTSP",
        "SiCantik Gunung Mas",
        {
            "description": (
                "Perizinan dan non-perizinan daerah: permohonan, verifikasi berkas, "
                "penerbitan izin dan lacak status."
            ),
            "platform": "web",
            "status": "active",
            "classification": "khusus",
            "service_type": "layanan_publik",
            "year_built": 2018,
            "last_developed_year": 2019,
            "url": "https://sicantik.gunungmaskab.go.id",
            "database_engine": "PostgreSQL",
            "programming_language": "Java",
            "hosting": "national_dc",
            "legal_basis": "Perbup Gunung Mas No. 11 Tahun 2018 tentang Pelayanan Perizinan",
            "data_handled": "Permohonan izin, pemohon, izin terbit",
            "person_in_charge": "Kabid Pelayanan Perizinan",
            "user_opds": ["DPMPTSP"],
        },
    ),
    (
        "Dispursip",
        "E-Arsip",
        {
            "description": "Pengelolaan arsip dinamis dan statis OPD serta peminjaman arsip.",
            "platform": "web",
            "status": "active",
            "classification": "umum",
            "service_type": "administrasi",
            "year_built": 2019,
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "data_handled": "Daftar arsip",
        },
    ),
    (
        "Distan",
        "SIPETANI",
        {
            "description": "Data kelompok tani, luas tanam dan panen per kecamatan.",
            "platform": "mobile",
            "status": "development",
            "classification": "khusus",
            "service_type": "layanan_publik",
            "year_built": 2019,
        },
    ),
    (
        "RSUD",
        "SIMRS RSUD Kuala Kurun",
        {
            "description": (
                "Sistem informasi rumah sakit: pendaftaran, rekam medis elektronik, farmasi, "
                "billing dan klaim BPJS."
            ),
            "platform": "web",
            "status": "active",
            "classification": "khusus",
            "service_type": "layanan_publik",
            "year_built": 2016,
            "last_developed_year": 2019,
            "database_engine": "MySQL",
            "programming_language": "PHP",
            "hosting": "own_server_room",
            "data_handled": "Rekam medis, farmasi, tagihan pasien",
            "person_in_charge": "Kepala Instalasi SIMRS",
            "user_opds": ["RSUD"],
        },
    ),
]

# Region code, OPD short name, application name, then its fields.
OTHER_REGION_APPLICATIONS = [
    (
        "62.02",
        "Diskominfo",
        "Portal Resmi Kotawaringin Timur",
        {
            "description": "Portal informasi resmi pemerintah kabupaten.",
            "platform": "web",
            "status": "active",
            "classification": "umum",
            "service_type": "layanan_publik",
            "year_built": 2015,
            "last_developed_year": 2019,
            "url": "https://kotimkab.go.id",
        },
    ),
    (
        "62.02",
        "BPKAD",
        "SIMDA Keuangan",
        {
            "description": "Penatausahaan dan pelaporan keuangan daerah.",
            "platform": "desktop",
            "status": "active",
            "classification": "umum",
            "service_type": "administrasi",
            "year_built": 2012,
            "last_developed_year": 2018,
        },
    ),
    (
        "62.02",
        "Disdukcapil",
        "SIAK Kotim",
        {
            "description": "Administrasi kependudukan dan pencatatan sipil.",
            "platform": "desktop",
            "status": "active",
            "classification": "khusus",
            "service_type": "layanan_publik",
            "year_built": 2013,
            "last_developed_year": 2019,
        },
    ),
    (
        "62.71",
        "Diskominfosantik",
        "Portal Kota Palangka Raya",
        {
            "description": "Portal informasi resmi pemerintah kota.",
            "platform": "web",
            "status": "active",
            "classification": "umum",
            "service_type": "layanan_publik",
            "year_built": 2014,
            "last_developed_year": 2019,
            "url": "https://palangkaraya.go.id",
        },
    ),
    (
        "62.71",
        "DPMPTSP",
        "SiCantik Palangka Raya",
        {
            "description": "Perizinan daerah secara daring.",
            "platform": "web",
            "status": "active",
            "classification": "khusus",
            "service_type": "layanan_publik",
            "year_built": 2017,
            "last_developed_year": 2019,
            "url": "https://sicantik.palangkaraya.go.id",
        },
    ),
    (
        "62.71",
        "Bappedalitbang",
        "E-Planning Palangka Raya",
        {
            "description": "Perencanaan pembangunan daerah berbasis elektronik.",
            "platform": "web",
            "status": "active",
            "classification": "umum",
            "service_type": "administrasi",
            "year_built": 2016,
            "last_developed_year": 2019,
        },
    ),
]


def read_csv(name):
    with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_regions():
    province = None
    for row in read_csv("kalteng-regions.csv"):
        is_province = row["kind"] == Region.Kind.PROVINCE
        region, _ = Region.objects.update_or_create(
            code=row["kemendagri_code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "capital": row["capital"],
                "bps_code": BPS_CODES.get(row["kemendagri_code"], ""),
                "parent": None if is_province else province,
            },
        )
        if is_province:
            province = region


def upsert_opd(region, short_name, name, kind):
    opd = OPD.objects.filter(region=region, name__iexact=name).first() or OPD(region=region)
    opd.name, opd.short_name, opd.kind = name, short_name, kind
    opd.save()
    return opd


def load_opds():
    gunung_mas = Region.objects.get(code=GUNUNG_MAS_CODE)
    for row in read_csv("gunung-mas-opds.csv"):
        upsert_opd(gunung_mas, row["short_name"], row["name"], row["kind"])
    for code, rows in OTHER_REGION_OPDS.items():
        region = Region.objects.get(code=code)
        for short_name, name, kind in rows:
            upsert_opd(region, short_name, name, kind)


def load_accounts():
    User = get_user_model()
    gunung_mas_opds = {
        opd.short_name: opd for opd in OPD.objects.filter(region__code=GUNUNG_MAS_CODE)
    }
    accounts = []
    for username, first_name, role, region_code, opd_short_name in ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = first_name
        user.email = f"{username}@demo.kalteng.go.id"
        user.is_active = True
        user.is_staff = user.is_superuser = role == Membership.Role.ADMIN
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        membership = Membership.objects.filter(user=user).first() or Membership(user=user)
        membership.role = role
        membership.region = Region.objects.get(code=region_code) if region_code else None
        membership.opd = gunung_mas_opds[opd_short_name] if opd_short_name else None
        membership.full_clean()
        save_if_changed(membership)
        accounts.append((username, membership))
    return accounts


def upsert_application(opd, name, fields):
    fields = dict(fields)
    fields["user_opds"] = [
        OPD.objects.get(region=opd.region, short_name=short_name)
        for short_name in fields.get("user_opds", [])
    ]
    application = Application.objects.filter(opd=opd, name__iexact=name).first()
    if application is None:
        return application_create(user=None, opd=opd, name=name, **fields)
    # An unchanged record is not saved again, so reloading adds no history.
    return application_update(application, user=None, data={"name": name, **fields})


def load_applications():
    gunung_mas = Region.objects.get(code=GUNUNG_MAS_CODE)
    for short_name, name, fields in GUNUNG_MAS_APPLICATIONS:
        upsert_application(OPD.objects.get(region=gunung_mas, short_name=short_name), name, fields)
    for code, short_name, name, fields in OTHER_REGION_APPLICATIONS:
        opd = OPD.objects.get(region__code=code, short_name=short_name)
        upsert_application(opd, name, fields)
    # Integrations: the portal links to licensing; licensing and planning feed on finance.
    links = [
        ("Portal Resmi Gunung Mas", ["SiCantik Gunung Mas", "JDIH Gunung Mas", "LAPOR Gumas"]),
        ("E-Planning Gunung Mas", ["SIPKD"]),
        ("E-Kinerja ASN", ["SIMPEG Gunung Mas"]),
    ]
    in_region = Application.objects.filter(opd__region=gunung_mas)
    for name, others in links:
        application = in_region.get(name=name)
        application_update(
            application, user=None, data={"integrations": list(in_region.filter(name__in=others))}
        )


@transaction.atomic
def load(*, stdout):
    load_regions()
    load_opds()
    accounts = load_accounts()
    load_applications()
    stdout.write(
        f"Regions: {Region.objects.count()}, OPDs: {OPD.objects.count()}, "
        f"applications: {Application.objects.count()}, accounts: {len(accounts)}"
    )
    stdout.write(f"Demo accounts (password: {settings.DEMO_PASSWORD}):")
    for username, membership in accounts:
        scope = membership.opd or membership.region or "—"
        stdout.write(f"  {username:<14} {membership.role:<10} {scope}")
