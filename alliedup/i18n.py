"""Which language to speak to a person outside a request (emails, SMS, PDFs sent by tasks).

Inside a request LocaleMiddleware decides; a task has no request, so it asks here: the
language the person chose on the portal (User.language), else the site default."""

from django.conf import settings


def language_for(person) -> str:
    """`person` is a User, or anything with a `.user` (a Worker, a ClientContact) or None."""
    user = getattr(person, "user", person)
    chosen = getattr(user, "language", "") or ""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
