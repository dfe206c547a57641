import pytest

from opds.models import OPD, Application, Membership, Region
from tests.opds.factories import ApplicationFactory, UserFactory, user_with_role


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def test_admin_sees_every_region_and_opd(scoped_world, admin_user):
    assert Region.objects.visible_to(admin_user).count() == Region.objects.count()
    assert OPD.objects.visible_to(admin_user).count() == OPD.objects.count()


def test_reviewer_sees_own_province_and_its_regions_only(scoped_world, reviewer):
    assert codes(Region.objects.visible_to(reviewer)) == {"62", "62.10", "62.06"}
    assert set(OPD.objects.visible_to(reviewer)) == {
        scoped_world["kominfo"],
        scoped_world["dukcapil"],
        scoped_world["katingan_opd"],
    }


def test_head_sees_own_region_only(scoped_world, head):
    assert codes(Region.objects.visible_to(head)) == {"62.10"}
    assert set(OPD.objects.visible_to(head)) == {scoped_world["kominfo"], scoped_world["dukcapil"]}


def test_opd_staff_sees_own_region_and_its_opds(scoped_world, opd_staff):
    assert codes(Region.objects.visible_to(opd_staff)) == {"62.10"}
    assert set(OPD.objects.visible_to(opd_staff)) == {
        scoped_world["kominfo"],
        scoped_world["dukcapil"],
    }


def test_user_without_membership_sees_nothing(scoped_world):
    user = UserFactory()
    assert not Region.objects.visible_to(user).exists()
    assert not OPD.objects.visible_to(user).exists()


def test_superuser_without_membership_is_an_admin(scoped_world):
    user = UserFactory(is_superuser=True, is_staff=True)
    assert OPD.objects.visible_to(user).count() == OPD.objects.count()


def test_inactive_user_sees_nothing(scoped_world, reviewer):
    reviewer.is_active = False
    reviewer.save()
    assert not Region.objects.visible_to(reviewer).exists()


@pytest.mark.parametrize("role", ["reviewer", "head", "opd_staff"])
def test_only_admin_may_edit_regions_and_opds(scoped_world, province, role):
    scope = {
        "reviewer": {"region": province},
        "head": {"region": scoped_world["gunung_mas"]},
        "opd_staff": {"opd": scoped_world["kominfo"]},
    }[role]
    user = user_with_role(role, **scope)
    assert not Region.objects.editable_by(user).exists()
    assert not OPD.objects.editable_by(user).exists()
    admin = user_with_role(Membership.Role.ADMIN)
    assert OPD.objects.editable_by(admin).count() == OPD.objects.count()


@pytest.fixture
def applications(scoped_world):
    return {
        key: ApplicationFactory(opd=scoped_world[key])
        for key in ("kominfo", "dukcapil", "katingan_opd", "other_opd")
    }


def owners(queryset):
    return {application.opd.short_name for application in queryset.select_related("opd")}


@pytest.mark.parametrize(
    ("user", "sees", "edits"),
    [
        ("admin_user", {"Diskominfo,SP", "Disdukcapil", "Diskominfo", "DU"}, "all"),
        ("reviewer", {"Diskominfo,SP", "Disdukcapil", "Diskominfo"}, set()),
        ("head", {"Diskominfo,SP", "Disdukcapil"}, set()),
        ("opd_staff", {"Diskominfo,SP", "Disdukcapil"}, {"Diskominfo,SP"}),
    ],
)
def test_applications_are_seen_by_region_and_changed_by_own_opd(
    applications, request, user, sees, edits
):
    user = request.getfixturevalue(user)
    seen = owners(Application.objects.visible_to(user))
    assert {name.rstrip("0123456789") for name in seen} == sees
    editable = Application.objects.editable_by(user)
    if edits == "all":
        assert editable.count() == Application.objects.count()
    else:
        assert owners(editable) == edits


def test_user_without_membership_sees_no_application(applications):
    assert not Application.objects.visible_to(UserFactory()).exists()
    assert not Application.objects.editable_by(UserFactory()).exists()
