"""In a real browser: sign in, enter a report, reload, see it persisted; charts; language; offline."""

import re

import pytest
from playwright.sync_api import expect

from gcm.bootstrap import reference_for
from gcm.config import ROOT
from gcm.i18n import t
from tests.e2e.conftest import choose, settle, sign_in

pytestmark = pytest.mark.e2e


def test_first_request_after_start_cannot_open_a_secretariat_page(new_page, server) -> None:
    """Runs first, on a server no browser has opened yet: Streamlit's pages/ fallback must not serve the file."""
    page = new_page("en-GB")
    page.goto(f"{server.url}/users?lang=en")
    settle(page)
    page.get_by_text(t("en", "closed.sign_in")).wait_for()  # the address says why it is closed
    assert page.get_by_text(t("en", "users.add")).count() == 0
    nav = page.get_by_test_id("stSidebarNav").inner_text()
    assert "users" not in nav.lower() and "audit" not in nav.lower()


def test_delegate_signs_in_enters_a_report_reloads_and_sees_it(new_page, server) -> None:
    page = new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, server, "cri", next_path="/country_report")
    page.get_by_text("Sesión iniciada como").wait_for()
    choose(page, "Estado de implementación", "Implementación avanzada")
    page.get_by_role("textbox", name="Avances", exact=True).fill("Ley de migración aprobada <script>alert(1)</script>")
    page.get_by_role("textbox", name="Desafíos", exact=True).fill("Financiamiento insuficiente")
    page.get_by_role("button", name="Guardar").click()
    settle(page)
    page.get_by_text("Objetivo 1 guardado").wait_for()  # the report opens on objective 1
    page.get_by_text("1 de 23 objetivos con informe").wait_for()

    page.reload()  # a new Streamlit session: the sign-in survives through the cookie
    settle(page)
    page.get_by_text("Sesión iniciada como").wait_for()
    # A text area mounts empty and takes its value a moment later, after the run has ended: wait for it.
    expect(page.get_by_role("textbox", name="Avances", exact=True)).to_have_value(
        "Ley de migración aprobada <script>alert(1)</script>"
    )
    expect(page.get_by_role("textbox", name="Desafíos", exact=True)).to_have_value("Financiamiento insuficiente")
    page.get_by_text("Guardado por última vez por cri").wait_for()
    assert dialogs == []


def test_wrong_password_gets_one_generic_message(new_page, server) -> None:
    page = new_page("en-GB")
    sign_in(page, server, "cri", lang="en", password="not the password")
    page.get_by_role("alert").filter(has_text=t("en", "signin.failed")).wait_for()
    sign_in(page, server, "nobody", lang="en", password="not the password")
    page.get_by_role("alert").filter(has_text=t("en", "signin.failed")).wait_for()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_signed_out_visitor_typing_any_page_url_never_gets_that_page(new_page, server, lang: str) -> None:
    page = new_page()
    for path in ("country_report", "presenter", "submissions", "cycles", "users", "audit"):
        page.goto(f"{server.url}/{path}?lang={lang}")
        settle(page)
        # not Streamlit's English "Page not found": the page's name, why it is closed, and a way to sign in
        assert page.locator("h1").first.inner_text() == t(lang, f"nav.{path}"), path
        page.get_by_text(t(lang, "closed.sign_in")).wait_for()
        expect(page.get_by_role("link", name=t(lang, "signin.go"))).to_have_attribute(
            "href", re.compile(rf"next=%2F{path}")
        )
        assert page.get_by_text("Page not found").count() == 0
        assert page.get_by_text(t(lang, "users.add")).count() == 0


def test_delegate_cannot_reach_the_secretariat_pages(new_page, server) -> None:
    page = new_page("en-GB")
    sign_in(page, server, "cri", lang="en")
    for path in ("submissions", "users", "audit"):
        page.goto(f"{server.url}/{path}?lang=en")
        settle(page)
        assert page.locator("h1").first.inner_text() == t("en", f"nav.{path}")
        page.get_by_text(t("en", "closed.not_for_account")).wait_for()
        assert page.get_by_text(t("en", "users.add")).count() == 0
    page.goto(f"{server.url}/sign_in?lang=en")
    settle(page)
    page.get_by_text(t("en", "closed.signed_in")).wait_for()
    nav = page.get_by_test_id("stSidebarNav").inner_text()
    assert t("en", "nav.users") not in nav and t("en", "nav.country_report") in nav


