import pytest
from django.core.exceptions import ImproperlyConfigured

from egov_portal.email_url import parse_email_url, portal_url
from tests.portal.test_deployment import run

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_console_writes_mail_to_the_console():
    assert parse_email_url("console://") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_smtp_with_an_encoded_user_and_password_and_starttls():
    settings = parse_email_url(
        "smtp://portal%40kalteng.go.id:p%40ss%3Aw0rd@mail.kalteng.go.id:587?starttls=1"
    )
    assert settings == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.kalteng.go.id",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "portal@kalteng.go.id",
        "EMAIL_HOST_PASSWORD": "p@ss:w0rd",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
    }


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://relay", 25, False, False),
        ("smtp://relay?tls=1", 587, True, False),
        ("smtps://relay", 465, False, True),
        ("smtp://relay?ssl=1", 465, False, True),
        ("smtps://relay:2465", 2465, False, True),
        ("smtp://relay:2525?starttls=0", 2525, False, False),
    ],
)
def test_smtp_ports_default_to_what_the_security_implies(url, port, tls, ssl):
    settings = parse_email_url(url)
    assert (settings["EMAIL_PORT"], settings["EMAIL_USE_TLS"], settings["EMAIL_USE_SSL"]) == (
        port,
        tls,
        ssl,
    )
    assert settings["EMAIL_HOST_USER"] == settings["EMAIL_HOST_PASSWORD"] == ""


def test_smtp_timeout_is_read_in_seconds():
    assert parse_email_url("smtp://relay?timeout=2.5")["EMAIL_TIMEOUT"] == 2.5


def test_file_writes_each_message_into_the_folder():
    assert parse_email_url("file:///var/mail/portal%20kalteng") == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": "/var/mail/portal kalteng",
    }


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", "no scheme"),
        ("mail.kalteng.go.id", "no scheme"),
        ("smtpp://relay", "scheme smtpp:// is not one"),
        ("console://extra", "console:// takes nothing"),
        ("smtp://relay:abc", "port is not a number"),
        ("smtp://relay:70000", "port is not a number"),
        ("smtp://relay:0", "port is not a number"),
        ("smtp://:25", "names no host"),
        ("smtp://relay?tls=1&ssl=1", "exclude each other"),
        ("smtps://relay?starttls=1", "exclude each other"),
        ("smtp://relay?tls=maybe", "neither 1 nor 0"),
        ("smtp://relay?secure=1", "unknown option secure"),
        ("smtp://relay?timeout=soon", "not a number of seconds"),
        ("smtp://relay?timeout=0", "more than 0"),
        ("smtp://relay/path", "no path"),
        ("file://mail/portal", "three slashes"),
        ("file:///", "name a folder"),
    ],
)
def test_an_address_the_portal_cannot_use_is_refused_with_the_reason(url, problem):
    with pytest.raises(ImproperlyConfigured) as error:
        parse_email_url(url)
    assert problem in str(error.value)
    assert "EMAIL_URL=" in str(error.value)


def test_a_refusal_never_repeats_the_password():
    with pytest.raises(ImproperlyConfigured) as error:
        parse_email_url("smtp://portal:rahasia-sekali@relay:port")
    assert "rahasia-sekali" not in str(error.value)
    assert "smtp://portal:***@relay:port" in str(error.value)


@pytest.mark.parametrize("url", ["egov.kalteng.go.id", "ftp://egov", "https://egov/?a=1"])
def test_a_portal_url_must_be_an_http_address(url):
    with pytest.raises(ImproperlyConfigured, match="PORTAL_URL"):
        portal_url(url)


def test_a_portal_url_loses_its_trailing_slash():
    assert portal_url("https://egov.kalteng.go.id/portal/") == "https://egov.kalteng.go.id/portal"


def test_the_portal_refuses_to_start_with_an_email_url_it_cannot_read(tmp_path):
    result = run(
        ["manage.py", "check"],
        tmp_path,
        DJANGO_DEBUG="1",
        EMAIL_URL="smtp://portal:rahasia@mail.kalteng.go.id:submission",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "EMAIL_URL='smtp://portal:***@mail.kalteng.go.id:submission'" in result.stderr
    assert "the port is not a number" in result.stderr
    assert "rahasia" not in result.stderr


def test_the_portal_starts_with_a_folder_for_mail(tmp_path):
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH)",
        ],
        tmp_path,
        DJANGO_DEBUG="1",
        EMAIL_URL=f"file://{tmp_path}/mail",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.filebased.EmailBackend",
        f"{tmp_path}/mail",
    ]
