"""Which language to speak to a person outside a request (emails, SMS, PDFs sent by tasks).

Inside a request LocaleMiddleware decides; a task has no request, so it asks here: the
language the person chose on the portal (User.language), else the site default."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


def language_for(person) -> str:
    """`person` is a User, or anything with a `.user` (a Worker, a ClientContact) or None."""
    user = getattr(person, "user", person)
    chosen = getattr(user, "language", "") or ""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's (the language cookie, else Accept-Language, else LANGUAGE_CODE), and once the
    response is made, back to LANGUAGE_CODE: Django leaves a request's language active in the
    thread, where the next code outside a request (a test's next line, a task run inline)
    would speak it."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        translation.deactivate()
        return response


class UserLanguageMiddleware:
    """Speak a signed-in user's saved language (User.language). Goes after
    AuthenticationMiddleware; LocaleMiddleware, earlier, has already chosen from the language
    cookie (the switch) or the browser's Accept-Language, else LANGUAGE_CODE, and keeps that
    choice for someone who saved none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            chosen = getattr(user, "language", "")
            if chosen in dict(settings.LANGUAGES) and chosen != translation.get_language():
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
        return self.get_response(request)
