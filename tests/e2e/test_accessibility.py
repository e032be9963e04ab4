"""Accessibility in a real browser: axe-core on every page, for every role, in both languages; keyboard use.

axe-core comes from npm (`npm ci` at the repository root installs `node_modules/axe-core`, pinned in
package-lock.json) and is loaded into the page from that local file, never from a CDN.
"""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
from playwright.sync_api import expect

import app
from gcm.config import ROOT
from gcm.i18n import t
from tests.conftest import skip_or_fail
from tests.e2e.conftest import settle, sign_in

pytestmark = pytest.mark.e2e

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ROLES = {"public": None, "admin": "sec", "delegate": "cri", "analyst": "ana"}
LANGS = ("es", "en")
BLOCKING = ("critical", "serious")

# Violations that come from inside Streamlit's own components and cannot be fixed from the app. Each one is
# matched to the exact elements it hits (a CSS selector tested in the page on each node axe reports), never
# by switching a rule off; every entry must still be hit somewhere, or it is stale and must go.
STREAMLIT_LIMITS = (
    {
        "rule": "list",
        "selector": 'ul[data-testid="stSidebarNavItems"]',
        "reason": "Streamlit 1.67 draws the sidebar navigation with sections as <ul> > <div> (section) > "
        "<header> + <li>: a <div> may not be a child of <ul>. The DOM is Streamlit's; a flat navigation without "
        "sections would avoid it, at the cost of the grouped menu.",
    },
    {
        "rule": "listitem",
        "selector": 'ul[data-testid="stSidebarNavItems"] > div > li',
        "reason": "The same sidebar navigation: each page link's <li> sits in the section's <div>, not directly "
        "in the <ul>.",
    },
)

RUN_AXE = """async (limits) => {
  const result = await axe.run(document, {resultTypes: ["violations"], elementRef: true});
  const blocking = [], known = [];
  for (const violation of result.violations) {
    if (!["critical", "serious"].includes(violation.impact)) continue;
    const allowed = limits.filter((limit) => limit.rule === violation.id).map((limit) => limit.selector);
    for (const node of violation.nodes) {
      const exempt = allowed.find((selector) => node.element && node.element.matches(selector));
      if (exempt) { known.push(violation.id + " " + exempt); continue; }
      blocking.push({rule: violation.id, impact: violation.impact, target: node.target.join(" "),
                     html: node.html.slice(0, 200), why: (node.failureSummary || "").slice(0, 300)});
    }
  }
  return {blocking, known, version: axe.version};
}"""


def page_paths(role: str, lang: str) -> list[str]:
    """The URL path of every page the role may open (the router's own list); the default page is '/'."""

    def fake_page(path: str, **options) -> str:
        return "" if options.get("default") else Path(path).stem

    with mock.patch("streamlit.Page", side_effect=fake_page):
        return [path for section in app.pages_for(role, True, lang).values() for path in section]


@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE.exists():
        skip_or_fail(f"axe-core is not installed at {AXE} (run `npm ci` at the repository root)")
    return AXE


def open_page(page, server, path: str, lang: str) -> None:
    page.goto(f"{server.url}/{path}?lang={lang}")  # a new Streamlit session; the sign-in cookie stays
    settle(page)
    assert page.get_by_test_id("stException").count() == 0, path
    assert page.get_by_role("heading").count() >= 1, f"{path}: no heading"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("role", list(ROLES))
def test_axe_finds_no_serious_violation_on_any_page(new_page, server, axe_script, role: str, lang: str) -> None:
    page = new_page("es-ES" if lang == "es" else "en-GB")
    if ROLES[role]:
        sign_in(page, server, ROLES[role], lang)
    found, known = {}, set()
    paths = page_paths(role, lang)
    assert len(paths) >= 12
    for path in paths:
        open_page(page, server, path, lang)
        # The language is set by a script in a frame, which may run a moment after the page's run has ended.
        page.wait_for_function("(lang) => document.documentElement.lang === lang", arg=lang, timeout=15000)
        page.add_script_tag(path=str(axe_script))
        result = page.evaluate(RUN_AXE, list(STREAMLIT_LIMITS))
        assert result["version"].startswith("4."), result["version"]
        known.update(result["known"])
        if result["blocking"]:
            found[path or "home"] = result["blocking"]
    assert found == {}, f"axe-core {result['version']}, {role}, {lang}: serious or critical violations: {found}"
    assert {f"{limit['rule']} {limit['selector']}" for limit in STREAMLIT_LIMITS} <= known, (
        "a listed Streamlit limit no longer occurs: remove it from STREAMLIT_LIMITS"
    )


