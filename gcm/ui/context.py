"""Per-session context for pages: language, engine, reference data, cached reads."""

from __future__ import annotations

import functools
import hashlib
import importlib
import inspect
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

import streamlit as st
from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

from gcm import declaration, findings, queries, review_process
from gcm.bootstrap import ready_engine, reference_for, with_database_countries
from gcm.config import load_config
from gcm.db import read_session
from gcm.i18n import LANGUAGE_NAMES, LANGUAGES, normalize_language, t
from gcm.permissions import EDITABLE_STATES, ReadScope
from gcm.reference import Reference
from gcm.ui import kept_arrow, spliced_reads
from gcm.ui.url_params import set_url_param

READ_MODULES = (queries, findings, review_process, declaration)
LANG_KEY = "ui_lang"  # plain session key: the language chosen for this session
LANG_WIDGET = "lang"


def engine() -> Engine:
    """This process's engine, migrated and loaded with reference data on first use."""
    return ready_engine(load_config())


# The reference data of this run, with the data revision it was read at: pages ask for it many times a run.
_run_reference: ContextVar[tuple[int, Reference] | None] = ContextVar("gcm_run_reference", default=None)


def reference() -> Reference:
    """Reference data plus the countries only the database knows, as of this run's data revision."""
    rev = setup_revision()  # no report's save nor workflow step adds a country
    seen = _run_reference.get()
    if seen is not None and seen[0] == rev:
        return seen[1]
    config = load_config()
    key = (str(config.reference_dir), config.database_url, rev)
    # the memo first: Streamlit's cache works out a key from each argument every time it is asked
    ref = _memos()["reference"].get(key, lambda: _reference(*key))
    _run_reference.set((rev, ref))
    return ref


@st.cache_resource(show_spinner=False, max_entries=8)
def _reference(directory: str, url: str, rev: int) -> Reference:
    del url, rev  # part of the cache key only
    with read_session(engine()) as session:
        return with_database_countries(session, reference_for(directory))


# The revisions read in this script run (the data revisions; a country's counters), with the number of commits
# this process had made when they were read. A run reads each once, however many cached reads it makes; a commit in
# this process (a save earlier in the same run) makes the next read query them again, and a save in another
# process shows on the next run.
_run_revisions: ContextVar[tuple[int, dict[Any, Any]] | None] = ContextVar("gcm_run_revisions", default=None)
_commits = 0
_commits_lock = threading.Lock()

# What a cached value is keyed on, from the revision that moves least often to the one that moves with every
# write (the index in `queries.data_revisions`' order is in `_COUNTER`).
SETUP, PUBLISHED, TALLIED, EVERY_WRITE = -1, 0, 1, 2
_COUNTER = {EVERY_WRITE: 0, PUBLISHED: 1, TALLIED: 2, SETUP: 3}
# What a cached value is keyed on: one of the data revisions, or for the reporting of one country or of a few
# (`_countries`) the `setup` revision with the sum of their counters (which only grow, so the sum moves whenever
# one of them does).
Revision = int | tuple[int, int] | tuple[int | tuple[int, int], int]
# The level of the value being built: a read inside it must be keyed on a revision that moves no more often.
_building: ContextVar[int] = ContextVar("gcm_building_level", default=EVERY_WRITE)
# The countries whose revisions the value being built is keyed on (`_countries`), if it is so keyed.
_building_countries: ContextVar[frozenset[str] | None] = ContextVar("gcm_building_countries", default=None)
# The country whose drafts alone the value being built reads (`_own_drafts_only`), if it is so keyed.
_building_own: ContextVar[str | None] = ContextVar("gcm_building_own", default=None)
# The cycles whose counters alone the value being built is keyed on (`_cycles`), if it is so keyed.
_building_cycles: ContextVar[frozenset[str] | None] = ContextVar("gcm_building_cycles", default=None)


@event.listens_for(Session, "after_commit")
def _count_commit(session: Session) -> None:
    global _commits
    with _commits_lock:
        _commits += 1


def begin_run() -> None:
    """Forget the revision read by the previous run (the router calls this first on every run)."""
    _run_revisions.set(None)
    _run_reference.set(None)
    _run_memos.set([])


def _once_a_run(key: Any, read: Callable[[Connection], Any]) -> Any:
    """`read(connection)`, read once a run (and again after a commit of this process), kept under `key`."""
    seen = _run_revisions.get()
    commits = _commits
    if seen is None or seen[0] != commits:
        seen = (commits, {})
        _run_revisions.set(seen)
    if key not in seen[1]:
        with engine().connect() as connection:
            seen[1][key] = read(connection)
    return seen[1][key]


