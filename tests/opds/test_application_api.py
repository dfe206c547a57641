import pytest
from rest_framework.test import APIClient

from opds.models import Application
from tests.opds.factories import ApplicationFactory, OPDFactory, RegencyFactory

URL = "/api/v1/applications/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def catalogue(scoped_world):
    return {
        "portal": ApplicationFactory(
            opd=scoped_world["kominfo"], name="Portal Resmi", description="Berita dan agenda"
        ),
        "siak": ApplicationFactory(
            opd=scoped_world["dukcapil"], name="SIAK", platform="desktop", status="development"
        ),
        "katingan": ApplicationFactory(opd=scoped_world["katingan_opd"], name="Portal Katingan"),
        "other": ApplicationFactory(opd=scoped_world["other_opd"], name="Portal Tanah Laut"),
    }


def names(response):
    return {row["name"] for row in response.json()["results"]}


def test_applications_have_the_documented_fields(api, catalogue, reviewer):
    api.force_authenticate(reviewer)
    body = api.get(URL).json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert body["count"] == 3
    row = next(row for row in body["results"] if row["name"] == "SIAK")
    assert set(row) >= {"id", "opd", "name", "description", "url", "platform", "status"}
    assert row["opd"] == catalogue["siak"].opd_id
    assert (row["platform"], row["status"], row["region"]) == ("desktop", "development", "62.10")


def test_list_filters_by_opd_region_status_platform_and_search(api, catalogue, reviewer):
    api.force_authenticate(reviewer)
    assert names(api.get(URL, {"region": "62.06"})) == {"Portal Katingan"}
    assert names(api.get(URL, {"opd": catalogue["siak"].opd_id})) == {"SIAK"}
    assert names(api.get(URL, {"status": "development"})) == {"SIAK"}
    assert names(api.get(URL, {"platform": "web"})) == {"Portal Resmi", "Portal Katingan"}
    assert names(api.get(URL, {"search": "agenda"})) == {"Portal Resmi"}
    assert names(api.get(URL, {"search": "katingan"})) == {"Portal Katingan"}


def test_opd_staff_read_their_region_only(api, catalogue, opd_staff):
    api.force_authenticate(opd_staff)
    assert names(api.get(URL)) == {"Portal Resmi", "SIAK"}
    assert api.get(f"{URL}{catalogue['katingan'].pk}/").status_code == 404


def test_only_opd_and_name_are_needed_to_create(api, scoped_world, opd_staff):
    api.force_authenticate(opd_staff)
    response = api.post(URL, {"opd": scoped_world["kominfo"].pk, "name": "E-Office"})
    assert response.status_code == 201, response.json()
    application = Application.objects.get(pk=response.json()["id"])
    assert (application.platform, application.status) == ("web", "active")
    assert application.history.get().history_user == opd_staff


