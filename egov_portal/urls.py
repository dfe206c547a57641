from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from egov_portal import params
from egov_portal.auth_views import TokenLogoutView, TokenObtainView
from egov_portal.views import (
    bad_request,
    healthz,
    page_not_found,
    permission_denied,
    server_error,
)
from opds.forms import LoginForm
from reports.views import home

# Ids and years in paths go through one parser per kind (``egov_portal.params``): a page
# answers 404 for a value out of range; the API's converters (400) are in ``egov_portal.api``.
register_converter(params.IdConverter, "id")
register_converter(params.YearConverter, "year")

# The home page keeps its place in the ``opds`` namespace; the reports app, the top layer,
# draws it because it gathers every app's work inbox.
opds_urls, _app_name, _namespace = include("opds.urls")
opds_patterns = ([path("", home, name="home"), *opds_urls.urlpatterns], "opds")

api_v1 = [
    path("auth/token/", TokenObtainView.as_view(), name="api_token"),
    path("auth/logout/", TokenLogoutView.as_view(), name="api_logout"),
    path("", include("opds.api.urls")),
    path("", include("assessments.api.urls")),
    path("", include("masterplan.api.urls")),
    path("", include("reports.api.urls")),
]

urlpatterns = [
    path("", include(opds_patterns)),
    path("assessments/", include("assessments.urls")),
    path("masterplans/", include("masterplan.urls")),
    path("reports/", include("reports.urls")),
    path("notifications/", include("egov_portal.notification_urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view serves Swagger UI's set-up script as a file of its own: the
    # Content-Security-Policy runs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path(settings.ADMIN_URL, admin.site.urls),
]

admin.site.site_header = _("Administrasi Portal Kapabilitas e-Government")
admin.site.site_title = _("Portal e-Gov Kalteng")

handler400 = bad_request
handler403 = permission_denied
handler404 = page_not_found
handler500 = server_error