def _revisions() -> tuple[int, int, int, int]:
    return _once_a_run("data", queries.data_revisions)


def revision() -> int:
    """The database's data revision: one tiny query per run, so a save anywhere shows on the next run."""
    return _revisions()[0]


def setup_revision() -> int:
    """The revision of cycles, groupings, countries and groups: no report's save nor workflow step moves it."""
    return _revisions()[_COUNTER[SETUP]]


def revision_of(function: str | Callable[..., Any], *args: Any) -> Revision:
    """The data revision `read(function, *args)` is cached on: something built from the same data (a briefing
    pack a session keeps) is current while this stays where it was. A rehearsal's scope reads drafts, so for
    it every save moves it; a reader who reads no draft sees it move with published changes only."""
    return _revision_for(_qualified(function), args)


def _scopes(args: tuple) -> list[ReadScope]:
    """The read scopes among `args`, also inside `Read` arguments."""
    out = []
    for value in args:
        if isinstance(value, ReadScope):
            out.append(value)
        elif isinstance(value, Read):
            out.extend(_scopes(value.args))
    return out


def _published_only(args: tuple) -> bool:
    """Whether a value computed from `args` reads only what readers who do not see drafts read.

    True when no read scope among the arguments reads drafts and either they carry at least one read scope
    (every read function that takes a scope reads reports only through `queries.readable`:
    tests/app/test_published_revision.py checks each read the pages make) or every `Read` among them is itself
    cached until a published change (a table built from the cycles alone, say). Anything else is keyed on a
    revision drafts move. A value keyed on `published` that reads drafts while it is built raises
    (`_revision_for`), so a builder cannot read more than its arguments say.
    """
    scopes = _scopes(args)
    if any(s.reads_drafts for s in scopes):
        return False
    reads = [value for value in args if isinstance(value, Read)]
    return bool(scopes) or (bool(reads) and all(_level(r.function, r.args) <= PUBLISHED for r in reads))


def _setup_only(args: tuple) -> bool:
    """Whether a value computed from `args` reads no report: they carry no read scope and at least one `Read`,
    each of a read cached until a change of setup (the members of a group, the sections of a grouping). A
    builder of such reads (the explorer's order of countries, its axis of objectives) is then built again only
    after such a change, not after every save; one that reads reports through `read`, `figure` or `built` while it
    is built raises (`_revision_for`). A builder must not open the database itself, nor carry a scope inside another
    argument (a tuple, a dataclass): neither is seen here, as for `_published_only`."""
    reads = [value for value in args if isinstance(value, Read)]
    return (
        bool(reads)
        and not any(isinstance(value, ReadScope) for value in args)
        and all(_level(r.function, r.args) == SETUP for r in reads)
    )


def _own_drafts_only(name: str, args: tuple, level: int | None = None) -> str | None:
    """The country whose drafts are the only drafts `name(*args)` reads, if it reads drafts (its `level`, worked
    out when not given, is above `published`) and there is one: `name` is not marked as counting drafts whatever
    its scope (`queries.counts_drafts`), every read scope among the arguments is a delegate's
    (`permissions.read_scope`: other countries' reports once submitted, its own country's in every state), of one
    country, and every `Read` among them that reads drafts is so too. None otherwise.

    Such a value is keyed on what readers who do not see drafts are keyed on, plus that one country's counter
    (`_revision_for`): another country's draft save, which the delegate cannot read, leaves it in place. In a room
    of delegates saving drafts together, each one's pages of the group then stay as they were until a change they
    can see, their own included."""
    if (_level(name, args) if level is None else level) <= PUBLISHED:
        return None
    scopes = _scopes(args)
    owners = {scope.own_country for scope in scopes}
    if _marked(name) == "every write" or not scopes or len(owners) != 1 or None in owners:
        return None
    if any(scope.states is None or set(scope.states) & set(EDITABLE_STATES) for scope in scopes):
        return None
    for given in (value for value in args if isinstance(value, Read)):
        given_level = _level(given.function, given.args)
        if given_level > PUBLISHED and _own_drafts_only(given.function, given.args, given_level) is None:
            return None
    return owners.pop()


def _text_free(name: str, args: tuple) -> bool:
    """Whether `name(*args)` reads no report's narrative text: it is marked `queries.unchanged_by_text`, or it
    is a builder all of whose data comes from `Read` arguments that read none (and no scope of its own)."""
    if not _reads_text(name):
        return True
    reads = [value for value in args if isinstance(value, Read)]
    return (
        bool(reads)
        and not any(isinstance(value, ReadScope) for value in args)
        and all(_level(r.function, r.args) <= TALLIED for r in reads)
    )


