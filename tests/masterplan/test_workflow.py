from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from egov_portal.errors import WrongState
from masterplan import workflow
from masterplan.models import MasterPlan, Programme, Target
from masterplan.progress import current_year
from opds.models import Membership
from tests.masterplan.factories import MasterPlanFactory, ProgrammeFactory, targets
from tests.opds.factories import user_with_role

Status = MasterPlan.Status


@pytest.fixture
def plan(gunung_mas):
    return MasterPlanFactory(region=gunung_mas, title="Rencana Induk 2017–2020")


@pytest.fixture
def programme(plan):
    programme = ProgrammeFactory(plan=plan, name="Jaringan intra pemerintah")
    targets(programme, (2017, 0, 10, None), (2018, 0, 20, None))
    return programme


@pytest.fixture
def katingan_head(katingan):
    return user_with_role(Membership.Role.HEAD, region=katingan, username="kadis.katingan")


def saved(programme, year):
    return Target.objects.get(programme=programme, year=year)


def test_head_records_a_realisation_with_budget_and_notes(programme, head):
    workflow.target_record_realisation(
        programme,
        user=head,
        year=2017,
        realisation=Decimal(8),
        budget_realised=450_000_000,
        notes="Dua OPD belum terhubung",
    )
    target = saved(programme, 2017)
    assert target.realisation == Decimal(8)
    assert target.budget_realised == 450_000_000
    assert target.notes == "Dua OPD belum terhubung"
    assert target.updated_by == head


def test_a_negative_realisation_is_refused_and_nothing_is_saved(programme, head):
    with pytest.raises(ValidationError) as error:
        workflow.target_record_realisation(
            programme, user=head, year=2017, realisation=Decimal(-1), notes="keliru"
        )
    assert error.value.message_dict["realisation"] == ["Nilai tidak boleh negatif."]
    target = saved(programme, 2017)
    assert target.realisation is None
    assert target.notes == ""


def test_a_negative_realised_budget_is_refused(programme, head):
    with pytest.raises(ValidationError) as error:
        workflow.target_record_realisation(programme, user=head, year=2017, budget_realised=-1)
    assert error.value.message_dict["budget_realised"] == ["Anggaran tidak boleh negatif."]
    assert saved(programme, 2017).budget_realised is None


def test_a_realisation_for_a_year_without_a_target_is_refused(programme, head):
    with pytest.raises(ValidationError) as error:
        workflow.target_record_realisation(programme, user=head, year=2019, realisation=Decimal(5))
    assert error.value.message_dict["year"] == [
        "Program ini tidak memiliki target untuk tahun 2019. Realisasi hanya dicatat untuk "
        "tahun yang memiliki target."
    ]
    assert not Target.objects.filter(programme=programme, year=2019).exists()


def test_a_realisation_for_a_year_that_has_not_begun_is_refused(gunung_mas, head):
    year = current_year()
    plan = MasterPlanFactory(region=gunung_mas, start_year=year, end_year=year + 3)
    programme = ProgrammeFactory(plan=plan)
    targets(programme, (year + 1, 0, 10, None))
    with pytest.raises(ValidationError) as error:
        workflow.target_record_realisation(
            programme, user=head, year=year + 1, realisation=Decimal(1)
        )
    assert "belum berjalan" in error.value.message_dict["year"][0]


def test_realisations_are_recorded_only_on_a_plan_in_force(programme, head):
    MasterPlan.objects.filter(pk=programme.plan_id).update(status=Status.REVIEWED)
    with pytest.raises(WrongState) as error:
        workflow.target_record_realisation(programme, user=head, year=2017, realisation=1)
    assert "hanya dicatat pada rencana yang berlaku" in error.value.message
    assert saved(programme, 2017).realisation is None


