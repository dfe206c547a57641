"""``EMAIL_URL``: where the portal's e-mail goes, as one address (read by the settings).

- ``console://``: written to the console (the process's standard output), not sent;
- ``smtp://user:password@host:port``: sent through an SMTP server. User and password are
  URL-encoded (``%40`` for ``@``). Options: ``?starttls=1`` (or ``?tls=1``) upgrades the
  connection with STARTTLS (port 587 by default); ``smtps://`` or ``?ssl=1`` speaks TLS from
  the start (port 465 by default); ``?timeout=`` seconds to wait for the server (10);
- ``file:///path/to/folder``: each message written as a file in that folder (an absolute
  path; the folder is created when the first message is written).

Anything else is refused with ``ImproperlyConfigured`` naming the problem, so that the portal
does not start with mail going nowhere. Messages never repeat the password.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

DEFAULT_TIMEOUT = 10
SMTP_OPTIONS = {"tls", "starttls", "ssl", "timeout"}
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def redacted(url: str) -> str:
    """``url`` with its password replaced by ``***``, fit to appear in an error or a log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    userinfo, _at, hostinfo = parts.netloc.rpartition("@")
    user = userinfo.split(":", 1)[0]
    return parts._replace(netloc=f"{user}:***@{hostinfo}").geturl()


def _refuse(url: str, problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"EMAIL_URL={redacted(url)!r}: {problem} Use console://, "
        "smtp://user:password@host:port (options ?starttls=1, ?ssl=1, ?timeout=seconds; "
        "smtps:// for TLS from the start) or file:///absolute/folder."
    )


def _flag(url: str, options: dict, name: str) -> bool:
    value = options.get(name, "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise _refuse(url, f"option {name}={value!r} is neither 1 nor 0.")


def parse_email_url(url: str) -> dict:
    """The Django e-mail settings (``EMAIL_BACKEND``, ``EMAIL_HOST`` …) that ``url`` names."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise _refuse(url, f"it is not an address ({error}).") from error
    scheme = parts.scheme.lower()
    if scheme == "console":
        if parts.netloc or parts.path or parts.query:
            raise _refuse(url, "console:// takes nothing after it.")
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "file":
        if parts.netloc not in {"", "localhost"}:
            raise _refuse(
                url, "the folder must be an absolute path, with three slashes (file:///…)."
            )
        path = unquote(parts.path)
        if not path.startswith("/") or path.strip("/") == "":
            raise _refuse(url, "name a folder, as an absolute path (file:///var/mail/portal).")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": path,
        }
    if scheme in {"smtp", "smtps"}:
        return _smtp(url, parts, ssl_scheme=scheme == "smtps")
    if not scheme:
        raise _refuse(url, "it has no scheme.")
    raise _refuse(url, f"the scheme {scheme}:// is not one the portal knows.")


def _smtp(url: str, parts, *, ssl_scheme: bool) -> dict:
    if parts.path not in {"", "/"}:
        raise _refuse(url, "an SMTP address has no path.")
    try:
        pairs = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError as error:
        raise _refuse(url, "its options are not name=value pairs.") from error
    options = dict(pairs)
    unknown = sorted(set(options) - SMTP_OPTIONS)
    if unknown:
        raise _refuse(url, f"unknown option {', '.join(unknown)}.")
    if not parts.hostname:
        raise _refuse(url, "it names no host.")
    use_tls = _flag(url, options, "tls") or _flag(url, options, "starttls")
    use_ssl = ssl_scheme or _flag(url, options, "ssl")
    if use_tls and use_ssl:
        raise _refuse(url, "STARTTLS and SSL exclude each other; choose one.")
    try:
        port = parts.port
    except ValueError as error:
        raise _refuse(url, "the port is not a number from 1 to 65535.") from error
    if port == 0:
        raise _refuse(url, "the port is not a number from 1 to 65535.")
    if port is None:
        port = 465 if use_ssl else 587 if use_tls else 25
    timeout_text = options.get("timeout", "").strip()
    try:
        timeout = float(timeout_text) if timeout_text else DEFAULT_TIMEOUT
    except ValueError as error:
        raise _refuse(url, f"timeout={timeout_text!r} is not a number of seconds.") from error
    if not 0 < timeout <= 600:
        raise _refuse(url, "timeout must be more than 0 and at most 600 seconds.")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": timeout,
    }


def portal_url(url: str) -> str:
    """``PORTAL_URL``, the portal's address for links in e-mail, without a trailing slash."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"PORTAL_URL={url!r}: give the portal's address as people open it, such as "
            "https://egov.kaltengprov.go.id (http or https, no query)."
        )
    return parts.geturl().rstrip("/")
