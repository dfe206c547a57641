"""No lost writes: a record that two people may change at once carries a ``version`` that every
change bumps. A writer names the version it last read; when the record has moved on since,
the change is refused with what is saved now (``StaleVersion``), and the page or the API shows
both so that the writer saves again only on purpose (API: HTTP 409 with ``current``)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from egov_portal.errors import Conflict
from egov_portal.history import shown


class StaleVersion(Conflict):
    """The record changed since the caller read it; ``current`` is what is saved now."""

    def __init__(self, current, message: str | None = None):
        self.current = current
        super().__init__(
            message
            or _(
                "Data ini sudah diubah orang lain sejak Anda membukanya. Periksa isian yang "
                "tersimpan sekarang, lalu simpan lagi bila Anda tetap ingin menggantinya."
            )
        )


def check_version(current, version: int | None) -> None:
    """Refuse a change based on ``version`` when ``current`` (read under a row lock) has moved
    on. ``None`` means the caller does not edit what it read (an import, a retirement)."""
    if version is not None and current.version != version:
        raise StaleVersion(current)


@dataclass(frozen=True)
class Difference:
    label: str
    saved: str
    yours: str


def _comparable(value):
    return None if value in ("", None, []) else value


def differences(current, typed: Mapping[str, Any]) -> list[Difference]:
    """The fields where ``current`` (what is saved now) differs from what the user ``typed``
    (field name → cleaned value), as a reader sees both."""
    model = type(current)
    found = []
    for name, yours in typed.items():
        model_field = model._meta.get_field(name)
        if model_field.many_to_many:
            objects = [*getattr(current, name).all(), *yours]
            saved, yours = (
                sorted(obj.pk for obj in getattr(current, name).all()),
                sorted(obj.pk for obj in yours),
            )
        elif model_field.is_relation:
            objects = [obj for obj in (getattr(current, name), yours) if obj is not None]
            saved = getattr(current, model_field.attname)
            yours = yours.pk if yours is not None else None
        else:
            objects = []
            saved = getattr(current, name)
        if _comparable(saved) == _comparable(yours):
            continue
        names = {name: {obj.pk: str(obj) for obj in objects}}
        found.append(
            Difference(
                capfirst(str(model_field.verbose_name)),
                shown(model_field, saved, names),
                shown(model_field, yours, names),
            )
        )
    return found


def conflict_shown(error: StaleVersion, typed: Mapping[str, Any], *, by, at) -> dict:
    """What a page shows for a refused save: the message, each field where what is saved now
    (``error.current``, changed by ``by`` at ``at``) differs from what the user typed."""
    return {
        "message": error.message,
        "differences": differences(error.current, typed),
        "by": by,
        "at": at,
    }
