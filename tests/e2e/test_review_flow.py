"""The reporting and review flow in a real browser, as new users would live it, in both languages."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from gcm import queries
from gcm.bootstrap import reference_for
from gcm.config import ROOT
from gcm.i18n import t
from gcm.permissions import Actor, read_scope
from gcm.reference import Reference
from tests.e2e.conftest import choose, settle, sign_in

pytestmark = pytest.mark.e2e
LANGS = [("es", "es-ES"), ("en", "en-GB")]


def _latest_with_data(server, role: str) -> str:
    """The cycle the pages must open on: the latest with reports this reader counts, in the server's
    database as it is now (other browser tests validate reports in the open cycle as they go)."""
    engine = create_engine(server.database_url)
    try:
        with Session(engine) as session:
            return queries.latest_reported_cycle_id(session, "CRM", read_scope(Actor(name="x", role=role)))
    finally:
        engine.dispose()


def _ref() -> Reference:
    return reference_for(str(ROOT / "data"))


def _grid_text(page, index: int = 0) -> str:
    """The text of a data grid (its accessible table, which mirrors the drawn cells)."""
    grid = page.get_by_test_id("stDataFrame").nth(index)
    grid.locator("td").first.wait_for(state="attached")
    return grid.text_content() or ""


@pytest.mark.parametrize(("lang", "locale"), LANGS)
def test_submit_shows_the_empty_objectives_then_the_secretariat_returns_it_and_the_audit_shows_all(
    new_page, server, lang, locale
) -> None:
    delegate = new_page(locale)
    sign_in(delegate, server, "mex", lang=lang, next_path="/country_report")
    choose(delegate, t(lang, "field.status"), _ref().status("planning").label.get(lang))
    delegate.get_by_role("textbox", name=t(lang, "field.progress"), exact=True).fill(f"Avance {lang}")
    delegate.get_by_role("button", name=t(lang, "report.save"), exact=True).click()
    settle(delegate)
    delegate.get_by_role("button", name=t(lang, "workflow.submit")).click()
    settle(delegate)
    delegate.get_by_text(t(lang, "flow.missing", n=22)).wait_for()  # the empty objectives are listed
    delegate.get_by_text(f"23. {_ref().objective(23).short.get(lang)}", exact=True).wait_for()
    delegate.get_by_role("button", name=t(lang, "flow.cancel")).click()
    settle(delegate)
    delegate.get_by_role("button", name=t(lang, "workflow.submit")).click()
    settle(delegate)
    delegate.get_by_role("button", name=t(lang, "flow.submit_confirm")).click()
    settle(delegate)
    delegate.get_by_text(t(lang, "workflow.submitted")).wait_for()  # beside the button pressed

    secretariat = new_page(locale)
    sign_in(secretariat, server, "sec", lang=lang, next_path="/submissions")
    grid = secretariat.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    grid.locator("td").first.wait_for(state="attached")
    rows = grid.locator("tr").filter(has=secretariat.locator("td"))
    names = [row.locator("td").first.inner_text().rsplit("#", 1)[-1] for row in rows.all()]
    mexico = _ref().country("MEX").name.get(lang)
    assert mexico in names, names
    secretariat.wait_for_timeout(1000)  # the grid is drawn on a canvas: let it finish
    box = grid.bounding_box()
    y = box["y"] + 35 + 35 * names.index(mexico) + 17
    for attempt in range(2):  # a click on the country's name opens its review (a first click may only focus the grid)
        try:
            with secretariat.context.expect_page(timeout=5000) as opened:
                secretariat.mouse.click(box["x"] + 30, y)
            break
        except PlaywrightTimeout:
            if attempt:
                raise
    review = opened.value
    settle(review)
    assert "mode=review" in review.url and "country=MEX" in review.url
    review.get_by_text(t(lang, "flow.state_submitted")).first.wait_for()
    assert f"Avance {lang}" in _grid_text(review)  # the one-screen summary
    review.get_by_role("textbox", name=t(lang, "field.comment")).fill("Complete objective 7")
    review.get_by_role("button", name=t(lang, "workflow.return")).click()
    settle(review)
    review.get_by_text(t(lang, "workflow.returned")).wait_for()

    review.goto(f"{server.url}/audit?lang={lang}")
    settle(review)
    review.get_by_test_id("stDataFrame").first.wait_for()
    log = _grid_text(review)
    for kind, who in (("report_returned", "sec"), ("report_submitted", "mex"), ("report_saved", "mex")):
        assert t(lang, f"audit.kind.{kind}") in log and who in log, kind
    assert "Complete objective 7" in log


@pytest.mark.parametrize(("lang", "locale"), LANGS)
def test_signed_out_visitor_sees_awaiting_validation_apart_on_a_cycle_with_data(new_page, server, lang, locale) -> None:
    page = new_page(locale)
    page.goto(f"{server.url}/regional_overview?lang={lang}")
    settle(page)
    opened = _ref().cycle(_latest_with_data(server, "public")).name.get(lang)
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(t(lang, "common.cycle"), exact=True))
    assert box.locator("input").input_value() == opened  # the latest cycle with validated reports
    cycle = _ref().cycle("imrf2022").name.get(lang)
    if opened != cycle:
        choose(page, t(lang, "common.cycle"), cycle)
    waiting = page.get_by_text(t(lang, "flow.awaiting_list", n=3, countries="")[:14])
    assert _ref().country("GTM").name.get(lang) in waiting.inner_text()
    page.locator(".js-plotly-plot").first.wait_for()


@pytest.mark.parametrize(("lang", "locale"), LANGS)
def test_presenter_opens_on_a_cycle_with_data(new_page, server, lang, locale) -> None:
    page = new_page(locale)
    sign_in(page, server, "ana", lang=lang, next_path="/presenter")
    page.get_by_role("heading", name=t(lang, "presenter.opening")).wait_for()
    page.get_by_text(_ref().cycle(_latest_with_data(server, "analyst")).name.get(lang)).first.wait_for()
    assert "0 / 11" not in page.get_by_test_id("stMain").inner_text()
