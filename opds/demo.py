"""Demo data for the ground app: Kalimantan Tengah, its regions and OPDs, and the demo accounts.

Idempotent: every record is looked up by its natural key and updated in place.
"""

import csv
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from opds.models import OPD, Membership, Region

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
        membership.save()
        accounts.append((username, membership))
    return accounts


@transaction.atomic
def load(*, stdout):
    load_regions()
    load_opds()
    accounts = load_accounts()
    stdout.write(
        f"Regions: {Region.objects.count()}, OPDs: {OPD.objects.count()}, accounts: {len(accounts)}"
    )
    stdout.write(f"Demo accounts (password: {settings.DEMO_PASSWORD}):")
    for username, membership in accounts:
        scope = membership.opd or membership.region or "—"
        stdout.write(f"  {username:<14} {membership.role:<10} {scope}")
