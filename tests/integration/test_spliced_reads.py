"""On SQLite and PostgreSQL, a group-wide read kept up to date country by country (`gcm.ui.spliced_reads`) gives
what the whole read gives after a status change and a workflow step of one country, reading only its rows (or its
part of the sums)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from gcm import findings, models, queries
from gcm.db import read_session, write_session
from gcm.explore import compare, coverage
from gcm.permissions import SYSTEM
from gcm.reference import Reference
from gcm.services import ReportInput, bump_published, save_objective_report
from gcm.ui import context, spliced_reads
from tests.integration.profile_data import ADMIN, ANALYST, A, B, load


def _reads(ref: Reference) -> list[tuple[Callable, tuple]]:
    levels = compare.status_levels(ref)
    return (
        [(queries.status_matrix, (B, None, scope)) for scope in (ADMIN, ANALYST)]
        + [(coverage.status_cells, (scope, B, None)) for scope in (ADMIN, ANALYST)]
        + [(compare.status_changes, (A, B, None, scope, levels)) for scope in (ADMIN, ANALYST)]
        + [(findings.quotation_candidates, (B, None, scope, None)) for scope in (ADMIN, ANALYST)]
    )


def _read(engine: Engine, store: context._Memo, function: Callable, args: tuple, asked: list) -> pd.DataFrame:
    with read_session(engine) as session:

        def run(given: tuple) -> pd.DataFrame:
            asked.append(None if given is args else given[spliced_reads._position(function)])
            return function(session, *given)

        key = (function.__qualname__, str(engine.url), repr(args))
        name = f"{function.__module__}.{function.__name__}"
        counter = context._COUNTER[context._level(name, args)]
        cycles = context._cycles(name, args)  # compared on those cycles' counters, as pages do
        return spliced_reads.read(session, store, key, None, counter, args, run, function, cycles=cycles)


def _whole(engine: Engine, function: Callable, args: tuple) -> pd.DataFrame:
    with read_session(engine) as session:
        return function(session, *args)


def test_a_spliced_read_is_the_whole_read_on_both_databases(engine: Engine, ref: Reference) -> None:
    load(engine, ref)
    store = context._Memo(size=64, copies=False)  # nothing kept yet
    for function, args in _reads(ref):
        asked: list = []
        pd.testing.assert_frame_equal(_read(engine, store, function, args, asked), _whole(engine, function, args))
        assert asked == [None]

    with write_session(engine) as session:  # a new status for one of Guatemala's reports
        save_objective_report(
            session, ref, SYSTEM, country="GTM", cycle_id=B, objective=1,
            data=ReportInput(status="initial", national_priority=False, progress="Borrador.", challenges="Falta."),
            expected_version=1,
        )  # fmt: skip
    for function, args in _reads(ref):  # a draft's save: read again where drafts are read, kept where they are not
        asked = []
        pd.testing.assert_frame_equal(_read(engine, store, function, args, asked), _whole(engine, function, args))
        assert asked == ([] if ANALYST in args else [("GTM",)]), function.__qualname__

    with write_session(engine) as session:  # Mexico's report validated: analysts count it now
        session.get(models.Submission, ("MEX", B)).state = "validated"
        bump_published(session, "MEX", B)  # as every workflow step does
    for function, args in _reads(ref):
        asked = []
        pd.testing.assert_frame_equal(_read(engine, store, function, args, asked), _whole(engine, function, args))
        assert asked == [("MEX",)], function.__qualname__


def test_a_change_that_leaves_a_countrys_rows_keeps_the_same_frame(engine: Engine, ref: Reference) -> None:
    """A workflow step moves a country's counters; where the read's rows of that country are as they were, they are
    read again and the kept frame is handed out again, not rebuilt: what is built from it is found by its data."""
    load(engine, ref)
    store = context._Memo(size=64, copies=False)
    function, args = queries.status_matrix, (B, None, ADMIN)
    key = (function.__qualname__, str(engine.url), repr(args))
    _read(engine, store, function, args, [])
    before = store.peek(key).frame
    with write_session(engine) as session:
        bump_published(session, "GTM", B)  # as a workflow step does; the secretariat's statuses stay as they were
    asked: list = []
    pd.testing.assert_frame_equal(_read(engine, store, function, args, asked), _whole(engine, function, args))
    assert asked == [("GTM",)] and store.peek(key).frame is before


def _sums() -> list[tuple[Callable, tuple]]:
    return [
        (function, (B, None, scope))
        for function in (
            queries.status_by_section,
            queries.objective_coverage,
            queries.reporting_figures,
            findings.round_table_counts,
        )
        for scope in (ADMIN, ANALYST)
    ]


def _read_sums(engine: Engine, store: context._Memo, function: Callable, args: tuple, asked: list) -> Any:
    """`function(*args)` through `spliced_reads.read_sums`, recording what was read: the read itself (None), every
    country's part ("every part"), or the parts of the countries given."""
    by_country, finish = function.summed_by_country

    @functools.wraps(by_country)  # its signature, where its countries are
    def spy(session, *given):
        at = spliced_reads._position(by_country)
        asked.append(given[at] if len(given) > at else "every part")
        return by_country(session, *given)

    spied = type("Spied", (), {"summed_by_country": (spy, finish)})
    with read_session(engine) as session:

        def run(given: tuple) -> Any:
            asked.append(None)
            return function(session, *given)

        key = (function.__qualname__, str(engine.url), repr(args))
        name = f"{function.__module__}.{function.__name__}"
        counter = context._COUNTER[context._level(name, args)]
        cycles = context._cycles(name, args)
        return spliced_reads.read_sums(session, store, key, None, counter, args, run, spied, cycles=cycles)


