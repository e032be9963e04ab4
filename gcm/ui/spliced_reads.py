"""Group-wide reads kept up to date country by country: after a write of a few of the group's countries, only their
rows are read again and put in place of the ones the process had.

A read marked `read_marks.rows_by_country` (a group's status matrix, the explorer's cells, the comparison's changes)
returns a frame with a row per country and whatever else, ordered by country first; of the whole group, or of a
page of its countries. Every save and workflow step of a country moves that country's counters
(`models.CountryRevision`) in the transaction that writes it, and every other write that changes what such a read
returns moves `setup` (`services._bump` refuses a write of reports that names no country; a change of the reference
data moves it too, `bootstrap.sync_reference`). So a frame read together
with the setup revision and each country's counter of the kind the read is cached on (`gcm.ui.context`: a draft's
save leaves what readers of published reports read) is current for every country whose counter has not moved since,
as long as `setup` has not.

The counters are read before the rows, in the same session: on SQLite one snapshot holds both, and on PostgreSQL the
rows are at least as new as the counters, so a change they hold and the counters miss is read again the next time,
never lost; where `setup` moved while the rows were read again, the whole read runs. A read of a small group (at
most FEWEST_COUNTRIES countries) is always read whole, which costs it less. Rows are put in place only
where the result is the one the whole read would give: a few countries changed, and no value is missing in the other
countries' kept rows or in the new rows (pandas would otherwise give a column another type than the whole read
gives). Otherwise the whole read runs, as it did before. `tests/app/test_spliced_reads.py` and
`tests/integration/test_spliced_reads.py` compare each marked read spliced with the whole read.

A read marked `read_marks.sums_by_country` (the counts by round table, the overview's coverage of each objective, a
round table's counts, the opening's figures) is a sum over the group's countries: what is kept is each country's
part and the sums (`read_sums`). After a write of a few countries, their parts are read again and the sums moved by
the difference, on the same counters and with the same fallbacks; the read's own function shapes the sums as it
shapes its own (`finish`).
"""

from __future__ import annotations

import bisect
import copy
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

import pandas as pd
from pandas.api.types import is_object_dtype
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from gcm import queries

K = TypeVar("K")  # what is kept of a read: its frame (`_Kept`), or its sums (`_Sums`)

# At most this many countries' rows are read again; beyond it the whole read is cheaper than picking rows out.
MOST_COUNTRIES = 16
# A read of at most this many countries is read whole: reading the counters and the changed rows and putting them
# in place costs about 0.9–1 ms whatever the group, the whole read far less for a small group (at global scale, the
# open cycle, the status matrix read whole: the CRM's 11 countries 0.36–0.47 ms, a page of 40 0.86–0.94 ms, every
# country 1.8–3.5 ms). A page of 40 costs about the same either way (`splices`), and stays kept up to date.
FEWEST_COUNTRIES = 30


@dataclass(frozen=True)
class _Kept:
    setup: int
    counters: dict[str, int]  # each country's counter the read is cached on
    frame: pd.DataFrame
    rows: list[str]  # the country of each of the frame's rows, in order: where a country's rows are (`bisect`)
    missing: frozenset[str]  # the countries with a value missing in their rows


def _kept(setup: int, counters: dict[str, int], frame: pd.DataFrame) -> _Kept:
    """`frame` kept as read whole: where each country's rows are, and which countries miss a value, worked out
    once, so that putting a few countries' rows in place picks them out by position."""
    return _Kept(setup, counters, frame, frame["country"].tolist(), _missing(frame))


def _missing(frame: pd.DataFrame) -> frozenset[str]:
    """The countries of `frame` with a value missing in their rows."""
    return frozenset(frame.loc[frame.isna().to_numpy().any(axis=1), "country"].tolist())


class Store(Protocol):
    """Where the frames are kept, by last use (`gcm.ui.context._memos()["spliced"]`)."""

    def peek(self, key: tuple) -> Any: ...  # the value, or something that is not a `_Kept`

    def put(self, key: tuple, value: Any) -> None: ...


