"""The inventory as a spreadsheet (CSV or XLSX), and the columns import reads back.

Text a spreadsheet would run as a formula is neutralised in every exported cell. Several user
OPDs or integrated applications share one cell, separated by ``;``; a name that itself holds
a ``;`` is written in double quotes, as CSV does with its own delimiter. OPDs are written by
full name; an integrated application by name, followed by its OPD in brackets when several
OPDs of the region use that name.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from egov_portal.spreadsheets import csv_text, xlsx_bytes
from opds.models import Application

LIST_SEPARATOR = ";"

TEXT_FIELDS = (
    "description",
    "vendor_name",
    "url",
    "legal_basis",
    "data_handled",
    "database_engine",
    "programming_language",
    "person_in_charge",
    "notes",
)
CHOICE_FIELDS = ("developer", "classification", "service_type", "platform", "status", "hosting")
YEAR_FIELDS = ("year_built", "last_developed_year")
COLUMNS = (
    "region",
    "opd",
    "name",
    "description",
    "developer",
    "vendor_name",
    "user_opds",
    "classification",
    "service_type",
    "platform",
    "url",
    "status",
    "year_built",
    "last_developed_year",
    "legal_basis",
    "data_handled",
    "database_engine",
    "programming_language",
    "integrations",
    "hosting",
    "person_in_charge",
    "notes",
)
EXPORT_ONLY_COLUMNS = ("changed_by", "changed_at")


def column_label(key: str) -> str:
    if key == "region":
        return _("Kode wilayah")
    if key == "opd":
        return _("OPD pemilik")
    return str(Application._meta.get_field(key).verbose_name).capitalize()


def _list_item(name: str) -> str:
    if LIST_SEPARATOR in name or name.lstrip().startswith('"') or "\n" in name:
        return '"' + name.replace('"', '""') + '"'
    return name


def list_cell(names: Iterable[str]) -> str:
    """Names in one cell, sorted and separated by ``;``; the reverse of ``split_list_cell``."""
    return f"{LIST_SEPARATOR} ".join(_list_item(name) for name in sorted(names))


def split_list_cell(text: str) -> list[str]:
    """The names in one cell of several, each without surrounding spaces."""
    lines = csv.reader(io.StringIO(text), delimiter=LIST_SEPARATOR, skipinitialspace=True)
    return [item.strip() for line in lines for item in line if item.strip()]


def _shared_names(applications: QuerySet[Application]) -> set[tuple[int, str]]:
    """(region id, lower-case name) of the names several OPDs of a region use."""
    names = Application.objects.filter(
        opd__region__in=applications.order_by().values("opd__region")
    ).values_list("opd__region_id", "name")
    counts = Counter((region_id, name.lower()) for region_id, name in names)
    return {key for key, count in counts.items() if count > 1}


def _integration_label(application: Application, shared: set[tuple[int, str]]) -> str:
    if (application.opd.region_id, application.name.lower()) in shared:
        return f"{application.name} ({application.opd.name})"
    return application.name


def export_rows(applications: QuerySet[Application]) -> Iterator[list[Any]]:
    """A header row, then one row per application; the writers neutralise formulas."""
    yield [column_label(key) for key in COLUMNS + EXPORT_ONLY_COLUMNS]
    shared = _shared_names(applications)
    for application in applications.for_detail().order_by("opd__region__code", "opd__name", "name"):
        values = {
            "region": application.opd.region.code,
            "opd": application.opd.name,
            "user_opds": list_cell(opd.name for opd in application.user_opds.all()),
            "integrations": list_cell(
                _integration_label(app, shared) for app in application.integrations.all()
            ),
            "changed_by": str(application.changed_by or ""),
            "changed_at": timezone.localtime(application.changed_at).strftime("%Y-%m-%d %H:%M"),
        }
        row = []
        for key in COLUMNS + EXPORT_ONLY_COLUMNS:
            if key in values:
                value = values[key]
            elif key in CHOICE_FIELDS:
                value = str(getattr(application, f"get_{key}_display")())
            else:
                value = getattr(application, key)
            row.append("" if value is None else value)
        yield row


def export_csv(applications: QuerySet[Application], stream) -> None:
    """Write the catalogue as CSV (UTF-8 with a byte-order mark, which Excel expects)."""
    stream.write(csv_text(export_rows(applications)))


def export_xlsx(applications: QuerySet[Application]) -> bytes:
    return xlsx_bytes(export_rows(applications), sheet=str(_("Katalog aplikasi")))
