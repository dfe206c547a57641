"""One application record: create, change, retire, delete; its completeness and history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opds.models import OPD, Application

# Fields a user sets; ``opd`` moves an application to another OPD (admins only, by access).
SCALAR_FIELDS = (
    "opd",
    "name",
    "description",
    "developer",
    "vendor_name",
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
    "hosting",
    "person_in_charge",
    "notes",
)
RELATION_FIELDS = ("user_opds", "integrations")

RETIRE_REASON = gettext_lazy("Dipensiunkan (status tidak aktif)")


def _author(user):
    return user if user is not None and user.is_authenticated else None


def _check_fields(names: Iterable[str]) -> None:
    unknown = set(names) - set(SCALAR_FIELDS) - set(RELATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown application fields: {sorted(unknown)}")


def _validate(application: Application, *, user_opds, integrations) -> None:
    """full_clean(), plus the rules on the relations, which a model cannot check unsaved."""
    errors: dict[str, list] = {}
    try:
        application.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if user_opds is not None and application.opd_id:
        foreign = [opd for opd in user_opds if opd.region_id != application.opd.region_id]
        if foreign:
            errors.setdefault("user_opds", []).append(
                ValidationError(
                    _(
                        "OPD pengguna harus dari wilayah yang sama dengan OPD pemilik: "
                        "hapus %(names)s."
                    )
                    % {"names": ", ".join(str(opd) for opd in foreign)}
                )
            )
    if (
        integrations is not None
        and application.pk
        and any(other.pk == application.pk for other in integrations)
    ):
        errors.setdefault("integrations", []).append(
            ValidationError(_("Aplikasi tidak dapat terintegrasi dengan dirinya sendiri."))
        )
    if errors:
        raise ValidationError(errors)


def _save_with_one_history_entry(
    application: Application, *, user, user_opds, integrations, reason: str
) -> bool:
    """Save the record and its relations as a single history entry; True when created.

    django-simple-history writes an entry per save and per many-to-many change. The row and
    its relations are written quietly first, so the final save's entry holds all of them.
    """
    created = application.pk is None
    application.skip_history_when_saving = True
    try:
        if created:
            application.save()
        if user_opds is not None:
            application.user_opds.set(user_opds)
        if integrations is not None:
            application.integrations.set(integrations)
    finally:
        del application.skip_history_when_saving
    application._history_user = _author(user)
    application._change_reason = str(reason)
    application.save()
    if created:
        application.history.update(history_type="+")
    return created


def application_create(
    *,
    user,
    opd: OPD,
    name: str,
    user_opds: Iterable[OPD] = (),
    integrations: Iterable[Application] = (),
    reason: str = "",
    **fields: Any,
) -> Application:
    """Add an application to ``opd``'s inventory, recording who did it."""
    _check_fields(fields)
    application = Application(opd=opd, name=name, **fields)
    application.changed_by = _author(user)
    user_opds, integrations = list(user_opds), list(integrations)
    _validate(application, user_opds=user_opds, integrations=integrations)
    with transaction.atomic():
        _save_with_one_history_entry(
            application,
            user=user,
            user_opds=user_opds,
            integrations=integrations,
            reason=reason,
        )
    return application


def application_update(
    application: Application, *, user, data: Mapping[str, Any], reason: str = ""
) -> Application:
    """Apply ``data`` (field name → new value) and return the saved record.

    Only what differs from the stored record is written; when nothing differs no history
    entry is made.
    """
    _check_fields(data)
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        changed = False
        for name in SCALAR_FIELDS:
            if name in data and getattr(current, name) != data[name]:
                setattr(current, name, data[name])
                changed = True
        relations: dict[str, list | None] = {}
        for name in RELATION_FIELDS:
            relations[name] = None
            if name in data:
                new = list(data[name])
                old_ids = set(getattr(current, name).values_list("pk", flat=True))
                if {item.pk for item in new} != old_ids:
                    relations[name] = new
                    changed = True
        if not changed:
            return current
        current.changed_by = _author(user)
        _validate(current, user_opds=relations["user_opds"], integrations=relations["integrations"])
        _save_with_one_history_entry(
            current,
            user=user,
            user_opds=relations["user_opds"],
            integrations=relations["integrations"],
            reason=reason,
        )
    return current


def application_retire(application: Application, *, user) -> Application:
    """Mark an application inactive; the record and its history stay."""
    return application_update(
        application,
        user=user,
        data={"status": Application.Status.INACTIVE},
        reason=RETIRE_REASON,
    )


def application_delete(application: Application, *, user) -> None:
    """Remove an application; its history keeps a deletion entry naming ``user``."""
    with transaction.atomic():
        application._history_user = _author(user)
        application.delete()