@functools.cache
def _position(function: Callable[..., Any]) -> int | None:
    """Where the argument naming the countries of a read marked `rows_by_country` (or `parts_by_country`) is
    among the arguments a page passes (the session not counted); None for a read not so marked."""
    parameter = getattr(function, "splice_countries", None) or getattr(function, "part_countries", None)
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
    """Whether `function(session, *args)` is kept up to date here: marked `rows_by_country`, and reading the whole
    group, or a page of its countries where it is marked `of_countries` too (the overview's heatmap, the explorer's
    matrix and the Submissions page read 40 at a time): its cache key, and so the counters compared, are then those
    of the page's countries alone, which a read given countries without that mark would not have. For a page the
    gain is small: at global scale one country's rows read again and put in place took 1.2 ms, 1.6 ms with the
    counters and `setup` read, against 1.8–1.9 ms for reading the 40 again; one rule for both keeps the reads
    alike."""
    at = _position(function)
    if at is None or not hasattr(function, "splice_countries"):
        return False
    whole = at >= len(args) or args[at] is None
    return whole or ("countries", function.splice_countries) in getattr(function, "cache_countries", ())


def worth_it(countries: frozenset[str] | None) -> bool:
    """Whether a read of `countries` (None: every country) is kept up to date country by country rather than read
    whole after a change: only where it reads more than FEWEST_COUNTRIES countries."""
    return countries is None or len(countries) > FEWEST_COUNTRIES


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
    now = _up_to_date(
        session,
        store,
        key,
        (countries, counter, own, cycles),
        _Kept,
        lambda kept, setup, counters: _spliced(kept, setup, counters, args, run, function, (store, key[:2])),
        lambda setup, counters: _kept(setup, counters, run(args)),
    )
    return now.frame.copy(deep=False)


def _up_to_date(
    session: Session,
    store: Store,
    key: tuple,
    counted: tuple[frozenset[str] | None, int, tuple[str, int] | None, frozenset[str] | None],
    kind: type[K],
    update: Callable[[K, int, dict[str, int]], K | None],
    whole: Callable[[int, dict[str, int]], K],
) -> K:
    """What `store` keeps under `key` (of `kind`) brought up to date: `update(kept, setup, counters)`, else (None,
    or nothing kept) `whole(setup, counters)`; kept again with the counters read. `counted` are the countries,
    counter, own country and cycles whose counters are compared (`read`)."""
    connection = session.connection()  # the counters read on it: a third of a session's cost
    setup, counters = _counters(connection, *counted)
    kept = store.peek(key)
    now = update(kept, setup, counters) if isinstance(kept, kind) else None
    # On PostgreSQL each statement sees what was committed before it: a change of `setup` committed since it was
    # read may show in the rows read again and not in the others.
    if now is not None and now is not kept and _setup_moved(connection, setup):
        now = None
    if now is None:
        now = whole(setup, counters)
    store.put(key, replace(now, counters=counters))
    return now


def _counters(
    connection: Connection,
    countries: frozenset[str] | None,
    counter: int,
    own: tuple[str, int] | None,
    cycles: frozenset[str] | None,
) -> tuple[int, dict[str, int]]:
    """The `setup` revision, and each country's counter a read is cached on (see `read`)."""
    setup = queries.data_revisions(connection)[3]
    counters = {
        c: values[own[1] if own is not None and c == own[0] else counter]
        for c, values in queries.country_revisions_each(connection, countries, cycles).items()
    }
    return setup, counters


def _changed(kept: dict[str, int], counters: dict[str, int]) -> list[str]:
    """The countries whose counter moved since `kept` were read (or that have one only on either side), in order."""
    return sorted(c for c in counters.keys() | kept.keys() if counters.get(c, 0) != kept.get(c, 0))


def _setup_moved(connection: Connection, setup: int) -> bool:
    """Whether `setup` moved since it was read as `setup` in this transaction: never on SQLite, whose read
    transaction (`gcm.db` begins one) sees one snapshot from its first statement on."""
    return connection.dialect.name != "sqlite" and queries.data_revisions(connection)[3] != setup


