"""In Chromium, signed out: "what changed for Mexico since the 2021 regional review?", in Spanish and English."""

import time

import pytest
from sqlalchemy import create_engine, text

from gcm.bootstrap import reference_for
from gcm.config import ROOT
from gcm.i18n import t
from tests.e2e.conftest import choose, settle

A, B = "lac2021", "imrf2022"  # the demo fills the 2021 regional review and the IMRF 2022 (gcm/demo.py)


def _mexico_in_both(database_url: str) -> tuple[int, dict[str, str], dict[str, str]]:
    """An objective Mexico reported in both cycles, both country reports validated, and its texts."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        states = dict(conn.execute(text("SELECT cycle_id, state FROM submission WHERE country_iso3 = 'MEX'")).all())
        assert states.get(A) == states.get(B) == "validated", states
        rows = conn.execute(
            text(
                "SELECT a.objective, a.progress, b.progress FROM objective_report a JOIN objective_report b "
                "ON a.objective = b.objective AND b.country_iso3 = 'MEX' AND b.cycle_id = :b "
                "WHERE a.country_iso3 = 'MEX' AND a.cycle_id = :a AND a.progress <> b.progress ORDER BY a.objective"
            ),
            {"a": A, "b": B},
        ).all()
    engine.dispose()
    assert rows, "the demo data has no objective Mexico reported differently in both cycles"
    objective, old, new = rows[0]
    return int(objective), old, new


@pytest.mark.parametrize(("lang", "locale"), [("es", "es-ES"), ("en", "en-GB")])
def test_an_analyst_sees_what_changed_for_mexico(new_page, server, lang: str, locale: str) -> None:
    ref = reference_for(str(ROOT / "data"))
    objective, old, new = _mexico_in_both(server.database_url)
    page = new_page(locale)
    started = time.monotonic()
    page.goto(f"{server.url}/compare?lang={lang}")
    settle(page)
    assert page.get_by_role("heading", name=t(lang, "compare.title")).is_visible()
    # The page opens on the two latest cycles with readable reports (which other tests' validations may
    # have moved on); the analyst picks the 2021 review and IMRF 2022, as a person asking the question would.
    for param, cycle in (("a", A), ("b", B)):
        if f"{param}={cycle}" not in page.url:
            choose(page, t(lang, f"compare.cycle_{param}"), ref.cycle(cycle).short.get(lang))
    assert f"a={A}" in page.url and f"b={B}" in page.url
    choose(page, t(lang, "common.country"), ref.country("MEX").name.get(lang))
    choose(page, t(lang, "common.objective"), f"{objective}. {ref.objective(objective).short.get(lang)}")
    progress = page.locator(".st-key-compare__diff__progress")
    progress.wait_for()
    removed = " ".join(progress.locator("del").all_inner_texts())
    added = " ".join(progress.locator("strong").all_inner_texts())
    assert removed and added, progress.inner_text()
    old_words, new_words = set(old.split()), set(new.split())
    assert set(removed.split()) <= old_words and set(removed.split()) - new_words
    assert set(added.split()) <= new_words and set(added.split()) - old_words
    assert page.get_by_text(t(lang, "compare.legend_inserted"), exact=True).is_visible()
    assert time.monotonic() - started < 60  # the done-when: answered in under a minute
    # The choice is in the address: opening it again (a bookmark) shows the same comparison.
    assert "country=MEX" in page.url and f"objective={objective}" in page.url and f"a={A}" in page.url
    page.goto(page.url)
    settle(page)
    again = page.locator(".st-key-compare__diff__progress")
    again.wait_for()
    assert " ".join(again.locator("del").all_inner_texts()) == removed
