"""The "Our co-op" page in the worker-owner's language (docs/architecture.md "Languages"):
Spanish for a user who chose it, English otherwise; money prints the same in both."""

from datetime import date

from alliedup.models import Role
from insights import metrics
from insights.reports import REPORTS

PERIOD = "?start=2025-01-01&end=2026-12-31"


def test_each_translated_definition_is_its_figures_docstring_word_for_word():
    # The msgids copy the docstrings (makemessages cannot read one): an edited docstring must
    # be copied again, or the Spanish page would fall back to English without a word.
    assert set(metrics.TRANSLATED_DEFINITIONS) == set(REPORTS["owner"]["figures"])
    for name, msgid in metrics.TRANSLATED_DEFINITIONS.items():
        assert msgid == metrics.definition(name), name


def test_our_coop_is_in_spanish_for_a_user_who_chose_it_and_english_otherwise(build, alliedup, alliedup_users, login):
    from patronage.models import FiscalYear, PatronageAllocation

    year = FiscalYear.objects.create(cooperative=alliedup, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    PatronageAllocation.objects.create(
        cooperative=alliedup, fiscal_year=year, status="issued", net_earnings="1234.56", earnings_source="x", reserve_percent="10",
        reserve_decided_by="x", basis="hours", cash_percent="20", reserve="123.46", pool="1111.10")
    user = alliedup_users[Role.WORKER]

    english = login(user).get(f"/c/alliedup/insights/our-coop/{PERIOD}").content.decode()
    assert "<h1>Our co-op</h1>" in english and ">Placements per month</h2>" in english
    assert "Nuestra cooperativa" not in english and "Asignaciones por mes" not in english
    assert "<td>Issued</td>" in english and '<td class="num">$1,234.56</td>' in english

    user.language = "es"
    user.save(update_fields=["language"])
    spanish = login(user).get(f"/c/alliedup/insights/our-coop/{PERIOD}").content.decode()
    assert '<html lang="es">' in spanish
    assert "<h1>Nuestra cooperativa</h1>" in spanish and ">Asignaciones por mes</h2>" in spanish
    assert ">Retorno cooperativo asignado</h2>" in spanish and "<th scope=\"col\">Ganancias netas</th>" in spanish
    assert "Asignaciones por mes. Una asignación es un turno asignado" in spanish  # the definition
    assert "<title id=\"chart-placements-title\">Asignaciones por mes</title>" in spanish  # the chart
    assert "1 ene 2025" in spanish  # dates day first, Spanish month names
    assert "<td>Emitida</td>" in spanish
    assert '<td class="num">$1,234.56</td>' in spanish  # money keeps the US format
    assert "Placements per month" not in spanish and "Our co-op" not in spanish