def test_sign_out_ends_the_session(new_page, server) -> None:
    page = new_page("en-GB")
    sign_in(page, server, "ana", lang="en")
    page.get_by_text("Signed in as").wait_for()
    page.get_by_role("link", name=t("en", "nav.sign_out")).click()
    page.get_by_text(t("en", "signin.sign_out_confirm")).wait_for()  # a GET only asks; the POST signs out
    page.get_by_role("button", name=t("en", "nav.sign_out")).click()
    page.get_by_text(t("en", "signin.signed_out")).wait_for()
    page.goto(f"{server.url}/?lang=en")
    settle(page)
    page.get_by_test_id("stHtml").get_by_role("link", name=t("en", "nav.sign_in")).wait_for()


def test_two_delegates_saving_at_once_get_a_conflict_not_a_silent_overwrite(new_page, server) -> None:
    first, second = new_page(), new_page()
    for page, name in ((first, "cri"), (second, "cri2")):
        sign_in(page, server, name, next_path="/country_report")
        choose(page, "Objetivo", "4 · Identidad jurídica y documentación — Mesa redonda 2")
    for page, text in ((first, "Texto de la primera delegada"), (second, "Texto del segundo delegado")):
        choose(page, "Estado de implementación", "En planificación")
        page.get_by_role("textbox", name="Avances", exact=True).fill(text)
        page.get_by_role("textbox", name="Desafíos", exact=True).click()
        settle(page)
    first.get_by_role("button", name="Guardar").click()
    settle(first)
    first.get_by_text("Objetivo 4 guardado").wait_for()
    second.get_by_role("button", name="Guardar").click()
    settle(second)
    second.get_by_text("No se guardó: este objetivo se guardó en otro lugar").wait_for()
    # said where Save was pressed, at the foot of a long form, not a screen above it
    expect(second.get_by_text("No se guardó: este objetivo se guardó en otro lugar")).to_be_in_viewport()
    expect(second.get_by_role("textbox", name="Avances", exact=True)).to_have_value("Texto del segundo delegado")
    second.get_by_text("Texto de la primera delegada").first.wait_for()  # both texts side by side
    second.get_by_role("textbox", name="Avances", exact=True).fill("Texto de la primera delegada y del segundo")
    second.get_by_role("textbox", name="Desafíos", exact=True).click()
    settle(second)
    second.get_by_role("button", name=re.compile("^Guardar mi texto combinado")).click()  # saves: no second step
    settle(second)
    second.get_by_text("Objetivo 4 guardado (versión 2").wait_for()


def test_injection_payloads_run_nowhere(new_page, server) -> None:
    payloads = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))"]
    delegate = new_page()
    dialogs: list[str] = []
    delegate.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(delegate, server, "cri", next_path="/country_report")
    choose(delegate, "Objetivo", "5 · Vías de migración regular — Mesa redonda 1")
    choose(delegate, "Estado de implementación", "Implementación inicial")
    for field, payload in zip(("Avances", "Desafíos", "Prioridades y próximos pasos"), payloads, strict=True):
        delegate.get_by_role("textbox", name=field, exact=True).fill(payload)
    delegate.get_by_role("textbox", name="Buena práctica", exact=True).fill(" ".join(payloads))
    delegate.get_by_role("button", name="Guardar").click()
    settle(delegate)
    delegate.get_by_text("Objetivo 5 guardado").wait_for()
    delegate.get_by_role("textbox", name="Avances", exact=True).fill("cambio " + payloads[1])
    delegate.get_by_role("button", name="Guardar").click()
    settle(delegate)
    delegate.get_by_text(t("es", "history.title", n=2)).click()
    settle(delegate)
    delegate.get_by_role("button", name="Enviar el informe del país").click()
    settle(delegate)
    delegate.get_by_role("button", name=t("es", "flow.submit_confirm")).click()  # the check before submitting
    settle(delegate)

    admin = new_page()
    admin.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(admin, server, "sec", next_path="/country_report")
    choose(admin, "País", "Costa Rica")
    choose(admin, "Objetivo", "5 · Vías de migración regular — Mesa redonda 1")
    admin.get_by_role("button", name="Validar").click()
    settle(admin)
    admin.get_by_role("button", name=t("es", "flow.validate_confirm")).click()
    settle(admin)
    for path in ("submissions", "audit", "regional_overview"):
        admin.get_by_role("link", name=t("es", f"nav.{path}")).first.click()
        settle(admin)
    choose(admin, "Ciclo de informes", "Foro de Examen de la Migración Internacional 2026")
    for page in (delegate, admin):
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0
    assert dialogs == []


