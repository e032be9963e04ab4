"""The coverage explorer page with the demo data: matrices, filters from the URL, an opened report."""

import pytest

from gcm.bootstrap import prepare_database, reference_for
from gcm.config import ROOT, load_config
from gcm.db import read_session, write_session
from gcm.demo import load_demo
from gcm.explore import coverage
from gcm.explore.coverage import Filters
from gcm.i18n import t
from gcm.permissions import ReadScope
from gcm.queries import NOT_REPORTED
from gcm.services import Actor, ReportInput, save_objective_report
from gcm.ui.widgets import inert
from tests.app.conftest import ANALYST, open_tables

PUBLIC = ReadScope(states=("validated",))
REF = reference_for(str(ROOT / "data"))
VIEW = {"cycle": "imrf2022", "group": "CRM", "objective": "8"}


@pytest.fixture(autouse=True)
def demo(app_db: str) -> None:
    engine = prepare_database(load_config())
    with write_session(engine) as session:
        load_demo(session, REF)


def _open(open_page, lang: str, params: dict[str, str], user: str | None = None):
    at = open_page("home", lang, user=user)
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page("pages/explorer.py").run()
    assert not at.exception
    return at


def _cells(scope: ReadScope):
    with read_session(prepare_database(load_config())) as session:
        return coverage.status_cells(session, scope, "imrf2022", "CRM", Filters(objective=8))


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_bookmarked_view_answers_who_did_not_report_objective_8(open_page, lang: str) -> None:
    at = _open(open_page, lang, VIEW)
    assert at.title[0].value == t(lang, "explorer.title")
    assert at.selectbox(key="explorer__cycle").value == "imrf2022"
    assert at.selectbox(key="explorer__group").value == "CRM"
    assert at.selectbox(key="explorer__objective").value == 8
    cells = _cells(PUBLIC)
    missing = cells[(cells["objective"] == 8) & (cells["status"] == NOT_REPORTED)]["country"]
    assert len(missing) > 0
    cycle = REF.cycle("imrf2022").name.get(lang)
    summary = next(m.value for m in at.markdown if m.value.startswith(f"**{cycle}"))
    for iso3 in missing:
        assert REF.country(iso3).name.get(lang) in summary.replace("\\", "")
    counted = cells["country"].nunique()  # the CRM but the countries whose reports await validation
    assert counted < 11 and f"{counted - len(missing)} " in summary
    waiting = set(REF.country(c).name.get(lang) for c in {"CRI", "DOM", "GTM", "PAN"} - set(cells["country"]))
    said = t(lang, "flow.awaiting_list", n=len(waiting), countries="").rstrip(".")
    note = next(i.value for i in at.info if i.value.startswith(said))
    assert all(name in note for name in waiting)
    assert any(t(lang, "scope.validated") == c.value for c in at.caption)
    table = open_tables(at).dataframe[-1].value
    objective_column = t(lang, "explorer.objective_short", n=8)
    rows = dict(zip(table[t(lang, "common.country")], table[objective_column], strict=True))
    for iso3 in missing:
        assert rows[REF.country(iso3).name.get(lang)] == t(lang, "status.not_reported")
    assert at.query_params["cycle"] == "imrf2022" and at.query_params["mode"] == "objectives"


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("mode", ["principles", "challenges", "priorities"])
def test_each_counts_matrix(open_page, lang: str, mode: str) -> None:
    at = _open(open_page, lang, {**VIEW, "mode": mode})
    assert at.selectbox(key="explorer__mode").value == mode
    table = open_tables(at).dataframe[-1].value
    labels = coverage.tag_labels(REF, lang, mode)
    assert list(table.columns) == [t(lang, "common.country"), *labels.values()]
    counted = _cells(PUBLIC)["country"].nunique()  # those awaiting validation are said apart
    assert len(table) == counted and int(table[list(labels.values())].to_numpy().sum()) > 0


def test_changing_a_filter_writes_the_url_and_the_url_reproduces_the_view(open_page) -> None:
    at = _open(open_page, "en", VIEW)
    at.selectbox(key="explorer__mode").set_value("challenges").run()
    at.multiselect(key="explorer__status").set_value(["advanced", "full"]).run()
    at.toggle(key="explorer__priority").set_value(True).run()
    at.selectbox(key="explorer__category").set_value("funding").run()
    assert not at.exception
    params = {k: at.query_params[k] for k in ("cycle", "group", "mode", "status", "priority", "category")}
    assert params == {
        "cycle": "imrf2022",
        "group": "CRM",
        "mode": "challenges",
        "status": "advanced,full",
        "priority": "1",
        "category": "funding",
    }
    shown = open_tables(at).dataframe[-1].value
    again = _open(open_page, "en", {**params, "objective": "8"})  # a new session from the bookmarked address
    assert again.multiselect(key="explorer__status").value == ["advanced", "full"]
    assert again.toggle(key="explorer__priority").value is True
    assert open_tables(again).dataframe[-1].value.equals(shown)


def test_bad_values_in_the_url_are_ignored_with_a_notice(open_page) -> None:
    at = _open(open_page, "en", {"cycle": "nope", "mode": "<script>", "objective": "99", "status": "planning,x"})
    notice = next(c.value for c in at.caption if c.value.startswith("Some settings"))
    assert "cycle" in notice and "mode" in notice and "objective" in notice and "status" in notice
    assert at.selectbox(key="explorer__mode").value == "objectives"


