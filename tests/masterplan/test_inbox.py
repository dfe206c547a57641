import datetime
from decimal import Decimal

from masterplan import inbox
from masterplan.models import MasterPlan
from tests.masterplan.factories import MasterPlanFactory, ProgrammeFactory, TargetFactory

TODAY = datetime.date(2023, 3, 1)


def plan_with_targets(region, *rows, status=MasterPlan.Status.IN_FORCE):
    plan = MasterPlanFactory(region=region, start_year=2021, end_year=2024, status=status)
    programme = ProgrammeFactory(plan=plan)
    for year, realisation in rows:
        TargetFactory(programme=programme, year=year, realisation=realisation)
    return plan


def test_an_ended_year_without_realisations_is_an_item_per_plan_and_year(scoped_world, head):
    plan = plan_with_targets(
        scoped_world["gunung_mas"], (2021, Decimal(3)), (2022, None), (2023, None), (2024, None)
    )
    ProgrammeFactory(plan=plan)
    TargetFactory(programme=plan.programmes.last(), year=2022, realisation=None)
    [item] = inbox.inbox_items(head, today=TODAY)
    assert item.kind == "realisation_missing"
    assert item.object_id == plan.pk
    assert item.region == "62.10"
    assert "2022" in item.title
    assert "2 target tanpa realisasi" in item.detail
    assert item.waiting_since == datetime.date(2023, 1, 1)
    assert item.url == plan.get_absolute_url()


def test_plans_not_in_force_and_other_regions_plans_ask_nothing(scoped_world, head):
    plan_with_targets(scoped_world["gunung_mas"], (2021, None), status=MasterPlan.Status.DRAFT)
    plan_with_targets(scoped_world["katingan"], (2021, None))
    assert inbox.inbox_items(head, today=TODAY) == []


def test_only_the_head_is_asked_for_realisations(scoped_world, reviewer, opd_staff, admin_user):
    plan_with_targets(scoped_world["gunung_mas"], (2021, None))
    for user in (reviewer, opd_staff, admin_user):
        assert inbox.inbox_items(user, today=TODAY) == []
