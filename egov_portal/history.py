"""One history of every change: who, when, which object, and each changed field's old and new
value.

Models keep their history with django-simple-history (``HistoricalRecords`` on the model).
``track`` registers such a model here with what a reader needs — a name for its kind, the path
from a history record to its region, a description and a link — and the functions below turn
history records into entries: for some objects (``entries``), or for the whole portal
(``history_log`` with ``log_entries``). Each reads in a fixed number of queries, however long
the history.

Values come in two forms: ``old``/``new`` as stored (ids for relations, sorted id lists for
many-to-many fields), which the API serves, and ``old_shown``/``new_shown`` as a reader sees
them (labels of choices, names of related records, Indonesian number format).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connections, models
from django.db.models import CharField, F, Value
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import get_m2m_reverse_field_name

EMPTY = "—"
CREATED, CHANGED, DELETED = "created", "changed", "deleted"
KINDS = {"+": CREATED, "~": CHANGED, "-": DELETED}


@dataclass(frozen=True)
class Tracked:
    """A model whose changes are kept, and how its history is read."""

    model: type[models.Model]
    kind: str
    label: Any
    region: Any  # expression (or path) from a history record to its region's id
    describe: Callable[[Any], str]
    link: Callable[[Any], str | None]
    select: tuple[str, ...] = ()
    # Fields that place the object (an answer's assessment and indicator): part of what the
    # object is, said by ``describe``, not changes to list.
    hidden: tuple[str, ...] = ()

    @property
    def history_model(self):
        return self.model.history.model


_TRACKED: dict[str, Tracked] = {}


def track(
    model,
    *,
    kind: str,
    label,
    region,
    describe: Callable[[Any], str] = str,
    link: Callable[[Any], str | None] = lambda record: None,
    select: Iterable[str] = (),
    hidden: Iterable[str] = (),
) -> None:
    """Register ``model`` (which has ``history = HistoricalRecords(...)``) under ``kind``."""
    _TRACKED[kind] = Tracked(
        model, kind, label, region, describe, link, tuple(select), tuple(hidden)
    )


def attribute(instance, *, user, reason: str = ""):
    """Name who makes the next save (or deletion) of ``instance``, and why, in its history."""
    instance._history_user = user if user is not None and user.is_authenticated else None
    if reason:
        instance._change_reason = str(reason)
    return instance


def tracked() -> list[Tracked]:
    return list(_TRACKED.values())


def tracked_kind(model) -> Tracked:
    return next(item for item in _TRACKED.values() if item.model is model)


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: Any
    new: Any
    old_shown: str
    new_shown: str


@dataclass
class Entry:
    """One change of one object, ready to show or to serve."""

    at: datetime
    user: Any
    kind: str  # "created", "changed" or "deleted"
    reason: str
    object_kind: str
    object_id: int
    object_label: str = ""
    url: str | None = None
    history_id: int = 0
    changes: list[Change] = field(default_factory=list)
    record: Any = field(default=None, repr=False)  # the history record it was read from

    @property
    def object_kind_label(self) -> str:
        return str(_TRACKED[self.object_kind].label)

    def as_dict(self) -> dict:
        return {
            "at": self.at,
            "user": self.user.get_username() if self.user else None,
            "kind": self.kind,
            "reason": self.reason,
            "changes": {change.field: [change.old, change.new] for change in self.changes},
        }


def _fields(tracked_model: Tracked):
    """The fields a history shows: what a user sets, not bookkeeping."""
    return [
        f
        for f in tracked_model.history_model.tracked_fields
        if f.editable and f.name != "id" and f.name not in tracked_model.hidden
    ]


def _m2m(history_model):
    """(field, accessor of its history rows, column of the related id) per many-to-many field."""
    accessors = {
        rel.related_model.__name__: rel.get_accessor_name()
        for rel in history_model._meta.related_objects
    }
    result = []
    for m2m_field in history_model._history_m2m_fields:
        name = f"{history_model.__name__}_{m2m_field.name}"
        column = get_m2m_reverse_field_name(m2m_field)
        result.append((m2m_field, accessors[name], f"{column}_id"))
    return result


def _stored(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def _number(value) -> str:
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return formats.number_format(int(value), force_grouping=True)
        return formats.number_format(value.normalize())
    return formats.number_format(value, force_grouping=abs(value) >= 10_000)


def shown(model_field, value, names: dict) -> str:
    """``value`` of ``model_field`` as a reader sees it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if model_field.many_to_many:
        labels = sorted(names[model_field.name].get(pk, f"#{pk}") for pk in value)
        return ", ".join(labels)
    if model_field.is_relation:
        return names[model_field.name].get(value, f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, int | Decimal):
        return _number(value)
    return str(value)


def _label(model_field) -> str:
    return str(model_field.verbose_name)


