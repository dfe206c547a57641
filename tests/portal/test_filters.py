"""Filters are defined once per list and shared by its page and the API: an invalid value is a
400 naming the parameter in the API and an error beside the filter on the page."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.assessments.factories import make_assessment, make_framework
from tests.opds.factories import ApplicationFactory

TOO_BIG = "99999999999999999999"

INVALID_API_FILTERS = [
    ("/api/v1/regions/", "kind", "planet"),
    ("/api/v1/regions/", "parent", "enam-dua"),
    ("/api/v1/opds/", "region", "62.1"),
    ("/api/v1/opds/", "region", "x" * 300),
    ("/api/v1/opds/", "active", "maybe"),
    ("/api/v1/applications/", "status", "retired"),
    ("/api/v1/applications/", "platform", "fax"),
    ("/api/v1/applications/", "opd", "-1"),
    ("/api/v1/applications/", "opd", TOO_BIG),
    ("/api/v1/applications/", "opd", "abc"),
    ("/api/v1/applications/", "region", "'; --"),
    ("/api/v1/applications/", "search", "x" * 101),
    ("/api/v1/assessments/", "year", "abc"),
    ("/api/v1/assessments/", "year", "1999"),
    ("/api/v1/assessments/", "year", "2101"),
    ("/api/v1/assessments/", "year", TOO_BIG),
    ("/api/v1/assessments/", "status", "done"),
    ("/api/v1/assessments/", "region", "Gunung Mas"),
    ("/api/v1/masterplans/", "status", "archived"),
    ("/api/v1/masterplans/", "region", "62-10"),
    ("/api/v1/rankings/", "year", "abc"),
    ("/api/v1/rankings/", "year", TOO_BIG),
    ("/api/v1/rankings/", "province", "enam dua"),
]


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.parametrize(("url", "name", "value"), INVALID_API_FILTERS)
def test_an_invalid_filter_value_is_a_400_naming_the_parameter(
    api, scoped_world, reviewer, url, name, value
):
    api.force_authenticate(reviewer)
    response = api.get(url, {name: value})
    assert response.status_code == 400, response.content
    messages = response.json()[name]
    assert messages and all(isinstance(message, str) and message for message in messages)


def test_a_year_out_of_range_says_which_years_are_served(api, reviewer):
    api.force_authenticate(reviewer)
    response = api.get("/api/v1/assessments/", {"year": "1999"})
    assert response.json() == {"year": ["Tahun harus berupa angka 2000–2100."]}


def test_valid_filters_keep_their_meaning(api, scoped_world, reviewer):
    framework = make_framework()
    make_assessment(reviewer, scoped_world["gunung_mas"], framework, year=2019)
    make_assessment(reviewer, scoped_world["katingan"], framework, year=2020)
    ApplicationFactory(opd=scoped_world["kominfo"], name="SIMPEG", description="kepegawaian")
    ApplicationFactory(opd=scoped_world["katingan_opd"], name="Portal", status="inactive")
    api.force_authenticate(reviewer)

    def count(url, **params):
        return api.get(url, params).json()["count"]

    assert count("/api/v1/assessments/", year=2019) == 1
    assert count("/api/v1/assessments/", region="62.06") == 1
    assert count("/api/v1/assessments/", status="draft", year="2020") == 1
    assert count("/api/v1/applications/", search="PEGAWAI") == 1
    assert count("/api/v1/applications/", status="inactive") == 1
    assert count("/api/v1/applications/", opd=scoped_world["kominfo"].pk) == 1
    assert count("/api/v1/applications/", region="62.10") == 1
    # A well-formed code of a region out of sight filters to nothing, as an unknown one.
    assert count("/api/v1/applications/", region="63.01") == 0
    assert count("/api/v1/opds/", region="62.10", active="true") == 2
    assert count("/api/v1/opds/", active="false") == 0
    assert count("/api/v1/regions/", kind="regency", parent="62") == 2


@pytest.mark.parametrize(
    ("url_name", "params", "field"),
    [
        ("opds:opd_list", {"region": "62.1"}, "region"),
        ("opds:application_list", {"status": "retired"}, "status"),
        ("opds:application_list", {"opd": TOO_BIG}, "opd"),
        ("assessments:assessment_list", {"year": "abc"}, "year"),
        ("assessments:assessment_list", {"year": TOO_BIG}, "year"),
        ("assessments:assessment_list", {"status": "done"}, "status"),
        ("masterplan:masterplan_list", {"status": "archived"}, "status"),
    ],
)
def test_an_invalid_filter_on_a_page_shows_the_error_beside_the_filter(
    client, scoped_world, reviewer, url_name, params, field
):
    client.force_login(reviewer)
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert str(form.errors[field][0]) in response.content.decode()


def test_the_catalogue_export_applies_the_same_filters(client, scoped_world, reviewer):
    ApplicationFactory(opd=scoped_world["kominfo"], name="SIMPEG", status="active")
    ApplicationFactory(opd=scoped_world["kominfo"], name="SIAK", status="inactive")
    client.force_login(reviewer)
    url = reverse("opds:application_export", kwargs={"file_format": "csv"})
    content = client.get(url, {"status": "inactive"}).content.decode()
    assert "SIAK" in content and "SIMPEG" not in content
