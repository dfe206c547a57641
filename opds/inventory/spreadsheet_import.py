"""Importing the inventory from a spreadsheet, in two steps.

``read_spreadsheet`` (in ``spreadsheet_read``) turns an upload into plain rows, kept between
the two steps; ``import_preview`` says for every row whether it would create, update, leave
unchanged or be refused and why, and ``import_apply`` applies all rows in one transaction, or
none of them.

A row that matches an application and changes nothing is "unchanged", whoever owns it: an OPD
operator may import the region's whole export, and only the rows of other OPDs that would
change something are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opds.access import membership_of
from opds.inventory.records import application_create, application_update
from opds.inventory.spreadsheet_export import (
    CHOICE_FIELDS,
    COLUMNS,
    TEXT_FIELDS,
    YEAR_FIELDS,
    column_label,
    split_list_cell,
)
from opds.inventory.spreadsheet_read import MAX_CELL, Sheet
from opds.models import OPD, Application, Region

IMPORT_REASON = gettext_lazy("Impor berkas")


@dataclass
class PreviewRow:
    number: int
    action: str  # "create", "update", "unchanged" or "error"
    opd_label: str
    name: str
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    opd: OPD | None = None
    existing: Application | None = None
    data: dict[str, Any] = field(default_factory=dict)
    user_opds: list[OPD] | None = None
    # Each an application of the catalogue, or the (OPD id, lower-case name) of one that an
    # earlier row adds.
    integrations: list[Application | tuple[int, str]] | None = None


@dataclass
class ImportPreview:
    rows: list[PreviewRow]
    ignored_columns: list[str]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def creates(self) -> int:
        return self.count("create")

    @property
    def updates(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def error_count(self) -> int:
        return self.count("error")

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0


def _choice_lookup() -> dict[str, dict[str, str]]:
    """Per choice field: value, or label in any portal language (lower-case) → value."""
    lookup: dict[str, dict[str, str]] = {}
    for name in CHOICE_FIELDS:
        choices = Application._meta.get_field(name).choices
        table = lookup.setdefault(name, {})
        for value, label in choices:
            table[value.lower()] = value
            for language in ("id", "en"):
                with translation.override(language):
                    table[str(label).lower()] = value
    return lookup


def _region_code(text: str) -> str:
    """A region's code as written in a cell; a regency's code that a spreadsheet took for a
    number and wrote without its last zero (62.10 as 62.1) gets the zero back."""
    text = text.strip()
    if re.fullmatch(r"\d{2}\.\d", text):
        return text + "0"
    return text


class _Catalogue:
    """What the import resolves names against, read in a fixed number of queries."""

    def __init__(self, sheet: Sheet, *, user):
        membership = membership_of(user)
        self.default_region = membership.scope_region if membership else None
        codes = {_region_code(row.get("region", "")) for _number, row in sheet.rows}
        codes.discard("")
        if self.default_region is not None:
            codes.add(self.default_region.code)
        opds = list(
            OPD.objects.visible_to(user).filter(region__code__in=codes).select_related("region")
        )
        self.opds_by_pk = {opd.pk: opd for opd in opds}
        self.opds_by_name: dict[tuple[str, str], list[OPD]] = {}
        self.opds_by_short_name: dict[tuple[str, str], list[OPD]] = {}
        for opd in opds:
            self.opds_by_name.setdefault((opd.region.code, opd.name.lower()), []).append(opd)
            if opd.short_name:
                key = (opd.region.code, opd.short_name.lower())
                self.opds_by_short_name.setdefault(key, []).append(opd)
        self.editable = set(
            OPD.objects.inventory_editable_by(user)
            .filter(region__code__in=codes)
            .values_list("pk", flat=True)
        )
        applications = (
            Application.objects.filter(opd__in=[opd.pk for opd in opds])
            .select_related("opd")
            .prefetch_related("user_opds", "integrations")
        )
        self.by_opd_and_name = {(app.opd_id, app.name.lower()): app for app in applications}
        self.by_region_and_name: dict[tuple[int, str], list[Application]] = {}
        for app in applications:
            self.by_region_and_name.setdefault((app.opd.region_id, app.name.lower()), []).append(
                app
            )

    def region_code(self, row: dict[str, str]) -> str:
        code = _region_code(row.get("region", ""))
        if code:
            return code
        return self.default_region.code if self.default_region else ""

    def find_opd(self, region_code: str, text: str) -> list[OPD]:
        """The OPDs ``text`` names: by full name (what the export writes), else short name."""
        key = (region_code, text.strip().lower())
        return self.opds_by_name.get(key) or self.opds_by_short_name.get(key, [])

    def find_applications(
        self, region: Region, text: str, pending: dict[tuple[int, str], list[tuple[int, str]]]
    ) -> list[Application | tuple[int, str]]:
        """The applications of ``region`` that ``text`` names, existing or added earlier.

        ``text`` is a name, or a name followed by its owner OPD in brackets, which the export
        writes when several OPDs of the region use the name.
        """
        key = (region.pk, text.lower())
        found = self.by_region_and_name.get(key, []) + pending.get(key, [])
        if found or not text.endswith(")"):
            return found
        start = text.find(" (")
        while start != -1:
            name = text[:start].strip().lower()
            owners = self.find_opd(region.code, text[start + 2 : -1])
            if len(owners) == 1:
                application = self.by_opd_and_name.get((owners[0].pk, name))
                if application is not None:
                    return [application]
                if (owners[0].pk, name) in pending.get((region.pk, name), []):
                    return [(owners[0].pk, name)]
            start = text.find(" (", start + 1)
        return []

    def owner_name(self, found: Application | tuple[int, str]) -> str:
        return found.opd.name if isinstance(found, Application) else self.opds_by_pk[found[0]].name


def _column_max_length(column: str) -> int:
    """The most characters a cell of ``column`` may hold: its field's limit."""
    if column == "region":
        return Region._meta.get_field("code").max_length
    if column == "opd":
        return OPD._meta.get_field("name").max_length
    if column in ("name", *TEXT_FIELDS):
        return Application._meta.get_field(column).max_length
    # Choices, years and lists are checked by what they name; the cell only has to be read.
    return MAX_CELL