@pytest.mark.parametrize("who", ["reviewer", "katingan_head", "opd_staff"])
def test_only_the_region_head_and_admins_record_realisations(programme, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        workflow.target_record_realisation(programme, user=user, year=2017, realisation=5)
    assert saved(programme, 2017).realisation is None


def test_an_admin_may_record_a_realisation(programme, admin_user):
    workflow.target_record_realisation(programme, user=admin_user, year=2017, realisation=5)
    assert saved(programme, 2017).realisation == Decimal(5)


def test_a_draft_goes_in_force_and_supersedes_its_predecessor(plan, programme, head):
    successor = workflow.plan_start_redraft(plan, user=head)
    successor.legal_basis = "Peraturan Bupati Gunung Mas Nomor 5 Tahun 2021"
    successor.save()

    workflow.plan_set_status(successor, user=head, status=Status.IN_FORCE)

    plan.refresh_from_db()
    successor.refresh_from_db()
    assert successor.status == Status.IN_FORCE
    assert plan.status == Status.SUPERSEDED


def test_a_second_plan_in_force_is_refused_with_a_clear_message(plan, head):
    other = MasterPlanFactory(
        region=plan.region, start_year=2021, end_year=2024, status=Status.DRAFT
    )
    ProgrammeFactory(plan=other)
    with pytest.raises(ValidationError) as error:
        workflow.plan_set_status(other, user=head, status=Status.IN_FORCE)
    assert (
        "Rencana Induk 2017–2020 masih berlaku untuk wilayah ini. Satu wilayah hanya boleh "
        "memiliki satu rencana induk yang berlaku"
    ) in error.value.messages[0]
    other.refresh_from_db()
    plan.refresh_from_db()
    assert (other.status, plan.status) == (Status.DRAFT, Status.IN_FORCE)


def test_putting_a_plan_in_force_needs_a_legal_basis_and_a_programme(gunung_mas, head):
    draft = MasterPlanFactory(region=gunung_mas, legal_basis="", status=Status.DRAFT)
    with pytest.raises(ValidationError) as error:
        workflow.plan_set_status(draft, user=head, status=Status.IN_FORCE)
    assert len(error.value.messages) == 2
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_only_allowed_status_moves_are_made(plan, head):
    with pytest.raises(WrongState) as error:
        workflow.plan_set_status(plan, user=head, status=Status.DRAFT)
    assert error.value.message == "Rencana berstatus Berlaku tidak dapat dipindah ke status Draf."
    with pytest.raises(WrongState):
        workflow.plan_set_status(plan, user=head, status="archived")
    workflow.plan_set_status(plan, user=head, status=Status.REVIEWED)
    plan.refresh_from_db()
    assert plan.status == Status.REVIEWED
    assert plan.reviewed_at is not None


def test_a_reviewer_may_not_change_a_plan_status(plan, reviewer):
    with pytest.raises(PermissionDenied):
        workflow.plan_set_status(plan, user=reviewer, status=Status.REVIEWED)
    plan.refresh_from_db()
    assert plan.status == Status.IN_FORCE


def test_a_redraft_carries_unfinished_programmes_with_what_remains(plan, head):
    done = ProgrammeFactory(plan=plan, name="Portal resmi")
    targets(done, (2017, 0, 1, 1))
    behind = ProgrammeFactory(plan=plan, name="Pusat data", order=3)
    targets(
        behind,
        (2019, 10, 60, 30, 800_000_000, 200_000_000),
        (2020, 10, 100, 40, 900_000_000, 300_000_000),
    )
    plan.vision = "Gunung Mas cerdas"
    plan.save()

    successor = workflow.plan_start_redraft(
        plan, user=head, rpjmd_start_year=2021, rpjmd_end_year=2026
    )

    plan.refresh_from_db()
    assert plan.status == Status.REVIEWED
    assert successor.status == Status.DRAFT
    assert successor.supersedes == plan
    assert (successor.start_year, successor.end_year) == (2021, 2024)
    assert successor.title == "Rencana Induk e-Government Kabupaten Gunung Mas 2021–2024"
    assert successor.vision == "Gunung Mas cerdas"
    assert successor.rpjmd_period == "2021–2026"
    (carried,) = successor.programmes.all()
    assert carried.name == "Pusat data"
    assert carried.carried_from == behind
    assert (carried.opd, carried.dimension, carried.order) == (behind.opd, behind.dimension, 3)
    (target,) = carried.targets.all()
    assert target.year == 2021
    assert (target.baseline, target.target) == (Decimal(40), Decimal(100))
    assert target.budget_planned == 1_200_000_000
    assert target.realisation is None
    assert "capaian 36,7%" in target.notes  # (40 % + 33,3 %) / 2


def test_a_redraft_carries_only_the_chosen_programmes(plan, head):
    first = ProgrammeFactory(plan=plan)
    targets(first, (2020, 0, 10, 5))
    second = ProgrammeFactory(plan=plan)
    targets(second, (2020, 0, 10, 5))
    successor = workflow.plan_start_redraft(plan, user=head, carry=[second.pk])
    assert [p.carried_from for p in successor.programmes.all()] == [second]


def test_an_achieved_programme_cannot_be_chosen_to_carry(plan, head):
    done = ProgrammeFactory(plan=plan)
    targets(done, (2020, 0, 10, 10))
    with pytest.raises(ValidationError) as error:
        workflow.plan_start_redraft(plan, user=head, carry=[done.pk])
    assert "carry" in error.value.message_dict
    assert MasterPlan.objects.count() == 1


def test_a_redraft_with_a_bad_period_creates_nothing(plan, programme, head):
    with pytest.raises(ValidationError) as error:
        workflow.plan_start_redraft(plan, user=head, start_year=2021, end_year=2019)
    assert "Tahun akhir tidak boleh sebelum tahun mulai." in error.value.messages
    assert MasterPlan.objects.count() == 1
    assert Programme.objects.count() == 1
    plan.refresh_from_db()
    assert plan.status == Status.IN_FORCE


def test_a_redraft_must_start_after_the_plan_starts(plan, head):
    with pytest.raises(ValidationError) as error:
        workflow.plan_start_redraft(plan, user=head, start_year=2017)
    assert error.value.message_dict["start_year"] == [
        "Rencana baru harus dimulai setelah tahun 2017."
    ]


def test_a_second_draft_may_be_started_while_one_exists(plan, programme, head):
    workflow.plan_start_redraft(plan, user=head)
    workflow.plan_start_redraft(plan, user=head, title="Alternatif")
    assert MasterPlan.objects.filter(supersedes=plan, status=Status.DRAFT).count() == 2


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUPERSEDED])
def test_drafts_and_superseded_plans_are_not_redrafted(plan, head, status):
    MasterPlan.objects.filter(pk=plan.pk).update(status=status)
    with pytest.raises(WrongState):
        workflow.plan_start_redraft(plan, user=head)
    assert MasterPlan.objects.count() == 1


def test_a_head_of_another_region_may_not_redraft(plan, katingan_head):
    with pytest.raises(PermissionDenied):
        workflow.plan_start_redraft(plan, user=katingan_head)
    assert MasterPlan.objects.count() == 1


def test_plan_update_changes_the_legal_basis_but_not_of_a_superseded_plan(plan, head):
    workflow.plan_update(plan, user=head, legal_basis="Perbup Nomor 9 Tahun 2017")
    plan.refresh_from_db()
    assert plan.legal_basis == "Perbup Nomor 9 Tahun 2017"
    MasterPlan.objects.filter(pk=plan.pk).update(status=Status.SUPERSEDED)
    with pytest.raises(WrongState):
        workflow.plan_update(plan, user=head, legal_basis="lain")
    plan.refresh_from_db()
    assert plan.legal_basis == "Perbup Nomor 9 Tahun 2017"