@functools.cache
def _reads_text(name: str) -> bool:
    return getattr(_resolve(name), "reads_text", True) is not False


@functools.cache
def _marked(name: str) -> str | None:
    """How the function `name` is marked: `queries.unchanged_by_reports`, `queries.unchanged_by_drafts` or
    `queries.counts_drafts`, or not at all."""
    return getattr(_resolve(name), "cache_revision", None)


def _level(name: str, args: tuple) -> int:
    """Which revision `read(name, *args)` (or a figure of that builder) is cached on: `setup` when it is marked as
    reading no report (`queries.unchanged_by_reports`) or is a builder of such reads only (`_setup_only`),
    `published` when no save of a draft changes it, `tallied` when no save of narrative text alone does, else the
    one of every write."""
    marked = _marked(name)
    if marked == "setup" or (marked is None and _setup_only(args)):
        return SETUP
    if marked == "published" or (marked is None and _published_only(args)):
        return PUBLISHED
    return TALLIED if _text_free(name, args) else EVERY_WRITE


def _revision_for(name: str, args: tuple, url: str | None = None) -> Revision:
    level = _level(name, args)
    if level > _building.get():
        kind = {SETUP: "reports", PUBLISHED: "drafts"}.get(_building.get(), "narrative text")
        raise RuntimeError(f"{name} reads {kind} inside a value cached on a revision that does not move with them")
    own = _own_drafts_only(name, args, level)
    building_own = _building_own.get()
    if building_own is not None and level > PUBLISHED and own != building_own:
        raise RuntimeError(f"{name} reads drafts beyond {building_own}'s inside a value cached on that country's")
    countries = _countries(name, args, url) if level > SETUP else None
    building = _building_countries.get()
    if building is not None and level > SETUP and (countries is None or not countries <= building):
        said = ", ".join(sorted(building))
        raise RuntimeError(f"{name} reads beyond {said}'s reporting inside a value cached on that reporting's")
    cycles = _cycles(name, args) if level > SETUP else None
    building_cycles = _building_cycles.get()
    if building_cycles is not None and level > SETUP and (cycles is None or not cycles <= building_cycles):
        said = ", ".join(sorted(building_cycles))
        raise RuntimeError(f"{name} reads beyond the cycles {said} inside a value cached on their reporting")
    if own is not None:  # what readers of published reports see of `countries`, and `own`'s drafts
        seen = _revision_at(PUBLISHED, countries, url, cycles)
        if countries is not None and own not in countries:
            return seen
        return (seen, _own_counter(own, level, url, cycles))
    return _revision_at(level, countries, url, cycles)


def _revision_at(
    level: int, countries: frozenset[str] | None, url: str | None, cycles: frozenset[str] | None = None
) -> Revision:
    """The revision of `level`: of `countries`' reporting (with `setup`), or of everything's (None); in `cycles`
    only, where they are given."""
    if countries is not None or cycles is not None:
        return (setup_revision(), _country_revisions(countries, url, cycles)[_COUNTER[level]])
    return _revisions()[_COUNTER[level]]


def _own_counter(country: str, level: int, url: str | None, cycles: frozenset[str] | None = None) -> int:
    """`country`'s counter of `level` (its drafts' saves move it: `_own_drafts_only`), in `cycles` where given."""
    return _country_revisions(frozenset((country,)), url, cycles)[_COUNTER[level]]


def _countries(name: str, args: tuple, url: str | None = None) -> frozenset[str] | None:
    """The countries whose reporting `name(*args)` reads, if that is all it reads besides what moves `setup`: a
    read marked `queries.of_one_country`, `queries.of_countries` or `queries.of_group` (given its countries or
    group; with both, the countries in both), or a builder with no read scope of its own whose `Read` arguments
    are such reads (or read nothing beyond `setup`), of all their countries together. None otherwise. A builder
    keyed so may read nothing else while it is built (`_revision_for` raises). `url` is the database's, where the
    caller has it (the configuration is read a score of times a run otherwise)."""
    marked = _country_parameters(name)
    if marked:
        given = (_named(kind, args[at] if at < len(args) else default, url) for kind, at, default in marked)
        sets = [countries for countries in given if countries is not None]  # None: every country
        return frozenset.intersection(*sets) if sets else None
    reads = [value for value in args if isinstance(value, Read)]
    if not reads or any(isinstance(value, ReadScope) for value in args):
        return None
    read = [_countries(r.function, r.args, url) for r in reads if _level(r.function, r.args) > SETUP]
    return frozenset().union(*read) if read and None not in read else None


