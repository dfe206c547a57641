"""Accounts: sign-in lockout, password hashing, sessions, API tokens and API rate limits."""

import hashlib
import importlib
import re
from datetime import datetime, timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.management.commands import changepassword
from django.core.management import call_command
from django.test import Client
from django.utils import formats, timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.opds.factories import TEST_PASSWORD
from tests.portal.test_project import run_python

User = get_user_model()
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
TOKEN = "/api/v1/auth/token/"
LOGOUT = "/api/v1/auth/logout/"
LIMIT = settings.AXES_FAILURE_LIMIT
LOCKED = "Terlalu banyak percobaan masuk yang gagal"


def sign_in(client, username, password, url=LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def fail(client, username, times, url=LOGIN, **extra):
    return [sign_in(client, username, "salah-sekali", url, **extra) for _ in range(times)]


def obtain_token(username="kadis.gumas", password=TEST_PASSWORD, **extra):
    return APIClient().post(TOKEN, {"username": username, "password": password}, **extra)


def token_client(token):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def token_works(token):
    return token_client(token).get("/api/v1/regions/").status_code == 200


def unlock_time():
    """The time the lockout page must name: a cool-off after the last counted failure."""
    last = AccessAttempt.objects.order_by("-attempt_time").first().attempt_time
    until = timezone.localtime(last + settings.AXES_COOLOFF_TIME)
    return formats.time_format(until, "TIME_FORMAT")


# Lockout on the login page


def test_the_defaults_lock_after_five_failures_for_fifteen_minutes():
    assert LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True


def test_wrong_passwords_below_the_limit_only_say_the_password_was_wrong(client, head):
    responses = fail(client, "kadis.gumas", LIMIT - 1)
    assert [r.status_code for r in responses] == [200] * (LIMIT - 1)
    assert "Nama pengguna atau kata sandi salah" in responses[-1].content.decode()
    assert LOCKED not in responses[-1].content.decode()


def test_the_failure_that_reaches_the_limit_shows_the_lockout_on_the_login_page(client, head):
    response = fail(client, "kadis.gumas", LIMIT)[-1]
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert f"Coba lagi pukul {unlock_time()} (15 menit lagi)" in page
    # The login page as always, with the username kept, not a bare text.
    assert 'name="password"' in page
    assert 'value="kadis.gumas"' in page
    assert "Nama pengguna atau kata sandi salah" not in page
    assert 1 <= int(response["Retry-After"]) <= 15 * 60


def test_a_locked_out_user_is_refused_even_with_the_right_password(client, head):
    fail(client, "kadis.gumas", LIMIT)
    response = sign_in(client, "kadis.gumas", TEST_PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_trying_again_during_the_lockout_does_not_push_the_time_back(client, head):
    fail(client, "kadis.gumas", LIMIT)
    five_minutes_ago = timezone.now() - timedelta(minutes=5)
    AccessAttempt.objects.update(attempt_time=five_minutes_ago)
    response = sign_in(client, "kadis.gumas", TEST_PASSWORD)
    assert f"pukul {unlock_time()} (10 menit lagi)" in response.content.decode()
    assert AccessAttempt.objects.get().attempt_time == five_minutes_ago


def test_the_lockout_ends_after_the_cool_off(client, head):
    fail(client, "kadis.gumas", LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = sign_in(client, "kadis.gumas", TEST_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(head.pk)


def test_an_administrator_reset_unlocks_the_user_at_once(client, head):
    fail(client, "kadis.gumas", LIMIT)
    call_command("axes_reset_username", "kadis.gumas", verbosity=0)
    assert sign_in(client, "kadis.gumas", TEST_PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_earlier_failures(client, head):
    fail(client, "kadis.gumas", LIMIT - 1)
    assert sign_in(client, "kadis.gumas", TEST_PASSWORD).status_code == 302
    client.logout()
    responses = fail(client, "kadis.gumas", LIMIT - 1)
    assert [r.status_code for r in responses] == [200] * (LIMIT - 1)


def test_failures_from_another_address_do_not_lock_the_user_out_here(client, head):
    fail(Client(REMOTE_ADDR="203.0.113.7"), "kadis.gumas", LIMIT)
    assert sign_in(client, "kadis.gumas", TEST_PASSWORD).status_code == 302


def test_a_forwarding_header_is_ignored_unless_the_deployment_trusts_one(client, head):
    # Each failure claims another address; without DJANGO_CLIENT_IP_HEADER the connection's
    # own address counts, so the claims change nothing.
    for number in range(LIMIT):
        sign_in(client, "kadis.gumas", "salah", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    response = sign_in(client, "kadis.gumas", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert response.status_code == 429


CLIENT_IP = (
    "import django; django.setup();"
    "from django.test import RequestFactory; from egov_portal.accounts import client_ip;"
    "print(client_ip(RequestFactory().get('/', REMOTE_ADDR='10.0.0.2',"
    " HTTP_X_FORWARDED_FOR='198.51.100.9, 203.0.113.5')))"
)


def test_the_client_address_is_the_connections_own_by_default():
    result = run_python(CLIENT_IP, DJANGO_SETTINGS_MODULE="egov_portal.test_settings")
    assert result.stdout.strip() == "10.0.0.2", result.stderr


def test_behind_a_proxy_the_client_address_is_what_the_nearest_proxy_recorded():
    result = run_python(
        CLIENT_IP,
        DJANGO_SETTINGS_MODULE="egov_portal.test_settings",
        DJANGO_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR",
    )
    # The right-most entry is what our proxy saw; what the client wrote before it is not
    # believed.
    assert result.stdout.strip() == "203.0.113.5", result.stderr
    two_proxies = run_python(
        CLIENT_IP,
        DJANGO_SETTINGS_MODULE="egov_portal.test_settings",
        DJANGO_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR",
        DJANGO_PROXY_COUNT="2",
    )
    assert two_proxies.stdout.strip() == "198.51.100.9", two_proxies.stderr


def test_an_unknown_lockout_key_stops_the_start_up_with_a_clear_message():
    result = run_python(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="egov_portal.test_settings",
        LOGIN_LOCKOUT_BY="email",
    )
    assert result.returncode != 0
    assert "LOGIN_LOCKOUT_BY='email'" in result.stderr


# Lockout on the API token endpoint and the Django admin


def test_the_token_endpoint_locks_out_with_a_json_429_and_retry_after(head):
    responses = [obtain_token(password="salah") for _ in range(LIMIT)]
    assert [r.status_code for r in responses] == [400] * (LIMIT - 1) + [429]
    response = obtain_token()
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
    assert response.json()["detail"].startswith(LOCKED)
    assert f"pukul {unlock_time()}" in response.json()["detail"]
    assert 1 <= int(response["Retry-After"]) <= 15 * 60
    assert not AuthToken.objects.exists()


def test_failures_on_the_page_and_the_api_add_up(client, head):
    fail(client, "kadis.gumas", LIMIT - 1)
    assert obtain_token(password="salah").status_code == 429


def test_the_django_admin_login_locks_out_on_its_own_page(client, admin_user):
    admin_user.is_staff = True
    admin_user.save()
    fail(client, "admin", LIMIT, url=ADMIN_LOGIN)
    response = sign_in(client, "admin", TEST_PASSWORD, url=ADMIN_LOGIN)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert 'id="login-form"' in page
    assert client.get("/admin/").status_code == 302


# Password hashing


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = importlib.import_module("egov_portal.settings").PASSWORD_HASHERS


def test_a_newly_set_password_is_hashed_with_argon2(production_hashers, head):
    head.set_password("kata-sandi-baru-2024")
    head.save()
    head.refresh_from_db()
    assert head.password.startswith("argon2$argon2id$")
    assert head.check_password("kata-sandi-baru-2024")


def test_an_old_hash_is_upgraded_at_sign_in_without_killing_tokens(
    production_hashers, client, head
):
    _instance, token = AuthToken.objects.create(user=head)
    User.objects.filter(pk=head.pk).update(
        password=make_password(TEST_PASSWORD, hasher="pbkdf2_sha256")
    )
    assert sign_in(client, "kadis.gumas", TEST_PASSWORD).status_code == 302
    head.refresh_from_db()
    assert head.password.startswith("argon2$")
    assert token_works(token)


# Sessions


def test_a_session_lasts_eight_hours_and_ends_with_the_browser(client, head):
    response = sign_in(client, "kadis.gumas", TEST_PASSWORD)
    assert client.session.get_expiry_age() == 8 * 60 * 60
    assert client.session.get_expire_at_browser_close()
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]


# API tokens


def test_the_token_response_says_when_the_token_expires(head):
    body = obtain_token().json()
    assert set(body) == {"token", "expiry"}
    expiry = datetime.fromisoformat(body["expiry"])
    assert expiry == AuthToken.objects.get(user=head).expiry
    assert abs(expiry - (timezone.now() + timedelta(hours=10))) < timedelta(minutes=1)


def test_tokens_are_not_stored_in_plain_text(head):
    token = obtain_token().json()["token"]
    row = AuthToken.objects.filter(user=head).values().get()
    assert not any(token in str(value) for value in row.values())
    assert row["digest"] == hashlib.sha512(token.encode()).hexdigest()


def test_an_expired_token_no_longer_authenticates(head):
    token = obtain_token().json()["token"]
    assert token_works(token)
    AuthToken.objects.filter(user=head).update(expiry=timezone.now() - timedelta(seconds=1))
    assert token_client(token).get("/api/v1/regions/").status_code in {401, 403}
    assert not AuthToken.objects.filter(user=head).exists()


def test_the_token_lifetime_comes_from_the_settings(settings, head):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(seconds=30)}
    obtain_token()
    expiry = AuthToken.objects.get(user=head).expiry
    assert expiry - timezone.now() < timedelta(seconds=31)


def test_changing_the_password_kills_every_token_of_the_user(head, reviewer):
    tokens = [obtain_token().json()["token"] for _ in range(2)]
    other = obtain_token("reviewer").json()["token"]
    head.set_password("kata-sandi-baru-2024")
    head.save()
    assert not any(token_works(token) for token in tokens)
    assert AuthToken.objects.filter(user=head).count() == 0
    assert token_works(other)


def test_changing_the_password_in_the_django_admin_kills_the_tokens(client, admin_user, head):
    token = obtain_token().json()["token"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    response = client.post(
        f"/admin/auth/user/{head.pk}/password/",
        {"password1": "kata-sandi-baru-2024", "password2": "kata-sandi-baru-2024"},
    )
    assert response.status_code == 302
    assert not token_works(token)


def test_the_changepassword_command_kills_the_tokens(monkeypatch, head):
    token = obtain_token().json()["token"]
    # The command reads the new password from the terminal twice.
    monkeypatch.setattr(
        changepassword.Command, "_get_pass", lambda self, prompt="": "kata-sandi-baru-2024"
    )
    call_command("changepassword", "kadis.gumas", stdout=StringIO())
    assert not token_works(token)


def test_making_the_password_unusable_kills_the_tokens(head):
    token = obtain_token().json()["token"]
    head.set_unusable_password()
    head.save()
    assert not token_works(token)


def test_deactivating_the_account_kills_its_tokens_for_good(head):
    token = obtain_token().json()["token"]
    head.is_active = False
    head.save(update_fields=["is_active"])
    assert not token_works(token)
    assert not AuthToken.objects.filter(user=head).exists()
    head.is_active = True
    head.save()
    assert not token_works(token)


def test_other_changes_to_the_user_keep_the_tokens(client, head):
    token = obtain_token().json()["token"]
    head.first_name = "Kepala"
    head.save()
    assert sign_in(client, "kadis.gumas", TEST_PASSWORD).status_code == 302
    assert token_works(token)


def test_an_inactive_user_gets_no_token(head):
    head.is_active = False
    head.save()
    response = obtain_token()
    assert response.status_code == 400
    assert "token" not in response.json()


def test_logging_out_deletes_the_token_used(head):
    first, second = (obtain_token().json()["token"] for _ in range(2))
    assert token_client(first).post(LOGOUT).status_code == 204
    assert not token_works(first)
    assert token_works(second)


# API rate limits


def anonymous_rate():
    number, _period = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"].split("/")
    return int(number)


def test_the_default_rates_are_sixty_anonymous_and_a_thousand_per_user_a_minute():
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {
        "anon": "60/minute",
        "user": "1000/minute",
    }


def test_too_many_anonymous_requests_get_a_json_429(db):
    api = APIClient()
    codes = {api.get("/api/v1/verify/", {"code": "x"}).status_code for _ in range(anonymous_rate())}
    assert 429 not in codes
    response = api.get("/api/v1/verify/", {"code": "x"})
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert re.fullmatch(
        r"Terlalu banyak permintaan\. Coba lagi dalam \d+ detik\.", response.json()["detail"]
    )
    assert 1 <= int(response["Retry-After"]) <= 60
    # Another client is counted apart, and a forwarding header does not make a new client.
    other = APIClient(REMOTE_ADDR="203.0.113.7")
    assert other.get("/api/v1/verify/", {"code": "x"}).status_code == 400
    spoofed = api.get("/api/v1/verify/", {"code": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert spoofed.status_code == 429


def test_the_api_answers_while_the_shared_cache_is_down(db, settings):
    # A Redis nothing listens on: the rate cannot be counted, the request is still answered.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response = APIClient().get("/api/v1/verify/", {"code": "x"})
    assert response.status_code == 400


def test_signed_in_users_are_counted_per_user_at_the_higher_rate(scoped_world, head):
    api = token_client(obtain_token().json()["token"])
    codes = {api.get("/api/v1/regions/").status_code for _ in range(anonymous_rate() + 1)}
    assert codes == {200}
