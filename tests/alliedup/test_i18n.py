"""English and Spanish for workers (docs/architecture.md "Languages"): every worker template is
marked for translation, the Spanish catalogue is complete and in step with the sources, pages,
PDFs and emails come out in the worker's language, and the switch saves the choice."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests.i18n_scan import read_po, untranslated

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PO = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# What a worker (or an applicant on the job board) reads: pages, the layout, PDFs, emails, texts.
WORKER_TEMPLATES = [
    "base.html", "_language_switch.html", "_language_choice.html", "403.html", "404.html", "documents/base.html",
    "alliedup/home.html", "alliedup/worker_home.html", "alliedup/member_home.html", "alliedup/invitation_accept.html",
    "alliedup/_ownership_rules.html", "alliedup/email/*.txt",
    "members/my_ownership.html", "members/agreement_sign.html", "members/includes/equity_schedule.html",
    "members/documents/*.html", "members/email/*.txt",
    "placements/jobs/*.html", "placements/portal/my_schedule.html", "placements/portal/open_shifts.html",
    "placements/portal/shift_change.html", "placements/portal/_schedule_row.html", "placements/portal/_shift_card.html",
    "placements/portal/_calendar_feed.html", "placements/portal/_shift_change_status.html",
    "placements/portal/_swap_offers.html", "placements/email/shift_reminder.txt", "placements/email/timesheet_corrected.txt",
    "payroll/portal/*.html", "payroll/documents/statement.html", "payroll/email/*.txt",
    "patronage/my_capital.html", "patronage/_account.html", "patronage/_redemption.html", "patronage/notice.html",
    "alliedup/_fields.html", "governance/_result.html", "governance/documents.html", "governance/results.html",
    "governance/portal/*.html", "governance/documents/results.html",
    "insights/report.html", "insights/_section.html",
    "notifications/preferences.html", "notifications/unsubscribe.html", "notifications/email/*.txt", "notifications/sms/*.txt",
]
# Text that is the same in both languages: names and symbols.
ALLOWED = {"Co-op Ops", "English", "Español", "h", "#", "PDF", "CSV"}


def worker_templates() -> list[Path]:
    paths = sorted({p for pattern in WORKER_TEMPLATES for p in TEMPLATES.glob(pattern)})
    assert paths, "no worker templates found"
    return paths


def test_every_listed_pattern_finds_a_template():
    missing = [pattern for pattern in WORKER_TEMPLATES if not list(TEMPLATES.glob(pattern))]
    assert not missing, f"patterns that match nothing (a template moved?): {missing}"


def test_worker_templates_have_no_untranslated_text():
    findings = [f for path in worker_templates()
                for f in untranslated(path, str(path.relative_to(TEMPLATES)), ALLOWED)]
    assert not findings, "Mark these for translation ({% translate %} / {% blocktranslate %}):\n" + "\n".join(
        map(str, findings))


# --- the Spanish catalogue -----------------------------------------------------------------------


def _keys(entries):
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in entries if not e.obsolete}


def test_every_spanish_message_is_translated():
    entries = [e for e in read_po(PO) if not e.obsolete]
    assert len(entries) > 500
    untranslated_ids = [e.msgid for e in entries if e.fuzzy or not e.msgstrs or not all(s.strip() for s in e.msgstrs)]
    assert not untranslated_ids, f"Translate these in {PO.relative_to(settings.BASE_DIR)} (no fuzzy, no empty msgstr): {untranslated_ids}"


def test_translations_keep_every_placeholder():
    import re

    placeholder = re.compile(r"%\(\w+\)s|%%")
    wrong = [e.msgid for e in read_po(PO) if not e.obsolete
             for s in e.msgstrs if set(placeholder.findall(s)) - set(placeholder.findall(e.msgid + e.msgid_plural))
             or (not e.msgid_plural and sorted(placeholder.findall(s)) != sorted(placeholder.findall(e.msgid)))]
    assert not wrong, f"A translation drops or invents a %(name)s placeholder: {wrong}"


def test_the_catalogue_is_in_step_with_the_sources(tmp_path, settings, monkeypatch):
    """makemessages run afresh over the sources (into a scratch folder) finds exactly the
    messages locale/es has: nothing new left untranslated, nothing stale."""
    base = Path(settings.BASE_DIR).resolve()
    # every app of ours (a new app is scanned without editing this list) and the shared templates
    ours = {Path(c.path).resolve().relative_to(base).parts[0] for c in apps.get_app_configs()
            if Path(c.path).resolve().is_relative_to(base)} - {".venv"}  # a venv inside the checkout is not ours
    for name in sorted(ours | {"templates"}):
        (tmp_path / name).symlink_to(base / name)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["es"], symlinks=True, verbosity=0, ignore_patterns=["*/migrations/*"])
    fresh, committed = _keys(read_po(tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po")), _keys(read_po(PO))
    new, stale = sorted(fresh - committed, key=str), sorted(committed - fresh, key=str)
    assert not new and not stale, (
        "locale/es/LC_MESSAGES/django.po is out of step with the sources: run `manage.py makemessages -l es` "
        f"(see docs/architecture.md), translate, and compile.\nNew: {new}\nGone: {stale}")


def test_the_compiled_catalogue_is_current():
    assert MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime, (
        "locale/es/LC_MESSAGES/django.mo is missing or older than the .po: run `make messages` "
        "(manage.py compilemessages -l es)")


# --- the language of a request: saved choice, the switch, the browser ---------------------------


def _worker_home(client, **headers):
    response = client.get("/c/alliedup/me/", **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_worker_home_speaks_the_saved_language_and_english_otherwise(alliedup, alliedup_users, login):
    user = alliedup_users["worker"]
    english = _worker_home(login(user))
    assert '<html lang="en">' in english and "Your path to ownership" in english and "Su camino" not in english
    user.language = "es"
    user.save(update_fields=["language"])
    spanish = _worker_home(login(user))
    assert '<html lang="es">' in spanish
    assert "Su camino para ser persona socia" in spanish and "Your path to ownership" not in spanish
    assert "Mis recibos de pago" in spanish and "Cerrar sesión" in spanish
    # The co-op's own numbers and money print the same in both languages.
    assert "$250.00" in english and "$250.00" in spanish


def test_a_saved_language_wins_over_the_browser_and_the_cookie(alliedup, alliedup_users, login, settings):
    user = alliedup_users["worker"]
    user.language = "en"
    user.save(update_fields=["language"])
    client = login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert "Your path to ownership" in _worker_home(client, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")


def test_without_a_saved_language_the_browser_decides(alliedup, alliedup_users, login):
    client = login(alliedup_users["worker"])
    assert "Su camino para ser persona socia" in _worker_home(client, HTTP_ACCEPT_LANGUAGE="es-US,es;q=0.9,en;q=0.5")
    assert "Your path to ownership" in _worker_home(client, HTTP_ACCEPT_LANGUAGE="fr-FR")  # not offered: English


def test_the_switch_saves_the_choice_on_the_account(alliedup, alliedup_users, login):
    user = alliedup_users["worker"]
    client = login(user)
    page = _worker_home(client)
    assert 'action="/language/"' in page and 'value="es"' in page and ">Español</button>" in page
    response = client.post("/language/", {"language": "es", "next": "/c/alliedup/me/"})
    assert response.status_code == 302 and response["Location"] == "/c/alliedup/me/"
    user.refresh_from_db()
    assert user.language == "es"
    spanish = _worker_home(login(user))  # a new session on another device: the account remembers
    assert "Su camino para ser persona socia" in spanish and ">English</button>" in spanish
    client.post("/language/", {"language": "en", "next": "/c/alliedup/me/"})
    user.refresh_from_db()
    assert user.language == "en"


def test_the_preferences_page_offers_the_language_and_saves_it(alliedup, alliedup_users, login):
    user = alliedup_users["worker"]
    client = login(user)
    page = client.get("/c/alliedup/notifications/").content.decode()
    assert 'name="language" value="en" checked' in page and 'name="language" value="es"' in page
    response = client.post("/language/", {"language": "es", "next": "/c/alliedup/notifications/"})
    assert response["Location"] == "/c/alliedup/notifications/"
    user.refresh_from_db()
    assert user.language == "es"
    page = client.get("/c/alliedup/notifications/").content.decode()
    assert 'name="language" value="es" checked' in page and "Idioma" in page and "Mis notificaciones" in page


def test_the_switch_refuses_a_language_the_site_does_not_speak(alliedup, alliedup_users, login):
    user = alliedup_users["worker"]
    response = login(user).post("/language/", {"language": "fr", "next": "/c/alliedup/me/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == ""
    assert login(user).get("/language/").status_code == 405


def test_the_public_job_board_switches_with_a_cookie(alliedup, client):
    assert "Open positions" in client.get("/c/alliedup/jobs/").content.decode()
    response = client.post("/language/", {"language": "es", "next": "/c/alliedup/jobs/"})
    assert response.status_code == 302 and response["Location"] == "/c/alliedup/jobs/"
    page = client.get("/c/alliedup/jobs/").content.decode()
    assert "Puestos disponibles" in page and "Enviar mi solicitud" in page and "Open positions" not in page
    browser = Client(HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")  # no cookie: the browser's language
    assert "Puestos disponibles" in browser.get("/c/alliedup/jobs/").content.decode()


def test_a_spanish_request_leaves_no_spanish_behind(alliedup, client):
    """The response says its language, and the thread is back to English afterwards (Django
    would leave Spanish active for whatever runs next in it)."""
    from django.utils import translation

    response = client.get("/c/alliedup/jobs/", HTTP_ACCEPT_LANGUAGE="es")
    assert response["Content-Language"] == "es" and "Accept-Language" in response["Vary"]
    assert translation.get_language() == "en"


def test_staff_pages_show_no_switch(alliedup, alliedup_users, login):
    page = login(alliedup_users["coordinator"]).get("/c/alliedup/staff/").content.decode()
    assert 'action="/language/"' not in page


def test_money_and_numbers_print_the_same_in_spanish():
    """alliedup.money is locale-independent; Django's own number filters follow the Spanish
    format module (alliedup/formats/es/), which keeps the US decimal point and comma."""
    from decimal import Decimal

    from django.template import engines
    from django.utils import translation

    template = engines["django"].from_string(
        '{% load figures %}{{ amount|money }} {{ hours|hours }} {{ amount|floatformat:2 }} {{ big|intcomma }} {{ amount }}')
    context = {"amount": Decimal("1234.5"), "hours": Decimal("1234.5"), "big": 1234567}
    with translation.override("en"):
        english = template.render(context)
    with translation.override("es"):
        spanish = template.render(context)
    assert english == spanish == "$1,234.50 1,234.50 1234.50 1,234,567 1234.5"


def test_dates_come_out_in_spanish():
    from datetime import date

    from django.template import engines
    from django.utils import translation

    template = engines["django"].from_string('{% load i18n %}{{ day|date:_("l, F j, Y") }} · {{ day|date:_("M j, Y") }}')
    with translation.override("es"):
        assert template.render({"day": date(2026, 11, 24)}) == "martes 24 de noviembre de 2026 · 24 nov 2026"
    with translation.override("en"):
        assert template.render({"day": date(2026, 11, 24)}) == "Tuesday, November 24, 2026 · Nov 24, 2026"