def _named(kind: str, value: Any, url: str | None = None) -> frozenset[str] | None:
    """The countries an argument of a marked function names (`_country_parameters`): one country, a few, or a
    group's members; None for every country."""
    if value is None:
        return None
    if kind == "country":
        return frozenset((value,))
    if kind == "countries":
        if isinstance(value, str):
            raise TypeError(f"countries are given as a tuple of codes, not as the text {value!r}")
        return frozenset(value)
    key = ("members", url or load_config().database_url, setup_revision(), value)  # no report's save moves them
    return _memos()["countries"].get(key, lambda: frozenset(read("member_countries", value)))


@functools.cache
def _country_parameters(name: str) -> tuple[tuple[str, int, Any], ...]:
    """For a function marked `queries.of_one_country`, `queries.of_countries` or `queries.of_group`: for each mark,
    its kind, where its parameter is among the arguments a page passes (a read's session not counted) and its
    default. Empty when it is not so marked."""
    function = _resolve(name)
    parameters = inspect.signature(function).parameters
    names = list(parameters)
    skip = bool(names) and names[0] == "session"  # a read takes the session first; a builder does not
    return tuple(
        (kind, names.index(parameter) - skip, parameters[parameter].default)
        for kind, parameter in getattr(function, "cache_countries", ())
    )


def _cycles(name: str, args: tuple) -> frozenset[str] | None:
    """The cycles whose reporting `name(*args)` reads, if that is all it reads besides what moves `setup`: a read
    (or builder) marked `queries.of_cycle` and given its cycles, or a builder with no read scope of its own whose
    `Read` arguments that read reports are all such reads (of all their cycles together). None otherwise. A
    builder keyed so may read no other cycle's reporting while it is built (`_revision_for` raises)."""
    marked = _cycle_parameters(name)
    if marked:
        given = [args[at] if at < len(args) else default for at, default in marked]
        return frozenset(given) if all(isinstance(value, str) for value in given) else None
    reads = [value for value in args if isinstance(value, Read)]
    if not reads or any(isinstance(value, ReadScope) for value in args):
        return None
    read = [_cycles(r.function, r.args) for r in reads if _level(r.function, r.args) > SETUP]
    return frozenset().union(*read) if read and None not in read else None


@functools.cache
def _cycle_parameters(name: str) -> tuple[tuple[int, Any], ...]:
    """For a function marked `queries.of_cycle`: where each of its cycles is among the arguments a page passes (a
    read's session not counted), and its default. Empty when it is not so marked."""
    function = _resolve(name)
    parameters = inspect.signature(function).parameters
    names = list(parameters)
    skip = bool(names) and names[0] == "session"
    return tuple((names.index(p) - skip, parameters[p].default) for p in getattr(function, "cache_cycles", ()))


def _country_revisions(
    countries: frozenset[str] | None, url: str | None = None, cycles: frozenset[str] | None = None
) -> tuple[int, int, int]:
    """The counters of the reporting of `countries` (every country: None), in `cycles` where given, summed
    (`queries.country_revisions`).

    Every write that moves a country's counter moves the data revision every write moves, in the same
    statement, so while the data revision a run reads is the one they were read at, the counters are where they
    were: a run after no write anywhere reads none of them again (one query for each set of countries a page
    reads, 0.2–0.5 ms). Otherwise they are read once a run, after that revision (never older than it)."""
    key = ("country sums", url or load_config().database_url, countries, cycles, revision())
    read = functools.partial(queries.country_revisions, countries=countries, cycles=cycles)
    return _memos()["countries"].get(key, lambda: _once_a_run(("countries", key[1], countries, cycles), read))


def _resolve(name: str) -> Callable[..., Any]:
    """A read function by name: `module.function` (any gcm module) or a bare name in READ_MODULES."""
    if "." in name:
        module, _, function = name.rpartition(".")
        return getattr(importlib.import_module(module), function)
    return next(getattr(m, name) for m in READ_MODULES if hasattr(m, name))


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(key: bytes, _call: tuple[str, str, bytes, tuple]) -> Any:
    """The read `(name, url, digest, args)` of `_call`, stored under `key` alone (`_stored`)."""
    del key  # the store's key only
    name, url, digest, _args = _call
    if any(value is REFERENCE for value in _args):
        reference()  # read now if it must be, not with this read's connection held (the pool has no more)
    with read_session(engine()) as session:
        function = _resolve(name)
        level = _level(name, _args)
        summed = level != SETUP and hasattr(function, "summed_by_country")
        if summed or (level != SETUP and spliced_reads.splices(function, _args)):
            countries = _countries(name, _args, url)
            if spliced_reads.worth_it(countries):  # only the changed countries read again
                key, kept = (name, url, digest), _memos()["spliced"]
                counter, own = _splice_counters(name, _args, level)
                cycles = _cycles(name, _args)
                run = functools.partial(_run_read, session, name)
                keep = spliced_reads.read_sums if summed else spliced_reads.read
                return keep(session, kept, key, countries, counter, _args, run, function, own, cycles)
        return _run_read(session, name, _args)


