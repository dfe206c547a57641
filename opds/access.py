"""Who may see and change what: every access rule of the portal, as QuerySet methods.

Roles and their scope come from a user's Membership (see DESIGN.md, "People"):

- admin: every region and OPD;
- reviewer: their province and its regencies and cities;
- head: their own region;
- opd_staff: their own OPD's region (for reading), their own OPD's applications (for writing).

Anything not granted here is denied. Views, API endpoints, exports, reports, the navigation
and the write functions call these methods and predicates; none of them re-implements a rule,
and none names a role by its string. Refusals follow ``egov_portal.errors``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov_portal.errors import NotAllowed


class Role(models.TextChoices):
    """A user's role in the portal (``Membership.Role``)."""

    ADMIN = "admin", _("Administrator")
    REVIEWER = "reviewer", _("Penilai provinsi")
    HEAD = "head", _("Kepala Diskominfo")
    OPD_STAFF = "opd_staff", _("Operator OPD")


def membership_of(user):
    """The user's Membership, or None for anonymous users and users without a role.

    A superuser without a Membership is treated as an admin so that the account created by
    ``createsuperuser`` can run the portal.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if hasattr(user, "_portal_membership"):
        return user._portal_membership
    from django.contrib.auth import get_user_model

    from opds.models import Membership

    if get_user_model().membership.is_cached(user):
        # Read with the user (``backends.MembershipBackend``); absent: no membership.
        membership = getattr(user, "membership", None)
    else:
        membership = (
            Membership.objects.select_related("region", "region__parent", "opd", "opd__region")
            .filter(user=user)
            .first()
        )
    if membership is None and user.is_superuser:
        membership = Membership(user=user, role=Role.ADMIN)
    user._portal_membership = membership
    return membership


def role_of(user) -> str | None:
    """The user's role (a ``Role`` value), or None without one."""
    membership = membership_of(user)
    return None if membership is None else membership.role


def is_admin(user) -> bool:
    return role_of(user) == Role.ADMIN


def home_region(user):
    """The one region a head or an OPD operator works in; None for roles over several."""
    membership = membership_of(user)
    if membership is None or membership.role not in {Role.HEAD, Role.OPD_STAFF}:
        return None
    return membership.scope_region


def own_opd(user):
    """The OPD whose inventory an OPD operator keeps; None for every other role."""
    membership = membership_of(user)
    if membership is None or membership.role != Role.OPD_STAFF:
        return None
    return membership.opd


def may_open_region_list(user) -> bool:
    """Whether the list of regions is a page for ``user`` (roles that see several regions)."""
    return role_of(user) in {Role.ADMIN, Role.REVIEWER}


def may_read_history_log(user) -> bool:
    """The whole portal's history, across regions, is for administrators."""
    return is_admin(user)


def may_keep_inventory(user, opd) -> bool:
    """Whether ``user`` may add, change or retire applications of ``opd`` (no query)."""
    membership = membership_of(user)
    if membership is None:
        return False
    if membership.role == Role.ADMIN:
        return True
    return membership.role == Role.OPD_STAFF and membership.opd_id == opd.pk


def require_inventory_keeper(user, opd) -> None:
    """Refuse (403) a change to ``opd``'s inventory that ``user`` may not make."""
    if not may_keep_inventory(user, opd):
        raise NotAllowed(_("Anda hanya dapat mengubah aplikasi OPD Anda sendiri."))


def may_keep_some_inventory(user) -> bool:
    """Whether ``user`` keeps the inventory of any OPD (the catalogue's add and import)."""
    return role_of(user) in {Role.ADMIN, Role.OPD_STAFF}


def region_scope(user) -> Q | None:
    """A filter on Region for the regions ``user`` may see; None means every region."""
    membership = membership_of(user)
    if membership is None:
        return Q(pk__in=[])
    if membership.role == Role.ADMIN:
        return None
    if membership.role == Role.REVIEWER:
        return Q(pk=membership.region_id) | Q(parent_id=membership.region_id)
    if membership.role == Role.HEAD:
        return Q(pk=membership.region_id)
    if membership.role == Role.OPD_STAFF:
        return Q(pk=membership.opd.region_id)
    return Q(pk__in=[])


class RegionQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = region_scope(user)
        return self if scope is None else self.filter(scope)

    def editable_by(self, user):
        return self if is_admin(user) else self.none()

    def with_opd_counts(self):
        return self.select_related("parent").annotate(
            opd_count=models.Count("opds", filter=Q(opds__active=True))
        )


def visible_regions(user):
    """The Region queryset ``user`` may see, for filtering other models by region."""
    from opds.models import Region

    return Region.objects.visible_to(user)


class OPDQuerySet(models.QuerySet):
    def visible_to(self, user):
        if region_scope(user) is None:
            return self
        return self.filter(region__in=visible_regions(user))

    def editable_by(self, user):
        return self if is_admin(user) else self.none()

    def inventory_editable_by(self, user):
        """OPDs in which ``user`` may add, change or import applications."""
        membership = membership_of(user)
        if membership is None:
            return self.none()
        if membership.role == Role.ADMIN:
            return self
        if membership.role == Role.OPD_STAFF:
            return self.filter(pk=membership.opd_id)
        return self.none()

    def for_list(self):
        return self.select_related("region")


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The catalogue of every region ``user`` may see (OPD staff: their whole region)."""
        if region_scope(user) is None:
            return self
        return self.filter(opd__region__in=visible_regions(user))

    def editable_by(self, user):
        """Admins: every application; OPD staff: their own OPD's; everyone else: none."""
        from opds.models import OPD

        if is_admin(user):
            return self
        return self.filter(opd__in=OPD.objects.inventory_editable_by(user))

    def search(self, text):
        return self.filter(Q(name__icontains=text) | Q(description__icontains=text))

    def for_list(self):
        """What a catalogue row shows: owner OPD and region, and the data for completeness."""
        return self.select_related("opd", "opd__region", "changed_by").prefetch_related("user_opds")

    def for_detail(self):
        return self.for_list().prefetch_related("integrations", "integrations__opd")


def _active_members(role, region):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        is_active=True, membership__role=role, membership__region=region
    )


def reviewers_of(province):
    """The active reviewers of ``province`` (a Region or its pk; a regency's is its parent)."""
    return _active_members(Role.REVIEWER, province)


def heads_of(region):
    """The active heads (Kepala Diskominfo) of ``region`` (a Region or its pk)."""
    return _active_members(Role.HEAD, region)
