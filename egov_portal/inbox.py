"""The shape of one item of a person's work inbox, and the order of an inbox.

Each app gives the items of its own domain (``opds.inventory.inbox``, ``assessments.inbox``,
``masterplan.inbox``); ``reports.inbox`` combines them. The type and the order live here, at
the bottom of the layers, so that every app can build items without importing another.

Order of an inbox, most urgent first:

1. overdue items (a due date before today), the longest overdue first;
2. items with a due date, the nearest first;
3. items without a due date, the longest waiting first (``waiting_since``, oldest first);
   items that wait since no particular day come after those;
4. ties: higher ``priority`` first, then by title.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """One thing that needs a person now, as a link.

    ``kind`` is a stable code (``assessment_submitted``, ``application_incomplete`` …) that
    scripts may rely on; ``title`` and ``detail`` are for people (translated); ``region`` is
    the region's Kemendagri code; ``object_id`` the id of the object ``kind`` names.
    """

    kind: str
    title: str
    url: str
    due: datetime.date | None = None
    region: str = ""
    object_id: int | None = None
    detail: str = ""
    badge: str = ""  # what the item is about, in a word or two ("Penilaian", "Inventaris")
    priority: int = 0  # breaks ties between items equally urgent; higher comes first
    waiting_since: datetime.date | None = None

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due is not None and self.due < today

    def days_overdue(self, today: datetime.date) -> int:
        return (today - self.due).days if self.is_overdue(today) else 0

    def days_left(self, today: datetime.date) -> int | None:
        return None if self.due is None else (self.due - today).days

    def days_waiting(self, today: datetime.date) -> int | None:
        return None if self.waiting_since is None else max((today - self.waiting_since).days, 0)


def urgency(item: Item, today: datetime.date) -> tuple:
    """The sort key of ``item`` (see the module's docstring): smaller is more urgent."""
    if item.due is not None:
        group = 0 if item.is_overdue(today) else 1
        when = item.due.toordinal()
    else:
        group = 2 if item.waiting_since is not None else 3
        when = item.waiting_since.toordinal() if item.waiting_since is not None else 0
    return (group, when, -item.priority, str(item.title))


def sort_items(items: Iterable[Item], *, today: datetime.date) -> list[Item]:
    """``items``, most urgent first."""
    return sorted(items, key=lambda item: urgency(item, today))
