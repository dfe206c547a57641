"""Who may see and change master plans, built on the region scope in ``opds.access``.

- admin: every plan; changes every plan;
- reviewer: reads the plans of their province and its regencies and cities, changes none;
- head: reads and changes their own region's plans;
- opd_staff and users without a role: no plans at all. A master plan is the Diskominfo head's
  document; OPD operators keep the application inventory (DESIGN.md, "People"), so a plan's
  pages answer them 404 like anything else outside their scope.

Which plan status allows which change is ``masterplan.workflow``'s business; these methods
answer only "may this user read / change plans of this region".
"""

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from egov_portal.errors import NotAllowed
from opds.access import Role, membership_of, role_of, visible_regions

ADMIN, REVIEWER, HEAD = Role.ADMIN, Role.REVIEWER, Role.HEAD
READERS = {ADMIN, REVIEWER, HEAD}


def may_open_plans(user) -> bool:
    """Whether master plans are a page for ``user`` at all."""
    return role_of(user) in READERS


def may_edit_region_plans(user, region) -> bool:
    """Whether ``user`` may change the master plans of ``region``."""
    membership = membership_of(user)
    if membership is None:
        return False
    if membership.role == ADMIN:
        return True
    return membership.role == HEAD and membership.region_id == region.pk


def require_plan_editor(user, plan) -> None:
    """Refuse (403) a change to ``plan`` that ``user`` may not make."""
    if not may_edit_region_plans(user, plan.region):
        raise NotAllowed(_("Anda tidak berwenang mengubah rencana induk wilayah ini."))


def editable_regions(user):
    """The regions whose plans ``user`` may change."""
    regions = visible_regions(user)
    if role_of(user) not in {ADMIN, HEAD}:
        return regions.none()
    return regions


class MasterPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        role = role_of(user)
        if role not in READERS:
            return self.none()
        if role == ADMIN:
            return self
        return self.filter(region__in=visible_regions(user))

    def editable_by(self, user):
        return self.visible_to(user).filter(region__in=editable_regions(user))

    def for_list(self):
        """Plans with what the list needs for their progress figures (four queries)."""
        from masterplan.models import Programme

        return self.select_related("region", "framework").prefetch_related(
            Prefetch("programmes", queryset=Programme.objects.order_by("pk")),
            "programmes__targets",
        )

    def for_overview(self):
        """One plan's page: programmes with dimension and OPD, targets, dimension targets."""
        from masterplan.models import DimensionTarget, Programme

        return self.select_related(
            "region", "region__parent", "framework", "supersedes"
        ).prefetch_related(
            Prefetch("programmes", queryset=Programme.objects.for_plan()),
            "programmes__targets",
            Prefetch(
                "dimension_targets",
                queryset=DimensionTarget.objects.select_related("dimension"),
            ),
            "successors",
        )


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user):
        from masterplan.models import MasterPlan

        return self.filter(plan__in=MasterPlan.objects.visible_to(user))

    def for_plan(self):
        return self.select_related("dimension", "opd", "carried_from__plan").order_by(
            "dimension__order", "order", "pk"
        )


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user):
        from masterplan.models import MasterPlan

        return self.filter(programme__plan__in=MasterPlan.objects.visible_to(user))