def _spliced(
    kept: _Kept,
    setup: int,
    counters: dict[str, int],
    args: tuple,
    run: Callable[[tuple], pd.DataFrame],
    function: Callable[..., Any],
    shared: tuple[Store, tuple] | None = None,
) -> _Kept | None:
    """`kept` with the changed countries' rows read again; None where the whole read must run. `shared`: where
    rows read again are kept, and the read and its database they are kept under (`_changed_rows`)."""
    if kept.setup != setup:
        return None
    changed = _changed(kept.counters, counters)
    if not changed:
        return kept
    if len(changed) > MOST_COUNTRIES or not kept.missing <= set(changed):
        return None
    again = with_countries(function, args, tuple(changed))
    rows = run(again) if shared is None else _changed_rows(*shared, again, changed, setup, counters, run)
    spans = [(bisect.bisect_left(kept.rows, c), bisect.bisect_right(kept.rows, c)) for c in changed]
    if sum(stop - start for start, stop in spans) == len(kept.rows):  # the whole read would have these rows only
        return _Kept(setup, counters, rows, rows["country"].tolist(), _missing(rows))
    if rows.isna().to_numpy().any():
        return None
    if len(rows):
        rows = _typed_as(rows, kept.frame)
        if rows is None:
            return None
    if _as_kept(kept, rows, spans):  # a change that left these rows as they were (a workflow step, for most reads)
        return replace(kept, setup=setup)  # the same frame: what is built from it is found again by its data
    return _in_place(kept, rows, changed, spans)


def _as_kept(kept: _Kept, rows: pd.DataFrame, spans: list[tuple[int, int]]) -> bool:
    """Whether `rows`, read again for one country, are the rows `kept` holds for it (where `spans` says)."""
    if len(spans) != 1 or spans[0][1] - spans[0][0] != len(rows):
        return False
    start, stop = spans[0]
    return kept.frame.iloc[start:stop].reset_index(drop=True).equals(rows.reset_index(drop=True))


def _changed_rows(
    store: Store,
    read_of: tuple,
    args: tuple,
    changed: list[str],
    setup: int,
    counters: dict[str, int],
    run: Callable[[tuple], pd.DataFrame],
) -> pd.DataFrame:
    """`run(args)`, the rows of the `changed` countries (`args` name them), or the same rows read before at the
    same counters of those countries: two kept frames often need the same rows (after a change of a country on
    the explorer's page, its cells for the whole group and for the page: the same read, for that country). They
    are kept in `store`, by the read, its database (`read_of`), its arguments, `setup` and those counters; shared,
    so never changed (`_typed_as` and `_in_place` make new frames)."""
    key = ("changed rows", read_of, args, setup, tuple(counters.get(c) for c in changed))
    try:
        kept = store.peek(key)
    except TypeError:  # an argument Python cannot hash: read, not kept
        return run(args)
    if isinstance(kept, pd.DataFrame):
        return kept
    rows = run(args)
    store.put(key, rows)
    return rows


def _typed_as(rows: pd.DataFrame, others: pd.DataFrame) -> pd.DataFrame | None:
    """`rows` with the column types of `others`, where they differ only as the whole read would not have them
    differ: text that pandas left as objects (a column of one country's rows filled in after the read, say) is
    given the text type of the group's column. None where another type differs."""
    # each frame's types read at once: a column taken out of a frame one by one costs a Series each
    has = dict(zip(rows.columns, rows.dtypes, strict=True))
    wants = dict(zip(others.columns, others.dtypes, strict=True))
    differ = [name for name, kind in wants.items() if has[name] != kind]
    if any(not is_object_dtype(has[name]) or not isinstance(wants[name], pd.StringDtype) for name in differ):
        return None
    return rows.astype({name: wants[name] for name in differ}) if differ else rows


def _in_place(kept: _Kept, rows: pd.DataFrame, changed: list[str], spans: list[tuple[int, int]]) -> _Kept:
    """`kept` with the rows of each of the `changed` countries (ordered; where their kept rows are, `spans`)
    replaced by theirs among `rows` (ordered by country first), each put where the whole read orders it: the other
    countries' rows are sliced out of the kept frame by position, not looked for."""
    new = rows["country"].tolist()
    pieces, countries, at, taken = [], [], 0, 0
    for country, (start, stop) in zip(changed, spans, strict=True):
        until = bisect.bisect_right(new, country, taken)
        pieces += [kept.frame.iloc[at:start], rows.iloc[taken:until]]
        countries += [*kept.rows[at:start], *new[taken:until]]
        at, taken = stop, until
    pieces.append(kept.frame.iloc[at:])
    countries += kept.rows[at:]
    frame = pd.concat([piece for piece in pieces if len(piece)], ignore_index=True)
    return _Kept(kept.setup, kept.counters, frame, countries, frozenset())


