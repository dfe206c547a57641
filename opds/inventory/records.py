"""One application record: create, change, retire, delete; its completeness and history.

Each write function checks access itself (``opds.access``): the OPD's inventory is kept by its
operator and by administrators. ``user=None`` is the portal itself (demo data, commands).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from egov_portal import history
from egov_portal.versions import check_version
from opds.access import require_inventory_keeper
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


def _require_keeper(user, opd: OPD) -> None:
    if user is not None:
        require_inventory_keeper(user, opd)


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
    if integrations is not None and application.opd_id:
        foreign = Application.objects.filter(pk__in=[app.pk for app in integrations]).exclude(
            opd__region_id=application.opd.region_id
        )
        if integrations and foreign:
            errors.setdefault("integrations", []).append(
                ValidationError(
                    _(
                        "Aplikasi terintegrasi harus dari wilayah yang sama dengan OPD pemilik: "
                        "hapus %(names)s."
                    )
                    % {"names": ", ".join(str(app) for app in foreign)}
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
    if not created:
        application.version += 1
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
    _require_keeper(user, opd)
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
    application: Application,
    *,
    user,
    data: Mapping[str, Any],
    version: int | None = None,
    reason: str = "",
) -> Application:
    """Apply ``data`` (field name → new value) and return the saved record.

    Only what differs from the stored record is written; when nothing differs no history
    entry is made. ``version`` is the record's version the caller last read: when the record
    has changed since, StaleVersion carries what is saved now and nothing is written.
    """
    _check_fields(data)
    with transaction.atomic():
        current = (
            Application.objects.select_for_update().select_related("opd").get(pk=application.pk)
        )
        _require_keeper(user, current.opd)
        if "opd" in data and data["opd"] != current.opd:
            _require_keeper(user, data["opd"])
        scalars = [n for n in SCALAR_FIELDS if n in data and getattr(current, n) != data[n]]
        relations: dict[str, list | None] = {}
        for name in RELATION_FIELDS:
            relations[name] = None
            if name in data:
                new = list(data[name])
                old_ids = set(getattr(current, name).values_list("pk", flat=True))
                if {item.pk for item in new} != old_ids:
                    relations[name] = new
        if not scalars and all(value is None for value in relations.values()):
            return current
        # Refused before anything is applied: ``current`` stays what is saved now.
        check_version(current, version)
        for name in scalars:
            setattr(current, name, data[name])
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
    _require_keeper(user, application.opd)
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
    return _labels(name, get_language())


@cache
def _labels(name: str, language: str | None) -> str:
    """A field's label in ``language`` (the active one), looked up once per process."""
    return str(Application._meta.get_field(name).verbose_name)


# Fields that apply to some records only: field → (attribute, value) the record must have (the
# vendor's name only for a vendor's application, the address only for a web application).
ONLY_FOR = {
    "url": ("platform", Application.Platform.WEB),
    "vendor_name": ("developer", Application.Developer.VENDOR),
}


def field_applies(application: Application, name: str) -> bool:
    """Whether the inventory field ``name`` applies to ``application`` (no query)."""
    condition = ONLY_FOR.get(name)
    return condition is None or getattr(application, condition[0]) == condition[1]


def applies_filter(name: str) -> Q:
    """The records the inventory field ``name`` applies to, as a filter on Application."""
    condition = ONLY_FOR.get(name)
    return Q(**{condition[0]: condition[1]}) if condition else Q()


COMPLETENESS_FIELDS = (
    "description",
    "classification",
    "service_type",
    "url",
    "vendor_name",
    "year_built",
    "legal_basis",
    "data_handled",
    "database_engine",
    "programming_language",
    "hosting",
    "person_in_charge",
    "user_opds",
)


def application_completeness(application: Application) -> Completeness:
    """Share of the applicable inventory fields filled in (``user_opds`` read as prefetched)."""
    applicable = missing = 0
    missing_labels = []
    for name in COMPLETENESS_FIELDS:
        if not field_applies(application, name):
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


def application_history(application: Application) -> list[history.Entry]:
    """Every recorded change of ``application``, newest first, with old and new values."""
    return history.object_history(application)
