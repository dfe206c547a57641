"""DRF's rate limits, counted per client address as the deployment trusts it.

Apart from ``egov_portal.api`` because DRF imports these while ``rest_framework.views`` is
itself being imported.
"""

from rest_framework import throttling

from egov_portal.accounts import client_ip


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's anonymous rate; a client cannot escape it by sending its own forwarding header."""

    def get_ident(self, request):
        return client_ip(request)


class UserRateThrottle(throttling.UserRateThrottle):
    """DRF's per-user rate; anonymous requests are counted per client address."""

    def get_ident(self, request):
        return client_ip(request)
