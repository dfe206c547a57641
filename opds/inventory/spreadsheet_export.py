"""The inventory as a spreadsheet (CSV or XLSX), and the columns import reads back.

The export is the catalogue page as a table: the same applications in the same order, the
page's columns first under the page's headings, then the rest of each record.

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
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from egov_portal.spreadsheets import (
    DATETIME,
    FORMATS,
    INTEGER,
    TEXT,
    Column,
    Table,
    csv_text,
    exported_on,
    header_row_number,
    sheet_name,
    xlsx_bytes,
)
from opds.inventory.records import application_completeness
from opds.models import OPD, Application, Region

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
# Read-only columns of the export that the import passes over: the page's completeness
# and last change.
EXPORT_ONLY_COLUMNS = ("completeness", "changed_at", "changed_by")
# The export's columns: the catalogue page's own first (name, owner, platform, status,
# completeness, last change), then the rest of the record.
EXPORT_COLUMNS = (
    "name",
    "opd",
    "region",
    "platform",
    "status",
    "completeness",
    "changed_at",
    "changed_by",
    *(key for key in COLUMNS if key not in {"name", "opd", "region", "platform", "status"}),
)
# The template's columns: the export's, without its read-only ones.
TEMPLATE_COLUMNS = tuple(key for key in EXPORT_COLUMNS if key in COLUMNS)
KINDS = {
    "year_built": INTEGER,
    "last_developed_year": INTEGER,
    "completeness": INTEGER,
    "changed_at": DATETIME,
}


def column_label(key: str) -> str:
    """The heading of a column, as the catalogue page and the application's form name it."""
    if key == "region":
        return _("Kode wilayah")
    if key == "opd":
        return _("OPD pemilik")
    if key == "completeness":
        return _("Kelengkapan (%)")
    if key == "changed_at":
        return _("Terakhir diubah")
    return str(capfirst(Application._meta.get_field(key).verbose_name))


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


def _changed_by(application: Application) -> str:
    user = application.changed_by
    return (user.get_full_name() or user.username) if user else ""


def export_rows(applications: QuerySet[Application]) -> Iterator[list[Any]]:
    """One row per application, in the queryset's order (the page's; by name when it has
    none), with the values of ``EXPORT_COLUMNS``; the writers neutralise formulas."""
    shared = _shared_names(applications)
    if not applications.query.order_by:
        applications = applications.order_by("name", "pk")
    for application in applications.for_detail():
        values = {
            "region": application.opd.region.code,
            "opd": application.opd.name,
            "user_opds": list_cell(opd.name for opd in application.user_opds.all()),
            "integrations": list_cell(
                _integration_label(app, shared) for app in application.integrations.all()
            ),
            "completeness": application_completeness(application).percent,
            "changed_by": _changed_by(application),
        }
        row = []
        for key in EXPORT_COLUMNS:
            if key in values:
                value = values[key]
            elif key in CHOICE_FIELDS:
                value = str(getattr(application, f"get_{key}_display")())
            else:
                value = getattr(application, key)
            row.append(value)
        yield row


def export_table(
    applications: QuerySet[Application], *, region: Region | None, filters: Iterable[str] = ()
) -> Table:
    """The catalogue as the page lists it: its title, the filters in force and how many
    applications they give, then every application."""
    count = applications.count()
    return Table(
        title=_("Katalog aplikasi · %(where)s")
        % {"where": region.name if region else _("Semua wilayah yang dapat Anda lihat")},
        notes=[
            exported_on(),
            ngettext("%(count)s aplikasi", "%(count)s aplikasi", count) % {"count": count},
            *filters,
        ],
        sheet=_("Katalog aplikasi"),
        columns=[Column(column_label(key), KINDS.get(key, TEXT)) for key in EXPORT_COLUMNS],
        rows=export_rows(applications),
    )


@dataclass
class ImportTemplate:
    """The empty table to fill for an import, and (in XLSX) a sheet of the values its coded
    columns accept, offered as drop-down lists on the first sheet."""

    table: Table
    choices: Table
    validations: list


def _choice_labels(key: str) -> list[str]:
    return [str(label) for _value, label in Application._meta.get_field(key).choices]


def import_template(*, regions: Iterable[Region], opds: Iterable[OPD], max_rows: int):
    """The import's columns under a title, without rows; ``regions`` and ``opds`` are those
    offered in the region and owner columns, ``max_rows`` how many rows get drop-down lists."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    table = Table(
        title=_("Templat impor katalog aplikasi"),
        notes=[
            _(
                "Isi satu aplikasi per baris di bawah judul kolom. Kolom wajib: OPD pemilik dan "
                "nama aplikasi; kolom lain boleh kosong atau dihapus."
            ),
            _("Nilai yang diterima kolom berkode ada di lembar “%(sheet)s”.")
            % {"sheet": _("Pilihan")},
        ],
        sheet=_("Aplikasi"),
        columns=[Column(column_label(key), KINDS.get(key, TEXT)) for key in TEMPLATE_COLUMNS],
        rows=[],
    )
    lists = {
        "region": [region.code for region in regions],
        "opd": [opd.name for opd in opds],
        **{key: _choice_labels(key) for key in CHOICE_FIELDS},
    }
    lists = {key: values for key, values in lists.items() if values}
    keys = list(lists)
    choices = Table(
        title=_("Nilai yang diterima kolom berkode"),
        notes=[
            _(
                "OPD ditulis dengan nama lengkap atau singkatannya. Beberapa OPD pengguna atau "
                "aplikasi terintegrasi dipisahkan dengan titik koma (;)."
            )
        ],
        sheet=_("Pilihan"),
        columns=[Column(column_label(key)) for key in keys],
        rows=list(zip_longest(*lists.values())),
    )
    first = header_row_number(table) + 1
    choices_first = header_row_number(choices) + 1
    validations = []
    for key in keys:
        source = get_column_letter(keys.index(key) + 1)
        target = get_column_letter(TEMPLATE_COLUMNS.index(key) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"'{sheet_name(choices.sheet)}'!${source}${choices_first}:"
            f"${source}${choices_first + len(lists[key]) - 1}",
            allow_blank=True,
            # A warning, not a refusal: the import also takes short names of OPDs and the
            # English labels.
            errorStyle="warning",
            showErrorMessage=True,
            error=_("Nilai ini tidak ada di lembar “%(sheet)s”.") % {"sheet": choices.sheet},
        )
        validation.add(f"{target}{first}:{target}{first + max_rows - 1}")
        validations.append(validation)
    return ImportTemplate(table=table, choices=choices, validations=validations)


def export_csv(applications: QuerySet[Application], stream, *, file_format="csv") -> None:
    """Write the catalogue as CSV in ``file_format``'s dialect (``FORMATS``)."""
    table = export_table(applications, region=None)
    stream.write(csv_text(table, FORMATS[file_format].dialect))


def export_xlsx(applications: QuerySet[Application]) -> bytes:
    return xlsx_bytes(export_table(applications, region=None))
