"""Saving one answer costs a fixed number of queries, whatever the amount of data around it."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from assessments import scoring, workflow
from assessments.loader import load_framework
from assessments.models import Assessment, Framework
from assessments.scoring import assessment_result
from tests.assessments.factories import framework_document, make_assessment, make_framework
from tests.assessments.test_views import post_answer
from tests.opds.factories import ApplicationFactory, OPDFactory, RegencyFactory

# membership, assessment; in answer_save: savepoint, the assessment locked, the answer locked,
# the answer, its history, the assessment's revision, release; the answer's evidence.
PATCH_QUERIES = 10
# session, user with membership, assessment, the indicator's levels, the answer; answer_save's
# seven; the answer's evidence and clarification; the dimension's scores and figures (the
# answers; the counts with the carried levels waiting). The card's history is read only when
# its panel is opened (``assessments:answer_history``).
POST_QUERIES = 16


def grow(province, framework, reviewer, indicators, *, regions):
    """``regions`` more regencies, each with an assessment answered in full, an OPD and two
    applications."""
    start = 50 + Assessment.objects.count()
    for n in range(regions):
        region = RegencyFactory(parent=province, code=f"{start + n}")
        assessment = make_assessment(reviewer, region, framework)
        for indicator in indicators.values():
            workflow.answer_save(
                assessment, indicator, user=reviewer, version=0, verified_level=2 + n % 3
            )
        opd = OPDFactory(region=region)
        ApplicationFactory.create_batch(2, opd=opd)


@pytest.fixture
def built(framework):
    """The framework's structure, built as the first score or save after loading it builds it
    (four queries, once per process and framework revision)."""
    scoring.framework_spec(framework)


def patch_queries(draft, reviewer, level):
    url = f"/api/v1/assessments/{draft.pk}/answers/policy-01/"
    version = draft.answers.get(indicator__code="policy-01").version
    api = APIClient()
    # A fresh user, as in a real request: its membership is read once.
    api.force_authenticate(User.objects.get(pk=reviewer.pk))
    with CaptureQueriesContext(connection) as captured:
        response = api.patch(url, {"version": version, "verified_level": level}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["verified_level"] == level
    assert response.json()["version"] == version + 1
    return len(captured)


def post_queries(client, draft, level):
    version = draft.answers.get(indicator__code="policy-02").version
    with CaptureQueriesContext(connection) as captured:
        response = post_answer(client, draft, "policy-02", version=version, verified_level=level)
    assert response.status_code == 200
    assert draft.answers.get(indicator__code="policy-02").verified_level == level
    return len(captured)


def test_an_api_save_costs_the_same_few_queries_at_ten_times_the_data(
    built, draft, framework, indicators, reviewer, province
):
    workflow.answer_save(draft, indicators["policy-01"], user=reviewer, version=0, verified_level=1)
    grow(province, framework, reviewer, indicators, regions=3)
    small = patch_queries(draft, reviewer, 2)
    grow(province, framework, reviewer, indicators, regions=27)
    large = patch_queries(draft, reviewer, 3)
    assert small == large == PATCH_QUERIES


def test_a_page_save_costs_the_same_queries_at_ten_times_the_data(
    built, client, draft, framework, indicators, reviewer, province
):
    workflow.answer_save(draft, indicators["policy-02"], user=reviewer, version=0, verified_level=1)
    client.force_login(reviewer)
    grow(province, framework, reviewer, indicators, regions=3)
    small = post_queries(client, draft, 2)
    grow(province, framework, reviewer, indicators, regions=27)
    large = post_queries(client, draft, 3)
    assert small == large == POST_QUERIES


def test_a_stale_version_still_answers_409_with_what_is_saved(draft, indicators, reviewer):
    workflow.answer_save(draft, indicators["policy-01"], user=reviewer, version=0, verified_level=1)
    api = APIClient()
    api.force_authenticate(reviewer)
    url = f"/api/v1/assessments/{draft.pk}/answers/policy-01/"
    response = api.patch(url, {"version": 0, "verified_level": 2}, format="json")
    assert response.status_code == 409
    assert api.patch(url, {"version": 1, "verified_level": 2}, format="json").status_code == 200
    assert api.get(url).json()["version"] == 2


def test_an_unknown_indicator_is_not_found(draft, reviewer):
    api = APIClient()
    api.force_authenticate(reviewer)
    url = f"/api/v1/assessments/{draft.pk}/answers/nope-01/"
    assert api.patch(url, {"version": 0, "self_level": 2}, format="json").status_code == 404


def test_the_revision_in_hand_follows_the_saved_one(draft, indicators, reviewer):
    before = Assessment.objects.get(pk=draft.pk).revision
    answer = workflow.answer_save(
        draft, indicators["policy-01"], user=reviewer, version=0, verified_level=3
    )
    assert answer.assessment.revision == before + 1
    assert Assessment.objects.get(pk=draft.pk).revision == before + 1


def reweighted(weight):
    document = framework_document()
    document["dimensions"][0]["indicators"][0]["weight"] = weight
    return document


def scores(assessment):
    result = assessment_result(Assessment.objects.select_related("framework").get(pk=assessment.pk))
    return result.dimension("policy").score


@pytest.fixture
def answered(draft, indicators, reviewer):
    workflow.answer_save(draft, indicators["policy-01"], user=reviewer, version=0, verified_level=4)
    workflow.answer_save(draft, indicators["policy-02"], user=reviewer, version=0, verified_level=2)
    return draft


def test_reloading_a_framework_with_other_weights_changes_the_scores(answered):
    assert scores(answered) == 3
    load_framework(reweighted(3))
    assert scores(answered) == pytest.approx(3.5)
    load_framework(reweighted(1))
    assert scores(answered) == 3


def test_another_process_kept_structure_is_not_served_after_a_reload(answered):
    """A process that built the structure before the file was loaded elsewhere keeps it under
    the old structure revision: the reloaded framework's new revision misses it."""
    assert scores(answered) == 3
    kept = dict(scoring._specs)
    load_framework(reweighted(3))
    scoring._specs.update(kept)  # what the other process still holds
    assert scores(answered) == pytest.approx(3.5)