def _splice_counters(name: str, args: tuple, level: int) -> tuple[int, tuple[str, int] | None]:
    """Which of each country's counters a group-wide read of `level` kept up to date country by country compares,
    as `_revision_for` keys it: the read's own; for a delegate's read (`_own_drafts_only`), `published`, and for
    its own country the read's own (that country, and which)."""
    own = _own_drafts_only(name, args, level)
    if own is None:
        return _COUNTER[level], None
    return _COUNTER[PUBLISHED], (own, _COUNTER[level])


def _run_read(session: Session, name: str, args: tuple) -> Any:
    """The read function `name` with `(session, *args)`, `REFERENCE` among them standing for the reference data."""
    return _resolve(name)(session, *(reference() if value is REFERENCE else value for value in args))


def _qualified(function: str | Callable[..., Any]) -> str:
    """A function's name as `_resolve` finds it again: `module.function`, or the name given."""
    return function if isinstance(function, str) else f"{function.__module__}.{function.__qualname__}"


def read(function: str | Callable[..., Any], *args: Any) -> Any:
    """Run a read function with `(session, *args)`, cached until the data revision changes.

    `function` is a function of a gcm module, or the name of one in gcm.queries, gcm.findings,
    gcm.review_process or gcm.declaration. Arguments must be picklable values (strings, numbers, tuples,
    dataclasses such as `ReadScope`); a frame works too, though it is keyed by its pickle on every call.
    `REFERENCE` stands for the reference data, as for `figure`: a function of the domain that takes
    `(session, ref, ...)`, such as the briefing model's, is read without a wrapper.
    """
    return _through_memo("read", _cached, _qualified(function), args)


def read_now(function: Callable[..., Any], *args: Any) -> Any:
    """Run a read function with `(session, *args)` now, not cached: for data that changes without moving a data
    revision (the audit log grows with every sign-in, which changes no report). It calls no Streamlit, so a
    deferred download may use it outside the page's run."""
    _note_asked()
    with read_session(engine()) as session:
        return function(session, *args)


def read_as_of(mark: Any, function: Callable[..., Any], *args: Any) -> Any:
    """`read_now(function, *args)`, kept in this process while `mark` stays where it was: for data that changes
    without moving a data revision, with a cheap read of it that moves whenever it changes (the audit log's length
    and newest event, `accounts.audit_mark`, read now on every run). Every session of the process is handed the same
    value, which must not be changed. `args` are plain hashable values; a change of setup (a restore among them)
    reads again."""
    key = (_qualified(function), load_config().database_url, setup_revision(), _frozen(mark), _frozen(args))
    return _memos()["as of"].get(key, lambda: read_now(function, *args))


@dataclass(frozen=True)
class Read:
    """An argument of `figure`: stands for `read(function, *args)`, so the figure is built from cached data."""

    function: str
    args: tuple = ()

    def __init__(self, function: str | Callable[..., Any], *args: Any) -> None:
        object.__setattr__(self, "function", _qualified(function))
        object.__setattr__(self, "args", args)


class _ReferenceData:
    """An argument of `figure`: stands for the reference data (`reference()`)."""

    def __reduce__(self) -> str:
        return "REFERENCE"


REFERENCE = _ReferenceData()


def _argument(value: Any) -> Any:
    if isinstance(value, Read):
        return read(value.function, *value.args)
    return reference() if value is REFERENCE else value


# While a value is built: how many cached reads and values the builder asked for itself (`_built_alone`).
_asked: ContextVar[list[int] | None] = ContextVar("gcm_asked_while_building", default=None)


@st.cache_resource(show_spinner=False, max_entries=256)
def _figure_cached(key: bytes, _call: tuple[str, str, bytes, tuple]) -> Any:
    """The value `(name, url, digest, args)` of `_call` built, stored under `key` alone (`_stored`)."""
    del key  # the store's key only
    return _built_alone(*_call)


