"""Production settings as a deployment sets them, most tests in a fresh Django process."""

import importlib
import os
import secrets
import subprocess
import sys
from importlib import import_module

import pytest
from django.conf import settings
from django.urls import clear_url_caches


def run(args, tmp_path, settings_module="egov_portal.settings", **env):
    """``python args…`` in the project with only the given DJANGO_* variables set."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **env,
    )
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(**env):
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "portal.kalteng.go.id",
        **env,
    }


DEPLOY_CHECK = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]

# Requests a load balancer and a browser make, answered by the settings under test (through
# the test settings, which serve static files without collectstatic and change nothing else
# that these requests meet).
REQUESTS = """
import django; django.setup()
from django.test import Client
client = Client(HTTP_HOST="portal.kalteng.go.id")
plain = client.get("/accounts/login/")
health = client.get("/healthz")
proxied = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
print(plain.status_code, plain.get("Location"))
print(health.status_code)
print(proxied.status_code, proxied.get("Strict-Transport-Security"))
print(proxied.cookies["csrftoken"]["secure"])
"""


def requests(tmp_path, **env):
    return run(["-c", REQUESTS], tmp_path, settings_module="egov_portal.test_settings", **env)


def test_the_deploy_check_passes_with_production_settings_behind_https(tmp_path):
    result = run(DEPLOY_CHECK, tmp_path, **production(DJANGO_HTTPS="1"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_fails_without_https(tmp_path):
    result = run(DEPLOY_CHECK, tmp_path, **production())
    assert result.returncode != 0
    for check in ("W004", "W008", "W012", "W016"):
        assert f"security.{check}" in result.stderr


def test_https_redirects_plain_http_except_the_health_check(tmp_path):
    result = requests(tmp_path, **production(DJANGO_HTTPS="1"))
    assert result.returncode == 0, result.stderr
    plain, health, proxied, secure_cookie = result.stdout.splitlines()
    assert plain == "301 https://portal.kalteng.go.id/accounts/login/"
    assert health == "200"
    assert proxied == "200 max-age=31536000; includeSubDomains"
    assert secure_cookie == "True"


def test_hsts_is_configurable(tmp_path):
    result = requests(
        tmp_path,
        **production(
            DJANGO_HTTPS="1",
            DJANGO_HSTS_SECONDS="3600",
            DJANGO_HSTS_INCLUDE_SUBDOMAINS="0",
            DJANGO_HSTS_PRELOAD="1",
        ),
    )
    assert result.stdout.splitlines()[2] == "200 max-age=3600; preload", result.stderr


def test_without_https_plain_http_is_served_and_the_cookie_switch_still_works(tmp_path):
    result = requests(tmp_path, **production(DJANGO_SECURE_COOKIES="1"))
    plain, health, proxied, secure_cookie = result.stdout.splitlines()
    assert (plain, health, proxied) == ("200 None", "200", "200 None"), result.stderr
    assert secure_cookie == "True"


def test_the_admin_path_comes_from_the_environment(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "from django.urls import reverse; print(settings.ADMIN_URL, reverse('admin:index'))"
    )
    result = run(["-c", code], tmp_path, **production(DJANGO_ADMIN_URL="/kelola/portal"))
    assert result.stdout.split() == ["kelola/portal/", "/kelola/portal/"], result.stderr


SHARED_PARTS = (
    "import django; django.setup(); from django.conf import settings;"
    "from django.core.cache import caches; from django.core.files.storage import storages;"
    "print(type(caches['default']).__name__, settings.CACHES['default'].get('LOCATION'));"
    "print(type(storages['default']).__name__, storages['default'].location)"
)


def test_the_cache_is_in_each_process_unless_a_redis_is_named(tmp_path):
    alone = run(["-c", SHARED_PARTS], tmp_path, **production(DJANGO_MEDIA_ROOT=str(tmp_path)))
    assert alone.stdout.splitlines() == [
        "LocMemCache None",
        f"FileSystemStorage {tmp_path}",
    ], alone.stderr
    shared = run(
        ["-c", SHARED_PARTS], tmp_path, **production(DJANGO_CACHE_URL="redis://cache.internal/1")
    )
    assert shared.stdout.splitlines()[0] == "RedisCache redis://cache.internal/1", shared.stderr


def test_the_file_storage_backend_and_its_options_come_from_the_environment(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    result = run(
        ["-c", SHARED_PARTS],
        tmp_path,
        **production(
            DJANGO_STORAGE_BACKEND="django.core.files.storage.FileSystemStorage",
            DJANGO_STORAGE_OPTIONS=f'{{"location": "{elsewhere}"}}',
        ),
    )
    assert result.stdout.splitlines()[1] == f"FileSystemStorage {elsewhere}", result.stderr
    broken = run(["-c", SHARED_PARTS], tmp_path, **production(DJANGO_STORAGE_OPTIONS="bucket=x"))
    assert broken.returncode != 0
    assert "DJANGO_STORAGE_OPTIONS is not valid JSON" in broken.stderr


@pytest.fixture
def admin_elsewhere(settings):
    """The URLs built again with the admin at another path, as DJANGO_ADMIN_URL would."""

    def rebuild_urls():
        importlib.reload(import_module(settings.ROOT_URLCONF))
        clear_url_caches()

    original = settings.ADMIN_URL
    settings.ADMIN_URL = "kelola-portal/"
    rebuild_urls()
    yield
    settings.ADMIN_URL = original
    rebuild_urls()


def test_the_admin_answers_only_at_its_own_path_and_the_menu_links_there(
    client, admin_user, admin_elsewhere
):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 404
    assert client.get("/kelola-portal/").status_code == 200
    assert 'href="/kelola-portal/"' in client.get("/").content.decode()
