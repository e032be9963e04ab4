"""The reporting and review flow in a real browser, as new users would live it, in both languages."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from gcm import queries, workflow
from gcm.bootstrap import reference_for
from gcm.config import ROOT
from gcm.db import create_db_engine, write_session
from gcm.i18n import t
from gcm.permissions import Actor, read_scope
from gcm.reference import Reference
from gcm.services import ReportInput, save_objective_report
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
    # Now from the keyboard: the step that asks to confirm takes the focus, and Tab reaches its buttons next.
    delegate.get_by_role("button", name=t(lang, "workflow.submit")).focus()
    delegate.keyboard.press("Enter")
    settle(delegate)
    step = delegate.locator(".st-key-workflow__submit__step")
    assert step.evaluate("(step) => step.contains(document.activeElement)")
    confirm = delegate.get_by_role("button", name=t(lang, "flow.submit_confirm"))
    for _ in range(20):
        delegate.keyboard.press("Tab")
        assert step.evaluate("(step) => step.contains(document.activeElement)")  # nothing outside it first
        if confirm.evaluate("(button) => button === document.activeElement"):
            break
    delegate.keyboard.press("Enter")
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


def _resubmitted(server, country: str) -> None:
    """A report of the current cycle submitted (objectives 5 and 9), returned, edited (9 changed, 3 new) and
    submitted again, written straight into the server's database (the app sees the new data revision)."""
    delegate, secretariat = (
        Actor(name=f"del-{country}", role="delegate", country=country),
        Actor(name="sec", role="admin"),
    )
    ref, engine = _ref(), create_db_engine(server.database_url)

    def save(objective: int, **values) -> None:
        with write_session(engine) as session:
            current = queries.get_report(session, country, "imrf2026", objective, queries.EVERYTHING)
            save_objective_report(
                session,
                ref,
                delegate,
                country=country,
                cycle_id="imrf2026",
                objective=objective,
                data=ReportInput(**{"status": "planning", **values}),
                expected_version=current["version"] if current else None,
            )

    try:
        save(5, progress="Avance 5")
        save(9, progress="Avance 9")
        with write_session(engine) as session:
            workflow.submit_country_report(session, delegate, country=country, cycle_id="imrf2026")
        with write_session(engine) as session:
            workflow.return_country_report(session, secretariat, country=country, cycle_id="imrf2026", comment="x")
        save(9, progress="Avance 9 corregido", challenges="Falta de presupuesto")
        save(3, progress="Nuevo")
        with write_session(engine) as session:
            workflow.submit_country_report(session, delegate, country=country, cycle_id="imrf2026")
    finally:
        engine.dispose()


@pytest.mark.parametrize(("lang", "locale", "country"), [("es", "es-ES", "CHL"), ("en", "en-GB", "URY")])
def test_review_lists_the_changes_and_says_what_is_missing_beside_return(new_page, server, lang, locale, country):
    _resubmitted(server, country)
    page = new_page(locale)
    sign_in(page, server, "sec", lang=lang)
    page.goto(f"{server.url}/country_report?country={country}&cycle=imrf2026&mode=review&lang={lang}")
    settle(page)
    page.get_by_text(t(lang, "flow.state_submitted")).first.wait_for()
    items = page.locator(".st-key-review__changes li")
    items.first.wait_for()
    texts = items.all_inner_texts()

    def expected(key: str, n: int, fields: tuple[str, ...]) -> str:
        """The item as read on screen, up to the time of the change."""
        named = ", ".join(t(lang, f"field.{f}") for f in fields)
        objective = f"{n}. {_ref().objective(n).short.get(lang)}"
        return t(lang, key, objective=objective, fields=named, by=f"del-{country}", when="").replace("**", "")[:-1]

    assert len(texts) == 2, texts  # a list, in objective order; a new objective lists only what was filled in
    assert texts[0].startswith(expected("flow.change_new", 3, ("status", "progress"))), texts[0]
    assert texts[1].startswith(expected("flow.change", 9, ("progress", "challenges"))), texts[1]  # the form's order

    button = page.get_by_role("button", name=t(lang, "workflow.return"))
    button.click()
    settle(page)
    error = page.get_by_text(t(lang, "error.required", field=t(lang, "field.comment")))
    error.wait_for()
    pressed, said = button.bounding_box(), error.bounding_box()
    assert 0 <= said["y"] - (pressed["y"] + pressed["height"]) < 80, (pressed, said)  # right under the button
