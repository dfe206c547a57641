"""Who may see rankings and region reports, built on the region scope in ``opds.access``.

- rankings and province reports: reviewers (their province) and admins;
- a region's dashboard and PDF report: its head, its province's reviewers, admins.
"""

from opds.access import membership_of
from opds.models import Region

RANKING_ROLES = {"admin", "reviewer"}
REPORT_ROLES = {"admin", "reviewer", "head"}


def _regions_for(user, roles):
    membership = membership_of(user)
    if membership is None or membership.role not in roles:
        return Region.objects.none()
    return Region.objects.visible_to(user)


def rankable_provinces(user):
    """The provinces whose regions ``user`` may rank."""
    return _regions_for(user, RANKING_ROLES).filter(kind=Region.Kind.PROVINCE)


def reportable_regions(user):
    """The regions whose dashboard and PDF report ``user`` may open."""
    return _regions_for(user, REPORT_ROLES)
