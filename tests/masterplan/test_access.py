import pytest

from masterplan.access import may_edit_region_plans
from masterplan.models import MasterPlan, Programme, Target
from tests.masterplan.factories import MasterPlanFactory


@pytest.fixture
def world(plan, katingan_plan, other_province_regency):
    other = MasterPlanFactory(region=other_province_regency, title="Tanah Laut")
    return {"gunung_mas": plan, "katingan": katingan_plan, "other": other}


def titles(queryset):
    return sorted(plan.title for plan in queryset)


@pytest.mark.parametrize(
    ("who", "sees", "edits"),
    [
        ("admin_user", {"gunung_mas", "katingan", "other"}, {"gunung_mas", "katingan", "other"}),
        ("reviewer", {"gunung_mas", "katingan"}, set()),
        ("head", {"gunung_mas"}, {"gunung_mas"}),
        ("opd_staff", set(), set()),
    ],
)
def test_each_role_sees_and_edits_the_plans_of_its_scope(world, who, sees, edits, request):
    user = request.getfixturevalue(who)
    assert titles(MasterPlan.objects.visible_to(user)) == titles(world[k] for k in sees)
    assert titles(MasterPlan.objects.editable_by(user)) == titles(world[k] for k in edits)
    for key, plan in world.items():
        assert may_edit_region_plans(user, plan.region) == (key in edits)


def test_programmes_and_targets_follow_their_plan(world, head, reviewer):
    assert set(Programme.objects.visible_to(head).values_list("plan", flat=True)) == {
        world["gunung_mas"].pk
    }
    assert set(Target.objects.visible_to(reviewer).values_list("programme__plan", flat=True)) == {
        world["gunung_mas"].pk,
        world["katingan"].pk,
    }


def test_users_without_a_role_see_no_plans(world, django_user_model):
    nobody = django_user_model.objects.create_user("tamu", password="x")
    assert not MasterPlan.objects.visible_to(nobody).exists()
    assert not may_edit_region_plans(nobody, world["gunung_mas"].region)