@dataclass(frozen=True)
class Completeness:
    """How much of a record is filled in: a percentage and the labels of what is missing."""

    percent: int
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing


def _label(name: str) -> str:
    return str(Application._meta.get_field(name).verbose_name)


# Each entry: field, and whether it applies to an application (vendor name only for a
# vendor's application, URL only for a web application).
COMPLETENESS_FIELDS = (
    ("description", None),
    ("classification", None),
    ("service_type", None),
    ("url", lambda app: app.platform == Application.Platform.WEB),
    ("vendor_name", lambda app: app.developer == Application.Developer.VENDOR),
    ("year_built", None),
    ("legal_basis", None),
    ("data_handled", None),
    ("database_engine", None),
    ("programming_language", None),
    ("hosting", None),
    ("person_in_charge", None),
    ("user_opds", None),
)


def application_completeness(application: Application) -> Completeness:
    """Share of the applicable inventory fields filled in (``user_opds`` read as prefetched)."""
    applicable = missing = 0
    missing_labels = []
    for name, applies in COMPLETENESS_FIELDS:
        if applies is not None and not applies(application):
            continue
        applicable += 1
        if name == "user_opds":
            filled = bool(application.user_opds.all())
        else:
            value = getattr(application, name)
            filled = value is not None and str(value).strip() != ""
        if not filled:
            missing += 1
            missing_labels.append(_label(name))
    percent = round(100 * (applicable - missing) / applicable) if applicable else 100
    return Completeness(percent=percent, missing=missing_labels)


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    """One entry of an application's history, ready to show."""

    date: datetime
    user: Any
    kind: str  # "created", "changed" or "deleted"
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


EMPTY = "—"


def _display(name: str, value, *, opd_names, application_names) -> str:
    if value is None or value == "":
        return EMPTY
    model_field = Application._meta.get_field(name)
    if name == "opd":
        return opd_names.get(value, str(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _related_names(ids: Iterable[int], names: Mapping[int, str]) -> str:
    labels = sorted(names.get(pk, str(pk)) for pk in ids)
    return ", ".join(labels) if labels else EMPTY


def application_history(application: Application) -> list[HistoryEntry]:
    """Every recorded change of ``application``, newest first, with old and new values.

    A fixed number of queries, however long the history.
    """
    records = list(
        application.history.select_related("history_user")
        .prefetch_related(
            "historicalapplication_user_opds_set", "historicalapplication_integrations_set"
        )
        .order_by("history_date", "history_id")
    )
    relation_ids: dict[int, dict[str, set[int]]] = {}
    opd_ids, application_ids = set(), set()
    for record in records:
        user_opds = {row.opd_id for row in record.historicalapplication_user_opds_set.all()}
        integrations = {
            row.to_application_id for row in record.historicalapplication_integrations_set.all()
        }
        relation_ids[record.history_id] = {"user_opds": user_opds, "integrations": integrations}
        opd_ids |= user_opds | {record.opd_id}
        application_ids |= integrations
    opd_names = {opd.pk: str(opd) for opd in OPD.objects.filter(pk__in=opd_ids)}
    application_names = dict(
        Application.objects.filter(pk__in=application_ids).values_list("pk", "name")
    )
    names = {"user_opds": opd_names, "integrations": application_names}

    def show(name, value):
        return _display(name, value, opd_names=opd_names, application_names=application_names)

    entries = []
    previous = None
    for record in records:
        kind = {"+": "created", "-": "deleted"}.get(record.history_type, "changed")
        entry = HistoryEntry(
            date=record.history_date,
            user=record.history_user,
            kind=kind,
            reason=record.history_change_reason or "",
        )
        if previous is None:
            for name in SCALAR_FIELDS:
                value = getattr(record, f"{name}_id" if name == "opd" else name)
                if value not in (None, ""):
                    entry.changes.append(FieldChange(_label(name), EMPTY, show(name, value)))
        elif kind != "deleted":
            delta = record.diff_against(previous, excluded_fields=RELATION_FIELDS)
            order = {name: index for index, name in enumerate(SCALAR_FIELDS)}
            for change in sorted(delta.changes, key=lambda c: order.get(c.field, 99)):
                entry.changes.append(
                    FieldChange(
                        _label(change.field),
                        show(change.field, change.old),
                        show(change.field, change.new),
                    )
                )
        for name in RELATION_FIELDS:
            old = relation_ids[previous.history_id][name] if previous else set()
            new = relation_ids[record.history_id][name]
            if old != new and kind != "deleted":
                entry.changes.append(
                    FieldChange(
                        _label(name),
                        _related_names(old, names[name]),
                        _related_names(new, names[name]),
                    )
                )
        entries.append(entry)
        previous = record
    entries.reverse()
    return entries
