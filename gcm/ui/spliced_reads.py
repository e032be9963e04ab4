"""Group-wide reads kept up to date country by country: after a write of a few of the group's countries, only their
rows are read again and put in place of the ones the process had.

A read marked `read_marks.rows_by_country` (a group's status matrix, the explorer's cells, the comparison's changes)
returns a frame with a row per country and whatever else, ordered by country first. Every save and workflow step of
a country moves that country's counters (`models.CountryRevision`) in the transaction that writes it, and every
other write that changes what such a read returns moves `setup` (`services._bump` refuses a write of reports that
names no country; a change of the reference data moves it too, `bootstrap.sync_reference`). So a frame read together
with the setup revision and each country's counter of the kind the read is cached on (`gcm.ui.context`: a draft's
save leaves what readers of published reports read) is current for every country whose counter has not moved since,
as long as `setup` has not.

The counters are read before the rows, in the same session: on SQLite one snapshot holds both, and on PostgreSQL the
rows are at least as new as the counters, so a change they hold and the counters miss is read again the next time,
never lost; where `setup` moved while the rows were read again, the whole read runs. Rows are put in place only
where the result is the one the whole read would give: a few countries changed, and no value is missing in the kept
or the new rows (pandas would otherwise give a column another type than the whole read gives). Otherwise the whole
read runs, as it did before. `tests/app/test_spliced_reads.py` and `tests/integration/test_spliced_reads.py` compare
each marked read spliced with the whole read.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd
from sqlalchemy.orm import Session

from gcm import queries

# At most this many countries' rows are read again; beyond it the whole read is cheaper than picking rows out.
MOST_COUNTRIES = 16


@dataclass(frozen=True)
class _Kept:
    setup: int
    counters: dict[str, int]  # each country's counter the read is cached on
    frame: pd.DataFrame


class Store(Protocol):
    """Where the frames are kept, by last use (`gcm.ui.context._memos()["spliced"]`)."""

    def peek(self, key: tuple) -> Any: ...  # the value, or something that is not a `_Kept`

    def put(self, key: tuple, value: Any) -> None: ...


@functools.cache
def _position(function: Callable[..., Any]) -> int | None:
    """Where the argument naming the countries of a read marked `rows_by_country` is among the arguments a page
    passes (the session not counted); None for a read not so marked."""
    parameter = getattr(function, "splice_countries", None)
    if parameter is None:
        return None
    return list(inspect.signature(function).parameters).index(parameter) - 1


@functools.cache
def _defaults(function: Callable[..., Any]) -> tuple[Any, ...]:
    """The default of each parameter after the session (`inspect.Parameter.empty` where it has none)."""
    return tuple(p.default for p in list(inspect.signature(function).parameters.values())[1:])


def with_countries(function: Callable[..., Any], args: tuple, countries: tuple[str, ...]) -> tuple:
    """`args` of a read marked `rows_by_country` with `countries` as the countries it reads, the arguments a page
    left out before them given their defaults."""
    at = _position(function)
    given = (*args, *_defaults(function)[len(args) : at + 1])
    return (*given[:at], countries, *given[at + 1 :])


def splices(function: Callable[..., Any], args: tuple) -> bool:
    """Whether `function(session, *args)` is a group-wide read kept up to date here: marked `rows_by_country`,
    and not given countries of its own. A page of a table reads its few countries whole: on the Submissions
    page's tables (40 countries) putting one country's rows in place cost more than the whole read (5.1–6.0
    against 3.4–5.5 ms)."""
    at = _position(function)
    return at is not None and (at >= len(args) or args[at] is None)


def read(
    session: Session,
    store: Store,
    key: tuple,
    countries: frozenset[str] | None,
    counter: int,
    args: tuple,
    run: Callable[[tuple], pd.DataFrame],
    function: Callable[..., Any],
    own: tuple[str, int] | None = None,
    cycles: frozenset[str] | None = None,
) -> pd.DataFrame:
    """The frame `run(args)` returns, from the one `store` keeps under `key` (the read, its database and its
    arguments) with the rows of the countries whose counter moved read again (`run` given `function`'s arguments
    for those countries, `with_countries`), where that gives the same frame; else from `run(args)` itself.

    `countries` are the group's members (None: every country); `counter` is which of a country's counters the read is
    cached on (its place in `queries.country_revisions`' order): a save that moves no other leaves the read's rows
    as they were. `own` is a country (a delegate's) whose rows are read again on another of its counters (the
    read shows its drafts, and other countries' reports once submitted: `context._own_drafts_only`). `cycles` are
    the cycles the read is of (`queries.of_cycle`), whose counters alone are compared. The frame is kept for the
    next time; the caller gets its own (a shallow copy: pandas copies on write)."""
    setup = queries.data_revisions(session)[3]
    counters = {
        c: values[own[1] if own is not None and c == own[0] else counter]
        for c, values in queries.country_revisions_each(session, countries, cycles).items()
    }
    kept = store.peek(key)
    kept = kept if isinstance(kept, _Kept) else None
    frame = _spliced(kept, setup, counters, args, run, function) if kept is not None else None
    # On PostgreSQL each statement sees what was committed before it: a change of `setup` committed since it was
    # read may show in the rows read again and not in the others.
    if frame is not None and frame is not kept.frame and queries.data_revisions(session)[3] != setup:
        frame = None
    if frame is None:
        frame = run(args)
    store.put(key, _Kept(setup, counters, frame))
    return frame.copy(deep=False)


def _spliced(
    kept: _Kept,
    setup: int,
    counters: dict[str, int],
    args: tuple,
    run: Callable[[tuple], pd.DataFrame],
    function: Callable[..., Any],
) -> pd.DataFrame | None:
    """The kept frame with the changed countries' rows read again; None where the whole read must run."""
    if kept.setup != setup:
        return None
    changed = sorted(c for c in counters.keys() | kept.counters.keys() if counters.get(c, 0) != kept.counters.get(c, 0))
    if not changed:
        return kept.frame
    if len(changed) > MOST_COUNTRIES:
        return None
    rows = run(with_countries(function, args, tuple(changed)))
    others = kept.frame[~kept.frame["country"].isin(changed)]
    if others.empty:  # the whole read would have these rows only
        return rows
    if others.isna().to_numpy().any() or rows.isna().to_numpy().any():
        return None
    if len(rows):
        rows = _typed_as(rows, others)
        if rows is None:
            return None
    return _in_order(others, rows)


def _typed_as(rows: pd.DataFrame, others: pd.DataFrame) -> pd.DataFrame | None:
    """`rows` with the column types of `others`, where they differ only as the whole read would not have them
    differ: text that pandas left as objects (a column of one country's rows filled in after the read, say) is
    given the text type of the group's column. None where another type differs."""
    differ = [name for name in others.columns if rows[name].dtype != others[name].dtype]
    if any(rows[name].dtype != object or not isinstance(others[name].dtype, pd.StringDtype) for name in differ):
        return None
    return rows.astype({name: others[name].dtype for name in differ}) if differ else rows


def _in_order(others: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """`others` and `rows` (each ordered by country first) in one frame ordered by country, each country's rows
    in the order its frame has them, as the whole read orders them."""
    if rows.empty:
        return others.reset_index(drop=True)
    frame = pd.concat([others, rows], ignore_index=True)
    return frame.sort_values("country", kind="stable", ignore_index=True)
