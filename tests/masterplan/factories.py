from decimal import Decimal

import factory

from assessments.models import Dimension
from masterplan.models import DimensionTarget, MasterPlan, Programme, Target
from tests.assessments.factories import make_framework
from tests.opds.factories import OPDFactory, RegencyFactory

PEGI_DIMENSIONS = ("policy", "institutions", "infrastructure", "applications", "planning")


def pegi_framework():
    """A small framework with PeGI's code, five dimensions and 1–4 scale (idempotent)."""
    return make_framework(code="pegi", dimensions=PEGI_DIMENSIONS, per_dimension=2)


def dimension(plan, code):
    return Dimension.objects.get(framework=plan.framework, code=code)


class MasterPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MasterPlan

    region = factory.SubFactory(RegencyFactory)
    framework = factory.LazyFunction(pegi_framework)
    title = factory.Sequence(lambda n: f"Rencana Induk e-Government Uji {n}")
    start_year = 2017
    end_year = 2020
    legal_basis = "Peraturan Bupati Uji Nomor 1 Tahun 2017"
    status = MasterPlan.Status.IN_FORCE


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    plan = factory.SubFactory(MasterPlanFactory)
    dimension = factory.LazyAttribute(lambda o: dimension(o.plan, "infrastructure"))
    opd = factory.LazyAttribute(lambda o: OPDFactory(region=o.plan.region))
    name = factory.Sequence(lambda n: f"Program uji {n}")
    expected_output = "Keluaran uji"


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    programme = factory.SubFactory(ProgrammeFactory)
    year = factory.LazyAttribute(lambda o: o.programme.plan.start_year)
    metric = "OPD terhubung jaringan intra pemerintah"
    unit = "OPD"
    baseline = Decimal(0)
    target = Decimal(10)
    realisation = None
    budget_planned = 100_000_000
    budget_realised = None


class DimensionTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DimensionTarget

    plan = factory.SubFactory(MasterPlanFactory)
    dimension = factory.LazyAttribute(lambda o: dimension(o.plan, "policy"))
    year = factory.LazyAttribute(lambda o: o.plan.start_year)
    score = Decimal("2.50")


def targets(programme, *rows):
    """Targets of ``programme``, one per row:

    (year, baseline, target, realisation[, budget planned[, budget realised]])
    """
    made = []
    for row in rows:
        year, baseline, target, realisation, *budget = row
        planned = budget[0] if budget else 100_000_000
        realised = budget[1] if len(budget) > 1 else None
        made.append(
            TargetFactory(
                programme=programme,
                year=year,
                baseline=Decimal(str(baseline)),
                target=Decimal(str(target)),
                realisation=None if realisation is None else Decimal(str(realisation)),
                budget_planned=planned,
                budget_realised=realised,
            )
        )
    return made
