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

from opds.access import Role, membership_of, role_of, visible_regions

ADMIN, REVIEWER, HEAD = Role.ADMIN, Role.REVIEWER, Role.HEAD
READERS = {ADMIN, REVIEWER, HEAD}
# The moves of the workflow (from, to) and the capacities in which a user may make each; the
# workflow decides which moves the status allows.
MOVERS = {
    ("draft", "submitted"): {HEAD, ADMIN},
    ("draft", "in_review"): {REVIEWER, ADMIN},
    ("submitted", "in_review"): {REVIEWER, ADMIN},
    ("submitted", "draft"): {REVIEWER, ADMIN},
    ("in_review", "final"): {REVIEWER, ADMIN},
    ("final", "in_review"): {ADMIN},
}


def acting_role(user, region) -> str | None:
    """The capacity in which ``user`` acts on assessments of ``region``, or None."""
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role == ADMIN:
        return ADMIN
    if membership.role == REVIEWER and region.parent_id == membership.region_id:
        return REVIEWER
    if membership.role == HEAD and region.pk == membership.region_id:
        return HEAD
    return None


def may_open_assessments(user) -> bool:
    """Whether assessments are a page for ``user`` at all."""
    return role_of(user) in READERS


def may_move(user, assessment, move: tuple[str, str]) -> bool:
    """Whether ``user``'s capacity on ``assessment`` may make ``move`` (whatever its status)."""
    return acting_role(user, assessment.region) in MOVERS.get(move, set())


def may_set_self_levels(user, assessment) -> bool:
    """The region's head (and admins) answer the self-assessment."""
    return acting_role(user, assessment.region) in {HEAD, ADMIN}


def may_set_verified_levels(user, assessment) -> bool:
    """The province's reviewers (and admins) verify."""
    return acting_role(user, assessment.region) in {REVIEWER, ADMIN}


def may_comment(user, assessment) -> bool:
    """Clarification threads: the region's head and the province's reviewers (and admins)
    write in them; everyone who may read the assessment reads them."""
    return acting_role(user, assessment.region) in {HEAD, REVIEWER, ADMIN}


def may_ask(user, assessment) -> bool:
    """Questions (a new thread) come from the province's side: reviewers and admins."""
    return acting_role(user, assessment.region) in {REVIEWER, ADMIN}


def may_attach_to_reply(user, assessment) -> bool:
    """A document attached to an answer becomes the region's evidence: the head (and admins)."""
    return acting_role(user, assessment.region) in {HEAD, ADMIN}


def may_close(user, assessment) -> bool:
    """Either side may close a thread."""
    return may_comment(user, assessment)


def creatable_regions(user):
    """The regencies and cities where ``user`` may start an assessment."""
    regions = visible_regions(user).exclude(kind="province")
    if role_of(user) not in READERS:
        return regions.none()
    return regions


def may_create_assessment(user, region) -> bool:
    return creatable_regions(user).filter(pk=region.pk).exists()


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        role = role_of(user)
        if role not in READERS:
            return self.none()
        if role == ADMIN:
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


class ClarificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from assessments.models import Assessment

        return self.filter(assessment__in=Assessment.objects.visible_to(user))

    def open(self):
        return self.filter(status="open")


# Evaluation cycles: every role with a scope reads its province's cycles (heads and OPD staff
# need the deadlines); the province's reviewers and admins set them.


def may_open_cycles(user) -> bool:
    """Whether the cycles page is a page for ``user``: every role has a province's deadlines."""
    return role_of(user) is not None


def manageable_provinces(user):
    """The provinces whose cycles ``user`` may set: a reviewer's own province, every one for an
    admin."""
    from opds.models import Region

    membership = membership_of(user)
    if membership is None or membership.role not in {ADMIN, REVIEWER}:
        return Region.objects.none()
    provinces = Region.objects.filter(kind=Region.Kind.PROVINCE)
    if membership.role == ADMIN:
        return provinces
    return provinces.filter(pk=membership.region_id)


def may_manage_cycles(user, province) -> bool:
    """The province's reviewers and admins set its cycles and grant extensions (no query)."""
    membership = membership_of(user)
    if membership is None:
        return False
    if membership.role == ADMIN:
        return True
    return membership.role == REVIEWER and membership.region_id == province.pk


def readable_provinces(user):
    """The provinces whose cycles ``user`` may read: those of every region they see."""
    from opds.models import Region

    if role_of(user) is None:
        return Region.objects.none()
    regions = visible_regions(user)
    return Region.objects.filter(kind=Region.Kind.PROVINCE).filter(
        models.Q(pk__in=regions.values("pk")) | models.Q(pk__in=regions.values("parent_id"))
    )


class CycleQuerySet(models.QuerySet):
    def visible_to(self, user):
        if role_of(user) == ADMIN:
            return self
        return self.filter(province__in=readable_provinces(user))

    def for_list(self):
        return self.select_related("province", "framework")


class CycleExtensionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The extensions of the regions ``user`` sees: a head reads their own region's, not
        their neighbours' reasons."""
        if role_of(user) == ADMIN:
            return self
        return self.filter(region__in=visible_regions(user))
