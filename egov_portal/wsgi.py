"""
WSGI config for egov_portal project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov_portal.settings")

application = get_wsgi_application()

# The server's processes warm the PDF renderer as they load the application, so the first report
# someone downloads after a start is as quick as the next (a second or more otherwise). Here and
# not in an AppConfig: management commands and the test suite do not need it.
if os.environ.get("DJANGO_WARM_AT_START", "1").strip() != "0":
    import logging

    from reports.pdf import warm

    try:
        warm()
    except Exception:
        # The portal serves its pages whatever is wrong with the PDF renderer; the report
        # requests will say what it is.
        logging.getLogger(__name__).exception("The PDF renderer could not be warmed")