@pytest.mark.parametrize(
    ("mode", "cell"), [("objectives", "ZZZ-1"), ("objectives", "MEX-24"), ("principles", "MEX-8"), ("objectives", "x")]
)
def test_a_cell_in_the_url_that_the_matrix_does_not_have_is_named_in_the_notice(open_page, mode, cell) -> None:
    """An unknown country, an objective beyond 23, a column of another matrix: said, not silently left closed."""
    at = _open(open_page, "en", {**VIEW, "mode": mode, "cell": cell})
    assert t("en", "explorer.bad_params", names="cell") in [c.value for c in at.caption]
    assert not any(" · objective " in h.value for h in at.subheader)  # no report opened
    fine = _open(open_page, "en", {**VIEW, "cell": "MEX-8"})
    assert not any(c.value.startswith("Some settings") for c in fine.caption)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_an_opened_cell_shows_the_report_inert(open_page, lang: str) -> None:
    engine = prepare_database(load_config())
    cells = _cells(PUBLIC)
    country = str(cells[(cells["objective"] == 8) & (cells["status"] != NOT_REPORTED)]["country"].iloc[0])
    with write_session(engine) as session:
        version = coverage.report_detail(session, PUBLIC, country, "imrf2022", 8)["version"]
        save_objective_report(
            session,
            REF,
            Actor(name="t", role="system"),
            country=country,
            cycle_id="imrf2022",
            objective=8,
            data=ReportInput(status="full", progress="**bold** <script>alert(1)</script>", principles=("a",)),
            expected_version=version,
            is_demo=True,
        )
    at = _open(open_page, lang, {**VIEW, "cell": f"{country}-8"})
    text = _markdown(at)
    assert "\\*\\*bold\\*\\* \\<script\\>alert\\(1\\)\\</script\\>" in text
    assert REF.objective(8).title.get(lang) in text.replace("\\", "")
    assert REF.principles[0].name.get(lang) in text.replace("\\", "")
    assert at.subheader[0].value == t(lang, "explorer.report_heading", country=REF.country(country).name.get(lang), n=8)
    at.button(key="explorer__close").click().run()
    assert "cell" not in at.query_params
    assert "<script>" not in _markdown(at).replace("\\", "")


def test_a_cell_the_reader_may_not_read_says_so(open_page) -> None:
    analyst = _cells(ReadScope(states=("submitted", "validated")))
    public = _cells(PUBLIC).set_index(["country", "objective"])["status"].to_dict()
    hidden = [  # a report the public does not read: not yet validated, or a country awaiting validation
        r.country
        for r in analyst.itertuples()
        if r.objective == 8 and r.status != NOT_REPORTED and public.get((r.country, 8), NOT_REPORTED) == NOT_REPORTED
    ]
    assert hidden, "the demo data has a submitted (not validated) report on objective 8"
    at = _open(open_page, "en", {**VIEW, "cell": f"{hidden[0]}-8"})
    assert any(
        t("en", "explorer.not_readable", country=REF.country(hidden[0]).name.en, n=8, cycle="") in i.value
        or i.value.startswith(REF.country(hidden[0]).name.en)
        for i in at.info
    )
    signed_in = _open(open_page, "en", {**VIEW, "cell": f"{hidden[0]}-8"}, user=ANALYST)
    assert any(c.value == t("en", "scope.submitted") for c in signed_in.caption)
    assert not signed_in.info or all(not i.value.startswith(REF.country(hidden[0]).name.en) for i in signed_in.info)
    assert t("en", "field.progress") in _markdown(signed_in)


def test_selecting_a_counts_cell_lists_the_reports_with_that_tag(open_page) -> None:
    at = _open(open_page, "es", {**VIEW, "mode": "principles"})
    at.session_state["explorer__cell"] = "MEX-a"
    at.run()
    assert not at.exception
    assert at.subheader[0].value.startswith("México · ")


def _all_awaiting(group: str, cycle: str) -> None:
    """Every member of `group` submitted a report in `cycle` (through the workflow), none validated yet."""
    from gcm import workflow
    from gcm.permissions import SYSTEM

    engine = prepare_database(load_config())
    for country in [c.iso3 for c in REF.countries if group in c.groups]:
        with write_session(engine) as session:
            save_objective_report(
                session,
                REF,
                SYSTEM,
                country=country,
                cycle_id=cycle,
                objective=1,
                data=ReportInput(status="planning"),
                expected_version=None,
            )
            workflow.submit_country_report(session, SYSTEM, country=country, cycle_id=cycle)


@pytest.mark.parametrize("page", ["explorer", "map", "compare"])
def test_a_group_whose_every_report_awaits_validation_is_said_so_and_nothing_breaks(open_page, page: str) -> None:
    _all_awaiting("CRM_OBS", "imrf2026")
    at = open_page("home", "en")
    params = {"explorer": {"cycle": "imrf2026", "group": "CRM_OBS"}, "map": {}, "compare": {}}[page]
    for name, value in {**params, "b": "imrf2026", "a": "imrf2022", "group": "CRM_OBS"}.items():
        at.query_params[name] = value
    at.switch_page(f"pages/{page}.py").run()
    if page == "map":
        at.selectbox(key="map__cycle").set_value("imrf2026").run()
        at.selectbox(key="map__group").set_value("CRM_OBS").run()
    assert not at.exception, at.exception
    said = t("en", "flow.awaiting_list", n=5, countries="").rstrip(".")
    assert any(said.split(": ")[0] in i.value for i in at.info), [i.value for i in at.info]
    assert not any("has no countries" in m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_provisional_grouping_is_footnoted_with_its_asterisk(open_page, lang: str) -> None:
    """The matrix's area labels ("Area 1*") point to a footnote that starts with the same asterisk; drawn as
    Markdown, a leading "* " would be a list item and lose it."""
    at = _open(open_page, lang, {"cycle": "lac2021", "group": "CRM", "mode": "objectives"})
    note = next(c.value for c in at.caption if "*" in c.value)
    assert note == inert(t(lang, "explorer.provisional_axis")) and note.startswith("\\* ")