def _built_alone(name: str, url: str, digest: bytes, args: tuple) -> Any:
    """`name(*args)` built with its `Read` arguments read, or the value built last time from the same data.

    A save moves the revision a value is keyed on whether or not it changed what the value is built from: a
    status change leaves every country's count of reports as it was, a save of one country the rows of the others.
    A builder that asked for no cached read or value of its own while it was built (its data all came through its
    `Read` arguments and the reference data) is kept under what it was built from: the digest of its arguments,
    the `setup` revision (the reference data) and a digest of each `Read`'s value. Built from equal data, the value
    is handed out again, and a chart whose JSON was written is not written again (`chart_display`)."""
    values = tuple(_argument(a) for a in args)
    key = None
    if any(isinstance(a, Read) for a in args):
        read_values = [v for a, v in zip(args, values, strict=True) if isinstance(a, Read)]
        key = (name, url, digest, setup_revision(), _value_digest(read_values))
        kept = _memos()["built from"].peek(key) if key[-1] is not None else _MISSING
        if kept is not _MISSING:
            return kept
    asked = [0]
    token = _asked.set(asked)
    try:
        value = _built(name, args, url, values)
    finally:
        _asked.reset(token)
    if key is not None and key[-1] is not None and not asked[0]:
        _memos()["built from"].put(key, value)
    return value


def _note_asked() -> None:
    """Count a read asked for while a value is built (`_built_alone`): that value is not kept by its data."""
    asked = _asked.get()
    if asked is not None:
        asked[0] += 1


def _value_digest(values: list[Any]) -> bytes | None:
    """A digest of the pickle of `values` (None where they cannot be pickled): equal digests, equal values."""
    try:
        pickled = pickle.dumps(values, pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return hashlib.blake2b(pickled, digest_size=32).digest()


def _built(name: str, args: tuple, url: str, values: tuple) -> Any:
    """`name(*values)` (`args` resolved), reading only what the revision it is keyed on moves with."""
    level = _level(name, args)
    token = _building.set(min(_building.get(), level))
    building = _building_countries.get()
    countries = _building_countries.set(_countries(name, args, url) if level > SETUP else building)
    own = _own_drafts_only(name, args, level)
    owner = _building_own.set(own if own is not None else _building_own.get())
    cycles = _building_cycles.set(_cycles(name, args) if level > SETUP else _building_cycles.get())
    try:
        value = _resolve(name)(*values)
        kept_arrow.keep(value)  # shared and never changed: its tables written as Arrow once
        return value
    finally:
        _building_cycles.reset(cycles)
        _building_own.reset(owner)
        _building_countries.reset(countries)
        _building.reset(token)


class _Memo:
    """Cached values this process has handed out, found again by a plain dictionary lookup.

    Streamlit's caches hash every argument on every call, value by value (a `Read` of a scope, filters and a
    cycle takes dozens of steps): on a rerun that changes nothing, that hashing cost more than drawing the
    page's elements. A memo sits in front of each cache (`_cached`, `_figure_cached`), which stays the store:
    it builds a value once however many sessions ask for it at the same moment, and clearing it (tests,
    `st.cache_resource.clear()`) empties the memo too (see `_memos`). Arguments are keyed with the type of
    every value in them (`_frozen`), so `1` and `True` stay apart as Streamlit keeps them apart; a key Python
    cannot hash (a frame) goes to the store directly.

    With `copies`, every caller gets its own copy of the value (unpickled, as `st.cache_data` gives it). A
    memo keeps its own `size` entries, by its own last use: with the store's, up to twice as many values
    may be held (2.9 MB of reads' bytes in the memo after every page for two roles at global scale).
    """

    def __init__(self, size: int, copies: bool) -> None:
        self.size, self.copies = size, copies
        self.values: OrderedDict[tuple, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, build: Callable[[], Any]) -> Any:
        value = self.peek(key)
        if value is _MISSING:
            value = build()
            self.put(key, value)
        return value

    def peek(self, key: tuple) -> Any:
        """The value kept under `key` (its last use now), or `_MISSING`."""
        with self.lock:
            kept = self.values.get(key, _MISSING)
            if kept is not _MISSING:
                self.values.move_to_end(key)
        return pickle.loads(kept) if self.copies and kept is not _MISSING else kept

    def put(self, key: tuple, value: Any) -> None:
        kept = pickle.dumps(value, pickle.HIGHEST_PROTOCOL) if self.copies else value  # outside the lock
        with self.lock:
            self.values[key] = kept
            self.values.move_to_end(key)
            while len(self.values) > self.size:
                self.values.popitem(last=False)


_MISSING = object()


# In a script run (`begin_run`), the process's memos once looked up: Streamlit's resource cache works out a key each
# time it is asked (0.5–0.7 ms a run for the score of times a page asks). Outside a run, None: asked each time.
_run_memos: ContextVar[list[dict[str, _Memo]] | None] = ContextVar("gcm_run_memos", default=None)


def _memos() -> dict[str, _Memo]:
    """The memos of this process (`_process_memos`), looked up once a run."""
    found = _run_memos.get()
    if found is None:
        return _process_memos()
    if not found:
        found.append(_process_memos())
    return found[0]


@st.cache_resource(show_spinner=False, max_entries=1)
def _process_memos() -> dict[str, _Memo]:
    """The memos of this process: one for reads (copies, as `_cached` keeps 512), one for figures, one for the
    counters of sets of countries (`_country_revisions`), the frames and sums of group-wide reads kept up to
    date country by country (`spliced_reads`: one for each such read and its arguments of every page), values by
    the data they were built from (`_built_alone`), values drawn from kept values (`kept_with`), reads of data no
    revision follows, kept by a mark of it (`read_as_of`), and the reference data (`_reference`)."""
    return {
        "read": _Memo(size=512, copies=True),
        "figure": _Memo(size=256, copies=False),
        "countries": _Memo(size=4096, copies=False),
        "spliced": _Memo(size=80, copies=False),
        "built from": _Memo(size=256, copies=False),
        "kept with": _Memo(size=64, copies=False),
        "as of": _Memo(size=64, copies=False),
        "reference": _Memo(size=8, copies=False),
    }


_PLAIN = frozenset((str, int, float, bool, bytes, type(None)))


def _frozen(value: Any) -> Any:
    """`value` as a hashable key with the type of every value in it: lists, tuples, sets, dicts (keys too)
    and dataclasses (such as `Read`, `ReadScope`, filters) taken apart; a frame is left as it is, unhashable,
    so that `_memo_key` sends it to Streamlit. Plain values, most of what a key holds, are told by their exact
    type first (a page keys a few hundred values a run)."""
    kind = type(value)
    if kind in _PLAIN:
        return (kind, value)
    if isinstance(value, list | tuple):
        return (type(value), tuple(_frozen(v) for v in value))
    if isinstance(value, set | frozenset):
        return (type(value), frozenset(_frozen(v) for v in value))
    if isinstance(value, dict):
        return (dict, tuple((_frozen(k), _frozen(v)) for k, v in value.items()))
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value), tuple(_frozen(getattr(value, f.name)) for f in fields(value)))
    return (type(value), value)


