"""The language switch (a POST form on the worker portal and the job board)."""

from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from alliedup import services


@require_POST
def set_language(request):
    """Django's set_language (the cookie, then back to `next`), and for a signed-in user the
    choice saved on their account, so emails and PDFs sent later use it too."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_language_set(user=request.user, language=language)
    return response
