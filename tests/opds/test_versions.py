"""No lost writes in the inventory: a record carries a version; a save from a stale page or a
stale API read is refused with what is saved now, and saved only on purpose."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from opds.inventory import application_create, application_update
from opds.models import Application, Membership
from tests.opds.factories import user_with_role

URL = "/api/v1/applications/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def portal(kominfo, opd_staff):
    return application_create(
        user=opd_staff, opd=kominfo, name="Portal Resmi", description="Berita", status="active"
    )


@pytest.fixture
def colleague(kominfo):
    return user_with_role(Membership.Role.OPD_STAFF, opd=kominfo, username="opd.kominfo2")


def test_every_change_bumps_the_version_and_saving_nothing_does_not(portal, opd_staff):
    assert portal.version == 1
    application_update(portal, user=opd_staff, data={"description": "Berita resmi"}, version=1)
    portal.refresh_from_db()
    assert portal.version == 2
    application_update(portal, user=opd_staff, data={"description": "Berita resmi"}, version=1)
    portal.refresh_from_db()
    assert portal.version == 2


def test_the_api_refuses_a_stale_version_with_the_current_record(api, portal, opd_staff, colleague):
    api.force_authenticate(opd_staff)
    first = api.patch(f"{URL}{portal.pk}/", {"status": "inactive", "version": 1}, format="json")
    assert first.status_code == 200 and first.json()["version"] == 2
    api.force_authenticate(colleague)
    stale = api.patch(f"{URL}{portal.pk}/", {"description": "Ditimpa", "version": 1}, format="json")
    assert stale.status_code == 409
    body = stale.json()
    assert "diubah orang lain" in body["detail"]
    assert (body["current"]["status"], body["current"]["version"]) == ("inactive", 2)
    portal.refresh_from_db()
    assert (portal.description, portal.status, portal.version) == ("Berita", "inactive", 2)
    again = api.patch(f"{URL}{portal.pk}/", {"description": "Ditimpa", "version": 2}, format="json")
    assert again.status_code == 200
    portal.refresh_from_db()
    assert (portal.description, portal.status) == ("Ditimpa", "inactive")


def test_the_api_needs_the_version_to_change_a_record(api, portal, opd_staff):
    api.force_authenticate(opd_staff)
    response = api.patch(f"{URL}{portal.pk}/", {"status": "inactive"}, format="json")
    assert response.status_code == 400
    assert response.json()["version"] == ["Sertakan versi catatan yang terakhir Anda baca."]
    put = api.put(f"{URL}{portal.pk}/", {"opd": portal.opd_id, "name": "X"}, format="json")
    assert put.status_code == 400
    portal.refresh_from_db()
    assert (portal.status, portal.name) == ("active", "Portal Resmi")


@pytest.mark.parametrize("version", [-1, 0, "dua", 10**20])
def test_a_version_out_of_range_is_a_clear_400(api, portal, opd_staff, version):
    api.force_authenticate(opd_staff)
    response = api.patch(f"{URL}{portal.pk}/", {"name": "X", "version": version}, format="json")
    assert response.status_code in {400, 409}
    portal.refresh_from_db()
    assert portal.name == "Portal Resmi"


def test_the_api_serves_the_history_of_an_application(api, portal, opd_staff, reviewer, katingan):
    application_update(portal, user=opd_staff, data={"status": "inactive"}, version=1)
    api.force_authenticate(reviewer)
    response = api.get(f"{URL}{portal.pk}/history/")
    assert response.status_code == 200
    entries = response.json()["results"]
    assert entries[0]["changes"] == {"status": ["active", "inactive"]}
    assert entries[0]["user"] == "opd.kominfo"
    assert entries[-1]["kind"] == "created"
    head = user_with_role(Membership.Role.HEAD, region=katingan, username="kadis.katingan")
    api.force_authenticate(head)
    assert api.get(f"{URL}{portal.pk}/history/").status_code == 404


def edit_data(application, **changes):
    data = {
        "opd": application.opd_id,
        "name": application.name,
        "description": application.description,
        "status": application.status,
        "platform": application.platform,
        "developer": application.developer,
        "version": application.version,
    }
    data.update(changes)
    return data


def test_the_page_shows_a_conflict_and_keeps_what_was_typed(client, portal, opd_staff, colleague):
    url = reverse("opds:application_update", kwargs={"pk": portal.pk})
    client.force_login(colleague)
    opened = client.get(url).context["form"]["version"].value()
    application_update(
        portal, user=opd_staff, data={"description": "Berita dan agenda"}, version=opened
    )
    response = client.post(url, edit_data(portal, description="Layanan aduan", version=opened))
    assert response.status_code == 409
    content = response.content.decode()
    assert "Berita dan agenda" in content and "Layanan aduan" in content
    assert response.context["form"]["description"].value() == "Layanan aduan"
    assert response.context["conflict"]["differences"][0].saved == "Berita dan agenda"
    portal.refresh_from_db()
    assert portal.description == "Berita dan agenda"
    # Having seen both, the user saves again on purpose.
    version = response.context["form"]["version"].value()
    saved = client.post(url, edit_data(portal, description="Layanan aduan", version=version))
    assert saved.status_code == 302
    portal.refresh_from_db()
    assert (portal.description, portal.version) == ("Layanan aduan", 3)


def test_a_change_in_the_django_admin_is_a_new_version(client, portal, admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    url = reverse("admin:opds_application_change", args=[portal.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(description="Diubah di admin", user_opds=[], integrations=[])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    portal.refresh_from_db()
    assert (portal.description, portal.version) == ("Diubah di admin", 2)
    assert Application.history.filter(id=portal.pk).latest().history_user == admin_user