def fresh(assessment):
    return Assessment.objects.select_related("framework").get(pk=assessment.pk)


def test_every_load_raises_the_structure_revision(answered, framework):
    """What processes keep holds texts the content digest leaves out: every load counts."""
    revision = framework.structure_revision
    assert load_framework(framework_document()).structure_revision == revision + 1
    before = scoring.framework_indicator(fresh(answered).framework, "policy-01")
    assert before.evidence == "Salinan dokumen"
    kept = dict(scoring._specs)
    document = framework_document()
    document["dimensions"][0]["indicators"][0]["evidence"] = "Salinan peraturan"
    assert load_framework(document).structure_revision == revision + 2
    scoring._specs.update(kept)  # what another process still holds
    after = scoring.framework_indicator(fresh(answered).framework, "policy-01")
    assert after.evidence == "Salinan peraturan"


def read(*frameworks):
    return list(Framework.objects.filter(pk__in=[f.pk for f in frameworks]))


def test_the_structures_of_many_frameworks_are_built_together_and_kept(
    framework, django_assert_num_queries
):
    other = make_framework(code="other", dimensions=("policy", "institutions", "planning"))
    frameworks = read(framework, other)
    with django_assert_num_queries(4):
        specs = scoring.framework_specs(frameworks)
    assert [d.code for d in specs[other.pk].dimensions] == ["policy", "institutions", "planning"]
    frameworks = read(framework, other)[::-1]
    with django_assert_num_queries(0):
        assert scoring.framework_specs(frameworks) == specs
        assert scoring.framework_spec(other) is specs[other.pk]
        indicator = scoring.framework_indicator(other, "institutions-02")
    assert indicator.dimension.code == "institutions"
    assert indicator.dimension.framework_id == other.pk


def test_only_the_reloaded_framework_among_many_is_built_again(
    framework, django_assert_num_queries
):
    other = make_framework(code="other")
    specs = scoring.framework_specs(read(framework, other))
    kept = dict(scoring._specs)
    load_framework(reweighted(3))
    scoring._specs.update(kept)  # what another process still holds
    frameworks = read(framework, other)
    with django_assert_num_queries(4):
        again = scoring.framework_specs(frameworks)
    assert again[other.pk] is specs[other.pk]
    policy = next(d for d in again[framework.pk].dimensions if d.code == "policy")
    assert policy.indicators[0].weight == 3
    reloaded = next(f for f in frameworks if f.pk == framework.pk)
    with django_assert_num_queries(0):
        assert scoring.framework_indicator(reloaded, "policy-01").weight == 3