def _related_ids(tracked_model: Tracked, records, relation_ids) -> dict:
    """The ids each relation of ``records`` refers to, by field (of the history model)."""
    wanted: dict[Any, set] = {}
    for model_field in _fields(tracked_model):
        if model_field.is_relation:
            wanted[model_field] = {getattr(r, model_field.attname) for r in records} - {None}
    for model_field, _accessor, _column in _m2m(tracked_model.history_model):
        wanted[model_field] = set().union(
            *(ids.get(model_field.name, set()) for ids in relation_ids.values())
        )
    return wanted


def _related_names(wanted: dict) -> dict[Any, dict]:
    """Names of every record ``wanted`` (ids by field) refers to, by field: one query per
    related model, however many fields (of however many kinds of record) refer to it."""
    by_model: dict[Any, set] = defaultdict(set)
    for model_field, ids in wanted.items():
        by_model[model_field.related_model] |= ids
    # A name may follow foreign keys (a cycle is named by its province): those are joined.
    found = {
        model: {
            obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids).select_related()
        }
        for model, ids in by_model.items()
        if ids
    }
    return {model_field: found.get(model_field.related_model, {}) for model_field in wanted}


def _relation_ids(history_model, records) -> dict[int, dict[str, set]]:
    """The related ids of each record's many-to-many fields, by history id and field name."""
    m2m = _m2m(history_model)
    return {
        record.history_id: {
            m2m_field.name: {getattr(row, column) for row in getattr(record, accessor).all()}
            for m2m_field, accessor, column in m2m
        }
        for record in records
    }


def _entries_from(
    tracked_model: Tracked, records: list, relation_ids=None, names=None
) -> list[Entry]:
    """Entries of ``records`` (every record of the objects concerned, oldest first).

    ``relation_ids`` (``_relation_ids``) and ``names`` (``_related_names``, by field) may come
    from the caller, which reads them once for several kinds of record.
    """
    history_model = tracked_model.history_model
    fields = _fields(tracked_model)
    m2m = _m2m(history_model)
    if relation_ids is None:
        relation_ids = _relation_ids(history_model, records)
    if names is None:
        names = _related_names(_related_ids(tracked_model, records, relation_ids))
    relations = [f for f in fields if f.is_relation] + [f for f, _a, _c in m2m]
    names = {model_field.name: names.get(model_field, {}) for model_field in relations}
    previous: dict[int, Any] = {}
    entries = []
    for record in records:
        kind = KINDS[record.history_type]
        before = previous.get(record.id)
        entry = Entry(
            at=record.history_date,
            user=record.history_user,
            kind=kind,
            reason=record.history_change_reason or "",
            object_kind=tracked_model.kind,
            object_id=record.id,
            object_label=tracked_model.describe(record),
            url=tracked_model.link(record),
            history_id=record.history_id,
            record=record,
        )
        if kind != DELETED:
            for model_field in fields:
                new = _stored(getattr(record, model_field.attname))
                old = _stored(getattr(before, model_field.attname)) if before else None
                if before is None and new in (None, "", False):
                    continue
                if before is not None and old == new:
                    continue
                entry.changes.append(
                    Change(
                        model_field.name,
                        _label(model_field),
                        old,
                        new,
                        shown(model_field, old, names),
                        shown(model_field, new, names),
                    )
                )
            for m2m_field, _accessor, _column in m2m:
                new = relation_ids[record.history_id][m2m_field.name]
                old = relation_ids[before.history_id][m2m_field.name] if before else set()
                if old != new:
                    entry.changes.append(
                        Change(
                            m2m_field.name,
                            _label(m2m_field),
                            sorted(old),
                            sorted(new),
                            shown(m2m_field, sorted(old), names),
                            shown(m2m_field, sorted(new), names),
                        )
                    )
        previous[record.id] = record
        if kind == CHANGED and not entry.changes:
            continue  # a save that changed nothing a reader would see
        entries.append(entry)
    return entries


def _records(tracked_model: Tracked, **filters):
    history_model = tracked_model.history_model
    queryset = (
        history_model.objects.filter(**filters)
        .select_related("history_user", *tracked_model.select)
        .order_by("id", "history_date", "history_id")
    )
    accessors = [accessor for _f, accessor, _c in _m2m(history_model)]
    return list(queryset.prefetch_related(*accessors))


def entries(model, **filters) -> list[Entry]:
    """Every change of the ``model`` objects whose history records match ``filters``, newest
    first; e.g. ``entries(Target, programme_id=12)``."""
    tracked_model = tracked_kind(model)
    return newest_first(_entries_from(tracked_model, _records(tracked_model, **filters)))


def object_history(instance) -> list[Entry]:
    """Every change of one object, newest first."""
    return entries(type(instance), id=instance.pk)


def newest_first(items: Iterable[Entry]) -> list[Entry]:
    return sorted(items, key=lambda entry: (entry.at, entry.history_id), reverse=True)


