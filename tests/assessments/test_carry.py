"""Starting an assessment from an earlier year's, and confirming what was carried: the domain
functions, without HTTP, on the shipped PeGI framework and on a framework with aspects and a
1–5 scale."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from assessments import carry, workflow
from assessments.loader import FRAMEWORKS_DIR
from assessments.models import Answer, Assessment, Dimension, Evidence, Framework, Indicator
from egov_portal.errors import NotAllowed
from tests.assessments.conftest import MINIMAL_PDF
from tests.assessments.factories import make_assessment

DATA = Path(__file__).parent / "data"
SOURCES = {"pegi": FRAMEWORKS_DIR / "pegi.json", "spbe-mini": DATA / "spbe-mini.json"}


def load(code):
    call_command("load_framework", str(SOURCES[code]), stdout=StringIO())
    return Framework.objects.get(code=code)


@pytest.fixture(params=sorted(SOURCES))
def any_framework(request, db):
    return load(request.param)


def first_indicators(framework, count):
    return list(
        Indicator.objects.filter(dimension__framework=framework).order_by(
            "dimension__order", "order", "code"
        )[:count]
    )


@pytest.fixture
def last_year(any_framework, reviewer, head, gunung_mas):
    """Gunung Mas 2020: a self level only, a self level the reviewer corrected, an N/A, a note
    without a level, with a file and a link as evidence."""
    assessment = make_assessment(reviewer, gunung_mas, any_framework, year=2020)
    self_only, corrected, not_applicable, note_only = first_indicators(any_framework, 4)
    workflow.answer_save(
        assessment, self_only, user=head, version=0, self_level=3, note="Ada Perbup"
    )
    workflow.answer_save(assessment, corrected, user=head, version=0, self_level=4)
    workflow.answer_save(
        assessment, corrected, user=reviewer, version=1, verified_level=2, reason="Belum sah"
    )
    workflow.answer_save(assessment, not_applicable, user=head, version=0, not_applicable=True)
    workflow.answer_save(assessment, note_only, user=head, version=0, note="Sedang disusun")
    workflow.evidence_add(
        assessment,
        self_only,
        user=head,
        file=SimpleUploadedFile("perbup.pdf", MINIMAL_PDF),
    )
    workflow.evidence_add(
        assessment, self_only, user=head, url="https://jdih.gumaskab.go.id/perbup-3"
    )
    return assessment


def carried(assessment, indicator):
    return Answer.objects.get(assessment=assessment, indicator=indicator)


def start_2021(last_year, user):
    return workflow.assessment_create(
        user=user,
        region=last_year.region,
        year=2021,
        framework=last_year.framework,
        carry_forward_from=last_year,
    )


def test_each_indicator_starts_with_the_level_that_counted_last_year(last_year, head):
    assessment = start_2021(last_year, head)
    self_only, corrected, not_applicable, note_only = first_indicators(assessment.framework, 4)
    assert carried(assessment, self_only).self_level == 3
    assert carried(assessment, corrected).self_level == 2  # verified beats self
    for answer in Answer.objects.filter(assessment=assessment):
        assert answer.verified_level is None
        assert answer.reason == ""
        assert answer.version == 1
        assert answer.carried_from.assessment_id == last_year.pk
    assert carried(assessment, self_only).note == "Ada Perbup"
    assert Answer.objects.filter(assessment=assessment).count() == 4


def test_a_not_applicable_answer_is_carried_as_not_applicable_to_confirm(last_year, head):
    assessment = start_2021(last_year, head)
    answer = carried(assessment, first_indicators(assessment.framework, 3)[2])
    assert answer.not_applicable
    assert answer.self_level is None
    assert answer.awaiting_confirmation


def test_a_note_without_a_level_is_carried_with_nothing_to_confirm(last_year, head):
    assessment = start_2021(last_year, head)
    answer = carried(assessment, first_indicators(assessment.framework, 4)[3])
    assert answer.note == "Sedang disusun"
    assert answer.self_level is None
    assert not answer.awaiting_confirmation
    assert carry.awaiting_codes(assessment) == [
        i.code for i in first_indicators(assessment.framework, 3)
    ]


def test_evidence_is_carried_pointing_at_the_same_stored_file(
    last_year, head, media_root, django_capture_on_commit_callbacks
):
    assessment = start_2021(last_year, head)
    indicator = first_indicators(assessment.framework, 1)[0]
    earlier = list(Evidence.objects.filter(answer__assessment=last_year).order_by("pk"))
    now = list(carried(assessment, indicator).evidence.order_by("pk"))
    assert [(e.title, e.file.name, e.url, e.sha256) for e in now] == [
        (e.title, e.file.name, e.url, e.sha256) for e in earlier
    ]
    stored = media_root / now[0].file.name
    assert sum(1 for p in (media_root / "evidence").rglob("*") if p.is_file()) == 1  # no copy

    # Removing the carried record keeps the file that last year's evidence still shows.
    with django_capture_on_commit_callbacks(execute=True):
        workflow.evidence_remove(now[0], user=head)
    assert stored.read_bytes() == MINIMAL_PDF
    assert earlier[0].file.read() == MINIMAL_PDF

    # Removing the last record that points at it removes the file.
    with django_capture_on_commit_callbacks(execute=True):
        workflow.evidence_remove(earlier[0], user=head)
    assert not stored.exists()


def test_the_carry_is_in_each_answer_history_with_who_and_from_which_year(last_year, head):
    assessment = start_2021(last_year, head)
    indicator = first_indicators(assessment.framework, 1)[0]
    entries = workflow.answer_histories(assessment, [indicator])[indicator.pk]
    answer_entry = next(e for e in entries if e.object_kind == "answer")
    assert answer_entry.kind == "created"
    assert answer_entry.user == head
    assert answer_entry.reason == "Dilanjutkan dari penilaian 2020"
    assert {c.field: c.new for c in answer_entry.changes} == {
        "self_level": 3,
        "note": "Ada Perbup",
        "awaiting_confirmation": True,
    }
    evidence_entries = [e for e in entries if e.object_kind == "evidence"]
    assert len(evidence_entries) == 2
    assert {e.reason for e in evidence_entries} == {"Dilanjutkan dari penilaian 2020"}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("other_framework", "kerangka yang sama"),
        ("other_region", "wilayah yang sama"),
        ("later_year", "tahun sebelum 2021"),
        ("invisible", "tidak ditemukan"),
    ],
)
def test_only_an_earlier_visible_assessment_of_the_region_and_framework_is_a_source(
    last_year, reviewer, head, katingan, other_province_regency, admin_user, source, message
):
    other = "pegi" if last_year.framework.code != "pegi" else "spbe-mini"
    sources = {
        "other_framework": lambda: make_assessment(
            reviewer, last_year.region, load(other), year=2020
        ),
        "other_region": lambda: make_assessment(reviewer, katingan, last_year.framework, 2020),
        "later_year": lambda: make_assessment(
            reviewer, last_year.region, last_year.framework, 2022
        ),
        "invisible": lambda: make_assessment(
            admin_user, other_province_regency, last_year.framework, 2020
        ),
    }
    # (The same year of the same region and framework is the assessment being created.)
    wrong = sources[source]()
    count = Assessment.objects.count()
    with pytest.raises(ValidationError) as error:
        workflow.assessment_create(
            user=reviewer,
            region=last_year.region,
            year=2021,
            framework=last_year.framework,
            carry_forward_from=wrong,
        )
    assert message in " ".join(error.value.message_dict["carry_forward_from"])
    assert Assessment.objects.count() == count


def test_saving_the_carried_level_unchanged_confirms_it(last_year, head):
    assessment = start_2021(last_year, head)
    indicator = first_indicators(assessment.framework, 1)[0]
    answer = workflow.answer_save(assessment, indicator, user=head, version=1, self_level=3)
    assert not answer.awaiting_confirmation
    assert answer.self_level == 3
    assert answer.version == 2
    latest = workflow.answer_histories(assessment, [indicator])[indicator.pk][0]
    assert latest.user == head
    assert {c.field: (c.old, c.new) for c in latest.changes} == {
        "awaiting_confirmation": (True, False)
    }


def test_changing_the_carried_level_confirms_it_and_a_stale_version_does_not(last_year, head):
    assessment = start_2021(last_year, head)
    indicator = first_indicators(assessment.framework, 2)[1]
    with pytest.raises(workflow.AnswerConflict):
        workflow.answer_save(assessment, indicator, user=head, version=0, self_level=2)
    assert carried(assessment, indicator).awaiting_confirmation
    answer = workflow.answer_save(assessment, indicator, user=head, version=1, self_level=3)
    assert (answer.self_level, answer.awaiting_confirmation) == (3, False)


def test_a_reviewer_setting_a_verified_level_leaves_the_carried_level_to_the_region(
    last_year, head, reviewer
):
    assessment = start_2021(last_year, head)
    indicator = first_indicators(assessment.framework, 1)[0]
    answer = workflow.answer_save(
        assessment, indicator, user=reviewer, version=1, self_level=3, verified_level=3
    )
    assert answer.verified_level == 3
    assert answer.awaiting_confirmation


def test_confirming_a_dimension_confirms_its_waiting_levels_only(last_year, head):
    assessment = start_2021(last_year, head)
    waiting = first_indicators(assessment.framework, 3)
    dimension = waiting[0].dimension
    revision = assessment.revision
    assert workflow.answers_confirm(assessment, dimension, user=head) == len(
        [i for i in waiting if i.dimension_id == dimension.pk]
    )
    assert carry.awaiting_codes(assessment) == [
        i.code for i in waiting if i.dimension_id != dimension.pk
    ]
    answer = carried(assessment, waiting[0])
    assert (answer.self_level, answer.version, answer.updated_by) == (3, 2, head)
    latest = workflow.answer_histories(assessment, [waiting[0]])[waiting[0].pk][0]
    assert latest.reason == "Level dari tahun sebelumnya dikonfirmasi"
    assessment.refresh_from_db()
    assert assessment.revision == revision + 1
    assert workflow.answers_confirm(assessment, dimension, user=head) == 0


def test_only_the_region_confirms_and_only_while_the_assessment_is_a_draft(
    last_year, head, reviewer
):
    assessment = start_2021(last_year, head)
    dimension = Dimension.objects.filter(framework=assessment.framework).first()
    with pytest.raises(NotAllowed, match="kepala Diskominfo"):
        workflow.answers_confirm(assessment, dimension, user=reviewer)
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.IN_REVIEW)
    with pytest.raises(workflow.WrongState):
        workflow.answers_confirm(assessment, dimension, user=head)
    assert len(carry.awaiting_codes(assessment)) == 3


def test_submitting_with_levels_to_confirm_is_refused_naming_them(last_year, head):
    assessment = start_2021(last_year, head)
    for indicator in Indicator.objects.filter(dimension__framework=assessment.framework):
        if not Answer.objects.filter(assessment=assessment, indicator=indicator).exists():
            workflow.answer_save(assessment, indicator, user=head, version=0, self_level=1)
    note_only = first_indicators(assessment.framework, 4)[3]
    workflow.answer_save(assessment, note_only, user=head, version=1, self_level=1)
    waiting = carry.awaiting_codes(assessment)
    with pytest.raises(ValidationError) as error:
        workflow.assessment_transition(assessment, user=head, to="submitted")
    assert "3 indikator" in error.value.messages[0]
    assert ", ".join(waiting) in error.value.messages[0]
    for dimension in Dimension.objects.filter(framework=assessment.framework):
        workflow.answers_confirm(assessment, dimension, user=head)
    workflow.assessment_transition(assessment, user=head, to="submitted")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
