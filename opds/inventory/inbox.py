"""What the application inventory asks of a person: records to complete or to bring up to date.

- *Incomplete*: an application still in use (active or in development) that lacks what a
  reader of the catalogue needs first: a description, a person in charge, the address of a
  web application, the vendor of a vendor's application. (The completeness bar on a record's
  page measures every field; the inbox chases only these.)
- *Stale*: an application still in use whose record has not changed for a year.

An OPD operator gets one item per record of their OPD; a region's head, who does not edit
records but asks the OPDs to, one item for the region: how many records need work, and the
OPDs with the most. One query whatever the size of the inventory.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from egov_portal.inbox import Item
from opds.access import Role, membership_of
from opds.inventory.records import applies_filter, field_applies
from opds.models import Application

APPLICATION_INCOMPLETE = "application_incomplete"
APPLICATION_STALE = "application_stale"
REGION_APPLICATIONS = "region_applications"
KINDS = (APPLICATION_INCOMPLETE, APPLICATION_STALE, REGION_APPLICATIONS)

STALE_AFTER = datetime.timedelta(days=365)
OPDS_NAMED = 5
IN_USE = [Application.Status.ACTIVE, Application.Status.DEVELOPMENT]

# The fields the inbox chases, of those the completeness bar counts; each applies to the
# records ``records.field_applies`` says.
ESSENTIALS = ("description", "person_in_charge", "url", "vendor_name")
BADGE = gettext_lazy("Inventaris")


def incomplete_condition() -> Q:
    """A filter on Application for records that lack an essential field."""
    parts = [applies_filter(name) & Q(**{name: ""}) for name in ESSENTIALS]
    condition = parts[0]
    for part in parts[1:]:
        condition |= part
    return condition


def stale_condition(today: datetime.date) -> Q:
    return Q(changed_at__date__lte=today - STALE_AFTER)


def missing_essentials(application: Application) -> list[str]:
    """The labels of the essential fields ``application`` lacks (no query)."""
    return [
        str(Application._meta.get_field(name).verbose_name)
        for name in ESSENTIALS
        if field_applies(application, name) and not getattr(application, name)
    ]


def needing_work(applications: QuerySet[Application], *, today: datetime.date) -> QuerySet:
    """Those of ``applications`` in use that are incomplete or stale."""
    return applications.filter(status__in=IN_USE).filter(
        incomplete_condition() | stale_condition(today)
    )


def incomplete_applications(applications: QuerySet[Application]) -> QuerySet:
    """Those of ``applications`` in use that lack an essential field."""
    return applications.filter(status__in=IN_USE).filter(incomplete_condition())


def _application_item(application: Application, *, today: datetime.date) -> Item:
    changed = timezone.localdate(application.changed_at)
    missing = missing_essentials(application)
    region = application.opd.region.code
    if missing:
        return Item(
            kind=APPLICATION_INCOMPLETE,
            title=_("Lengkapi data aplikasi %(name)s") % {"name": application.name},
            detail=_("Belum diisi: %(fields)s") % {"fields": ", ".join(missing)},
            url=reverse("opds:application_update", kwargs={"pk": application.pk}),
            region=region,
            object_id=application.pk,
            badge=str(BADGE),
            waiting_since=changed,
        )
    return Item(
        kind=APPLICATION_STALE,
        title=_("Perbarui data aplikasi %(name)s") % {"name": application.name},
        detail=_("Tidak berubah sejak %(date)s")
        % {"date": formats.date_format(changed, "DATE_FORMAT")},
        url=reverse("opds:application_update", kwargs={"pk": application.pk}),
        region=region,
        object_id=application.pk,
        badge=str(BADGE),
        waiting_since=changed,
    )


def _region_item(region, *, today: datetime.date) -> list[Item]:
    rows = list(
        needing_work(Application.objects.filter(opd__region=region), today=today)
        .order_by()
        .values("opd__name", "opd__short_name")
        .annotate(
            incomplete=Count("pk", filter=incomplete_condition()),
            stale=Count("pk", filter=stale_condition(today)),
        )
        .order_by("-incomplete", "-stale", "opd__name")
    )
    if not rows:
        return []
    incomplete = sum(row["incomplete"] for row in rows)
    stale = sum(row["stale"] for row in rows)
    parts = []
    if incomplete:
        parts.append(
            ngettext(
                "%(count)s aplikasi belum lengkap",
                "%(count)s aplikasi belum lengkap",
                incomplete,
            )
            % {"count": incomplete}
        )
    if stale:
        parts.append(
            ngettext(
                "%(count)s aplikasi tidak berubah setahun",
                "%(count)s aplikasi tidak berubah setahun",
                stale,
            )
            % {"count": stale}
        )
    names = [row["opd__short_name"] or row["opd__name"] for row in rows]
    shown = ", ".join(names[:OPDS_NAMED])
    if len(names) > OPDS_NAMED:
        shown = _("%(names)s dan %(count)s OPD lainnya") % {
            "names": shown,
            "count": len(names) - OPDS_NAMED,
        }
    return [
        Item(
            kind=REGION_APPLICATIONS,
            title=_("Minta OPD melengkapi inventaris aplikasi %(region)s")
            % {"region": region.name},
            detail=_("%(counts)s — %(opds)s") % {"counts": "; ".join(parts), "opds": shown},
            url=f"{reverse('opds:application_list')}?{urlencode({'region': region.code})}",
            region=region.code,
            object_id=region.pk,
            badge=str(BADGE),
        )
    ]


def inbox_items(user, *, today: datetime.date) -> list[Item]:
    """The inventory's items for ``user``: an OPD operator's records, a head's OPDs."""
    membership = membership_of(user)
    if membership is None:
        return []
    if membership.role == Role.OPD_STAFF:
        records = needing_work(
            Application.objects.filter(opd_id=membership.opd_id), today=today
        ).select_related("opd__region")
        return [_application_item(application, today=today) for application in records]
    if membership.role == Role.HEAD:
        return _region_item(membership.region, today=today)
    return []
