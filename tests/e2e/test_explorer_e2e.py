"""In Chromium: a bookmarked explorer address opens the same view; clicking a cell opens that report."""

import pytest

from gcm.bootstrap import reference_for
from gcm.config import ROOT
from gcm.db import create_db_engine, read_session
from gcm.explore import coverage
from gcm.explore.coverage import Filters
from gcm.i18n import t
from gcm.permissions import ReadScope
from gcm.queries import NOT_REPORTED
from tests.e2e.conftest import settle

pytestmark = pytest.mark.e2e
PUBLIC = ReadScope(states=("validated",))
FOCUS = Filters(objective=8)

# The point of a cell is found by its data (country, objective), then clicked where it is drawn.
POINT_BOX = """([iso3, column]) => {
  const plot = document.querySelector('.js-plotly-plot');
  for (const [i, trace] of plot.data.entries()) {
    const j = (trace.customdata || []).findIndex(d => d[0] === iso3 && d[1] === column);
    if (j >= 0 && trace.marker.symbol === 'square') {
      const node = plot.querySelectorAll('.scatterlayer .trace')[i].querySelectorAll('.points path')[j];
      node.scrollIntoView({block: 'center'});
      const box = node.getBoundingClientRect();
      return {x: box.x + box.width / 2, y: box.y + box.height / 2};
    }
  }
  return null;
}"""


def _expected(server, lang: str):
    ref = reference_for(str(ROOT / "data"))
    engine = create_db_engine(server.database_url)
    with read_session(engine) as session:
        cells = coverage.status_cells(session, PUBLIC, "imrf2022", "CRM", FOCUS)
        column = cells[cells["objective"] == 8]
        opened = str(column[column["status"] != NOT_REPORTED]["country"].iloc[-1])
        detail = coverage.report_detail(session, PUBLIC, opened, "imrf2022", 8)
    engine.dispose()
    summary = coverage.status_summary(ref, lang, cells, ref.cycle("imrf2022").name.get(lang), "CRM", FOCUS)
    missing = [ref.country(c).name.get(lang) for c in column[column["status"] == NOT_REPORTED]["country"]]
    return ref, summary, missing, opened, detail


def _shown(box) -> str:
    """The option a select box shows (the value of its combo box)."""
    return box.locator("input").input_value()


@pytest.mark.parametrize(("lang", "locale"), [("en", "en-GB"), ("es", "es-ES")])
def test_bookmarked_view_answers_objective_8_and_a_click_opens_the_report(new_page, server, lang, locale) -> None:
    ref, summary, missing, opened, detail = _expected(server, lang)
    page = new_page(locale)
    page.goto(f"{server.url}/explorer?lang={lang}&cycle=imrf2022&group=CRM&objective=8")
    settle(page)
    assert page.locator("h1").first.inner_text() == t(lang, "explorer.title")
    boxes = page.get_by_test_id("stSelectbox")
    cycle_box = boxes.filter(has=page.get_by_text(t(lang, "common.cycle"), exact=True))
    assert _shown(cycle_box) == ref.cycle("imrf2022").short.get(lang)  # the short name, where room is tight
    group_box = boxes.filter(has=page.get_by_text(t(lang, "overview.group"), exact=True))
    assert _shown(group_box) == "CRM"
    focus_box = boxes.filter(has=page.get_by_text(t(lang, "explorer.objective_filter"), exact=True))
    assert _shown(focus_box) == f"8. {ref.objective(8).short.get(lang)}"

    page.get_by_text(summary, exact=True).wait_for()  # who did not report objective 8, in words
    assert missing and all(name in summary for name in missing)
    page.locator(".js-plotly-plot .scatterlayer").wait_for()
    assert page.locator(".js-plotly-plot .legendtext").filter(has_text=t(lang, "status.not_reported")).count() == 1

    point = page.evaluate(POINT_BOX, [opened, "8"])
    assert point, f"no drawn cell for {opened}, objective 8"
    page.mouse.click(point["x"], point["y"])
    settle(page)
    name = ref.country(opened).name.get(lang)
    page.get_by_role("heading", name=t(lang, "explorer.report_heading", country=name, n=8)).wait_for()
    page.get_by_text(detail["progress"], exact=True).wait_for()
    assert f"cell={opened}-8" in page.url

    page.goto(page.url)  # the address now names the opened report: a new session shows it again
    settle(page)
    page.get_by_role("heading", name=t(lang, "explorer.report_heading", country=name, n=8)).wait_for()
    page.get_by_text(summary, exact=True).wait_for()
