"""Settings for the test suite: the real settings with a test key and a fast password hasher."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-the-test-suite-only")

from egov_portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Files in a folder the tests choose, whatever storage DJANGO_STORAGE_BACKEND names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Each test empties the cache: never a Redis that DJANGO_CACHE_URL (from .env) may name.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Static files come straight from the finders; the suite never runs collectstatic.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: tests of people saving at the same moment need SQLite's real locking.
    # One per test run, so that two runs side by side never share one.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"egov-portal-test-{os.getpid()}.sqlite3")
    }