def _memo_key(name: str, url: str, rev: Revision, args: tuple) -> tuple | None:
    """The memo's key for `name(*args)` on the database at `url` at revision `rev`; None if it has none."""
    key = (name, url, rev, _frozen(args))
    try:
        hash(key)
    except TypeError:  # a frame: only the store's key (`_digest`) holds it
        return None
    return key


def _digest(args: tuple) -> bytes:
    """The store's key for `args`: a digest of their pickle, with the type of every value in them (`_frozen`).

    Streamlit hashes each argument of a cached function value by value on every miss: the 193 countries of a
    heatmap's page took 2–6 ms a miss, more than building some of the values. The store is given this digest
    instead and the arguments under a name it does not hash (`_args`). Equal arguments whose pickles differ
    would only miss; different arguments cannot share a digest but by a 256-bit collision."""
    try:
        pickled = pickle.dumps(_frozen(args), pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        raise TypeError(f"the arguments of a cached read or figure must be picklable values: {exc}") from exc
    return hashlib.blake2b(pickled, digest_size=32).digest()


def _stored(store: Callable[..., Any], name: str, url: str, rev: Revision, args: tuple) -> Any:
    """`name(*args)` through `store` (`_cached`, `_figure_cached`), which is given one digest of all that keys it
    and the rest under a name it does not hash: Streamlit works out a key argument by argument, looking up the
    function's signature for each (0.3–0.4 ms a miss for four arguments against one)."""
    digest = _digest(args)
    key = hashlib.blake2b(pickle.dumps((name, url, rev), pickle.HIGHEST_PROTOCOL) + digest, digest_size=32).digest()
    return store(key, (name, url, digest, args))


def _through_memo(kind: str, store: Callable[..., Any], name: str, args: tuple) -> Any:
    """`name(*args)` through `store` (`_stored`), looked up in the `kind` memo first."""
    _note_asked()
    url = load_config().database_url
    rev = _revision_for(name, args, url)
    key = _memo_key(name, url, rev, args)
    if key is None:
        return _stored(store, name, url, rev, args)
    return _memos()[kind].get(key, lambda: _stored(store, name, url, rev, args))


def figure(builder: Callable[..., Any], *args: Any) -> Any:
    """`builder(*args)`, cached until the data revision changes: a Plotly figure, or a tuple or dict of them.

    Arguments are plain hashable values; `Read(function, *args)` stands for `read(function, *args)` and
    `REFERENCE` for the reference data, so any chart function of `gcm` can be cached without a wrapper:
    `figure(charts.coverage_figure, REFERENCE, lang, Read("objective_coverage", cycle_id, group, scope))`.
    Figures are kept as objects (not pickled: unpickling a Plotly figure validates it again, which costs as
    much as building it) and shared by every session, so a caller must never change a figure it gets here.
    """
    return _through_memo("figure", _figure_cached, _qualified(builder), args)


def built(builder: Callable[..., Any], *args: Any) -> Any:
    """`builder(*args)` cached as `figure` caches charts: for what a page derives from cached reads besides
    its charts (the sentence summarising a chart, the table of its data), so that a rerun that changes
    nothing rebuilds none of them. The value is shared by every session and must not be changed."""
    return figure(builder, *args)


def kept_with(builder: Callable[..., Any], value: Any, *args: Any) -> Any:
    """`builder(*args, value)` (`REFERENCE` among `args` standing for the reference data) for a `value` this process
    keeps, one `built` or `figure` hands out again while the data it is built from is unchanged: kept as long as
    `value` is the same object, so that after a change that left `value` as it was, what is drawn from it is handed
    out again rather than built again (and a chart's JSON not written again). The entry holds `value`, so that its id
    names no other object while the entry lives. `args` are plain hashable values."""
    key = (_qualified(builder), id(value), _frozen(args))
    memo = _memos()["kept with"]
    kept = memo.peek(key)
    if kept is not _MISSING and kept[0] is value:
        return kept[1]
    derived = builder(*(_argument(a) for a in args), value)
    kept_arrow.keep(derived)  # shared and never changed, as `built`'s: its tables written as Arrow once
    memo.put(key, (value, derived))
    return derived


def language() -> str:
    """Query parameter, then the user's choice, then the browser's locale, then the default."""
    if LANG_KEY not in st.session_state:
        chosen = normalize_language(st.query_params.get("lang"))
        chosen = chosen or normalize_language(getattr(st.context, "locale", None))
        st.session_state[LANG_KEY] = chosen or load_config().default_language
    return st.session_state[LANG_KEY]


def _choose_language() -> None:
    st.session_state[LANG_KEY] = st.session_state[LANG_WIDGET]
    _resend_choices()


def _a_choice(value: Any) -> bool:
    """Whether `value` may be a choice of a select box, multiselect or radio: a number, a text, or a list of
    them. Never a button's (True or False) nor an upload's (a file, a list of files, or None): Streamlit
    refuses those being set."""
    if isinstance(value, list | tuple):
        return bool(value) and all(_a_choice(v) for v in value)  # none chosen: no label to resend
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _resend_choices() -> None:
    """Set every kept widget value again, so that this run sends each to the browser in the new language.

    A select box or multiselect sends back the label of its choice, not the value: left alone, after a change
    of language the browser would send the old language's label with the next click, which matches no option,
    and the choice would be lost (the objective being edited, a cycle, a filter; the report's status).
    Only choices are resent (`_a_choice`): Streamlit refuses a value for a button or an upload.
    """
    for key in list(st.session_state.keys()):
        value = st.session_state[key]
        if key not in (LANG_KEY, LANG_WIDGET) and _a_choice(value):
            st.session_state[key] = value


def language_switcher(lang: str) -> None:
    """Sidebar control; the choice is kept in the session and in the URL (survives a reload).

    The widget only reports changes: the choice lives in a plain session key, which Streamlit
    never cleans up when the user moves to another page.
    """
    st.sidebar.radio(
        t(lang, "common.language"),
        LANGUAGES,
        index=LANGUAGES.index(lang),
        key=LANG_WIDGET,
        horizontal=True,
        format_func=lambda code: LANGUAGE_NAMES[code],
        on_change=_choose_language,
    )
    set_url_param("lang", lang)


def page_header(lang: str, title_key: str, intro_key: str | None = None) -> None:
    """Title and introduction of a page; every page says so while demo reports are loaded."""
    demo = read("demo_report_count")
    if demo:
        st.warning(t(lang, "demo.banner", count=demo), icon=":material/science:")
    st.title(t(lang, title_key))
    if intro_key:
        st.caption(t(lang, intro_key))
