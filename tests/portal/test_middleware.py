import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from opds.models import Application

MB = 1024 * 1024
CREATE = reverse("opds:application_create")
TOO_LARGE = "Data yang dikirim terlalu besar dan tidak diproses."


def form(opd, **overrides):
    return {
        "opd": opd.pk,
        "name": "E-Office",
        "status": "active",
        "platform": "web",
        "developer": "in_house",
        **overrides,
    }


def test_a_20_mb_description_on_the_page_is_refused_with_the_limits(
    client, scoped_world, opd_staff
):
    client.force_login(opd_staff)
    response = client.post(CREATE, form(scoped_world["kominfo"], description="x" * 20 * MB))
    assert response.status_code == 413
    content = response.content.decode()
    assert TOO_LARGE in content
    assert "paling banyak 2,5\xa0MB" in content
    assert "paling banyak 5.000 karakter" in content
    assert "tombol Kembali" in content
    assert not Application.objects.exists()


def test_a_plain_form_post_beyond_the_limit_is_refused_before_it_is_read(
    client, scoped_world, opd_staff
):
    client.force_login(opd_staff)
    body = "opd={}&name=E-Office&description={}".format(scoped_world["kominfo"].pk, "x" * 3 * MB)
    response = client.post(CREATE, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert not Application.objects.exists()


def test_form_fields_beyond_the_limit_beside_a_file_are_refused_too(client, opd_staff):
    # Within the size a file upload may have, but the text fields alone exceed their limit.
    client.force_login(opd_staff)
    response = client.post(
        reverse("opds:application_import"),
        {"file": SimpleUploadedFile("katalog.csv", b"opd,name\n"), "note": "x" * 3 * MB},
    )
    assert response.status_code == 413


def test_htmx_gets_the_message_as_text_and_replaces_nothing(client, scoped_world, opd_staff):
    client.force_login(opd_staff)
    response = client.post(
        CREATE, form(scoped_world["kominfo"], description="x" * 3 * MB), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith(TOO_LARGE)


def test_a_20_mb_description_through_the_api_is_refused_as_json(scoped_world, opd_staff):
    api = APIClient()
    api.force_authenticate(opd_staff)
    payload = {"opd": scoped_world["kominfo"].pk, "name": "E-Office", "description": "x" * 20 * MB}
    response = api.post("/api/v1/applications/", payload, format="json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["detail"].startswith(TOO_LARGE)
    assert not Application.objects.exists()


def test_an_upload_larger_than_any_file_the_portal_takes_is_refused_unread(client, opd_staff):
    client.force_login(opd_staff)
    response = client.post(
        reverse("opds:application_import"),
        {"file": SimpleUploadedFile("katalog.csv", b"x" * 13 * MB)},
    )
    assert response.status_code == 413
    assert "berkas paling besar 10,0\xa0MB" in response.content.decode()


def test_text_within_the_request_limit_reaches_the_form_and_its_own_limit(
    client, scoped_world, opd_staff
):
    client.force_login(opd_staff)
    response = client.post(CREATE, form(scoped_world["kominfo"], description="x" * MB))
    assert response.status_code == 200
    assert "paling banyak 5000 karakter" in response.context["form"].errors["description"][0]
