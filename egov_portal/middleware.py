from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
