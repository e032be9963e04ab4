"""Speed helpers: figures built without validation are still valid Plotly figures; the data revision is read
once per run and again after a commit; cached figures and reads follow a save."""

import copy
import gc
import pickle
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
import streamlit as st
from sqlalchemy import event

from gcm import charts, queries, services
from gcm.bootstrap import sync_reference
from gcm.briefing.model import CategoryCount
from gcm.db import read_session, write_session
from gcm.explore import coverage_chart, map_chart, profile_charts
from gcm.i18n import LANGUAGES
from gcm.permissions import SYSTEM, ReadScope
from gcm.ui import chart_display, context, overview_view, server_process


def _validated(figure: go.Figure) -> dict:
    """Plotly's own validation of the figure's dict (raises on any invalid property)."""
    return go.Figure(figure.to_dict()).to_dict()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fast_figures_are_valid_plotly_figures(ref, lang: str) -> None:
    keys = [s.key for s in ref.statuses]
    counts = pd.DataFrame(
        [(n, k, i) for n in (1, 2) for i, k in enumerate([*keys, queries.NOT_REPORTED])],
        columns=["section", "status", "count"],
    )
    matrix = pd.DataFrame(
        [("CRI", 1, keys[0], True), ("MEX", 2, keys[-1], False)],
        columns=["country", "objective", "status", "national_priority"],
    )
    coverage = pd.DataFrame(
        {
            "objective": [1, 2],
            "reporting_share": [0.5, 1.0],
            "prioritising_share": [0.0, 0.5],
            "reporting": [1, 2],
            "prioritising": [0, 1],
            "members": [2, 2],
        }
    )
    categories = [
        CategoryCount(c.key, c.label.get(lang), n) for c, n in zip(ref.categories[:3], (3, 2, 1), strict=True)
    ]
    figures = [
        charts.status_by_section_figure(ref, lang, counts, False),
        charts.status_heatmap_figure(ref, lang, matrix, ["CRI", "MEX"]),
        charts.coverage_figure(ref, lang, coverage),
        charts.objective_status_figure(ref, lang, matrix, ["CRI", "MEX"], [1, 2], "<b>title</b>"),
        charts.category_figure(lang, categories, "title", "#b35806"),
    ]
    for figure in figures:
        validated = _validated(figure)
        assert validated["layout"]["legend"]["x"] == 1.02  # the house layout: legend right of the plot
        assert validated["layout"]["xaxis"]["title"]["standoff"] == charts.AXIS_STANDOFF
        assert figure.layout.plot_bgcolor == "white"  # the figure reads like any other
    assert figures[3].layout.title.text == "&lt;b&gt;title&lt;/b&gt;"  # titles are escaped


