from io import StringIO

import pytest
from django.core.management import call_command

from masterplan.models import MasterPlan, Programme, Target
from masterplan.progress import plan_progress


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def plans():
    first, second = MasterPlan.objects.filter(region__code="62.10").order_by("start_year")
    return first, second


def test_the_demo_has_the_reviewed_plan_and_its_redraft_in_force(demo):
    first, second = plans()
    assert (first.period, first.status) == ("2017–2020", MasterPlan.Status.SUPERSEDED)
    assert first.reviewed_at is not None
    assert first.legal_basis == "Peraturan Bupati Gunung Mas Nomor 22 Tahun 2017"
    assert "ilustratif" in first.notes
    assert (second.period, second.status) == ("2021–2024", MasterPlan.Status.IN_FORCE)
    assert second.supersedes == first
    assert second.rpjmd_period == "2021–2026"
    carried = Programme.objects.filter(plan=second, carried_from__plan=first)
    assert carried.count() >= 5


def test_the_demo_plan_shows_the_budget_shortfall_in_every_dimension(demo):
    first, _second = plans()
    progress = plan_progress(MasterPlan.objects.for_overview().get(pk=first.pk))
    assert all(row.programmes for row in progress.dimensions)
    assert progress.budget.absorption < 60
    assert progress.behind >= 5
    assert progress.achieved >= 3
    sources = {t.funding_source for t in Target.objects.filter(programme__plan=first)}
    assert sources == {Target.FundingSource.APBD, Target.FundingSource.DAK}
    assert first.dimension_targets.count() == 5 * 4


def test_loading_the_demo_again_changes_nothing(demo):
    counts = (MasterPlan.objects.count(), Programme.objects.count(), Target.objects.count())
    target = Target.objects.filter(programme__plan__start_year=2021).first()
    target.realisation = None
    target.save()
    call_command("load_demo", stdout=StringIO())
    assert (MasterPlan.objects.count(), Programme.objects.count(), Target.objects.count()) == counts
    target.refresh_from_db()
    assert target.realisation is not None
