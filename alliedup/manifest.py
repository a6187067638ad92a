"""The web app manifest (/manifest.webmanifest): lets a worker add the portal to a phone's
home screen and open it full screen, like an app.

Browsers fetch the manifest without cookies, so it names no one's data. base.html links it
with `?coop=<slug>` for a worker, so the installed app opens on their home in that co-op;
without it (or with a malformed slug) it opens at "/", which sends each user to their home.
"""

import re

from django.http import JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# --accent in static/css/app.css: the header bar, so the phone's status bar matches it.
THEME_COLOUR = "#0b5c3b"
BACKGROUND_COLOUR = "#ffffff"
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,50}$")
ICONS = [("icons/icon-192.png", "192x192"), ("icons/icon-512.png", "512x512")]


def manifest_data(coop_slug: str | None = None) -> dict:
    start_url = reverse("worker_home", kwargs={"coop_slug": coop_slug}) if coop_slug and SLUG.match(coop_slug) else "/"
    return {
        "name": "Co-op Ops worker portal",
        "short_name": "Co-op Ops",
        "description": "Shifts, timesheets, pay and ownership in your worker-owned cooperative.",
        "id": "/",
        "start_url": start_url,
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [{"src": static(path), "sizes": sizes, "type": "image/png", "purpose": "any"} for path, sizes in ICONS],
    }


@require_safe
@cache_control(public=True, max_age=3600)
def web_manifest(request):
    response = JsonResponse(manifest_data(request.GET.get("coop")), content_type="application/manifest+json")
    return response
