"""Who may see and change assessments, built on the region scope in ``opds.access``.

- admin: every assessment; sets self and verified levels; re-opens a final assessment;
- reviewer: assessments of the regions of their province; creates them, sets verified levels,
  runs the review;
- head: their own region's assessments; creates them, sets self levels, submits;
- opd_staff and users without a role: no assessments at all.

Which state allows what is the workflow's business (``assessments.workflow``); these functions
answer only "in which capacity does this user act on this assessment".
"""

from django.db import models

from opds.access import membership_of, visible_regions

ADMIN, REVIEWER, HEAD = "admin", "reviewer", "head"


def acting_role(user, region) -> str | None:
    """The capacity in which ``user`` acts on assessments of ``region``, or None."""
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role == ADMIN:
        return ADMIN
    if (
        membership.role == REVIEWER
        and region.kind != "province"
        and region.parent_id == membership.region_id
    ):
        return REVIEWER
    if membership.role == HEAD and region.pk == membership.region_id:
        return HEAD
    return None


def creatable_regions(user):
    """The regencies and cities where ``user`` may start an assessment."""
    membership = membership_of(user)
    regions = visible_regions(user).exclude(kind="province")
    if membership is None or membership.role not in {ADMIN, REVIEWER, HEAD}:
        return regions.none()
    return regions


def may_create_assessment(user, region) -> bool:
    return creatable_regions(user).filter(pk=region.pk).exists()


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        membership = membership_of(user)
        if membership is None or membership.role not in {ADMIN, REVIEWER, HEAD}:
            return self.none()
        if membership.role == ADMIN:
            return self
        return self.filter(region__in=visible_regions(user))

    def for_list(self):
        return self.select_related("region", "framework")


class AnswerQuerySet(models.QuerySet):
    def visible_to(self, user):
        from assessments.models import Assessment

        return self.filter(assessment__in=Assessment.objects.visible_to(user))


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        from assessments.models import Assessment

        return self.filter(answer__assessment__in=Assessment.objects.visible_to(user))
