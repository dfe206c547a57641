import datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from assessments import cycles, inbox
from assessments.models import Answer, Assessment, Cycle, Stage, Transition
from assessments.scoring import assessment_result

D = datetime.date
JAKARTA = ZoneInfo("Asia/Jakarta")
FINAL = Assessment.Status.FINAL


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def spbe_2021():
    return Assessment.objects.filter(year=2021, framework__code="spbe-2020").select_related(
        "region", "framework"
    )


def test_the_demo_has_kalimantan_tengahs_2021_cycle_in_spbe_2020(demo):
    cycle = Cycle.objects.select_related("framework").get(province__code="62", year=2021)
    assert cycle.framework.code == "spbe-2020"
    cycle.full_clean()
    assert [(stage.code, stage.starts, stage.ends) for stage in cycle.stages] == [
        (Stage.SELF_ASSESSMENT, D(2021, 7, 1), D(2021, 9, 30)),
        (Stage.VERIFICATION, D(2021, 10, 4), D(2021, 11, 26)),
        (Stage.FINALISATION, D(2021, 11, 27), D(2021, 12, 17)),
    ]
    assert cycles.step_for(spbe_2021().get(region__code="62.10")).done


def test_gunung_mas_2021_is_final_with_every_indicator_verified_and_noted(demo):
    assessment = spbe_2021().get(region__code="62.10")
    assert assessment.status == FINAL
    answers = list(assessment.answers.select_related("indicator"))
    assert sorted(a.indicator.code for a in answers) == [f"spbe-{n:02d}" for n in range(1, 48)]
    assert all(a.self_level and a.verified_level and a.note.strip() for a in answers)
    assert {a.verified_level for a in answers} == {1, 2, 3, 4}
    lowered = [a for a in answers if a.differs]
    assert len(lowered) >= 5
    assert all(a.verified_level < a.self_level and a.reason.strip() for a in lowered)
    assert not any(a.reason for a in answers if not a.differs)
    notes = " ".join(a.note for a in answers)
    assert "Rencana Induk SPBE 2021–2024" in notes
    assert "Sekitar 30 aplikasi" in notes
    steps = list(assessment.transitions.order_by("at", "pk"))
    assert [(t.from_status, t.to_status) for t in steps] == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "final"),
    ]
    assert [t.at.astimezone(JAKARTA).date() for t in steps[-2:]] == [
        D(2021, 11, 2),
        D(2021, 12, 14),
    ]


def test_five_other_regions_have_2021_evaluations_led_by_palangka_raya(demo):
    others = spbe_2021().exclude(region__code="62.10")
    assert others.count() >= 5
    finals = list(others.filter(status=FINAL))
    assert len(finals) >= 4
    for assessment in finals:
        answers = assessment.answers.all()
        assert answers.filter(verified_level__isnull=False).count() == 47
        lowered = [a for a in answers if a.differs]
        assert lowered and all(a.reason for a in lowered)
    indexes = {a.region.code: assessment_result(a).index for a in finals}
    assert max(indexes, key=indexes.get) == "62.71"
    assert len({assessment_result(a).rating.name for a in finals}) >= 3


def test_the_reviewers_inbox_has_the_2021_evaluation_still_in_review(demo):
    pending = spbe_2021().exclude(status=FINAL).get()
    assert (pending.region.code, pending.status) == ("62.02", Assessment.Status.IN_REVIEW)
    reviewer = get_user_model().objects.get(username="reviewer")
    items = inbox.inbox_items(reviewer, today=D(2021, 12, 1))
    item = next(item for item in items if item.object_id == pending.pk)
    assert item.kind == inbox.ASSESSMENT_IN_REVIEW
    assert item.due == D(2021, 12, 17)


def test_the_2020_work_left_unfinished_stays_in_the_inbox_late_by_the_2020_cycle(demo):
    users = get_user_model().objects
    today = D(2021, 12, 1)
    draft = Assessment.objects.get(region__code="62.10", year=2020)
    [item] = [
        i
        for i in inbox.inbox_items(users.get(username="kadis.gumas"), today=today)
        if i.kind.startswith("assessment_")
    ]
    assert (item.kind, item.object_id) == (inbox.ASSESSMENT_SUBMIT, draft.pk)
    assert item.due == D(2020, 10, 30)  # Gunung Mas's extension of the 2020 submission
    submitted = Assessment.objects.get(region__code="62.71", year=2020)
    items = inbox.inbox_items(users.get(username="reviewer"), today=today)
    [item] = [i for i in items if i.kind == inbox.ASSESSMENT_SUBMITTED]
    assert (item.object_id, item.due) == (submitted.pk, D(2020, 11, 27))
    assert item.is_overdue(today)


def test_gunung_mas_2021_index_is_on_the_spbe_scale_with_a_rating(demo):
    gunung_mas = spbe_2021().get(region__code="62.10")
    result = assessment_result(gunung_mas)
    assert isinstance(result.index, Decimal)
    assert Decimal(1) <= result.index <= Decimal(5)
    assert result.completeness == 100
    assert result.rating.name == "Cukup"
    palangka_raya = spbe_2021().get(region__code="62.71")
    assert assessment_result(palangka_raya).index > result.index


def test_loading_the_demo_again_creates_nothing(demo):
    def state():
        return (
            list(Assessment.objects.values_list("pk", "status")),
            list(Answer.objects.order_by("pk").values_list("pk", "self_level", "verified_level")),
            Transition.objects.count(),
            list(Cycle.objects.values_list("pk", "year", "framework__code")),
        )

    before = state()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert state() == before
    assert "assessments created: 0," in out.getvalue()
    assert "cycles created: 0" in out.getvalue()