def test_regional_charts_render(new_page, server) -> None:
    page = new_page()
    page.goto(f"{server.url}/regional_overview?lang=en")
    settle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator(".js-plotly-plot").count() == 3
    assert page.locator(".js-plotly-plot .heatmaplayer").count() >= 1
    page.get_by_text(t("en", "chart.heatmap_title")).first.wait_for()
    assert page.get_by_test_id("stDataFrame").count() == 0  # a chart's table is built once it is opened
    page.get_by_text(t("en", "overview.data_table")).nth(1).click()
    table = page.get_by_test_id("stDataFrame").first
    table.locator("td").first.wait_for(state="attached")
    assert t("en", "status.not_reported") in (table.text_content() or "")  # the heatmap's table: status words
    settle(page)
    page.locator("body").press("r")  # a rerun of the page keeps the opened table open
    settle(page)
    assert page.get_by_test_id("stDataFrame").count() == 1
    page.get_by_text("Español", exact=True).click()  # so does switching language
    settle(page)
    page.get_by_role("heading", name=t("es", "chart.heatmap_title")).wait_for()
    page.get_by_test_id("stDataFrame").first.locator("td").first.wait_for(state="attached")
    assert page.get_by_test_id("stDataFrame").count() == 1


CHART_WIDTHS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map((chart) => {
  const box = chart.closest('[data-testid="stElementContainer"]');
  return {drawn: Number(chart.querySelector(".main-svg").getAttribute("width")), shown: box.clientWidth,
          scrolls: box.scrollWidth > box.clientWidth && getComputedStyle(box).overflowX === "auto"};
})"""


def test_on_a_phone_charts_keep_a_legible_width_and_scroll_sideways(new_page, server) -> None:
    """At a phone's width (390 px) a chart is drawn 640 px wide in a box the reader scrolls sideways, not squeezed
    to the screen; at a laptop's width it fills the column and nothing scrolls. A button's long label wraps."""
    from gcm.ui.style import LEAST_CHART_WIDTH

    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, "sec", "es", "/regional_overview")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    settle(page)
    charts = page.evaluate(CHART_WIDTHS)
    assert len(charts) == 3 and all(c["drawn"] == LEAST_CHART_WIDTH and c["shown"] < 390 for c in charts), charts
    assert all(c["scrolls"] for c in charts), charts
    page.goto(f"{server.url}/findings?lang=es")
    settle(page)
    label = page.get_by_test_id("stButton").filter(has_text=t("es", "findings.pack_html")).locator("p")
    assert label.evaluate("(p) => getComputedStyle(p).whiteSpace") == "normal"
    assert label.evaluate("(p) => p.getBoundingClientRect().right") <= 390  # whole on the screen
    page.goto(f"{server.url}/country_profile?lang=es")
    settle(page)
    links = page.get_by_test_id("stMain").get_by_test_id("stPageLink").locator("a > span:last-child")
    links.first.wait_for()
    assert links.evaluate_all("(spans) => spans.every((s) => s.scrollWidth <= s.clientWidth)")  # no label cut

    page.set_viewport_size({"width": 1400, "height": 1100})
    page.goto(f"{server.url}/regional_overview?lang=es")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    settle(page)
    charts = page.evaluate(CHART_WIDTHS)
    assert all(c["drawn"] == c["shown"] > LEAST_CHART_WIDTH and not c["scrolls"] for c in charts), charts


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


def test_switching_language_keeps_the_objective_and_the_chosen_cycle(new_page, server) -> None:
    """A select box sends back its label, not its value: after a change of language the old label matched no
    option, so Next crashed the report page, and other choices (a cycle, a report's status) went back to
    their defaults with the next click. Other tests submit and validate this report: only its navigation is
    used here."""
    page = new_page("es-ES")
    sign_in(page, server, "cri2", next_path="/country_report")
    choose(page, "Objetivo", "11 · Gestión de fronteras — Mesa redonda 2")
    page.get_by_text("English", exact=True).click()
    settle(page)
    page.get_by_role("button", name=t("en", "report.next"), exact=True).click()
    settle(page)
    objective = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(t("en", "common.objective"), exact=True))
    expect(objective.locator("input")).to_have_value(re.compile(r"^12 · "))
    assert page.get_by_test_id("stException").count() == 0

    overview = new_page("es-ES")
    overview.goto(f"{server.url}/regional_overview?lang=es")
    settle(overview)
    cycle = reference_for(str(ROOT / "data")).cycle("lac2021").name  # never the page's default: the oldest
    choose(overview, t("es", "common.cycle"), cycle.get("es"))
    overview.get_by_text("English", exact=True).click()
    settle(overview)
    choose(overview, t("en", "overview.group"), t("en", "overview.all_countries"))
    box = overview.get_by_test_id("stSelectbox").filter(has=overview.get_by_text(t("en", "common.cycle"), exact=True))
    expect(box.locator("input")).to_have_value(cycle.get("en"))
    assert overview.get_by_test_id("stException").count() == 0


def test_browser_locale_picks_english(new_page, server) -> None:
    page = new_page("en-GB")
    page.goto(server.url)
    settle(page)
    page.get_by_role("heading", name=t("en", "home.title")).wait_for()


def test_the_first_change_keeps_the_keyboards_place_in_the_form(new_page, server) -> None:
    """A keyboard user chooses an objective's first status: the focus stays on that field (the warning of unsaved
    changes that then appears above the form once sent it back to the page's top), and Tab goes on from there."""
    page = new_page()
    sign_in(page, server, "mex", next_path="/country_report")
    status = page.get_by_test_id("stSelectbox").filter(has_text=t("es", "field.status")).locator("input")
    status.focus()
    page.keyboard.type("planif")
    page.keyboard.press("Enter")
    settle(page)
    page.get_by_text(t("es", "report.unsaved")).wait_for()
    assert status.evaluate("(input) => input === document.activeElement")
    for _ in range(3):  # the select box's clear button, then the form's next fields: never the page's top
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('[data-testid=\"stMain\"]')")
        assert page.evaluate("() => document.activeElement.dataset.testid !== 'stSkipToContent'")


def test_unsaved_edits_make_the_browser_warn_before_leaving(new_page, server) -> None:
    page = new_page()
    sign_in(page, server, "mex", next_path="/country_report")
    choose(page, "Objetivo", "14 · Protección consular — Mesa redonda 3")
    page.get_by_role("textbox", name="Prioridades y próximos pasos", exact=True).fill("Borrador sin guardar")
    page.get_by_role("textbox", name="Avances", exact=True).click()  # leaving the field hands its text to the app
    settle(page)
    page.get_by_text(t("es", "report.unsaved")).wait_for()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(1000)
    assert dialogs == ["beforeunload"]


def test_a_paste_over_the_limit_is_kept_and_named_not_dropped(new_page, server) -> None:
    """A browser refuses a paste longer than a box's max_chars whole, without a word: the form sets none, keeps
    what was pasted, says how far over it is, and saving refuses it without losing it."""
    page = new_page()
    sign_in(page, server, "mex", next_path="/country_report")
    pasted = "Texto pegado. " * 400  # 5,600 characters, the limit is 5,000
    box = page.get_by_role("textbox", name="Avances", exact=True)
    box.fill(pasted)
    page.get_by_role("textbox", name="Desafíos", exact=True).click()  # leaving the field hands its text to the app
    settle(page)
    # Counted as saving counts it: without the blank it ends in (5,599), here and in the save's message.
    message = t("es", "error.too_long", field=t("es", "field.progress"), length=len(pasted.strip()), limit=5000)
    page.get_by_text(message).wait_for()
    expect(box).to_have_value(pasted)
    page.get_by_role("button", name="Guardar").click()
    settle(page)
    expect(box).to_have_value(pasted)  # refused, and still there to be cut down
    assert page.get_by_text("Objetivo 1 guardado").count() == 0
