from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from egov_portal.errors import messages_of, status_for


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
