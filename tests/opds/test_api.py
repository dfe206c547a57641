import pytest
from rest_framework.test import APIClient

from tests.opds.factories import TEST_PASSWORD, OPDFactory, RegencyFactory


@pytest.fixture
def api():
    return APIClient()


def test_token_endpoint_returns_a_token_that_authenticates(api, scoped_world, head):
    response = api.post(
        "/api/v1/auth/token/", {"username": "kadis.gumas", "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/regions/").status_code == 200


def test_token_endpoint_refuses_a_wrong_password(api, head):
    response = api.post("/api/v1/auth/token/", {"username": "kadis.gumas", "password": "salah"})
    assert response.status_code == 400
    assert "token" not in response.json()


def test_api_requires_authentication(api, scoped_world):
    assert api.get("/api/v1/regions/").status_code in {401, 403}


def test_regions_have_the_documented_fields_and_pagination(api, scoped_world, reviewer):
    api.force_authenticate(reviewer)
    body = api.get("/api/v1/regions/").json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert body["count"] == 3
    gunung_mas = next(row for row in body["results"] if row["code"] == "62.10")
    assert gunung_mas["name"] == "Kabupaten Gunung Mas"
    assert gunung_mas["kind"] == "regency"
    assert gunung_mas["parent"] == "62"


def test_region_detail_is_keyed_by_code(api, scoped_world, reviewer):
    api.force_authenticate(reviewer)
    assert api.get("/api/v1/regions/62.10/").json()["name"] == "Kabupaten Gunung Mas"


def test_region_outside_scope_is_404(api, scoped_world, head):
    api.force_authenticate(head)
    assert api.get("/api/v1/regions/62.06/").status_code == 404
    assert [row["code"] for row in api.get("/api/v1/regions/").json()["results"]] == ["62.10"]


def test_opds_have_the_documented_fields_and_filter_by_region(api, scoped_world, reviewer):
    api.force_authenticate(reviewer)
    body = api.get("/api/v1/opds/", {"region": "62.10"}).json()
    assert body["count"] == 2
    row = next(r for r in body["results"] if r["short_name"] == "Disdukcapil")
    assert set(row) >= {"id", "region", "name", "short_name", "kind", "active"}
    assert row["region"] == "62.10"
    assert row["active"] is True


def test_opd_staff_sees_only_own_region_opds(api, scoped_world, opd_staff):
    api.force_authenticate(opd_staff)
    names = {row["name"] for row in api.get("/api/v1/opds/").json()["results"]}
    assert names == {scoped_world["kominfo"].name, scoped_world["dukcapil"].name}
    assert api.get(f"/api/v1/opds/{scoped_world['katingan_opd'].pk}/").status_code == 404


def test_page_size_is_capped_at_500(api, province, admin_user):
    regency = RegencyFactory(parent=province)
    OPDFactory.create_batch(510, region=regency)
    api.force_authenticate(admin_user)
    body = api.get("/api/v1/opds/", {"page_size": 1000}).json()
    assert body["count"] == 510
    assert len(body["results"]) == 500
    assert body["next"]


def test_api_is_read_only_for_regions_and_opds(api, scoped_world, admin_user):
    api.force_authenticate(admin_user)
    assert api.post("/api/v1/regions/", {"code": "62.99"}).status_code == 405
    assert api.delete(f"/api/v1/opds/{scoped_world['kominfo'].pk}/").status_code == 405


@pytest.mark.parametrize("url", ["/api/v1/regions/", "/api/v1/opds/"])
def test_list_endpoints_take_a_bounded_number_of_queries(
    api, province, reviewer, django_assert_max_num_queries, url
):
    for number in range(1, 15):
        OPDFactory.create_batch(
            20, region=RegencyFactory(parent=province, code=f"{number + 20:02d}")
        )
    api.force_authenticate(reviewer)
    with django_assert_max_num_queries(5):
        response = api.get(url, {"page_size": 500})
    assert response.status_code == 200
    assert response.json()["count"] >= 14


def test_schema_and_docs_are_served_locally(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/regions/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower()
