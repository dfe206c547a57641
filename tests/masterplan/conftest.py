import pytest

from masterplan.models import Target
from tests.masterplan.factories import (
    PEGI_DIMENSIONS,
    DimensionTargetFactory,
    MasterPlanFactory,
    ProgrammeFactory,
    dimension,
    targets,
)


@pytest.fixture
def plan(gunung_mas, kominfo):
    """Gunung Mas's plan 2017–2020 in force with one programme of the Diskominfo."""
    plan = MasterPlanFactory(region=gunung_mas, title="Masterplan e-Government Gunung Mas")
    programme = ProgrammeFactory(
        plan=plan,
        opd=kominfo,
        name="Jaringan intra pemerintah",
        dimension=dimension(plan, "infrastructure"),
    )
    targets(
        programme,
        (2017, 0, 10, 10, 1_250_000_000, 1_000_000_000),
        (2018, 0, 20, None, 1_000_000_000, None),
    )
    return plan


@pytest.fixture
def programme(plan):
    return plan.programmes.get()


@pytest.fixture
def target_2018(programme):
    return Target.objects.get(programme=programme, year=2018)


@pytest.fixture
def katingan_plan(katingan):
    plan = MasterPlanFactory(region=katingan, title="Masterplan e-Government Katingan")
    targets(ProgrammeFactory(plan=plan), (2017, 0, 5, 5))
    return plan


@pytest.fixture
def big_plan(gunung_mas):
    """A realistic plan: three programmes in each of the five dimensions, four years each."""
    plan = MasterPlanFactory(
        region=gunung_mas, title="Masterplan besar", start_year=2021, end_year=2024
    )
    for code in PEGI_DIMENSIONS:
        for year, score in zip(plan.years, ("2.00", "2.50", "3.00", "3.50"), strict=True):
            DimensionTargetFactory(
                plan=plan, dimension=dimension(plan, code), year=year, score=score
            )
        for _ in range(3):
            programme = ProgrammeFactory(plan=plan, dimension=dimension(plan, code))
            targets(
                programme,
                (2021, 0, 10, 8, 500_000_000, 300_000_000),
                (2022, 0, 20, 15, 500_000_000, 250_000_000),
                (2023, 0, 30, None, 500_000_000, None),
                (2024, 0, 40, None, 500_000_000, None),
            )
    return plan
