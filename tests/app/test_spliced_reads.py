"""A group-wide read kept up to date country by country (`gcm.ui.spliced_reads`) gives the frame the whole read
gives: after saves that change a status, through a report's whole workflow (a report awaiting validation leaves
the analyst's counts, and comes back once validated), in the group the pages show and for every country, for the
secretariat (drafts), an analyst (published reports only), and the delegates of the saving country and of another
(its own country's drafts besides). Only the changed country is read again."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import select

from gcm import models, services, workflow
from gcm.bootstrap import ready_engine, reference_for
from gcm.config import load_config
from gcm.db import read_session, write_session
from gcm.explore import compare
from gcm.ui import context, spliced_reads
from tests.app.conftest import ADMIN
from tests.app.test_pages import _load_demo
from tests.app.test_published_revision import COUNTRY, CYCLE, _evaluate, _return_to_draft, _save, _save_as_system
from tests.app.test_setup_revision import _through_the_workflow, _workflow

EVERYTHING = context.ReadScope(states=None)
PUBLISHED = context.ReadScope(states=("validated",))
OWN = context.ReadScope(states=("submitted", "validated"), own_country=COUNTRY)  # the saving country's delegate
OTHERS = context.ReadScope(states=("submitted", "validated"), own_country="GTM")  # another country's delegate
PAGE = ("CAN", COUNTRY, "GTM", "MEX")  # a page of a table with a row per country, the saving country on it
LEVELS = compare.status_levels(reference_for(str(load_config().reference_dir)))


def _reads(scope: context.ReadScope, group: str | None) -> list[tuple[str, tuple]]:
    """Every read marked `rows_by_country`, with its arguments as the pages pass them: of the whole group, and of
    a page of its countries (the overview's heatmap, the Submissions page)."""
    return [
        ("status_matrix", (CYCLE, group, scope)),
        ("status_matrix", (CYCLE, group, scope, PAGE)),
        ("gcm.explore.coverage.status_cells", (scope, CYCLE, group)),
        ("gcm.explore.compare.status_changes", ("lac2021", CYCLE, group, scope, LEVELS)),
        ("gcm.findings.quotation_candidates", (CYCLE, group, scope, None, (1, 2, 3, 4, 5, 6, 7))),
        ("gcm.explore.profiles.objective_entries", (1, CYCLE, group, scope)),  # the objective page's entries
    ]


class _Reader:
    """One read through `spliced_reads.read`, as `gcm.ui.context` makes it, recording which countries each run of
    the read function was given (None: the whole read)."""

    def __init__(self, name: str, args: tuple) -> None:
        self.name, self.args = name, args
        self.function = context._resolve(name)
        self.position = spliced_reads._position(self.function)
        self.asked: list[tuple[str, ...] | None] = []

    def __call__(self) -> pd.DataFrame:
        url = load_config().database_url
        with read_session(ready_engine(load_config())) as session:

            def run(args: tuple) -> pd.DataFrame:
                self.asked.append(None if args is self.args else args[self.position])
                return context._run_read(session, self.name, args)

            key = (self.name, url, context._digest(self.args))
            countries = context._countries(self.name, self.args, url)
            counter, own = context._splice_counters(self.name, self.args, context._level(self.name, self.args))
            store = context._memos()["spliced"]
            cycles = context._cycles(self.name, self.args)
            args, function = self.args, self.function
            return spliced_reads.read(session, store, key, countries, counter, args, run, function, own, cycles)

    def check(self) -> tuple[str, ...] | None:
        """Read it, compare with the whole read, and say what the read function was given."""
        self.asked.clear()
        read, whole = self(), _evaluate(self.name, self.args)
        if isinstance(whole, pd.DataFrame):
            pd.testing.assert_frame_equal(read, whole)
        else:
            assert read == whole
        assert len(self.asked) <= 1
        return self.asked[0] if self.asked else ()

    def expected(self, changed: bool) -> tuple[str, ...] | str:
        """What `check` says after a change of the saving country that this read does (`changed`) or does not
        see: its rows read again, or nothing read."""
        return (COUNTRY,) if changed else ()


def _sums(scope: context.ReadScope, group: str | None) -> list[tuple[str, tuple]]:
    """Every read marked `sums_by_country`, with its arguments as the pages pass them."""
    return [
        ("status_by_section", (CYCLE, group, scope)),
        ("objective_coverage", (CYCLE, group, scope)),
        ("reporting_figures", (CYCLE, group, scope)),
        ("gcm.findings.round_table_counts", (CYCLE, group, scope)),
        ("gcm.findings.round_table_counts", (CYCLE, group, scope, ("partial", "full"), (1, 2, 3, 4, 5, 6, 7))),
        ("gcm.explore.profiles.objective_status_over_cycles", (1, group, scope)),  # every cycle: the objective page
    ]


class _SumsReader(_Reader):
    """One read through `spliced_reads.read_sums`, as `gcm.ui.context` makes it, recording what was read: the
    read itself (None), every country's part ("every part"), or the parts of the countries given."""

    def __init__(self, name: str, args: tuple) -> None:
        super().__init__(name, args)
        by_country, finish = self.function.summed_by_country
        self.position = spliced_reads._position(by_country)
        self.spied = type("Spied", (), {})()
        self.parts = False  # whether every country's part was read yet

        @functools.wraps(by_country)  # its signature, where its countries are
        def spy(session, *args):
            self.asked.append(args[self.position] if len(args) > self.position else "every part")
            return by_country(session, *args)

        self.spied.summed_by_country = (spy, finish)

    def __call__(self) -> object:
        url = load_config().database_url
        with read_session(ready_engine(load_config())) as session:

            def run(args: tuple) -> object:
                self.asked.append(None)
                return context._run_read(session, self.name, args)

            key = ("sums", self.name, url, context._digest(self.args))
            countries = context._countries(self.name, self.args, url)
            counter, own = context._splice_counters(self.name, self.args, context._level(self.name, self.args))
            store = context._memos()["spliced"]
            cycles = context._cycles(self.name, self.args)
            args, spied = self.args, self.spied
            return spliced_reads.read_sums(session, store, key, countries, counter, args, run, spied, own, cycles)

    def expected(self, changed: bool) -> tuple[str, ...] | str:
        """Every country's part the first time the read is asked after a change it sees; then that country's."""
        if not changed:
            return ()
        first, self.parts = not self.parts, True
        return "every part" if first else (COUNTRY,)


def _status_change(country: str, status: str, text: str = "A status changed") -> None:
    """A new status for the country's real (not demo) reports: saving a demo report by hand makes it a real one,
    which moves `setup` (the demo count every reader sees)."""
    with read_session(ready_engine(load_config())) as session:
        real = session.scalars(
            select(models.ObjectiveReport.objective).where(
                models.ObjectiveReport.country_iso3 == country,
                models.ObjectiveReport.cycle_id == CYCLE,
                models.ObjectiveReport.is_demo.is_(False),
            )
        ).all()
        reports = {n: context.queries.get_report(session, country, CYCLE, n, EVERYTHING) for n in real}
    assert reports, "the country has no real report to change"
    for objective, report in reports.items():
        data = services.ReportInput(status=status, progress=text, national_priority=status == "full")
        _save_as_system(country, objective, data, report["version"])


@pytest.mark.parametrize("group", ["CRM", None])
@pytest.mark.parametrize(
    "scope", [EVERYTHING, PUBLISHED, OWN, OTHERS], ids=["secretariat", "analyst", "its delegate", "another delegate"]
)
def test_a_spliced_read_is_the_whole_read(scope: context.ReadScope, group: str | None) -> None:
    _load_demo()
    _return_to_draft()
    _save(COUNTRY, "A first real report", new=True)  # demo reports saved by hand would move `setup`
    readers = [_Reader(name, args) for name, args in _reads(scope, group)]
    readers += [_SumsReader(name, args) for name, args in _sums(scope, group)]
    for reader in readers:
        assert reader.check() is None  # nothing kept yet: the whole read
        assert reader.check() == ()  # nothing changed since: the kept frame, nothing read

    def drafts(reader: _Reader) -> bool:  # its drafts read: the secretariat's, its own delegate's, the standings
        marked = context._marked(reader.name)  # whatever the scope: counts drafts, or no draft changes it
        return marked == "every write" or (
            marked != "published" and (scope.states is None or scope.own_country == COUNTRY)
        )

    _status_change(COUNTRY, "planning")  # the country's report is a draft: readers of published reports keep theirs
    _status_change(COUNTRY, "full")
    _check_all(readers, drafts)  # read again where its drafts are read
    _status_change(COUNTRY, "full", text="Only the text changed")
    _check_all(  # a save of texts alone: read again only by a read of texts that reads the drafts
        readers,
        lambda reader: context._reads_text(reader.name) and (scope.states is None or scope.own_country == COUNTRY),
    )

    _workflow(workflow.submit_country_report, country=COUNTRY, cycle_id=CYCLE)
    _check_all(readers, lambda reader: True)  # the analyst no longer counts the country: its rows leave the frame
    _workflow(workflow.validate_country_report, country=COUNTRY, cycle_id=CYCLE)
    _check_all(readers, lambda reader: True)


def _check_all(readers: list[_Reader], sees: Callable[[_Reader], bool]) -> None:
    """Check every reader after a change of the saving country, which each reads again or not (`sees`). The
    country's rows are read once for the readers that need the same rows (the group's status matrix and its
    page's: the same read of that country): the first reads them, the others are given them."""
    read_before = set()
    for reader in readers:
        expected = reader.expected(sees(reader))
        if type(reader) is _Reader and expected == (COUNTRY,):
            rows = (reader.name, spliced_reads.with_countries(reader.function, reader.args, expected))
            expected = () if rows in read_before else expected
            read_before.add(rows)
        assert reader.check() == expected, reader.name


def test_a_change_of_cycles_or_of_many_countries_reads_the_whole_group_again(monkeypatch) -> None:
    _load_demo()
    _return_to_draft()
    _save(COUNTRY, "A first real report", new=True)
    readers = [_Reader(name, args) for name, args in _reads(EVERYTHING, "CRM")]
    readers += [_SumsReader(name, args) for name, args in _sums(EVERYTHING, "CRM")]
    for reader in readers:
        reader.check()
    with write_session(ready_engine(load_config())) as session:
        services.bump_revision(session)  # what a change of cycles, groupings or countries moves
    for reader in readers:
        assert reader.check() is None

    _through_the_workflow(COUNTRY)
    monkeypatch.setattr(spliced_reads, "MOST_COUNTRIES", 0)
    for reader in readers:
        assert reader.check() is None


def _shown(at) -> list:
    """What a page shows: its text, its charts' data and its tables."""
    tables = [table.value.to_json() for table in at.dataframe]
    return [m.value for m in at.markdown] + [chart.proto.spec for chart in at.get("plotly_chart")] + tables


@pytest.mark.parametrize("spliced", [True, False], ids=["a large group", "a small group"])
@pytest.mark.parametrize("page", ["explorer", "compare", "regional_overview", "findings", "presenter"])
def test_a_page_after_a_status_change_shows_what_a_new_session_shows(
    open_page: Callable, page: str, spliced: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The group-wide pages after a status change (the findings, which count handed-in reports: after the report
    is submitted): their group's rows and sums read again for that country only where the group is larger than
    `FEWEST_COUNTRIES` (the demo's CRM stands for one here), and read whole where it is not; either way the page
    the same as one drawn from nothing cached."""
    if spliced:
        monkeypatch.setattr(spliced_reads, "FEWEST_COUNTRIES", 0)
    _load_demo()
    _return_to_draft()
    _save(COUNTRY, "A first real report", new=True)
    at = open_page(page, "en", user=ADMIN)
    handed_in = page in ("findings", "presenter")  # they count handed-in reports
    _status_change(COUNTRY, "planning")
    if handed_in:
        _workflow(workflow.submit_country_report, country=COUNTRY, cycle_id=CYCLE)
    at.run()  # the first change a kept sum sees reads every country's part
    asked: list = []
    original = spliced_reads.with_countries

    def spy(function, args, countries):
        asked.append(countries)
        return original(function, args, countries)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(spliced_reads, "with_countries", spy)
        if handed_in:
            _workflow(workflow.validate_country_report, country=COUNTRY, cycle_id=CYCLE)
        else:
            _status_change(COUNTRY, "full")
        at.run()
    assert not at.exception
    assert (set(asked) == {(COUNTRY,)}) if spliced else (asked == [])
    st.cache_data.clear()
    st.cache_resource.clear()
    assert _shown(at) == _shown(open_page(page, "en", user=ADMIN))


PAGED = ("status_matrix", "gcm.explore.coverage.status_cells")


def test_a_page_of_countries_is_kept_up_to_date_only_where_its_key_is_that_pages() -> None:
    """The status matrix and the explorer's cells are marked `of_countries` (the overview's heatmap and the
    explorer's matrix show a page of countries): a page's key, and so the counters compared, are the page's. The
    comparison's changes are not: given countries, they are read whole."""
    for name, args in _reads(EVERYTHING, "CRM"):
        function = context._resolve(name)
        paged = spliced_reads.with_countries(function, args, ("CRI", "GTM"))
        assert spliced_reads.splices(function, args)
        assert spliced_reads.splices(function, paged) == (name in PAGED)
