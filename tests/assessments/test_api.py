import pytest
from rest_framework.test import APIClient

from assessments import workflow
from assessments.models import Answer, Assessment
from assessments.scoring import assessment_result, framework_spec
from tests.assessments.factories import make_assessment


@pytest.fixture
def api():
    return APIClient()


def answer_url(assessment, code):
    return f"/api/v1/assessments/{assessment.pk}/answers/{code}/"


def test_framework_detail_has_dimensions_indicators_and_levels(api, framework, reviewer):
    api.force_authenticate(reviewer)
    assert api.get("/api/v1/frameworks/").json()["results"][0]["code"] == "mini"
    body = api.get("/api/v1/frameworks/mini/").json()
    assert (body["scale_min"], body["scale_max"]) == (1, 4)
    policy = body["dimensions"][0]
    assert (policy["code"], policy["weight"]) == ("policy", 1.0)
    indicator = policy["indicators"][0]
    assert indicator["code"] == "policy-01"
    assert [level["level"] for level in indicator["levels"]] == [1, 2, 3, 4]


def test_assessment_detail_shows_the_same_numbers_as_the_scoring_function(
    api, draft, indicators, reviewer
):
    workflow.answer_save(draft, indicators["policy-01"], user=reviewer, version=0, verified_level=3)
    workflow.answer_save(draft, indicators["policy-02"], user=reviewer, version=0, verified_level=2)
    workflow.answer_save(
        draft, indicators["planning-01"], user=reviewer, version=0, verified_level=4
    )
    api.force_authenticate(reviewer)
    body = api.get(f"/api/v1/assessments/{draft.pk}/").json()
    result = assessment_result(draft)
    assert body["region"] == "62.10" and body["framework"] == "mini" and body["status"] == "draft"
    assert body["index"] == float(result.index) == 3.25
    assert body["rating"] == "Baik"
    assert body["completeness"] == 75.0
    assert body["dimensions"][0] == {
        "code": "policy",
        "score": 2.5,
        "rating": "Kurang",
        "answered": 2,
        "total": 2,
        "aspects": [],
    }


def test_assessments_filter_by_region_year_and_status(
    api, framework, reviewer, gunung_mas, katingan
):
    make_assessment(reviewer, gunung_mas, framework, year=2019)
    make_assessment(reviewer, katingan, framework, year=2019)
    make_assessment(reviewer, gunung_mas, framework, year=2020)
    api.force_authenticate(reviewer)
    assert api.get("/api/v1/assessments/", {"region": "62.10"}).json()["count"] == 2
    assert api.get("/api/v1/assessments/", {"year": 2019}).json()["count"] == 2
    assert api.get("/api/v1/assessments/", {"status": "final"}).json()["count"] == 0


