"""The portal's settings for a benchmark server: static files collected into a folder of the
benchmark's own (``BENCH_STATIC_ROOT``), so a run never writes into the project."""

import os

from egov_portal.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