# For each element focused with Tab, and up to three of its ancestors (the visible box of a hidden radio
# input or of a select box's text field): the focus ring's outline and box shadow.
FOCUS_STYLE = """(element) => {
  const rings = [];
  for (let node = element, depth = 0; node && node.nodeType === 1 && depth < 4; node = node.parentElement, depth++) {
    const style = getComputedStyle(node), box = node.getBoundingClientRect();
    rings.push({outline: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
                color: style.outlineColor, shadow: style.boxShadow, visible: box.width > 2 && box.height > 2});
  }
  return {tag: element.tagName, name: (element.innerText || element.getAttribute("aria-label") || "").trim()
    .slice(0, 40), rings};
}"""


def focus_ring(focused: dict, unfocused: dict) -> bool:
    """A visible focus indicator: on the element or a visible ancestor, a ≥ 2 px outline or a new box shadow."""
    for ring, before in zip(focused["rings"], unfocused["rings"], strict=True):
        if ring["visible"] and (
            ring["outline"] >= 2 or (ring["shadow"] != "none" and ring["shadow"] != before["shadow"])
        ):
            return True
    return False


@pytest.mark.parametrize("lang", LANGS)
def test_every_control_on_home_shows_where_the_keyboard_focus_is(new_page, server, lang: str) -> None:
    page = new_page()
    open_page(page, server, "", lang)
    seen, missing = [], []
    for _ in range(80):
        page.keyboard.press("Tab")
        element = page.evaluate_handle("document.activeElement")
        if element.evaluate("(e) => e === document.body"):  # between the end of the page and the browser's UI
            element.dispose()
            continue
        focused = element.evaluate(FOCUS_STYLE)
        if seen and (focused["tag"], focused["name"]) == (seen[0]["tag"], seen[0]["name"]):
            element.dispose()
            break  # the focus went round the whole page
        element.evaluate("(e) => e.blur()")
        unfocused = element.evaluate(FOCUS_STYLE)
        element.evaluate("(e) => e.focus()")
        seen.append(focused)
        if not focus_ring(focused, unfocused):
            missing.append((focused["tag"], focused["name"]))
        element.dispose()
    kinds = {item["tag"] for item in seen}
    assert {"A", "INPUT", "SUMMARY"} <= kinds, kinds  # links, the language radio, an expander
    assert len(seen) >= 15
    assert missing == [], f"no visible focus indicator on: {missing}"


def test_the_language_switch_changes_the_page_language(new_page, server) -> None:
    page = new_page()
    open_page(page, server, "", "es")
    page.wait_for_function("document.documentElement.lang === 'es'")
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    settle(page)
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.get_by_role("heading", level=1).first.inner_text() != ""


@pytest.mark.parametrize("lang", LANGS)
def test_the_presenter_works_with_the_keyboard_alone(new_page, server, lang: str) -> None:
    page = new_page()
    sign_in(page, server, "sec", lang)
    open_page(page, server, "presenter", lang)
    counter = page.locator("strong", has_text=re.compile(r"^\d+ / \d+$")).first

    def position() -> int:
        return int(counter.inner_text().split("/")[0])

    assert position() == 1
    next_button = page.get_by_role("button", name=t(lang, "report.next"))
    next_button.wait_for()  # its PageDown shortcut is listened for once the button is drawn
    hint = next_button.locator("kbd")  # Streamlit names the key in English; a Spanish page's caption names it
    if lang == "es":
        expect(hint).to_be_hidden()
        expect(page.get_by_text(t(lang, "presenter.keys"))).to_be_visible()
    else:
        expect(hint).to_have_text("PageDown")
    page.wait_for_timeout(500)
    for key, expected in (("PageDown", 2), ("PageDown", 3), ("PageUp", 2)):
        page.keyboard.press(key)
        settle(page)
        expect(counter).to_have_text(re.compile(rf"^{expected} / "), timeout=10000)
    # The same buttons are reachable with Tab and pressed with Enter.
    for _ in range(80):
        page.keyboard.press("Tab")
        if next_button.evaluate("(e) => e === document.activeElement"):
            break
    else:
        pytest.fail("the Next button is not reachable with Tab")
    page.keyboard.press("Enter")
    settle(page)
    expect(counter).to_have_text(re.compile(r"^3 / "), timeout=10000)


LEFT_IN_ENGLISH = """(english) => [...document.querySelectorAll("[aria-label],[placeholder],[title],[data-title]")]
  .flatMap((e) => ["aria-label", "placeholder", "title", "data-title"].map((a) => e.getAttribute(a)))
  .filter((value) => value && english.some((word) => value === word || value.startsWith("Help for ")))"""