def test_creating_in_another_opd_is_403(api, scoped_world, opd_staff):
    api.force_authenticate(opd_staff)
    response = api.post(URL, {"opd": scoped_world["dukcapil"].pk, "name": "E-Office"})
    assert response.status_code == 403
    response = api.post(URL, {"opd": scoped_world["katingan_opd"].pk, "name": "E-Office"})
    assert response.status_code == 400
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"url": "bukan alamat"}, "url"),
        ({"year_built": 1900}, "year_built"),
        ({"year_built": 2019, "last_developed_year": 2010}, "last_developed_year"),
        ({"platform": "tablet"}, "platform"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_values_answer_400_with_the_field(api, scoped_world, opd_staff, payload, field):
    api.force_authenticate(opd_staff)
    response = api.post(URL, {"opd": scoped_world["kominfo"].pk, "name": "Uji", **payload})
    assert response.status_code == 400
    assert field in response.json()
    assert not Application.objects.exists()


def test_duplicate_name_answers_400(api, catalogue, opd_staff):
    api.force_authenticate(opd_staff)
    response = api.post(URL, {"opd": catalogue["portal"].opd_id, "name": "portal resmi"})
    assert response.status_code == 400
    assert "sudah memiliki aplikasi" in response.json()["name"][0]


def test_owner_updates_and_deletes_with_history(api, catalogue, opd_staff):
    api.force_authenticate(opd_staff)
    portal = catalogue["portal"]
    response = api.patch(
        f"{URL}{portal.pk}/", {"status": "inactive", "version": portal.version}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "inactive"
    assert portal.history.latest().history_user == opd_staff
    assert api.delete(f"{URL}{portal.pk}/").status_code == 204
    assert not Application.objects.filter(pk=portal.pk).exists()
    assert Application.history.filter(id=portal.pk).latest().history_type == "-"


def test_writing_a_visible_application_of_another_opd_is_403(api, catalogue, opd_staff):
    api.force_authenticate(opd_staff)
    siak = catalogue["siak"]
    assert api.patch(f"{URL}{siak.pk}/", {"name": "X"}, format="json").status_code == 403
    assert api.delete(f"{URL}{siak.pk}/").status_code == 403
    siak.refresh_from_db()
    assert siak.name == "SIAK"


def test_writing_an_invisible_application_is_404(api, catalogue, opd_staff):
    api.force_authenticate(opd_staff)
    katingan = catalogue["katingan"]
    assert api.patch(f"{URL}{katingan.pk}/", {"name": "X"}, format="json").status_code == 404
    assert api.delete(f"{URL}{katingan.pk}/").status_code == 404


def test_moving_an_application_to_another_opd_is_403(api, catalogue, opd_staff):
    api.force_authenticate(opd_staff)
    portal = catalogue["portal"]
    response = api.patch(
        f"{URL}{portal.pk}/",
        {"opd": catalogue["siak"].opd_id, "version": portal.version},
        format="json",
    )
    assert response.status_code == 403
    portal.refresh_from_db()
    assert portal.opd_id != catalogue["siak"].opd_id


@pytest.mark.parametrize("user", ["reviewer", "head"])
def test_reviewers_and_heads_read_but_do_not_write(api, catalogue, request, user):
    api.force_authenticate(request.getfixturevalue(user))
    portal = catalogue["portal"]
    assert api.get(f"{URL}{portal.pk}/").status_code == 200
    assert api.patch(f"{URL}{portal.pk}/", {"name": "X"}, format="json").status_code == 403
    response = api.post(URL, {"opd": portal.opd_id, "name": "Baru"})
    assert response.status_code == 403


def test_list_takes_a_bounded_number_of_queries(
    api, province, reviewer, django_assert_max_num_queries
):
    regency = RegencyFactory(parent=province, code="30")
    opds = OPDFactory.create_batch(10, region=regency)
    applications = [ApplicationFactory(opd=opds[n % 10]) for n in range(120)]
    for application in applications:
        application.user_opds.set(opds[:2])
        application.integrations.set(applications[:2])
    api.force_authenticate(reviewer)
    with django_assert_max_num_queries(7):
        response = api.get(URL, {"page_size": 500})
    assert response.json()["count"] == 120
    assert len(response.json()["results"][5]["user_opds"]) == 2


def test_a_description_beyond_its_limit_is_400_naming_the_field(api, scoped_world, opd_staff):
    api.force_authenticate(opd_staff)
    payload = {"opd": scoped_world["kominfo"].pk, "name": "E-Office", "description": "x" * 5001}
    response = api.post(URL, payload, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "description": ["Isi bidang ini tidak boleh melebihi 5000 karakter."]
    }
    assert not Application.objects.exists()
    payload["description"] = "x" * 5000
    assert api.post(URL, payload, format="json").status_code == 201


def test_the_ids_of_user_opds_and_integrations_are_checked_as_a_list(
    api, catalogue, scoped_world, opd_staff
):
    """Read with one query, the lists refuse what DRF's own per-id fields refuse."""
    api.force_authenticate(opd_staff)
    kominfo = scoped_world["kominfo"]
    unseen = catalogue["katingan"].pk  # another region's: not the operator's to name

    def refusal(**lists):
        response = api.post(URL, {"opd": kominfo.pk, "name": "E-Office", **lists}, format="json")
        assert response.status_code == 400
        return response.json()

    assert list(refusal(integrations=[catalogue["siak"].pk, unseen])) == ["integrations"]
    assert str(unseen) in refusal(integrations=[unseen])["integrations"][0]
    assert list(refusal(user_opds=["satu"])) == ["user_opds"]
    assert list(refusal(user_opds=[True])) == ["user_opds"]
    assert list(refusal(user_opds=str(kominfo.pk))) == ["user_opds"]
    payload = {"opd": kominfo.pk, "name": "E-Office", "user_opds": [kominfo.pk, kominfo.pk]}
    payload["integrations"] = [catalogue["siak"].pk, catalogue["portal"].pk]
    response = api.post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    created = Application.objects.get(pk=response.json()["id"])
    assert set(created.integrations.all()) == {catalogue["siak"], catalogue["portal"]}
    assert list(created.user_opds.all()) == [kominfo]