@dataclass(frozen=True)
class _Sums:
    """A read marked `sums_by_country` as kept: what it returns, and once it has been asked again after a change,
    each country's part and their sums."""

    setup: int
    counters: dict[str, int]
    value: Any  # what the read returns
    parts: dict[str, dict[tuple, int]] | None = None  # each country's counts by key; None: not read yet
    totals: dict[tuple, int] | None = None  # the counts by key summed over the countries, none of them 0


def read_sums(
    session: Session,
    store: Store,
    key: tuple,
    countries: frozenset[str] | None,
    counter: int,
    args: tuple,
    run: Callable[[tuple], Any],
    function: Callable[..., Any],
    own: tuple[str, int] | None = None,
    cycles: frozenset[str] | None = None,
) -> Any:
    """What `run(args)` returns (`function(session, *args)`, a read marked `sums_by_country`), from what `store`
    keeps under `key`: the sums moved by the difference between the parts kept and the parts read again of the
    countries whose counter moved; else what `run(args)` returns. `countries`, `counter`, `own` and `cycles` are as
    `read` takes them.

    Every country's part costs more to read than the sums `function` reads in SQL (at global scale, the counts by
    round table 12.6 against 3.9 ms, a round table's counts 16.8 against 6.7 ms), so they are read only when the
    read is asked again after a change of a few countries: a read asked once (another reader's scope, a cycle
    looked at once) or after a change of `setup` costs what it did. The caller gets its own copy of what is kept."""
    by_country, finish = function.summed_by_country
    now = _up_to_date(
        session,
        store,
        key,
        (countries, counter, own, cycles),
        _Sums,
        lambda kept, setup, counters: _moved(session, kept, setup, counters, args, by_country, finish),
        lambda setup, counters: _Sums(setup, counters, run(args)),
    )
    return copy.deepcopy(now.value)


def _parts(rows: list[Any]) -> dict[str, dict[tuple, int]]:
    """Rows `(country, *key, count)` as each country's counts by key."""
    parts: dict[str, dict[tuple, int]] = {}
    for country, *part, count in rows:
        counts = parts.setdefault(country, {})
        counts[tuple(part)] = counts.get(tuple(part), 0) + int(count)
    return parts


def _summed(parts: Any) -> dict[tuple, int]:
    """The counts of `parts` (dicts of counts by key) summed by key, the keys whose sum is 0 left out."""
    totals: dict[tuple, int] = {}
    for counts in parts:
        _add(totals, counts, 1)
    return _nonzero(totals)


def _add(totals: dict[tuple, int], counts: dict[tuple, int], sign: int) -> None:
    """Add `counts` to `totals` (`sign` -1: take them away), key by key."""
    for part, count in counts.items():
        totals[part] = totals.get(part, 0) + sign * count


def _nonzero(totals: dict[tuple, int]) -> dict[tuple, int]:
    """`totals` without the keys whose count is 0: as a sum in SQL, which has no row for them, gives them."""
    return {part: count for part, count in totals.items() if count}


def _moved(
    session: Session,
    kept: _Sums,
    setup: int,
    counters: dict[str, int],
    args: tuple,
    by_country: Callable[..., Any],
    finish: Callable[[list[tuple]], Any],
) -> _Sums | None:
    """`kept` with the parts of the countries whose counter moved read again and the sums moved by the difference
    (every country's part, the first time); None where the whole read must run."""
    if kept.setup != setup:
        return None
    changed = _changed(kept.counters, counters)
    if not changed:
        return kept
    if len(changed) > MOST_COUNTRIES:
        return None
    if kept.parts is None or kept.totals is None:
        parts = _parts(by_country(session, *args))
        totals = _summed(parts.values())
    else:
        new = _parts(by_country(session, *with_countries(by_country, args, tuple(changed))))
        parts, totals = dict(kept.parts), dict(kept.totals)
        for country in changed:
            _add(totals, parts.pop(country, {}), -1)
            if country in new:
                parts[country] = new[country]
                _add(totals, new[country], 1)
        totals = _nonzero(totals)
    return _Sums(setup, counters, finish([(*part, count) for part, count in totals.items()]), parts, totals)