def _explore_figures(ref, lang: str) -> list[go.Figure]:
    """One of each figure of the explorer, the map, the profiles and the comparison, from small frames."""
    keys = [s.key for s in ref.statuses]
    sections = pd.DataFrame({"section": [1, 1, 2], "objective": [2, 5, 4]})
    cells = pd.DataFrame(
        [(c, n, keys[n % len(keys)], n == 2, n != 4) for c in ("MEX", "GTM") for n in (2, 4, 5)]
        + [("GTM", 7, queries.NOT_REPORTED, False, True)],
        columns=["country", "objective", "status", "national_priority", "matches"],
    )
    counts = pd.DataFrame([("MEX", "a", 3), ("GTM", "b", 1)], columns=["country", "key", "count"])
    share = pd.DataFrame({"country": ["MEX", "GTM"], "reported": [23, 0], "objectives": [23, 23], "share": [1, 0]})
    by_status = pd.DataFrame({"country": ["MEX", "GTM"], "status": [keys[0], queries.NOT_REPORTED]})
    names = {"c1": "Cycle one, a long name", "c2": "Cycle two"}
    over_cycles = pd.DataFrame(
        [(c, k, i + 1) for c in names for i, k in enumerate(keys)], columns=["cycle", "status", "count"]
    )
    by_section = over_cycles.assign(section=1)
    changes = pd.DataFrame(
        [("MEX", 1, "improved", keys[0], keys[-1]), ("GTM", 3, "newly_reported", queries.NOT_REPORTED, keys[0])],
        columns=["country", "objective", "change", "status_a", "status_b"],
    )
    change_counts = pd.DataFrame({"change": list(profile_charts.CHANGE_COLORS), "count": [3, 0, 1, 2, 0]})
    return [
        coverage_chart.status_matrix_figure(ref, lang, cells, ["MEX", "GTM"], sections, False, 5, narrows=True),
        coverage_chart.counts_matrix_figure(ref, lang, counts, ["MEX", "GTM"], {"a": "A", "b": "B"}),
        map_chart.choropleth_figure(ref, lang, share, "share", kind="share", title="<b>t</b>"),
        map_chart.choropleth_figure(ref, lang, by_status, "status", kind="status"),
        profile_charts.status_over_cycles_figure(ref, lang, over_cycles, names, "title"),
        profile_charts.completeness_figure(ref, lang, pd.DataFrame({"cycle": ["c1"], "reported": [5]}), names),
        profile_charts.sections_over_cycles_figure(ref, lang, by_section, names, {"c1": False, "c2": True}),
        profile_charts.change_counts_figure(lang, change_counts),
        profile_charts.change_matrix_figure(ref, lang, changes, ["MEX", "GTM"], ("c1", "c2")),
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_explore_figures_are_valid_plotly_figures_in_the_default_template(ref, lang: str) -> None:
    for figure in _explore_figures(ref, lang):
        validated = _validated(figure)  # raises on any property Plotly does not know
        assert validated["layout"]["template"] == go.Figure().to_dict()["layout"]["template"]
        assert validated["layout"]["font"]["size"] == charts.FONT["size"]


def test_a_shown_figure_gives_streamlit_its_data_as_built_without_copying_it(monkeypatch) -> None:
    figure = charts.plain_figure([dict(type="bar", x=["a", "b"], y=[1, 2])], {"title": {"text": "t"}})
    expected = pio.to_json(go.Figure(figure), validate=False)
    shown: list[go.Figure] = []
    monkeypatch.setattr(chart_display.st, "plotly_chart", lambda fig, **options: shown.append(fig))
    for _ in range(2):  # two reruns draw the same cached figure
        chart_display.show_chart(figure, key="chart")
    assert pio.to_json(shown[1], validate=False) == expected  # what Streamlit sends: the figure as built
    assert shown[0].to_dict()["data"] is shown[1].to_dict()["data"]  # handed over, not deep-copied each run
    assert pio.to_json(figure, validate=False) == expected  # and sending it changed nothing


def test_a_shown_figure_is_written_as_json_once_and_sent_as_written(monkeypatch) -> None:
    """A warm rerun draws the cached figure again: Streamlit asks Plotly for its JSON (`plotly.io.to_json`, as
    `st.plotly_chart` calls it), which is the JSON written the first time, escaped as Plotly escapes it."""
    hostile = ["</script><b>x</b>", "a\u2028b"]
    figure = charts.plain_figure([dict(type="bar", x=["a", "b"], y=[1, 2], hovertext=hostile)], {})
    monkeypatch.setattr(chart_display.st, "plotly_chart", lambda fig, **options: None)
    chart_display.show_chart(figure, key="chart")
    as_built = pio.to_json(dict(figure.to_dict()), validate=False)
    first = pio.to_json(figure.to_dict(), validate=False)
    assert first == as_built and "<" not in first and r"\u003c\u002fscript\u003e" in first
    copied = copy.deepcopy(figure)  # Plotly copies and pickles a figure through `to_dict`
    assert pio.to_json(copied, validate=False) == pio.to_json(pickle.loads(pickle.dumps(figure)), validate=False)
    assert copied.data[0].hovertext == tuple(hostile)
    figure._data[0]["y"] = [5, 6]  # never done to a shown figure: here it shows what the second run sends
    assert pio.to_json(figure.to_dict(), validate=False) == first


def test_figures_share_one_template_and_plotly_writes_their_json_with_orjson() -> None:
    """Every figure holds the same template (about 170 dicts Plotly would copy for each), which stays the
    default template; what Streamlit sends every run is written by orjson (`requirements.txt`), which Plotly
    uses when it is installed: the map's warm page 19 → 13 ms (BENCHMARKS.md)."""
    import orjson  # noqa: F401 (a dependency of the app: a missing one fails here)

    one = charts.plain_figure([dict(type="bar", x=["a"], y=[1])], {})
    other = charts.plain_figure([dict(type="scatter", x=["b"], y=[2])], {"title": {"text": "t"}})
    assert one.to_dict()["layout"]["template"] == go.Figure().to_dict()["layout"]["template"]
    assert one._layout["template"] is other._layout["template"]
    own = {"layout": {"font": {"color": "#111111"}}}
    assert charts.plain_figure([], {"template": own})._layout["template"] == own  # a caller's template stays
    assert pio.json.config.default_engine == "auto"  # "auto" takes orjson when it can be imported
    assert pio.to_json(one, validate=False, engine="orjson") == pio.to_json(one, validate=False)


@pytest.fixture
def fresh_run(sqlite_engine):
    """The SQLite database, with Streamlit's caches (and the memos in front of them) emptied and a new run begun."""
    st.cache_data.clear()
    st.cache_resource.clear()
    context.begin_run()
    return sqlite_engine


def _count_revision_queries(engine) -> list[str]:
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _seen(conn, cursor, statement, *args) -> None:
        if statement.lstrip().startswith("SELECT") and "data_revision" in statement:
            seen.append(statement)

    return seen


def test_revision_is_read_once_per_run_and_again_after_a_commit(sqlite_engine) -> None:
    engine = context.engine()
    seen = _count_revision_queries(engine)
    context.begin_run()
    first = context.revision()
    assert [context.revision() for _ in range(5)] == [first] * 5
    assert len(seen) == 1  # one query for six calls
    with write_session(engine) as session:
        services.bump_revision(session)
    assert context.revision() == first + 1  # a save earlier in the run is seen at once
    assert len(seen) == 2
    context.begin_run()
    context.revision()
    assert len(seen) == 3  # every run reads it again (a save in another process shows on the next run)


def test_a_set_of_countries_counters_are_read_again_only_after_a_write(sqlite_engine) -> None:
    st.cache_resource.clear()
    engine, page = context.engine(), frozenset(("GTM", "MEX"))
    seen: list[str] = []

    def _seen(conn, cursor, statement, *args) -> None:
        if statement.lstrip().startswith("SELECT") and "country_revision" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", _seen)
    try:
        context.begin_run()
        first = context._country_revisions(page)
        assert context._country_revisions(page) == first and len(seen) == 1  # once a run
        context.begin_run()  # the next run, after no write anywhere
        assert context._country_revisions(page) == first and len(seen) == 1
        with write_session(engine) as session:  # a write of a country not among them
            services._bump(session.connection(), published=False, country="PAN", cycle="imrf2022")
        context.begin_run()
        assert context._country_revisions(page) == first and len(seen) == 2  # read again: the same
        with write_session(engine) as session:  # one of a country among them
            services._bump(session.connection(), published=False, country="GTM", cycle="imrf2022")
        context.begin_run()
        assert context._country_revisions(page) == (first[0] + 1, first[1], first[2] + 1) and len(seen) == 3
    finally:
        event.remove(engine, "before_cursor_execute", _seen)


def _demo_figure(group: str | None) -> go.Figure:
    return go.Figure(go.Bar(x=[group or "ALL"], y=[1]))


def test_cached_figures_and_reads_follow_the_data_revision(fresh_run) -> None:
    scope = ReadScope(states=None)
    first = context.figure(_demo_figure, "CRM")
    assert context.figure(_demo_figure, "CRM") is first  # built once, shared
    cycles = context.figure(charts.figures_bar, ["a"], [1], "t", "#000000", "axis")
    assert context.figure(charts.figures_bar, ["a"], [1], "t", "#000000", "axis") is cycles
    with write_session(context.engine()) as session:
        services.bump_revision(session)
    assert context.figure(_demo_figure, "CRM") is not first  # a save builds it again
    matrix = context.figure(_reads_matrix, context.Read("status_matrix", "imrf2022", "CRM", scope))
    assert list(matrix.columns) == ["country", "objective", "status", "national_priority"]
    assert context.figure(_reads_reference, context.REFERENCE) == len(context.reference().objectives)


def test_a_value_built_from_reads_no_draft_changes_stays_cached_after_a_draft_save(fresh_run) -> None:
    from_cycles = context.built(_reads_matrix, context.Read("cycles"))  # cycles: unchanged by drafts
    from_reports = context.built(_reads_matrix, context.Read("submissions"))  # counts drafts, no scope
    reports_key = context.revision_of(_reads_matrix, context.Read("submissions"))
    with write_session(context.engine()) as session:  # what a delegate's draft save moves
        services._bump(session.connection(), published=False, country="MEX", cycle="imrf2022")
    assert context.built(_reads_matrix, context.Read("cycles")) is from_cycles
    assert context.revision_of(_reads_matrix, context.Read("submissions")) != reports_key  # read again: ...
    assert context.built(_reads_matrix, context.Read("submissions")) is from_reports  # ... the same data, not built
    with write_session(context.engine()) as session:  # a published change
        services.bump_revision(session)
    assert context.built(_reads_matrix, context.Read("cycles")) is not from_cycles


def test_a_read_of_one_country_stays_cached_through_another_countrys_writes(fresh_run) -> None:
    everything = ReadScope(states=None)
    mexico = ("country_statuses", "MEX", "imrf2022", everything)
    key = context.revision_of(*mexico)  # statuses of a scope that reads drafts: the country's `tallied`
    assert key == (context.setup_revision(), _country_revisions("MEX")[2])
    matrix = ("status_matrix", "imrf2022", None, everything)
    matrix_key = context.revision_of(_reads_matrix, context.Read(*matrix))
    with write_session(context.engine()) as session:  # a save of Guatemala's draft that changes a status
        services._bump(session.connection(), published=False, country="GTM", cycle="imrf2022")
    assert context.revision_of(*mexico) == key  # Mexico's statuses stay cached
    assert context.revision_of(_reads_matrix, context.Read(*matrix)) != matrix_key  # every country's: read again
    with write_session(context.engine()) as session:  # one of Mexico's that changes its text alone
        services._bump(session.connection(), published=False, tallied=False, country="MEX", cycle="imrf2022")
    assert context.revision_of(*mexico) == key
    with write_session(context.engine()) as session:  # now one of Mexico's that changes a status
        services._bump(session.connection(), published=False, country="MEX", cycle="imrf2022")
    assert context.revision_of(*mexico) == (key[0], key[1] + 1)
    with write_session(context.engine()) as session:  # a write that names no country moves `setup`
        services.bump_revision(session)
    assert context.revision_of(*mexico)[0] == key[0] + 1
    with pytest.raises(ValueError, match="names its country"), write_session(context.engine()) as session:
        services._bump(session.connection(), published=True)


def test_a_read_of_one_cycle_stays_cached_through_another_cycles_writes(fresh_run) -> None:
    everything = ReadScope(states=None)
    shown = ("status_matrix", "imrf2022", "CRM", everything)  # the last reported cycle, as pages show it
    key = context.revision_of(*shown)
    matrix = context.built(_reads_matrix, context.Read(*shown))
    assert key == (context.setup_revision(), _cycle_revisions("imrf2022", context._countries(shown[0], shown[1:]))[2])
    with write_session(context.engine()) as session:  # a delegate's draft in the open cycle, a new status
        services._bump(session.connection(), published=False, country="MEX", cycle="imrf2026")
    with write_session(context.engine()) as session:  # and a step of its workflow there
        services.bump_published(session, "MEX", "imrf2026")
    assert context.revision_of(*shown) == key
    assert context.built(_reads_matrix, context.Read(*shown)) is matrix  # not read nor built again
    mexico = ("country_statuses", "MEX", "imrf2022", everything)  # a read of one country over its cycles: moved
    before = context.revision_of(*mexico)
    with write_session(context.engine()) as session:  # a save in the cycle shown
        services._bump(session.connection(), published=False, country="MEX", cycle="imrf2022")
    assert context.revision_of(*shown) == (key[0], key[1] + 1)  # read again (its data unchanged: not built again)
    assert context.revision_of(*mexico) == (before[0], before[1] + 1)
    with write_session(context.engine()) as session:  # a write that names no country moves `setup`
        services.bump_revision(session)
    assert context.revision_of(*shown)[0] == key[0] + 1
    with pytest.raises(ValueError, match="names its country and cycle"), write_session(context.engine()) as session:
        services._bump(session.connection(), published=False, country="MEX")


def _reads_another_cycle(matrix: pd.DataFrame) -> int:
    """A builder keyed on one cycle's counters (its data comes from a read of imrf2022) that reads imrf2026's."""
    return len(matrix) + len(context.read("status_matrix", "imrf2026", "CRM", ReadScope(states=None)))


def _reads_every_cycle(matrix: pd.DataFrame) -> int:
    over_cycles = "gcm.explore.profiles.objective_status_over_cycles"  # the group's statuses in every cycle
    return len(matrix) + len(context.read(over_cycles, 1, "CRM", ReadScope(states=None)))


@pytest.mark.parametrize("builder", [_reads_another_cycle, _reads_every_cycle])
def test_a_value_keyed_on_one_cycle_may_read_no_other_cycle(fresh_run, builder) -> None:
    shown = context.Read("status_matrix", "imrf2022", "CRM", ReadScope(states=None))
    assert context._cycles(context._qualified(builder), (shown,)) == {"imrf2022"}
    with pytest.raises(RuntimeError, match="reads beyond the cycles imrf2022"):
        context.built(builder, shown)


def _reads_another_country(statuses: pd.DataFrame) -> int:
    """A builder keyed on Mexico's counters (its data comes from Mexico's statuses) that reads Guatemala's too."""
    return len(statuses) + len(context.read("country_statuses", "GTM", "imrf2022", ReadScope(states=None)))


def _reads_the_group(statuses: pd.DataFrame) -> int:
    return len(statuses) + len(context.read("status_matrix", "imrf2022", None, ReadScope(states=None)))


@pytest.mark.parametrize("builder", [_reads_another_country, _reads_the_group])
def test_a_value_keyed_on_one_country_may_read_nothing_beyond_it(fresh_run, builder) -> None:
    mexico = context.Read("country_statuses", "MEX", "imrf2022", ReadScope(states=None))
    assert context.revision_of(builder, mexico) == context.revision_of(*(mexico.function, *mexico.args))
    with pytest.raises(RuntimeError, match="reads beyond MEX"):
        context.built(builder, mexico)


@queries.of_one_country("country")
def _country_card(country: str, lang: str) -> str:
    return f"{country}-{lang}"


def test_a_builder_marked_as_of_one_country_is_keyed_on_its_country(sqlite_engine) -> None:
    context.begin_run()
    with write_session(context.engine()) as session:
        services._bump(session.connection(), published=True, country="MEX", cycle="imrf2022")
    assert context.revision_of(_country_card, "MEX", "es") == (context.setup_revision(), _country_revisions("MEX")[0])


def test_a_read_of_a_page_of_countries_is_keyed_on_their_counters_together(fresh_run) -> None:
    everything = ReadScope(states=None)
    for country in ("GTM", "MEX", "PAN"):  # each with counters of its own
        with write_session(context.engine()) as session:
            services._bump(session.connection(), published=False, country=country, cycle="imrf2022")
    context.begin_run()
    page = ("status_matrix", "imrf2022", None, everything, ("GTM", "MEX"))
    mexico, guatemala = _country_revisions("MEX"), _country_revisions("GTM")
    assert _country_revisions(("MEX", "GTM")) == tuple(m + g for m, g in zip(mexico, guatemala, strict=True))
    key = context.revision_of(*page)  # a read of one cycle: those countries' counters in that cycle
    assert key == (context.setup_revision(), mexico[2] + guatemala[2])  # every write above was in imrf2022
    every_country = context.revision_of("status_matrix", "imrf2022", None, everything)  # no countries: all of them
    assert every_country == (context.setup_revision(), _cycle_revisions("imrf2022")[2])
    with write_session(context.engine()) as session:  # a save of a country not on the page
        services._bump(session.connection(), published=False, country="PAN", cycle="imrf2022")
    assert context.revision_of(*page) == key
    every_country_now = context.revision_of("status_matrix", "imrf2022", None, everything)
    assert every_country_now == (every_country[0], every_country[1] + 1)
    with write_session(context.engine()) as session:  # one of a country on the page
        services._bump(session.connection(), published=False, country="GTM", cycle="imrf2022")
    assert context.revision_of(*page) == (key[0], key[1] + 1)


def test_a_read_of_a_group_is_keyed_on_its_members_counters(fresh_run) -> None:
    everything = ReadScope(states=None)
    counts = ("status_by_section", "imrf2022", "CRM", everything)
    members = tuple(context.read("member_countries", "CRM"))
    assert "MEX" in members and "ARG" not in members
    key = context.revision_of(*counts)
    assert key == (context.setup_revision(), _country_revisions(members)[2])
    with write_session(context.engine()) as session:  # a save of a country outside the group
        services._bump(session.connection(), published=False, country="ARG", cycle="imrf2022")
    context.begin_run()
    assert context.revision_of(*counts) == key
    with write_session(context.engine()) as session:  # one of a member
        services._bump(session.connection(), published=False, country="MEX", cycle="imrf2022")
    context.begin_run()
    assert context.revision_of(*counts) == (key[0], key[1] + 1)
    with pytest.raises(TypeError, match="tuple of codes"):
        context.revision_of("status_matrix", "imrf2022", None, everything, "MEX")


def test_a_change_of_the_reference_data_moves_every_revision_and_nothing_else_does(sqlite_engine, ref) -> None:
    argentina = ref.country("ARG")
    joined = replace(
        ref, countries=tuple(replace(c, groups=(*c.groups, "CRM")) if c is argentina else c for c in ref.countries)
    )
    with read_session(context.engine()) as session:
        before = queries.data_revisions(session)
    with write_session(context.engine()) as session:
        sync_reference(session, ref)  # nothing new: nothing moves
    with read_session(context.engine()) as session:
        assert queries.data_revisions(session) == before
    with write_session(context.engine()) as session:
        sync_reference(session, joined)
    with read_session(context.engine()) as session:
        assert "ARG" in queries.member_countries(session, "CRM")
        moved = queries.data_revisions(session)
        assert all(now == then + 1 for now, then in zip(moved, before, strict=True)), (moved, before)
    renamed = replace(
        joined,
        countries=tuple(
            replace(c, name=replace(c.name, en="Argentine Republic")) if c.iso3 == "ARG" else c
            for c in joined.countries
        ),
    )
    with write_session(context.engine()) as session:  # any other change of the reference data moves them too
        sync_reference(session, renamed)
    with read_session(context.engine()) as session:
        assert all(now == then + 1 for now, then in zip(queries.data_revisions(session), moved, strict=True))


@queries.of_countries("countries")
def _page_rows(countries: tuple[str, ...], beyond: tuple[str, ...] = ()) -> int:
    """A builder keyed on the counters of `countries`, which reads the statuses of `beyond` too."""
    scope = ReadScope(states=None)
    return len(context.read("status_matrix", "imrf2022", None, scope, (*countries, *beyond)))


def test_a_value_keyed_on_a_page_of_countries_may_read_nothing_beyond_them(fresh_run) -> None:
    assert context.built(_page_rows, ("GTM", "MEX")) == context.built(_page_rows, ("MEX", "GTM"))
    with pytest.raises(RuntimeError, match="reads beyond GTM, MEX"):
        context.built(_page_rows, ("GTM", "MEX"), ("PAN",))


def _country_revisions(countries: str | tuple[str, ...]) -> tuple[int, int, int]:
    with read_session(context.engine()) as session:
        return queries.country_revisions(session, countries)


def _cycle_revisions(cycle: str, countries: frozenset[str] | None = None) -> tuple[int, int, int]:
    with read_session(context.engine()) as session:
        return queries.country_revisions(session, countries, (cycle,))


def _reads_matrix(matrix: pd.DataFrame) -> pd.DataFrame:
    return matrix


def _reads_reference(ref) -> int:
    return len(ref.objectives)


_BUILDS: list[object] = []


def _counted(tags: object) -> int:
    """How many values have been built so far, this one included."""
    _BUILDS.append(tags)
    return len(_BUILDS)


def _typed(value: object) -> str:
    return type(value).__name__


def test_the_memo_in_front_of_the_caches_keeps_their_meaning(fresh_run) -> None:
    """A rerun finds its reads and figures without Streamlit's hashing, and still gets what the cache gives:
    its own copy of a read, the shared figure, one value per argument type, a new value after a save."""
    scope = ReadScope(states=None)
    first = context.read("status_matrix", "imrf2022", "CRM", scope)
    first.loc[:, "status"] = "changed by the page"  # a page changing its copy changes nobody else's
    again = context.read("status_matrix", "imrf2022", "CRM", scope)
    assert again is not first and "changed by the page" not in set(again["status"])
    assert context.read("status_matrix", "imrf2022", "CRM", scope).equals(again)

    assert context.figure(_typed, 1) == "int" and context.figure(_typed, True) == "bool"  # 1 == True, kept apart
    assert context.figure(_typed, ["a"]) == "list" and context.figure(_typed, ("a",)) == "tuple"
    for one, other in (
        (context.Read("x", 1), context.Read("x", True)),
        ({1: "a"}, {True: "a"}),
        (frozenset({1}), frozenset({True})),
    ):  # equal to Python, different to Streamlit: different keys, however deep inside an argument
        assert context._memo_key("f", "url", 1, (one,)) != context._memo_key("f", "url", 1, (other,))
    _BUILDS.clear()
    assert context.built(_counted, ("a",)) == 1 and context.built(_counted, ("a",)) == 1
    assert context.built(_counted, {"a": [1]}) == 2 and context.built(_counted, {"a": [1]}) == 2
    assert context.built(_counted, {"a": [True]}) == 3
    frame = pd.DataFrame({"a": [1]})  # a key Python cannot hash: Streamlit's hashing finds it
    assert context.built(_counted, frame) == 4 and context.built(_counted, frame.copy()) == 4
    with write_session(context.engine()) as session:
        services.bump_revision(session)
    assert context.built(_counted, ("a",)) == 5
    st.cache_resource.clear()  # clearing the store clears the memo in front of it, from the next run
    context.begin_run()
    assert context.built(_counted, ("a",)) == 6


def test_the_memos_are_looked_up_once_a_run(fresh_run, monkeypatch) -> None:
    """Streamlit's resource cache works out a key each time it is asked: a run asks it for the memos once."""
    asked = []
    process_memos = context._process_memos
    monkeypatch.setattr(context, "_process_memos", lambda: asked.append(1) or process_memos())
    context.begin_run()
    scope = ReadScope(states=None)
    for _ in range(3):
        context.read("status_matrix", "imrf2022", "CRM", scope)
        context.built(_counted, ("b",))
    assert len(asked) == 1
    context.begin_run()
    context.read("status_matrix", "imrf2022", "CRM", scope)
    assert len(asked) == 2


def test_a_cache_miss_hashes_a_digest_of_the_arguments_not_each_value(sqlite_engine, monkeypatch) -> None:
    """Streamlit's cache is given one digest of the read or builder, the database, the revision and the arguments
    (and those under a name it does not hash): hashing 193 countries value by value cost more than building some
    values, and Streamlit looks up the function's signature for each argument it is given. Different arguments still get
    their own values (see the memo's test above)."""
    from streamlit.runtime.caching.hashing import _CacheFuncHasher

    st.cache_resource.clear()
    hashed: list[object] = []
    to_bytes = _CacheFuncHasher.to_bytes
    monkeypatch.setattr(_CacheFuncHasher, "to_bytes", lambda self, obj: hashed.append(obj) or to_bytes(self, obj))
    countries = tuple(f"C{n:03d}" for n in range(193))
    _BUILDS.clear()
    assert context.built(_counted, countries) == 1 and context.built(_counted, countries[:-1]) == 2
    assert not any(value in hashed for value in countries)  # no country was hashed on its own
    assert len(hashed) == 4  # one key for each of the two misses, its name and its value: one digest of it all
    assert context.built(_counted, countries) == 1  # found again
    with pytest.raises(TypeError, match="picklable"):  # said plainly, not as a pickling error
        context.built(_counted, (len,))


def test_a_coloured_table_works_out_its_styles_once_and_stays_a_styler() -> None:
    from streamlit import dataframe_util

    from gcm.ui.review import styled

    asked: list[str] = []

    class Colors(dict):
        def get(self, key, default=None):
            asked.append(key)
            return super().get(key, default)

    frame = pd.DataFrame({"country": ["Costa Rica", "México"], "state": ["Validated", "Draft"]})
    table = styled(frame, Colors({"Validated": "background-color: #d4ecd5"}), ["state"], "test_table")
    assert dataframe_util.is_pandas_styler(table)  # st.dataframe draws it as a Styler, with its colours
    table._compute()
    first = table._translate(False, False)
    table._compute()
    assert table._translate(False, False) is first
    assert asked == ["Validated", "Draft"]  # each cell's colour looked up once, however often it is drawn
    assert table._translate(True, True, None, None, "", [], True)["body"]  # pandas' own call, with a list
    assert "background-color: #d4ecd5" in table.to_html()  # pandas' own rendering still sees the styles


def test_a_coloured_table_sends_streamlit_what_a_plain_styler_sends() -> None:
    """Streamlit gets from a coloured table the colour rules and shown texts that pandas' own Styler gives it, in
    the same order, without pandas working out the styles cell by cell."""
    from streamlit.elements.lib.pandas_styler_utils import marshall_styler
    from streamlit.proto.ArrowData_pb2 import ArrowData

    from gcm.ui.review import styled

    frame = pd.DataFrame(
        {
            "country": ["Costa Rica", "México", "Perú", "Chile"],
            "state": ["Validated", "Draft", "Validated", "Other"],
            "n": [1, 2, 3, 4],
            "status": ["Draft", "Validated", "", "Draft"],
            "note": ["<b>x</b>", "Validated", "", "a;b:c"],
        }
    )
    colors = {"Validated": "background-color: #d4ecd5; color: #111", "Draft": "background-color: #fff4cc"}
    sent = []
    for table in (
        styled(frame, colors, ["state", "status"], "test_table"),
        frame.style.set_uuid("test_table").map(lambda v: colors.get(v, ""), subset=["state", "status"]),
    ):
        proto = ArrowData()
        marshall_styler(proto, table, "default")
        sent.append(proto.styler)
    ours, plain = sent
    assert ours.styles == plain.styles and "#d4ecd5" in ours.styles  # the same colour rules, in the same order
    assert "row1_col3" in ours.styles and "col4" not in ours.styles  # the named columns only
    assert ours.display_values == plain.display_values  # the same shown texts


def test_a_coloured_table_refuses_fractions_it_would_show_unrounded() -> None:
    from gcm.ui.review import styled

    with pytest.raises(ValueError, match="share"):
        styled(pd.DataFrame({"state": ["Draft"], "share": [0.5]}), {}, ["state"], "test_table")
    with pytest.raises(KeyError):  # a column to colour that the table lacks is said, not skipped
        styled(pd.DataFrame({"state": ["Draft"]}), {}, ["status"], "test_table")
    empty = styled(pd.DataFrame({"country": [], "state": []}), {}, ["state"], "test_table")  # no row: no fraction
    assert empty._translate(False, False)["cellstyle"] == []


def test_the_server_process_freezes_its_modules_once_and_collects_young_objects_less_often() -> None:
    server_process.settle_garbage_collector()
    frozen = gc.get_freeze_count()
    assert frozen > 100_000  # Streamlit, pandas, Plotly, SQLAlchemy and the app's modules
    assert gc.get_threshold()[0] == server_process.YOUNG_THRESHOLD
    server_process.settle_garbage_collector()  # every run of app.py calls it: only the first one acts
    assert gc.get_freeze_count() == frozen


def _reads_and_asks(matrix: pd.DataFrame) -> tuple[int, int]:
    """A builder that reads on its own besides its `Read` argument."""
    _BUILDS.append(matrix)
    return len(_BUILDS), len(context.read("cycles"))


def _save_status(country: str, cycle: str, objective: int, status: str) -> None:
    everything = ReadScope(states=None)
    with read_session(context.engine()) as session:
        report = queries.get_report(session, country, cycle, objective, everything)
    with write_session(context.engine()) as session:
        services.save_objective_report(
            session,
            context.reference(),
            SYSTEM,
            country=country,
            cycle_id=cycle,
            objective=objective,
            data=services.ReportInput(status=status, progress="Texto"),
            expected_version=report["version"] if report else None,
        )


def test_a_value_is_built_again_only_when_the_data_it_is_built_from_changes(fresh_run) -> None:
    """A save moves the revision a value is keyed on whether or not it changed that value's data: built from
    equal data, the value is handed out again (a chart's JSON is then not written again); from changed data, it is
    built again; a builder that reads on its own is built again after every such save."""
    everything = ReadScope(states=None)
    cycle = "imrf2026"  # the open cycle of the demo data
    reports = context.Read("reports_by_member", cycle, "CRM", everything)  # how many reports each member has
    matrix = context.Read("status_matrix", cycle, "CRM", everything)
    _save_status("MEX", cycle, 3, "planning")
    counts, statuses = context.built(_reads_matrix, reports), context.built(_reads_matrix, matrix)
    asks = context.built(_reads_and_asks, matrix)

    _save_status("MEX", cycle, 3, "initial")  # a status change: no report more or less
    assert context.built(_reads_matrix, reports) is counts  # read again, equal: the value built before
    changed = context.built(_reads_matrix, matrix)
    assert changed is not statuses  # its data changed: built again, and it shows the change
    mexico = changed[(changed["country"] == "MEX") & (changed["objective"] == 3)]
    assert mexico["status"].tolist() == ["initial"]
    assert context.built(_reads_and_asks, matrix)[0] == asks[0] + 1

    _save_status("MEX", cycle, 4, "planning")  # a new report: the counts change
    assert context.built(_reads_matrix, reports) is not counts


def test_what_is_drawn_from_a_kept_value_is_kept_as_long_as_that_value_is(fresh_run) -> None:
    """`context.kept_with`: drawn again only from another object, never from an equal one it has not seen."""
    first, equal = pd.DataFrame({"a": [1]}), pd.DataFrame({"a": [1]})
    drawn = context.kept_with(_drawn_from, first, context.REFERENCE, "es")
    assert drawn[0] is first and drawn[1] == len(context.reference().objectives) and drawn[2] == "es"
    assert context.kept_with(_drawn_from, first, context.REFERENCE, "es") is drawn
    assert context.kept_with(_drawn_from, first, context.REFERENCE, "en") is not drawn
    assert context.kept_with(_drawn_from, equal, context.REFERENCE, "es")[0] is equal


def _drawn_from(ref, lang: str, value: object) -> tuple[object, int, str]:
    return value, len(ref.objectives), lang


def test_the_overviews_heatmap_page_is_built_again_only_when_its_countries_statuses_change(fresh_run) -> None:
    """A workflow step of a country on the page moves its counters and leaves its statuses as they were: the heatmap
    is handed out again (its JSON not written again); a status change builds it again, showing the change."""
    everything, cycle = ReadScope(states=None), "imrf2026"
    page = ("CRI", "GTM", "MEX")
    _save_status("MEX", cycle, 3, "planning")
    before = overview_view.heatmap_page("es", cycle, "CRM", everything, page)
    with write_session(context.engine()) as session:
        services.bump_published(session, "MEX", cycle)  # as a submission or a validation does
    context.begin_run()
    assert overview_view.heatmap_page("es", cycle, "CRM", everything, page) is before

    _save_status("MEX", cycle, 3, "initial")
    context.begin_run()
    after = overview_view.heatmap_page("es", cycle, "CRM", everything, page)
    assert after is not before
    mexico = after.data[0].y.index(context.reference().country("MEX").name.es)
    assert after.data[0].customdata[mexico][2] == context.reference().status("initial").label.es