def _parse_row(
    number: int, row: dict[str, str], catalogue: _Catalogue, choices, seen, pending
) -> PreviewRow:
    name = row.get("name", "").strip()
    opd_text = row.get("opd", "").strip()
    preview = PreviewRow(number=number, action="error", opd_label=opd_text, name=name)
    errors = preview.errors
    for column, value in row.items():
        limit = _column_max_length(column)
        if len(value) > limit:
            errors.append(
                _("%(column)s: lebih dari %(limit)s karakter. Persingkat isi sel ini.")
                % {"column": column_label(column), "limit": intcomma(limit)}
            )
    if errors:
        # Nothing else is read from a row with a text too long to store.
        return preview
    if not opd_text:
        errors.append(_("Kolom OPD pemilik kosong: isi nama atau singkatan OPD."))
    if not name:
        errors.append(_("Kolom nama aplikasi kosong: isi nama aplikasi."))
    if errors:
        return preview
    region_code = catalogue.region_code(row)
    if not region_code:
        errors.append(_("Kolom kode wilayah kosong: isi kode Kemendagri wilayah OPD."))
        return preview
    matches = catalogue.find_opd(region_code, opd_text)
    if not matches:
        errors.append(
            _("OPD “%(opd)s” tidak dikenal di wilayah %(region)s. Periksa ejaan namanya.")
            % {"opd": opd_text, "region": region_code}
        )
        return preview
    if len(matches) > 1:
        errors.append(
            _("“%(opd)s” cocok dengan beberapa OPD. Tulis nama lengkap OPD.") % {"opd": opd_text}
        )
        return preview
    opd = matches[0]
    preview.opd, preview.opd_label = opd, str(opd)
    key = (opd.pk, name.lower())
    if key in seen:
        errors.append(
            _("Aplikasi ini sudah ada di baris %(row)s berkas yang sama.") % {"row": seen[key]}
        )
        return preview
    seen[key] = number

    data: dict[str, Any] = {"name": name}
    for column in TEXT_FIELDS:
        if column in row:
            data[column] = row[column]
    for column in CHOICE_FIELDS:
        text = row.get(column, "").strip()
        if column not in row:
            continue
        if not text:
            if not Application._meta.get_field(column).has_default():
                data[column] = ""
            continue
        value = choices[column].get(text.lower())
        if value is None:
            labels = ", ".join(
                str(label) for _value, label in Application._meta.get_field(column).choices
            )
            errors.append(
                _("%(column)s: “%(value)s” tidak dikenal. Pakai salah satu dari: %(choices)s.")
                % {"column": column_label(column), "value": text, "choices": labels}
            )
        else:
            data[column] = value
    for column in YEAR_FIELDS:
        if column not in row:
            continue
        text = row[column].strip()
        if not text:
            data[column] = None
        elif text.isdigit() and len(text) == 4:
            data[column] = int(text)
        else:
            errors.append(
                _("%(column)s: “%(value)s” bukan tahun. Tulis tahun empat angka, misalnya 2019.")
                % {"column": column_label(column), "value": text}
            )
    if "user_opds" in row:
        preview.user_opds = []
        for text in split_list_cell(row["user_opds"]):
            found = catalogue.find_opd(opd.region.code, text)
            if len(found) == 1:
                preview.user_opds.append(found[0])
            else:
                errors.append(
                    _("OPD pengguna “%(opd)s” tidak dikenal di wilayah ini.") % {"opd": text}
                )
    if "integrations" in row:
        preview.integrations = []
        for text in split_list_cell(row["integrations"]):
            found = catalogue.find_applications(opd.region, text, pending)
            if len(found) == 1:
                preview.integrations.append(found[0])
            elif found:
                errors.append(
                    _(
                        "Ada beberapa aplikasi bernama “%(name)s” di wilayah ini. Tulis juga OPD "
                        "pemiliknya dalam kurung, misalnya “%(example)s”."
                    )
                    % {"name": text, "example": f"{text} ({min(map(catalogue.owner_name, found))})"}
                )
            else:
                errors.append(
                    _(
                        "Aplikasi terintegrasi “%(name)s” tidak ada di katalog wilayah ini atau "
                        "di baris sebelumnya."
                    )
                    % {"name": text}
                )

    existing = catalogue.by_opd_and_name.get(key)
    if existing is not None:
        for column in ("name", *TEXT_FIELDS):
            if column in data and _same_text(getattr(existing, column), data[column]):
                data[column] = getattr(existing, column)
    preview.existing, preview.data = existing, data
    candidate = Application(opd=opd)
    if existing is not None:
        for model_field in Application._meta.concrete_fields:
            setattr(candidate, model_field.attname, getattr(existing, model_field.attname))
    for column, value in data.items():
        setattr(candidate, column, value)
    try:
        # Uniqueness is settled by the matching above and the owner OPD was just resolved;
        # skipping their checks keeps a large preview from querying once per row.
        candidate.full_clean(exclude=["opd"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for column, messages in error.message_dict.items():
            prefix = column_label(column) if column in COLUMNS else ""
            errors.extend(f"{prefix}: {message}" if prefix else message for message in messages)
    if errors:
        return preview
    editable = opd.pk in catalogue.editable
    if existing is None:
        if not editable:
            errors.append(
                _(
                    "Anda tidak dapat menambah aplikasi untuk %(opd)s; impor hanya mengubah "
                    "aplikasi OPD Anda sendiri."
                )
                % {"opd": opd}
            )
            return preview
        preview.action = "create"
        pending.setdefault((opd.region_id, name.lower()), []).append(key)
        return preview
    preview.changes = _changes(existing, data, preview)
    if not preview.changes:
        preview.action = "unchanged"
    elif editable:
        preview.action = "update"
    else:
        errors.append(
            _(
                "Aplikasi %(opd)s tidak dapat Anda ubah (berubah: %(changes)s). Samakan baris ini "
                "dengan katalog atau hapus dari berkas; impor hanya mengubah aplikasi OPD Anda "
                "sendiri."
            )
            % {"opd": opd, "changes": ", ".join(preview.changes)}
        )
    return preview


def _same_text(stored: str, read: str) -> bool:
    """Whether ``read`` is ``stored`` as a spreadsheet gives it back.

    Cells are read trimmed, and XLSX keeps a line break as LF only, where a browser sends a
    text area's line breaks as CR LF.
    """

    def plain(text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n").strip()

    return plain(stored) == plain(read)


def _changes(existing: Application, data: dict[str, Any], preview: PreviewRow) -> list[str]:
    """The labels of the columns whose value in the row differs from ``existing``."""
    changes = [
        column_label(column) for column, value in data.items() if getattr(existing, column) != value
    ]
    if preview.user_opds is not None and {o.pk for o in preview.user_opds} != {
        o.pk for o in existing.user_opds.all()
    }:
        changes.append(column_label("user_opds"))
    if preview.integrations is not None and {
        getattr(target, "pk", target) for target in preview.integrations
    } != {app.pk for app in existing.integrations.all()}:
        changes.append(column_label("integrations"))
    return changes


def import_preview(sheet: Sheet, *, user) -> ImportPreview:
    """What importing ``sheet`` as ``user`` would do, row by row. Changes nothing."""
    catalogue = _Catalogue(sheet, user=user)
    choices = _choice_lookup()
    seen: dict[tuple[int, str], int] = {}
    # (region id, lower-case name) → the (OPD id, lower-case name) of the rows that add it.
    pending: dict[tuple[int, str], list[tuple[int, str]]] = {}
    rows = [
        _parse_row(number, row, catalogue, choices, seen, pending) for number, row in sheet.rows
    ]
    return ImportPreview(rows=rows, ignored_columns=sheet.ignored_columns)


def import_apply(sheet: Sheet, *, user) -> ImportPreview:
    """Apply every row of ``sheet``, or none: one transaction, checked again on the spot.

    Raises ValidationError (nothing applied) when any row is refused.
    """
    with transaction.atomic():
        preview = import_preview(sheet, user=user)
        if preview.has_errors:
            raise ValidationError(
                _("%(count)s baris bermasalah; tidak ada yang diterapkan. Perbaiki berkasnya.")
                % {"count": preview.error_count}
            )
        added: dict[tuple[int, str], Application] = {}
        for row in preview.rows:
            if row.action == "unchanged":
                continue
            relations: dict[str, Any] = {}
            if row.user_opds is not None:
                relations["user_opds"] = row.user_opds
            if row.integrations is not None:
                relations["integrations"] = [
                    added[target] if isinstance(target, tuple) else target
                    for target in row.integrations
                ]
            try:
                if row.existing is None:
                    data = dict(row.data)
                    name = data.pop("name")
                    application = application_create(
                        user=user, opd=row.opd, name=name, reason=IMPORT_REASON, **data, **relations
                    )
                else:
                    application = application_update(
                        row.existing,
                        user=user,
                        data={**row.data, **relations},
                        reason=IMPORT_REASON,
                    )
            except ValidationError as error:
                raise ValidationError(
                    _("Baris %(row)s: %(errors)s; tidak ada yang diterapkan.")
                    % {"row": row.number, "errors": " ".join(error.messages)}
                ) from error
            if row.existing is None:
                added[(row.opd.pk, application.name.lower())] = application
    return preview
