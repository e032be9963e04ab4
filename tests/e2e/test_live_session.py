"""The live session in a real browser, with no request to any other host."""

import subprocess
import sys

import pytest

from gcm.config import ROOT
from gcm.i18n import t
from tests.e2e.conftest import choose, settle, sign_in

pytestmark = pytest.mark.e2e


def test_presenter_runs_the_whole_session_offline(new_page, server) -> None:
    page = new_page("en-GB")
    sign_in(page, server, "sec", lang="en", next_path="/presenter")
    page.get_by_text(t("en", "presenter.settings")).click()
    choose(page, t("en", "common.cycle"), "International Migration Review Forum 2022")  # the demo data's cycle
    page.locator("h2").first.click()  # leave the select box, so that the keys reach the slides
    slides = 1 + 11 * 2 + 4 * 3 + 2  # a country over two slides, a round table over three
    for number in range(1, slides + 1):
        page.get_by_text(f"{number} / {slides}").wait_for()
        settle(page)
        main = page.get_by_test_id("stMain")
        assert main.locator("h2").first.inner_text(), number
        # Every slide shows a chart or its text (the content may still be streaming in: wait for it).
        main.locator(".js-plotly-plot .main-svg, li, blockquote, h3, [data-testid='stColumn'] p").first.wait_for(
            timeout=15000
        )
        page.keyboard.press("PageDown")  # what a presentation clicker sends
        settle(page)
    page.get_by_text(f"{slides} / {slides}").wait_for()
    assert not page.get_by_test_id("stSidebar").is_visible()  # a projector gets the whole width
    page.get_by_test_id("stExpandSidebarButton").click()
    page.get_by_text("Español", exact=True).click()  # the room's language, live
    settle(page)
    page.get_by_role("heading", name=t("es", "presenter.practices")).wait_for()


MAIN_SCROLL = """() => { const main = document.querySelector('[data-testid="stMain"]');
  return [main.scrollTop, main.scrollHeight - main.clientHeight]; }"""


def test_slides_fit_a_projector_and_a_taller_one_scrolls_with_the_keyboard(new_page, server) -> None:
    """At 1920 × 1080 the opening, a country's status and a round table's categories fit the screen. On a
    1024 × 768 projector a slide taller than the screen scrolls with the arrow keys, End and Home while Page Down
    still turns the slide; Tab reaches the slide's buttons without passing the collapsed sidebar's links."""
    page = new_page("en-GB")
    page.set_viewport_size({"width": 1920, "height": 1080})
    sign_in(page, server, "sec", lang="en", next_path="/presenter")
    page.get_by_text(t("en", "presenter.settings")).click()
    choose(page, t("en", "common.cycle"), "International Migration Review Forum 2022")  # the demo data's cycle
    page.get_by_text(t("en", "presenter.settings")).click()  # closed again, as in a session
    settle(page)
    page.locator("h2").first.click()  # leave the select box, so that the keys reach the slides
    for number in (1, 2, 24, 25, 26):
        while not page.get_by_text(f"{number} / 37").is_visible():
            page.keyboard.press("PageDown")
            settle(page)
        page.wait_for_timeout(500)  # the charts drawn
        top, overflow = page.evaluate(MAIN_SCROLL)
        assert overflow <= 2, f"slide {number} is {overflow} px taller than the screen"  # 2: rounding

    page.set_viewport_size({"width": 1024, "height": 768})
    page.wait_for_timeout(500)
    assert page.evaluate(MAIN_SCROLL)[1] > 0  # a round table's quotations: taller than this screen
    page.keyboard.press("End")
    page.wait_for_timeout(300)
    top, overflow = page.evaluate(MAIN_SCROLL)
    assert top >= overflow - 1
    page.keyboard.press("ArrowUp")
    page.wait_for_timeout(300)
    assert page.evaluate(MAIN_SCROLL)[0] < top
    page.keyboard.press("Home")
    page.wait_for_timeout(300)
    assert page.evaluate(MAIN_SCROLL)[0] == 0
    page.keyboard.press("PageDown")  # still the next slide
    settle(page)
    page.get_by_text("27 / 37").wait_for()

    sidebar_links = page.get_by_test_id("stSidebar").locator("a")
    assert sidebar_links.count() > 10 and not sidebar_links.first.is_visible()
    for _ in range(8):  # the expander, the two buttons: no hidden link among the first stops
        page.keyboard.press("Tab")
        assert not page.evaluate("() => !!document.activeElement.closest('[data-testid=\"stSidebar\"]')")


def test_briefing_pack_opens_offline_with_its_charts(new_page, server, tmp_path) -> None:
    output = tmp_path / "briefing.html"
    env_url = server.database_url
    result = subprocess.run(
        [sys.executable, "-m", "gcm", "briefing", "--cycle", "imrf2022", "--lang", "es", "-o", str(output)],
        env={"PATH": "/usr/bin:/bin", "GCM_DATABASE_URL": env_url, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    page = new_page()
    outside: list[str] = []
    page.route(
        "**/*",
        lambda route: (
            (outside.append(route.request.url), route.abort())
            if not route.request.url.startswith("file:")
            else route.continue_()
        ),
    )
    page.goto(output.as_uri())
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator(".js-plotly-plot").count() >= 9  # the opening chart and each round table's
    assert page.locator("h2").count() == 1 + 1 + 11 + 4 + 2  # contents, opening, countries, round tables, closing
    assert outside == []
