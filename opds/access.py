"""Who may see and change what: every access rule of the portal, as QuerySet methods.

Roles and their scope come from a user's Membership (see DESIGN.md, "People"):

- admin: every region and OPD;
- reviewer: their province and its regencies and cities;
- head: their own region;
- opd_staff: their own OPD's region (for reading), their own OPD's applications (for writing).

Anything not granted here is denied. Views, API endpoints, exports and reports call these
methods; none of them re-implements a rule.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


def membership_of(user):
    """The user's Membership, or None for anonymous users and users without a role.

    A superuser without a Membership is treated as an admin so that the account created by
    ``createsuperuser`` can run the portal.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if hasattr(user, "_portal_membership"):
        return user._portal_membership
    from opds.models import Membership

    membership = (
        Membership.objects.select_related("region", "region__parent", "opd", "opd__region")
        .filter(user=user)
        .first()
    )
    if membership is None and user.is_superuser:
        membership = Membership(user=user, role=Membership.Role.ADMIN)
    user._portal_membership = membership
    return membership


def is_admin(user) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role == "admin"


def region_scope(user) -> Q | None:
    """A filter on Region for the regions ``user`` may see; None means every region."""
    membership = membership_of(user)
    if membership is None:
        return Q(pk__in=[])
    if membership.role == "admin":
        return None
    if membership.role == "reviewer":
        return Q(pk=membership.region_id) | Q(parent_id=membership.region_id)
    if membership.role == "head":
        return Q(pk=membership.region_id)
    if membership.role == "opd_staff":
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
        if membership.role == "admin":
            return self
        if membership.role == "opd_staff":
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

        membership = membership_of(user)
        if membership is not None and membership.role == "admin":
            return self
        return self.filter(opd__in=OPD.objects.inventory_editable_by(user))

    def search(self, text):
        return self.filter(Q(name__icontains=text) | Q(description__icontains=text))

    def for_list(self):
        """What a catalogue row shows: owner OPD and region, and the data for completeness."""
        return self.select_related("opd", "opd__region", "changed_by").prefetch_related("user_opds")

    def for_detail(self):
        return self.for_list().prefetch_related("integrations", "integrations__opd")