def test_create_an_assessment(api, framework, reviewer, gunung_mas):
    api.force_authenticate(reviewer)
    response = api.post(
        "/api/v1/assessments/",
        {"region": "62.10", "year": 2021, "framework": "mini"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "draft"
    again = api.post(
        "/api/v1/assessments/",
        {"region": "62.10", "year": 2021, "framework": "mini"},
        format="json",
    )
    assert again.status_code == 400
    assert Assessment.objects.count() == 1


def test_head_cannot_create_for_another_region(api, framework, head, katingan):
    api.force_authenticate(head)
    response = api.post(
        "/api/v1/assessments/",
        {"region": "62.06", "year": 2021, "framework": "mini"},
        format="json",
    )
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_answer_get_put_patch(api, draft, reviewer):
    api.force_authenticate(reviewer)
    body = api.get(answer_url(draft, "policy-01")).json()
    assert body["version"] == 0 and body["verified_level"] is None
    response = api.put(
        answer_url(draft, "policy-01"),
        {"verified_level": 3, "note": "Perbup 2017", "version": 0},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 1
    response = api.patch(
        answer_url(draft, "policy-01"), {"note": "Perbup 22/2017", "version": 1}, format="json"
    )
    assert response.json()["note"] == "Perbup 22/2017"
    assert response.json()["verified_level"] == 3
    listing = api.get(f"/api/v1/assessments/{draft.pk}/answers/").json()
    assert [row["indicator"] for row in listing["results"]] == ["policy-01"]


def test_a_level_outside_the_scale_is_400_naming_the_range(api, draft, reviewer):
    api.force_authenticate(reviewer)
    response = api.patch(
        answer_url(draft, "policy-01"), {"verified_level": 9, "version": 0}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["verified_level"] == ["Pilih level antara 1 dan 4."]


def test_a_write_without_version_is_400(api, draft, reviewer):
    api.force_authenticate(reviewer)
    response = api.patch(answer_url(draft, "policy-01"), {"verified_level": 2}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()


def test_a_differing_verified_level_without_reason_is_400(api, draft, indicators, head, reviewer):
    workflow.answer_save(draft, indicators["policy-01"], user=head, version=0, self_level=4)
    api.force_authenticate(reviewer)
    response = api.patch(
        answer_url(draft, "policy-01"), {"verified_level": 2, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()


def test_a_stale_version_is_409_with_the_current_answer(
    api, draft, indicators, reviewer, admin_user
):
    workflow.answer_save(draft, indicators["policy-01"], user=reviewer, version=0, verified_level=3)
    api.force_authenticate(admin_user)
    response = api.patch(
        answer_url(draft, "policy-01"), {"verified_level": 1, "version": 0}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current"]["verified_level"] == 3
    assert response.json()["current"]["version"] == 1
    assert Answer.objects.get().verified_level == 3


def test_unknown_indicator_is_404(api, draft, reviewer):
    api.force_authenticate(reviewer)
    assert api.get(answer_url(draft, "tidak-ada")).status_code == 404


def test_opd_staff_gets_no_scoring_at_all(api, draft, opd_staff):
    api.force_authenticate(opd_staff)
    assert api.get("/api/v1/assessments/").json()["count"] == 0
    assert api.get(f"/api/v1/assessments/{draft.pk}/").status_code == 404
    assert (
        api.patch(
            answer_url(draft, "policy-01"), {"self_level": 2, "version": 0}, format="json"
        ).status_code
        == 404
    )
    assert not Answer.objects.exists()


def test_transition_endpoint_and_its_errors(api, draft, indicators, head, reviewer, admin_user):
    api.force_authenticate(head)
    url = f"/api/v1/assessments/{draft.pk}/transition/"
    response = api.post(url, {"to": "submitted"}, format="json")
    assert response.status_code == 400  # self-assessment incomplete
    for indicator in indicators.values():
        workflow.answer_save(draft, indicator, user=head, version=0, self_level=3)
    assert api.post(url, {"to": "final"}, format="json").status_code == 409
    assert api.post(url, {"to": "in_review"}, format="json").status_code == 403  # a reviewer's step
    response = api.post(url, {"to": "submitted", "note": "Selesai"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    api.force_authenticate(reviewer)
    assert api.post(url, {"to": "in_review"}, format="json").json()["status"] == "in_review"
    for indicator in indicators.values():
        workflow.answer_save(draft, indicator, user=reviewer, version=1, verified_level=3)
    assert api.post(url, {"to": "final"}, format="json").json()["status"] == "final"
    response = api.patch(
        answer_url(draft, "policy-01"), {"verified_level": 1, "version": 2}, format="json"
    )
    assert response.status_code == 409
    assert api.post(url, {"to": "in_review", "note": "x"}, format="json").status_code == 403
    api.force_authenticate(admin_user)
    assert api.post(url, {"to": "in_review"}, format="json").status_code == 400
    assert (
        api.post(url, {"to": "in_review", "note": "Koreksi"}, format="json").json()["status"]
        == "in_review"
    )


def test_assessment_list_takes_a_bounded_number_of_queries(
    api, framework, province, reviewer, django_assert_max_num_queries
):
    from tests.opds.factories import RegencyFactory

    for _ in range(10):
        assessment = make_assessment(
            reviewer, RegencyFactory(parent=province), framework, year=2019
        )
        for code in ("policy-01", "planning-02"):
            indicator = framework.dimensions.get(code=code.split("-")[0]).indicators.get(code=code)
            workflow.answer_save(assessment, indicator, user=reviewer, version=0, verified_level=2)
    api.force_authenticate(reviewer)
    with django_assert_max_num_queries(10):
        body = api.get("/api/v1/assessments/").json()
    assert body["count"] == 10
    assert all(row["index"] == 2.0 for row in body["results"])


def test_a_note_beyond_its_limit_is_400_naming_the_field(api, draft, reviewer):
    api.force_authenticate(reviewer)
    response = api.patch(
        answer_url(draft, "policy-01"),
        {"version": 0, "verified_level": 3, "note": "x" * 5001},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"note": ["Isi bidang ini tidak boleh melebihi 5000 karakter."]}
    assert not Answer.objects.exists()


def test_a_transition_note_beyond_its_limit_is_400(api, draft, reviewer):
    api.force_authenticate(reviewer)
    response = api.post(
        f"/api/v1/assessments/{draft.pk}/transition/",
        {"to": "in_review", "note": "x" * 5001},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["note"]
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.fixture
def carried_world(framework, reviewer, head, gunung_mas):
    """Gunung Mas 2020 with a self level corrected by the reviewer and a link as evidence."""
    from assessments.models import Indicator

    last_year = make_assessment(reviewer, gunung_mas, framework, year=2020)
    indicator = Indicator.objects.get(dimension__framework=framework, code="policy-01")
    workflow.answer_save(last_year, indicator, user=head, version=0, self_level=4, note="SK")
    workflow.answer_save(
        last_year, indicator, user=reviewer, version=1, verified_level=3, reason="Belum sah"
    )
    workflow.evidence_add(last_year, indicator, user=head, url="https://contoh.go.id/sk")
    return last_year


def test_create_from_last_year_carries_each_answer_to_confirm(api, carried_world, head):
    api.force_authenticate(head)
    response = api.post(
        "/api/v1/assessments/",
        {
            "region": "62.10",
            "year": 2021,
            "framework": "mini",
            "carry_forward_from": carried_world.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert "carry_forward_from" not in response.json()
    created = Assessment.objects.get(pk=response.json()["id"])
    answer = api.get(answer_url(created, "policy-01")).json()
    assert answer["self_level"] == 3
    assert answer["verified_level"] is None
    assert answer["note"] == "SK"
    assert (answer["carried_forward"], answer["awaiting_confirmation"]) == (True, True)
    assert [item["url"] for item in answer["evidence"]] == ["https://contoh.go.id/sk"]
    # PATCH with the same level confirms it.
    confirmed = api.patch(
        answer_url(created, "policy-01"), {"self_level": 3, "version": 1}, format="json"
    )
    assert confirmed.status_code == 200, confirmed.json()
    assert (confirmed.json()["awaiting_confirmation"], confirmed.json()["version"]) == (False, 2)
    # The flag is the portal's to set, not the caller's.
    ignored = api.patch(
        answer_url(created, "policy-01"),
        {"awaiting_confirmation": True, "version": 2},
        format="json",
    )
    assert ignored.json()["awaiting_confirmation"] is False


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "sebagai angka"),
        (999999, "tidak ditemukan"),
        ("outside", "tidak ditemukan"),
        ("katingan", "wilayah yang sama"),
        ("later", "tahun sebelum 2021"),
    ],
)
def test_create_from_an_unfit_assessment_is_400_saying_why(
    api, carried_world, reviewer, katingan, other_province_regency, admin_user, value, message
):
    others = {
        "outside": lambda: make_assessment(
            admin_user, other_province_regency, carried_world.framework
        ),
        "katingan": lambda: make_assessment(reviewer, katingan, carried_world.framework),
        "later": lambda: make_assessment(
            reviewer, carried_world.region, carried_world.framework, year=2022
        ),
    }
    if value in others:
        value = others[value]().pk
    count = Assessment.objects.count()
    api.force_authenticate(reviewer)
    response = api.post(
        "/api/v1/assessments/",
        {"region": "62.10", "year": 2021, "framework": "mini", "carry_forward_from": value},
        format="json",
    )
    assert response.status_code == 400
    assert message in " ".join(response.json()["carry_forward_from"])
    assert Assessment.objects.count() == count


def test_create_from_last_year_takes_as_many_queries_for_many_indicators_as_for_few(
    api, reviewer, head, gunung_mas, katingan
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.assessments.factories import make_framework

    framework = make_framework(
        code="besar", dimensions=("policy", "planning", "institutions"), per_dimension=8
    )
    from assessments.models import Indicator

    indicators = list(Indicator.objects.filter(dimension__framework=framework))
    framework_spec(framework)  # the structure each process builds once per framework revision
    counts = []
    for region, answered in ((gunung_mas, indicators[:2]), (katingan, indicators)):
        last_year = make_assessment(reviewer, region, framework, year=2020)
        for indicator in answered:
            workflow.answer_save(last_year, indicator, user=reviewer, version=0, verified_level=2)
            workflow.evidence_add(last_year, indicator, user=reviewer, url="https://contoh.go.id/")
        api.force_authenticate(reviewer)
        with CaptureQueriesContext(connection) as queries:
            response = api.post(
                "/api/v1/assessments/",
                {
                    "region": region.code,
                    "year": 2021,
                    "framework": "besar",
                    "carry_forward_from": last_year.pk,
                },
                format="json",
            )
        assert response.status_code == 201, response.json()
        counts.append(len(queries))
    assert Answer.objects.filter(assessment__year=2021).count() == 26
    assert counts[0] == counts[1]