def _same(read: Any, whole: Any) -> None:
    if isinstance(whole, pd.DataFrame):
        pd.testing.assert_frame_equal(read, whole)
    else:
        assert read == whole


def test_kept_sums_are_the_whole_read_on_both_databases(engine: Engine, ref: Reference) -> None:
    """The read itself the first time; every country's part the first time it is asked after a change it sees;
    that country's part afterwards."""
    load(engine, ref)
    store = context._Memo(size=64, copies=False)
    for function, args in _sums():
        asked: list = []
        _same(_read_sums(engine, store, function, args, asked), _whole(engine, function, args))
        assert asked == [None]

    with write_session(engine) as session:  # a new status for one of Guatemala's reports, a draft
        save_objective_report(
            session, ref, SYSTEM, country="GTM", cycle_id=B, objective=1,
            data=ReportInput(status="initial", national_priority=True, progress="Borrador.", challenges="Falta."),
            expected_version=1,
        )  # fmt: skip
    seen = set()
    for function, args in _sums():  # read again where drafts are read (not the opening's figures: no draft moves them)
        asked = []
        _same(_read_sums(engine, store, function, args, asked), _whole(engine, function, args))
        drafts = ADMIN in args and function is not queries.reporting_figures
        assert asked == (["every part"] if drafts else []), function.__qualname__
        if drafts:
            seen.add((function, args))

    with write_session(engine) as session:  # Mexico's report validated: analysts count it now
        session.get(models.Submission, ("MEX", B)).state = "validated"
        bump_published(session, "MEX", B)
    for function, args in _sums():
        asked = []
        _same(_read_sums(engine, store, function, args, asked), _whole(engine, function, args))
        assert asked == ([("MEX",)] if (function, args) in seen else ["every part"]), function.__qualname__

    with write_session(engine) as session:  # and returned
        session.get(models.Submission, ("MEX", B)).state = "returned"
        bump_published(session, "MEX", B)
    for function, args in _sums():
        asked = []
        _same(_read_sums(engine, store, function, args, asked), _whole(engine, function, args))
        assert asked == [("MEX",)], function.__qualname__


def test_a_caller_changing_a_kept_sum_changes_no_other_callers(engine: Engine, ref: Reference) -> None:
    """What `read_sums` hands out is the caller's own: a page that adds to it leaves the next reader's as read."""
    load(engine, ref)
    store = context._Memo(size=64, copies=False)
    for function, args in _sums():
        got = _read_sums(engine, store, function, args, [])
        if isinstance(got, pd.DataFrame | dict):  # the counts by round table, the opening's figures
            got["changed"] = 1
        else:  # a round table's counts
            got.cells[0, "changed"] = 1
        _same(_read_sums(engine, store, function, args, []), _whole(engine, function, args))
