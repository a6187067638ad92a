"""The web app manifest that makes the worker portal installable on a phone."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image


@pytest.fixture
def static_served(settings):
    """Serve static files through WhiteNoise's finders, as `runserver` does (the test
    settings have no collected static folder). WhiteNoise reads this when a client's
    middleware loads, so clients made after this fixture serve them."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


def test_the_manifest_is_json_with_icons_that_resolve(db, static_served):
    client = Client()  # browsers fetch the manifest without cookies
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] and manifest["short_name"] == "Co-op Ops"
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert manifest["theme_color"] == "#0b5c3b"  # --accent of static/css/app.css
    sizes = {icon["sizes"]: icon for icon in manifest["icons"]}
    assert set(sizes) == {"192x192", "512x512"}
    for size, icon in sizes.items():
        png = client.get(icon["src"])
        assert png.status_code == 200 and icon["type"] == "image/png"
        image = Image.open(io.BytesIO(b"".join(png.streaming_content) if png.streaming else png.content))
        assert image.format == "PNG" and f"{image.width}x{image.height}" == size


def test_a_workers_pages_link_a_manifest_that_starts_on_their_home(alliedup, alliedup_users, login, static_served):
    page = login(alliedup_users["worker"]).get(reverse("worker_home", kwargs={"coop_slug": "alliedup"})).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest?coop=alliedup">' in page
    assert '<meta name="theme-color" content="#0b5c3b">' in page
    touch_icon = next(line for line in page.splitlines() if 'rel="apple-touch-icon"' in line).split('href="')[1].split('"')[0]
    assert Client().get(touch_icon).status_code == 200

    manifest = Client().get("/manifest.webmanifest?coop=alliedup").json()
    assert manifest["start_url"] == reverse("worker_home", kwargs={"coop_slug": "alliedup"}) == "/c/alliedup/me/"


def test_staff_pages_link_the_manifest_that_starts_at_the_role_picker(alliedup, alliedup_users, login):
    page = login(alliedup_users["coordinator"]).get(reverse("staff_home", kwargs={"coop_slug": "alliedup"})).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page


def test_a_malformed_coop_in_the_manifest_address_falls_back_to_the_root(db):
    assert Client().get("/manifest.webmanifest", {"coop": "../../evil"}).json()["start_url"] == "/"
