from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from masterplan.models import MasterPlan, Target
from masterplan.progress import plan_progress
from opds.models import Membership
from tests.opds.factories import user_with_role

LIST = "/api/v1/masterplans/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def katingan_head(katingan):
    return user_with_role(Membership.Role.HEAD, region=katingan, username="kadis.katingan")


def realisation_url(plan):
    return f"{LIST}{plan.pk}/realisation/"


def test_the_list_has_the_documented_fields_and_is_paginated(api, plan, reviewer):
    api.force_authenticate(reviewer)
    body = api.get(LIST).json()
    assert set(body) >= {"count", "next", "previous", "results"}
    (row,) = body["results"]
    assert set(row) >= {"id", "region", "title", "start_year", "end_year", "status", "programmes"}
    assert row["region"] == "62.10"
    assert (row["start_year"], row["end_year"], row["status"]) == (2017, 2020, "in_force")
    (programme,) = row["programmes"]
    assert programme["dimension"] == "infrastructure"
    target = programme["targets"][0]
    assert set(target) >= {
        "year",
        "baseline",
        "target",
        "realisation",
        "budget_planned",
        "budget_realised",
    }
    assert target["budget_planned"] == 1_250_000_000
    assert target["budget_realised"] == 1_000_000_000


def test_the_progress_figures_are_those_of_the_progress_module(api, plan, reviewer):
    api.force_authenticate(reviewer)
    row = api.get(f"{LIST}{plan.pk}/").json()
    figures = plan_progress(MasterPlan.objects.for_overview().get(pk=plan.pk))
    assert Decimal(str(row["progress"])) == figures.percent == Decimal("50.0")
    assert Decimal(str(row["budget_absorption"])) == figures.budget.absorption
    programme = row["programmes"][0]
    assert programme["status"] == "behind"
    assert [t["progress"] for t in programme["targets"]] == [100.0, None]
    assert programme["targets"][0]["budget_absorption"] == 80.0
    infrastructure = next(d for d in row["dimensions"] if d["dimension"] == "infrastructure")
    assert infrastructure["progress"] == 50.0
    assert [y["year"] for y in row["years"]] == [2017, 2018, 2019, 2020]
    assert {s["dimension"] for s in row["scores"]} >= {"policy", "planning"}


def test_the_list_filters_by_region(api, plan, katingan_plan, reviewer):
    api.force_authenticate(reviewer)
    assert api.get(LIST).json()["count"] == 2
    body = api.get(LIST, {"region": "62.06"}).json()
    assert [row["title"] for row in body["results"]] == ["Masterplan e-Government Katingan"]


def test_heads_see_their_own_region_and_opd_staff_nothing(
    api, plan, katingan_plan, head, opd_staff
):
    api.force_authenticate(head)
    assert [row["region"] for row in api.get(LIST).json()["results"]] == ["62.10"]
    assert api.get(f"{LIST}{katingan_plan.pk}/").status_code == 404
    api.force_authenticate(opd_staff)
    assert api.get(LIST).json()["count"] == 0
    assert api.get(f"{LIST}{plan.pk}/").status_code == 404


def test_the_list_takes_a_bounded_number_of_queries(
    api, big_plan, katingan_plan, reviewer, django_assert_max_num_queries
):
    api.force_authenticate(reviewer)
    with django_assert_max_num_queries(14):
        body = api.get(LIST).json()
    assert body["count"] == 2


def test_the_head_records_a_realisation_through_the_api(api, plan, programme, head):
    api.force_authenticate(head)
    response = api.post(
        realisation_url(plan),
        {
            "programme": programme.pk,
            "year": 2018,
            "version": 1,
            "realisation": 15,
            "budget_realised": 600_000_000,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["year"], body["realisation"], body["progress"]) == (2018, 15.0, 75.0)
    assert body["budget_absorption"] == 60.0
    target = Target.objects.get(programme=programme, year=2018)
    assert target.realisation == Decimal(15)
    assert target.updated_by == head


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"year": 2018, "realisation": -1}, "realisation", "Nilai tidak boleh negatif."),
        ({"year": 2018, "budget_realised": -1}, "budget_realised", "Anggaran tidak boleh negatif."),
        (
            {"year": 2019, "realisation": 3},
            "year",
            "Program ini tidak memiliki target untuk tahun 2019. Realisasi hanya dicatat untuk "
            "tahun yang memiliki target.",
        ),
    ],
)
def test_bad_realisations_answer_400_with_the_indonesian_message(
    api, plan, programme, head, payload, field, message
):
    api.force_authenticate(head)
    response = api.post(
        realisation_url(plan), {"programme": programme.pk, "version": 1, **payload}, format="json"
    )
    assert response.status_code == 400
    assert response.json()[field] == [message]
    target = Target.objects.get(programme=programme, year=2018)
    assert (target.realisation, target.budget_realised) == (None, None)


def test_a_programme_of_another_plan_answers_400(api, plan, katingan_plan, head):
    other = katingan_plan.programmes.get()
    api.force_authenticate(head)
    response = api.post(
        realisation_url(plan),
        {"programme": other.pk, "year": 2017, "version": 1, "realisation": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "programme" in response.json()


def test_a_reviewer_may_not_record_and_another_head_cannot_find_the_plan(
    api, plan, programme, reviewer, katingan_head
):
    payload = {"programme": programme.pk, "year": 2018, "version": 1, "realisation": 20}
    api.force_authenticate(reviewer)
    assert api.post(realisation_url(plan), payload, format="json").status_code == 403
    api.force_authenticate(katingan_head)
    assert api.post(realisation_url(plan), payload, format="json").status_code == 404
    assert Target.objects.get(programme=programme, year=2018).realisation is None


def test_the_plans_are_read_only_otherwise(api, plan, admin_user):
    api.force_authenticate(admin_user)
    assert api.delete(f"{LIST}{plan.pk}/").status_code == 405
    assert api.post(LIST, {"title": "x"}, format="json").status_code == 405


def test_the_api_needs_authentication(api, plan):
    assert api.get(LIST).status_code in {401, 403}


def test_realisation_notes_beyond_their_limit_are_400_naming_the_field(api, plan, programme, head):
    api.force_authenticate(head)
    payload = {"programme": programme.pk, "year": 2018, "version": 1, "notes": "x" * 5001}
    response = api.post(realisation_url(plan), payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["notes"]
    assert Target.objects.get(programme=programme, year=2018).notes == ""