def history_log(*, user=None, regions=None, kinds=None, since=None, until=None):
    """Every change in the portal, newest first, as rows (at, history id, kind, object id),
    filtered by who made it, the region it belongs to (ids), the kind of object and the date.

    One query over the history tables of every tracked model (``HistoryLog``); ``log_entries``
    turns a page of rows into entries.
    """
    queries = []
    for tracked_model in tracked():
        if kinds and tracked_model.kind not in kinds:
            continue
        queryset = tracked_model.history_model.objects.annotate(
            log_kind=Value(tracked_model.kind, output_field=CharField())
        )
        if user is not None:
            queryset = queryset.filter(history_user=user)
        if regions is not None:
            # Joined only when asked for: the parts stay as plain as they can (``HistoryLog``).
            region = tracked_model.region
            queryset = queryset.annotate(
                log_region=F(region) if isinstance(region, str) else region
            ).filter(log_region__in=list(regions))
        if since is not None:
            queryset = queryset.filter(history_date__gte=since)
        if until is not None:
            queryset = queryset.filter(history_date__lt=until)
        queries.append(
            queryset.order_by().values_list("history_date", "history_id", "log_kind", "id")
        )
    return HistoryLog(queries) if queries else []


NEWEST_FIRST = ("-history_date", "-history_id")


class HistoryLog:
    """The rows of ``history_log``, newest first: a sequence that a Paginator pages through.

    A page is read as the newest rows of each history table, merged. Where a part of a UNION
    may have its own order and limit (PostgreSQL), each table gives no more rows than the page
    reaches, read newest first from its history_date index, filtered or not. Without them,
    PostgreSQL merges unfiltered tables newest first by itself, but plans a filtered or joined
    part on its own and sorts all its rows for each page.
    """

    def __init__(self, parts):
        self.parts = parts

    def count(self):
        return self._combined(self.parts).count()

    def __len__(self):
        return self.count()

    def __iter__(self):
        return iter(self._combined(self.parts))

    def __getitem__(self, key):
        parts = self.parts
        stop = key.stop if isinstance(key, slice) else None
        if stop is not None and stop <= (key.start or 0):
            return []  # the page of an empty log
        if (
            stop is not None
            and len(parts) > 1
            and connections[parts[0].db].features.supports_slicing_ordering_in_compound
        ):
            parts = [part.order_by(*NEWEST_FIRST)[:stop] for part in parts]
        return self._combined(parts)[key]

    @staticmethod
    def _combined(parts):
        first, *others = parts
        combined = first.union(*others, all=True) if others else first
        return combined.order_by(*NEWEST_FIRST)


def log_entries(rows) -> list[Entry]:
    """The entries of a page of ``history_log`` rows, in the rows' order."""
    rows = list(rows)
    wanted: dict[str, set] = defaultdict(set)
    latest: dict[str, datetime] = {}
    for at, _history_id, kind, object_id in rows:
        wanted[kind].add(object_id)
        latest[kind] = max(latest.get(kind, at), at)
    loaded = []
    for kind, object_ids in wanted.items():
        tracked_model = _TRACKED[kind]
        records = _records(tracked_model, id__in=object_ids, history_date__lte=latest[kind])
        loaded.append((tracked_model, records, _relation_ids(tracked_model.history_model, records)))
    # The names the page shows, one query per related model for every kind on the page.
    names = _related_names(
        {
            model_field: ids
            for tracked_model, records, relation_ids in loaded
            for model_field, ids in _related_ids(tracked_model, records, relation_ids).items()
        }
    )
    found: dict[tuple[str, int], Entry] = {}
    for tracked_model, records, relation_ids in loaded:
        for entry in _entries_from(tracked_model, records, relation_ids, names):
            found[(tracked_model.kind, entry.history_id)] = entry
    # A save that changed nothing a reader would see has no entry and is left out.
    return [found[(kind, pk)] for _at, pk, kind, _object in rows if (kind, pk) in found]


BASELINE_REASON = "Keadaan saat riwayat mulai dicatat"


def record_baselines() -> int:
    """Give every tracked record without a history its first entry, as it is now (records
    written in bulk, such as demo data, have none); the number of entries made."""
    made = 0
    for tracked_model in tracked():
        recorded = tracked_model.history_model.objects.values("id")
        missing = list(tracked_model.model._default_manager.exclude(pk__in=recorded))
        if missing:
            tracked_model.model.history.bulk_history_create(
                missing, default_change_reason=BASELINE_REASON
            )
            made += len(missing)
    return made


def save_if_changed(instance) -> bool:
    """Save ``instance`` when it is new or differs from its stored row (True when saved), so
    that loading the same data again adds nothing to the history."""
    if instance.pk is not None:
        names = [
            f.attname
            for f in instance._meta.concrete_fields
            if not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
        ]
        stored = type(instance)._default_manager.filter(pk=instance.pk).values(*names).first()
        if stored is not None and all(getattr(instance, n) == v for n, v in stored.items()):
            return False
    instance.save()
    return True
