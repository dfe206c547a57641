from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from masterplan.models import DimensionTarget, MasterPlan, Programme, Target
from tests.assessments.factories import make_framework
from tests.masterplan.factories import (
    DimensionTargetFactory,
    MasterPlanFactory,
    ProgrammeFactory,
    TargetFactory,
    dimension,
)
from tests.opds.factories import OPDFactory


@pytest.fixture
def plan(gunung_mas):
    return MasterPlanFactory(region=gunung_mas)


def test_a_target_year_outside_the_plan_period_is_refused_in_indonesian(plan):
    target = TargetFactory.build(programme=ProgrammeFactory(plan=plan), year=2021)
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert error.value.message_dict["year"] == [
        "Tahun 2021 di luar periode rencana 2017–2020. Pilih tahun di dalam periode itu."
    ]


def test_negative_values_and_budgets_are_refused_by_validation(plan):
    target = TargetFactory.build(
        programme=ProgrammeFactory(plan=plan),
        baseline=Decimal(-1),
        realisation=Decimal(-2),
        budget_realised=-5,
    )
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    errors = error.value.message_dict
    assert errors["baseline"] == ["Nilai tidak boleh negatif."]
    assert errors["realisation"] == ["Nilai tidak boleh negatif."]
    assert errors["budget_realised"] == ["Anggaran tidak boleh negatif."]


def test_the_database_refuses_negative_budgets_and_values(plan):
    target = TargetFactory(programme=ProgrammeFactory(plan=plan))
    for change in ({"budget_planned": -1}, {"realisation": Decimal(-1)}, {"target": Decimal(-1)}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Target.objects.filter(pk=target.pk).update(**change)


def test_one_target_per_programme_and_year(plan):
    programme = ProgrammeFactory(plan=plan)
    TargetFactory(programme=programme, year=2018)
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetFactory(programme=programme, year=2018)


def test_a_programme_opd_must_belong_to_the_plan_region(plan, katingan_opd):
    programme = ProgrammeFactory.build(plan=plan, opd=katingan_opd)
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "Pilih OPD dari wilayah rencana ini" in error.value.message_dict["opd"][0]


def test_a_programme_dimension_must_come_from_the_plan_framework(plan):
    other = make_framework(code="spbe-uji", dimensions=("policy",))
    programme = ProgrammeFactory.build(
        plan=plan,
        opd=OPDFactory(region=plan.region),
        dimension=other.dimensions.get(code="policy"),
    )
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "dimension" in error.value.message_dict


def test_the_end_year_may_not_precede_the_start_year(gunung_mas):
    plan = MasterPlanFactory.build(region=gunung_mas, start_year=2020, end_year=2017)
    with pytest.raises(ValidationError) as error:
        plan.full_clean()
    assert "Tahun akhir tidak boleh sebelum tahun mulai." in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()


def test_the_rpjmd_period_needs_both_years(gunung_mas):
    plan = MasterPlanFactory.build(region=gunung_mas, rpjmd_start_year=2021)
    with pytest.raises(ValidationError):
        plan.full_clean()


def test_a_region_has_at_most_one_plan_in_force(plan):
    second = MasterPlanFactory.build(
        region=plan.region, start_year=2021, end_year=2024, status=MasterPlan.Status.IN_FORCE
    )
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "sudah memiliki rencana induk yang berlaku" in " ".join(error.value.messages)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    second.status = MasterPlan.Status.DRAFT
    second.save()
    assert MasterPlan.objects.filter(region=plan.region).count() == 2


def test_two_regions_may_each_have_a_plan_in_force(plan, katingan):
    MasterPlanFactory(region=katingan)
    assert MasterPlan.objects.filter(status="in_force").count() == 2


def test_a_dimension_target_lies_within_the_period_and_the_scale(plan):
    target = DimensionTarget(plan=plan, dimension=dimension(plan, "policy"), year=2022, score=5)
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert set(error.value.message_dict) == {"year", "score"}
    assert error.value.message_dict["score"] == ["Target skor harus antara 1 dan 4."]


def test_one_dimension_target_per_plan_dimension_and_year(plan):
    DimensionTargetFactory(plan=plan, year=2018)
    with pytest.raises(IntegrityError), transaction.atomic():
        DimensionTargetFactory(plan=plan, year=2018)


def test_programme_names_are_unique_within_a_plan(plan):
    ProgrammeFactory(plan=plan, name="Pusat data")
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(
            plan=plan,
            name="Pusat data",
            dimension=dimension(plan, "policy"),
            opd=OPDFactory(region=plan.region),
            expected_output="-",
        )
