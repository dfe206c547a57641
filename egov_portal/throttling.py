"""DRF's rate limits, counted per client address as the deployment trusts it.

Apart from ``egov_portal.api`` because DRF imports these while ``rest_framework.views`` is
itself being imported.
"""

import logging

from redis.exceptions import RedisError
from rest_framework import throttling

from egov_portal.accounts import client_ip

logger = logging.getLogger(__name__)


class CountedInCache:
    """A rate counted in Django's cache; while a shared cache (Redis) cannot be reached, the
    request goes through unthrottled instead of failing: the limits guard against floods, sign-in
    lockouts are kept in the database, and an outage of the cache must not stop the API."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except RedisError:
            logger.warning("API rate not counted: the cache cannot be reached.", exc_info=True)
            return True


class AnonRateThrottle(CountedInCache, throttling.AnonRateThrottle):
    """DRF's anonymous rate; a client cannot escape it by sending its own forwarding header."""

    def get_ident(self, request):
        return client_ip(request)


class UserRateThrottle(CountedInCache, throttling.UserRateThrottle):
    """DRF's per-user rate; anonymous requests are counted per client address."""

    def get_ident(self, request):
        return client_ip(request)
