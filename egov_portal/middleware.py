from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from egov_portal.errors import messages_of, status_for
from egov_portal.fields import TEXT_MAX_LENGTH


class LanguageMiddleware:
    """Indonesian for everyone unless the user chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and most office
    browsers in the regions are set to English; the portal's working language is Indonesian.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            # The thread serves the next request (or test) in the default language again.
            translation.deactivate()
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ["Cookie"])
        return response


class RequestSizeMiddleware:
    """Refuse a request too large to read with 413 and a message, before anything reads it.

    Django refuses form fields beyond ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with a bare 400 (from
    whichever code first touches ``request.POST``, the CSRF check in production), reads file
    uploads of any size to disk, and leaves a JSON body to whoever reads it: the API would
    read one of any size. Here the declared length is checked first, and form data is parsed
    inside a guard, so that a person gets a page saying what the limits are, htmx a message
    it shows without replacing what was typed, and the API a JSON error.
    """

    FORMS = {"multipart/form-data", "application/x-www-form-urlencoded"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in {"POST", "PUT", "PATCH"}:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            multipart = request.content_type == "multipart/form-data"
            limit = (
                settings.REQUEST_MAX_UPLOAD_BYTES
                if multipart
                else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            )
            if length > limit:
                return self.refuse(request)
            if request.content_type in self.FORMS:
                try:
                    request.POST  # noqa: B018 - parsed here, where a refusal can be answered
                except RequestDataTooBig:
                    return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request):
        message = _(
            "Data yang dikirim terlalu besar dan tidak diproses. Isian teks seluruhnya paling "
            "banyak %(form)s (satu teks panjang, seperti uraian atau catatan, paling banyak "
            "%(characters)s karakter) dan berkas paling besar %(file)s. Persingkat isian atau "
            "perkecil berkasnya, lalu kirim lagi."
        ) % {
            "form": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
            "characters": intcomma(TEXT_MAX_LENGTH),
            "file": filesizeformat(
                settings.REQUEST_MAX_UPLOAD_BYTES - settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            ),
        }
        status = 413
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=status)
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
        return render(request, "413.html", {"message": message}, status=status)


class RefusalMiddleware:
    """The pages' side of ``egov_portal.errors``: a refusal a view lets pass becomes a page
    with its HTTP status and the domain's message (404 and 403 are Django's own handlers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        status = status_for(exception)
        if status not in {400, 409}:
            return None
        title = _("Perubahan tidak dapat disimpan") if status == 409 else _("Isian tidak valid")
        context = {"title": title, "messages_shown": messages_of(exception)}
        return render(request, "refusal.html", context, status=status)


class ContentSecurityPolicyMiddleware:
    """Sends ``settings.SECURE_CSP`` as the Content-Security-Policy of every response.

    Django 5.2 has no policy of its own (6.0 adds one with a setting of the same name and shape).
    A header that a view set itself is left as it is.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = policy_header(settings.SECURE_CSP)
        # The admin and the API's HTML pages are the libraries' templates, which style inline:
        # the browsable API's code highlighting and Swagger UI's page in <style> elements, the
        # browsable API and django-simple-history's admin pages in style attributes. They may
        # do that and nothing more: every other directive stays, so an injected style can load
        # nothing from and send nothing to another site, and no script runs inline anywhere.
        self.library_policy = policy_header(
            {**settings.SECURE_CSP, "style-src": ["'self'", "'unsafe-inline'"]}
        )
        # A browser shows a PDF in a viewer built into the PDF's own document, which the page
        # policy would break (Chrome blocks the viewer's inline styles and its plugin); framing
        # is what is left to forbid.
        self.pdf_policy = policy_header({"frame-ancestors": settings.SECURE_CSP["frame-ancestors"]})

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" in response.headers:
            return response
        if settings.DEBUG and response.status_code in (404, 500):
            # Django's debug pages for these style and script inline; a developer must be able
            # to read them. Without debug the portal's own 404 and 500 pages are sent.
            return response
        if response.get("Content-Type", "").startswith("application/pdf"):
            policy = self.pdf_policy
        elif library_html(request, response):
            policy = self.library_policy
        else:
            policy = self.policy
        response.headers["Content-Security-Policy"] = policy
        return response


def policy_header(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def library_html(request, response) -> bool:
    """Whether the response is a page of the admin or of the API's HTML renderers."""
    match = getattr(request, "resolver_match", None)
    if match is not None and "admin" in match.namespaces:
        return True
    # Django REST framework's browsable API ("api") and Swagger UI's page ("html").
    renderer = getattr(response, "accepted_renderer", None)
    return getattr(renderer, "format", None) in {"api", "html"}


class ApiPathMiddleware:
    """Answer an API address whose id or year is out of range (``egov_portal.params``) with a
    JSON 400 before Django resolves it for the view. Raised from inside Django's own
    resolution, the same refusal would also reach Django's debug error page, which resolves
    the address again and fails on it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            try:
                resolve(request.path_info)
            except BadRequest as error:
                return JsonResponse({"detail": str(error)}, status=400)
            except Http404:
                pass
        return self.get_response(request)
