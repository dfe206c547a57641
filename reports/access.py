"""Who may see rankings, region reports and report bundles, and what the navigation offers,
built on the access modules of the apps below.

- rankings, province reports and their bundles: reviewers (their province) and admins;
- a region's dashboard and PDF report: its head, its province's reviewers, admins.
"""

from django.db import models

from assessments.access import may_open_assessments, may_open_cycles
from egov_portal.errors import NotAllowed
from masterplan.access import may_open_plans
from opds.access import (
    Role,
    home_region,
    is_admin,
    may_open_region_list,
    may_read_history_log,
    membership_of,
    role_of,
)
from opds.models import Region

RANKING_ROLES = {Role.ADMIN, Role.REVIEWER}
REPORT_ROLES = {Role.ADMIN, Role.REVIEWER, Role.HEAD}


def _regions_for(user, roles):
    if role_of(user) not in roles:
        return Region.objects.none()
    return Region.objects.visible_to(user)


def rankable_provinces(user):
    """The provinces whose regions ``user`` may rank."""
    return _regions_for(user, RANKING_ROLES).filter(kind=Region.Kind.PROVINCE)


def reportable_regions(user):
    """The regions whose dashboard and PDF report ``user`` may open."""
    return _regions_for(user, REPORT_ROLES)


def require_ranker(user, province) -> None:
    """Refuse (403) work on ``province``'s ranking and bundles by someone who may not rank it."""
    if not rankable_provinces(user).filter(pk=province.pk).exists():
        raise NotAllowed()


class BundleJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Bundles of the provinces ``user`` may rank, whoever started them."""
        return self.filter(province__in=rankable_provinces(user))


def navigation(user) -> dict:
    """What the main menu offers ``user``: each entry is a page their role may open."""
    membership = membership_of(user)
    role = role_of(user)
    region = home_region(user)
    return {
        "region_list": may_open_region_list(user),
        "home_region": region,
        "assessments": may_open_assessments(user),
        "cycles": may_open_cycles(user),
        "ranking_province": membership.region if role == Role.REVIEWER else None,
        # Administrators rank every province they see together.
        "national_ranking": role == Role.ADMIN,
        "dashboard_region": region if role in REPORT_ROLES else None,
        "plans": may_open_plans(user),
        "inventory": role is not None,
        "history": may_read_history_log(user),
        "admin": is_admin(user) and user.is_staff,
    }
