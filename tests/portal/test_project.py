import os
import subprocess
import sys
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory
from django.views.defaults import server_error

from opds.models import OPD, Membership, Region


def run_python(code, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_healthz_reports_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_when_the_database_does_not_answer():
    # A real, unreachable PostgreSQL server: nothing listens on port 1.
    result = run_python(
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz'); print(r.status_code, r.json()['database'])",
        DJANGO_SETTINGS_MODULE="egov_portal.test_settings",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/nothing",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    assert result.stdout.strip() == "503 unavailable", result.stderr


def test_start_up_fails_clearly_without_a_secret_key_when_debug_is_off():
    result = run_python(
        "import django; django.setup()", DJANGO_SETTINGS_MODULE="egov_portal.settings"
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_mode_starts_without_a_secret_key():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        DJANGO_SETTINGS_MODULE="egov_portal.settings",
        DJANGO_DEBUG="1",
    )
    assert result.stdout.strip() == "True", result.stderr


def test_indonesian_is_the_default_language_and_jakarta_the_time_zone():
    assert settings.LANGUAGE_CODE == "id"
    assert settings.TIME_ZONE == "Asia/Jakarta"


def test_login_page_is_indonesian_by_default(client, db):
    content = client.get("/accounts/login/").content.decode()
    assert 'lang="id"' in content
    assert "Masuk ke Portal Kapabilitas e-Government" in content


def test_language_switch_to_english_translates_the_page(client, db):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True
    )
    content = response.content.decode()
    assert 'lang="en"' in content
    assert "Log in to the E-Government Capability Portal" in content


def test_wrong_password_message_does_not_say_which_part_was_wrong(client, head):
    response = client.post("/accounts/login/", {"username": "kadis.gumas", "password": "salah"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in content
    # The typed username is kept so the user need not type it again.
    assert 'value="kadis.gumas"' in content
    response = client.post("/accounts/login/", {"username": "tidak.ada", "password": "salah"})
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_server_error_page_is_in_the_portal_look_and_indonesian(db):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "Terjadi kesalahan pada server" in content
    assert "bootstrap.min.css" in content


def test_load_demo_twice_creates_nothing_twice(db):
    call_command("load_demo", stdout=StringIO())
    counts = (Region.objects.count(), OPD.objects.count(), Membership.objects.count())
    output = StringIO()
    call_command("load_demo", stdout=output)
    assert (Region.objects.count(), OPD.objects.count(), Membership.objects.count()) == counts
    assert counts[0] == 15
    assert Region.objects.filter(parent__code="62").count() == 14
    assert OPD.objects.filter(region__code="62.10").count() == 30
    assert OPD.objects.exclude(region__code="62.10").values("region").distinct().count() == 2
    assert "kadis.gumas" in output.getvalue()
    assert settings.DEMO_PASSWORD in output.getvalue()


def test_demo_accounts_have_their_documented_scopes(client, db):
    call_command("load_demo", stdout=StringIO())
    expected = {
        "admin": ("admin", None, None),
        "reviewer": ("reviewer", "62", None),
        "kadis.gumas": ("head", "62.10", None),
        "opd.kominfo": ("opd_staff", None, "Diskominfo,SP"),
        "opd.dukcapil": ("opd_staff", None, "Disdukcapil"),
    }
    for username, (role, region, opd) in expected.items():
        membership = Membership.objects.select_related("region", "opd").get(user__username=username)
        assert membership.role == role
        assert (membership.region.code if membership.region else None) == region
        assert (membership.opd.short_name if membership.opd else None) == opd
        response = client.post(
            "/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        client.logout()


def test_an_english_browser_still_gets_indonesian_until_the_user_switches(client, db):
    content = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content
    assert b'lang="id"' in content
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    content = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="id").content
    assert b'lang="en"' in content
