"""Every error under /api/ is JSON with a ``detail``, including those no API view answers."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from opds.api.views import RegionViewSet
from tests.opds.factories import TEST_PASSWORD


@pytest.fixture
def api():
    return APIClient()


def assert_json_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    detail = json.loads(response.content)["detail"]
    assert isinstance(detail, str) and detail


def test_anonymous_request_to_a_protected_list_is_401_with_www_authenticate(api, db):
    response = api.get("/api/v1/applications/")
    assert_json_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Token")


def test_a_wrong_token_is_401_too(api, db):
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = api.get("/api/v1/regions/")
    assert_json_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Token")


@pytest.mark.parametrize("url", ["/api/v1/verify/?code=R62.10-2019", "/api/schema/"])
def test_endpoints_open_without_an_account_stay_open(api, db, url):
    assert api.get(url).status_code in {200, 400}
    assert api.get(url).status_code != 401


def test_the_token_endpoint_stays_open(api, head):
    response = api.post(
        "/api/v1/auth/token/", {"username": "kadis.gumas", "password": TEST_PASSWORD}
    )
    assert response.status_code == 200


def test_a_browser_session_still_works_and_its_csrf_check_is_enforced(head, scoped_world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(head)
    assert browser.get("/api/v1/regions/").status_code == 200
    response = browser.post(
        "/api/v1/applications/",
        {"opd": scoped_world["kominfo"].pk, "name": "Tanpa token CSRF"},
        content_type="application/json",
    )
    assert_json_error(response, 403)
    assert "CSRF" in response.json()["detail"]


def test_an_unknown_api_url_is_a_json_404(api, reviewer):
    api.force_authenticate(reviewer)
    assert_json_error(api.get("/api/v1/tidak-ada/"), 404)
    assert_json_error(api.get("/api/v2/regions/"), 404)


def test_an_unknown_page_is_still_the_html_404_page(client, reviewer):
    client.force_login(reviewer)
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_the_endpoint_does_not_take_is_a_json_405(api, scoped_world, admin_user):
    api.force_authenticate(admin_user)
    assert_json_error(api.delete("/api/v1/regions/62.10/"), 405)
    assert_json_error(api.put("/api/v1/rankings/", {}, format="json"), 405)


def test_not_found_and_a_wrong_method_are_said_in_the_readers_language(
    api, scoped_world, admin_user, settings
):
    api.force_authenticate(admin_user)
    missing = api.get("/api/v1/assessments/999999/")
    assert_json_error(missing, 404)
    assert missing.json()["detail"] == "Data tidak ditemukan."  # not "No Assessment matches…"
    wrong = api.delete("/api/v1/regions/62.10/")
    assert wrong.json()["detail"] == "Metode DELETE tidak dapat dipakai di alamat ini."
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert api.get("/api/v1/assessments/999999/").json()["detail"] == "Not found."
    wrong = api.delete("/api/v1/regions/62.10/")
    assert wrong.json()["detail"] == "The method DELETE cannot be used at this address."


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/applications/99999999999999999999/",
        "/api/v1/opds/99999999999999999999/",
        "/api/v1/masterplans/9223372036854775808/",
        "/api/v1/assessments/99999999999999999999/",
        "/api/v1/assessments/0/answers/",
        "/api/v1/assessments/99999999999999999999/answers/policy-01/",
    ],
)
def test_an_id_out_of_range_in_a_path_is_a_json_400_saying_why(api, reviewer, url):
    api.force_authenticate(reviewer)
    response = api.get(url)
    assert_json_error(response, 400)
    assert response.json()["detail"] == "ID harus berupa bilangan bulat positif."


def test_an_id_that_is_not_a_number_matches_no_route(api, reviewer):
    api.force_authenticate(reviewer)
    assert_json_error(api.get("/api/v1/applications/abc/"), 404)
    assert_json_error(api.get("/api/v1/applications/-1/"), 404)


def test_a_body_too_large_is_a_json_413(api, settings, scoped_world, opd_staff):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api.force_authenticate(opd_staff)
    response = api.post(
        "/api/v1/applications/",
        {"opd": scoped_world["kominfo"].pk, "name": "Besar", "description": "x" * 2000},
        format="json",
    )
    assert_json_error(response, 413)


def test_an_unexpected_failure_is_a_json_500_without_the_error(reviewer, monkeypatch):
    def broken(self):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(RegionViewSet, "get_queryset", broken)
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(reviewer)
    response = api.get("/api/v1/regions/")
    assert_json_error(response, 500)
    assert "secret" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_a_page_failure_is_still_the_html_500_page(reviewer, monkeypatch):
    from opds import views

    def broken(self):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.RegionListView, "get_queryset", broken)
    browser = Client(raise_request_exception=False)
    browser.force_login(reviewer)
    response = browser.get("/regions/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "secret" not in response.content.decode()


def test_a_refused_csrf_check_under_the_api_is_json_and_on_a_page_html(rf):
    from egov_portal.views import csrf_failure

    assert_json_error(csrf_failure(rf.post("/api/v1/applications/"), reason="no token"), 403)
    page = csrf_failure(rf.post("/accounts/login/"), reason="no token")
    assert page.status_code == 403
    assert page["Content-Type"].startswith("text/html")


def test_a_page_form_too_large_to_read_is_413(client, settings, reviewer):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client.force_login(reviewer)
    response = client.post("/accounts/logout/", {f"field{n}": "x" for n in range(20)})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
