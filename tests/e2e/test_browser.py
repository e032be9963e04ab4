"""In a real browser: enter a report, reload, see it persisted; charts render; language switches; offline."""

import pytest

from gcm.i18n import t
from tests.e2e.conftest import choose, settle

pytestmark = pytest.mark.e2e


def _open_report(page, server, country: str = "Costa Rica") -> None:
    page.goto(f"{server.url}/country_report?lang=es")
    settle(page)
    choose(page, "País", country)


def test_delegate_enters_a_report_reloads_and_sees_it(new_page, server) -> None:
    page = new_page()
    _open_report(page, server)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.get_by_role("textbox", name="Su nombre", exact=True).fill("Ana Pérez <img src=x onerror=alert(1)>")
    page.get_by_role("textbox", name="Su nombre", exact=True).press("Enter")
    settle(page)
    choose(page, "Estado de implementación", "Implementación avanzada")
    page.get_by_role("textbox", name="Avances", exact=True).fill("Ley de migración aprobada <script>alert(1)</script>")
    page.get_by_role("textbox", name="Desafíos", exact=True).fill("Financiamiento insuficiente")
    page.get_by_role("button", name="Guardar").click()
    settle(page)
    page.get_by_text("Objetivo 2 guardado").wait_for()
    page.get_by_text("1 de 23 objetivos con informe").wait_for()

    page.reload()
    settle(page)
    choose(page, "País", "Costa Rica")
    assert (
        page.get_by_role("textbox", name="Avances", exact=True).input_value()
        == "Ley de migración aprobada <script>alert(1)</script>"
    )
    assert page.get_by_role("textbox", name="Desafíos", exact=True).input_value() == "Financiamiento insuficiente"
    page.get_by_text("Guardado por última vez por Ana Pérez <img src=x onerror=alert(1)>").wait_for()
    assert dialogs == []  # markup typed by users is shown as text; nothing runs


def test_regional_charts_render(new_page, server) -> None:
    page = new_page()
    page.goto(f"{server.url}/regional_overview?lang=en")
    settle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator(".js-plotly-plot").count() == 3
    assert page.locator(".js-plotly-plot .heatmaplayer").count() >= 1
    page.get_by_text(t("en", "chart.heatmap_title")).first.wait_for()


def test_switching_language_keeps_it_across_pages_and_reload(new_page, server) -> None:
    page = new_page("es-ES")
    page.goto(server.url)
    settle(page)
    page.get_by_role("heading", name=t("es", "home.title")).wait_for()
    page.get_by_text("English", exact=True).click()
    settle(page)
    page.get_by_role("heading", name=t("en", "home.title")).wait_for()
    page.get_by_role("link", name=t("en", "nav.regional_overview")).first.click()
    settle(page)
    page.get_by_role("heading", name=t("en", "overview.title")).wait_for()
    page.reload()
    settle(page)
    page.get_by_role("heading", name=t("en", "overview.title")).wait_for()


def test_browser_locale_picks_english(new_page, server) -> None:
    page = new_page("en-GB")
    page.goto(server.url)
    settle(page)
    page.get_by_role("heading", name=t("en", "home.title")).wait_for()


def test_unsaved_edits_make_the_browser_warn_before_leaving(new_page, server) -> None:
    page = new_page()
    _open_report(page, server, "Honduras")
    page.get_by_role("textbox", name="Prioridades y próximos pasos", exact=True).fill("Borrador sin guardar")
    page.get_by_role("textbox", name="Avances", exact=True).click()  # leaving the field hands its text to the app
    settle(page)
    page.get_by_text(t("es", "report.unsaved")).wait_for()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(1000)
    assert dialogs == ["beforeunload"]