def test_streamlits_and_plotlys_own_words_are_in_spanish_on_a_spanish_page(new_page, server) -> None:
    """What Streamlit and Plotly draw around the app (labels a screen reader reads, the chart toolbar's tooltips,
    the skip link, an empty date's placeholder) is in Spanish on a Spanish page, a date can still be typed, and
    the English comes back when the reader switches language."""
    from gcm.ui.chrome import chrome_words

    english = list(chrome_words()["exact"])
    page = new_page("es-ES")
    sign_in(page, server, "sec", "es")
    open_page(page, server, "cycles", "es")
    page.wait_for_selector(f'[aria-label="Ayuda sobre {t("es", "cycles.locked")}"]')
    assert page.get_by_test_id("stSkipToContent").text_content() == t("es", "chrome.skip_to_content")
    assert page.evaluate(LEFT_IN_ENGLISH, english) == []
    year = page.locator('[role="spinbutton"][data-type="year"]').first
    assert year.text_content() == "aaaa"
    assert year.get_attribute("aria-label") == f"año, {t('es', 'field.deadline')}"
    page.locator('[role="spinbutton"][data-type="day"]').first.click()
    page.keyboard.type("24122026")
    expect(year).to_have_text("2026")

    open_page(page, server, "regional_overview", "es")
    page.wait_for_selector(".modebar-btn", state="attached")
    titles = page.locator(".modebar-btn").evaluate_all("(buttons) => buttons.map((b) => b.dataset.title)")
    assert t("es", "chrome.plot_png") in titles and t("en", "chrome.plot_png") not in titles
    assert page.evaluate(LEFT_IN_ENGLISH, english) == []

    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    settle(page)
    expect(page.get_by_test_id("stSkipToContent")).to_have_text(t("en", "chrome.skip_to_content"))
    titles = page.locator(".modebar-btn").evaluate_all("(buttons) => buttons.map((b) => b.dataset.title)")
    assert t("en", "chrome.plot_png") in titles and t("es", "chrome.plot_png") not in titles


def test_the_date_picker_the_file_drop_zone_and_a_select_box_speak_spanish(new_page, server) -> None:
    """What Streamlit draws only on demand: the date picker (months, its quick ranges, the dates a screen reader
    reads), a select box's "No results", the workbook's drop zone with the limit the app keeps (2 MB), and a text
    field's hint while the reader types ("Press Ctrl+Enter to apply")."""
    page = new_page("es-ES")
    sign_in(page, server, "sec", "es")
    open_page(page, server, "audit", "es")
    page.locator('[aria-label="Elegir un intervalo de fechas"]').first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text(t("es", "chrome.date_range"), exact=True)).to_be_visible()
    labels = dialog.locator("[aria-label]").evaluate_all("(cells) => cells.map((c) => c.getAttribute('aria-label'))")
    assert t("es", "chrome.previous_month") in labels
    days = [label for label in labels if re.fullmatch(r"\w+, \d{1,2} de \w+ de \d{4}", label or "")]
    assert len(days) >= 28, labels  # "sábado, 5 de diciembre de 2026"
    assert not any(english in " ".join(labels) for english in ("December", "Saturday", "Previous month"))
    page.keyboard.press("Escape")
    page.get_by_test_id("stSelectbox").first.click()
    page.keyboard.type("zzzz")
    expect(page.get_by_text(t("es", "chrome.no_results"), exact=True)).to_be_visible()
    page.keyboard.press("Escape")

    delegate = new_page("es-ES")
    sign_in(delegate, server, "cri", "es")
    open_page(delegate, server, "country_report", "es")
    delegate.get_by_text(t("es", "workbook.title")).click()  # drawn once opened
    zone = delegate.get_by_test_id("stFileUploaderDropzone")
    expect(zone).to_contain_text("2MB por archivo")
    expect(zone.locator("button")).to_contain_text(t("es", "chrome.upload"))
    # A text field's hint, shown while the reader types (Streamlit writes it in English).
    area = delegate.get_by_test_id("stTextArea").first.locator("textarea")
    area.click()
    area.press_sequentially("x")
    hint = delegate.get_by_test_id("InputInstructions").first
    expect(hint).to_contain_text(re.compile(r"Pulse Ctrl\+Intro para (aplicar|enviar el formulario)"))
    assert "Press" not in hint.inner_text()


def test_user_text_that_reads_like_streamlits_words_is_shown_as_typed(new_page, server) -> None:
    """A name typed at a failed sign-in ("Search results", "Open") is listed in the audit page's filter as typed:
    only Streamlit's own words around it are in Spanish ("Quitar …" would be the only change in a tag)."""
    names = ("Search results", "Open")
    visitor = new_page("es-ES")
    for name in names:
        visitor.goto(f"{server.url}/auth/login?lang=es")
        visitor.fill("#username", name)
        visitor.fill("#password", "not the password")
        visitor.click("button[type=submit]")
        visitor.wait_for_load_state()
    page = new_page("es-ES")
    sign_in(page, server, "sec", "es")
    open_page(page, server, "audit", "es")
    page.get_by_test_id("stSelectbox").nth(2).click()
    options = page.get_by_role("option").all_inner_texts()
    assert set(names) <= set(options), options
    assert not {"Buscar resultados", "Search resultados", "Abrir"} & set(options)
    page.keyboard.press("Escape")
