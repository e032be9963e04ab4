"""Reads: aggregates computed in SQL, returned as DataFrames or plain dicts (never ORM objects).

The overview queries select only key columns of `objective_report`, which the covering index
`ix_report_cycle_cover` answers without touching narrative text.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    case,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from gcm import models
from gcm.accounts import (  # noqa: F401  (read through gcm.ui.context.read)
    admin_exists,
    list_users,
    report_event_count,
    report_events,
)
from gcm.permissions import ReadScope
from gcm.read_marks import (
    counts_drafts,
    of_countries,
    of_cycle,
    of_group,
    of_one_country,
    parts_by_country,
    rows_by_country,
    sums_by_country,
    unchanged_by_drafts,
    unchanged_by_reports,
    unchanged_by_text,
)
from gcm.reference import OBJECTIVE_COUNT

NOT_REPORTED = "not_reported"
R = models.ObjectiveReport
EVERYTHING = ReadScope(states=None)

B = TypeVar("B", bound=Callable[..., Any])


def kept_statement(builder: B) -> B:
    """Mark a statement builder whose statements are kept per process, one for each set of its arguments, and run
    again as they are: SQLAlchemy spends most of a small read's time building the statement and working out the
    key of its compiled form, which it then finds in its cache (at global scale, the findings' quotations of one
    round table for the CRM took 2.9 ms a read, 0.46 ms with their statement kept, 0.37 ms of that SQLite's).

    A builder so marked builds from its arguments alone (codes, scopes, flags: hashable values), never from the
    clock, the configuration or the data, which the statement reads when it runs. Arguments with many values (the
    countries of a page) are given when it runs, as an expanding bound parameter (`in_given_countries`), so that a
    process keeps a few hundred statements at most."""
    return functools.lru_cache(maxsize=128)(builder)  # type: ignore[return-value]


def in_given_countries(column: Any) -> Any:
    """A condition on `column` (a country's code) of a kept statement: among the countries it is given when it runs
    (`given_countries`)."""
    return column.in_(bindparam("countries", expanding=True))


def given_countries(countries: Iterable[str] | None) -> dict[str, list[str]] | None:
    """The parameters that give a kept statement its countries (`in_given_countries`); None where it reads every
    country."""
    return None if countries is None else {"countries": list(countries)}


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def frame_of(session: Session, stmt: Any, columns: list[str], params: dict[str, Any] | None = None) -> pd.DataFrame:
    """The rows of `stmt` as a DataFrame with these column names.

    `stmt` selects columns, never ORM objects, so it runs on the session's connection: the ORM's result loading
    around `Session.execute` cost a fifth of a 4,000-row read. Pending changes are flushed first, as
    `Session.execute` would. The rows go in as plain tuples: pandas takes SQLAlchemy's `Row` objects one value
    at a time (9 ms for 3,500 rows of four columns, against 1 ms). They are fetched all at once: iterating the
    result fetches one row at a time from the driver (7.2 against 6.4 ms for 4,439 rows of five columns).
    `params` are the values of the statement's own bound parameters (a statement built once and kept)."""
    return pd.DataFrame([tuple(row) for row in rows_of(session, stmt, params)], columns=columns)


def rows_of(session: Session, stmt: Any, params: dict[str, Any] | None = None) -> list[Any]:
    """The rows of `stmt` (columns, never ORM objects), run on the session's connection after pending changes are
    flushed, as `Session.execute` would (see `frame_of`)."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(stmt, params).all()


_C = models.CountryRevision
_SUMS = select(func.sum(_C.revision), func.sum(_C.published), func.sum(_C.tallied))
_IN_COUNTRIES = in_given_countries(_C.country_iso3)
_IN_CYCLES = _C.cycle_id.in_(bindparam("cycles", expanding=True))
# by whether countries, and cycles, are given
_COUNTER_SUMS = {
    (True, False): _SUMS.where(_IN_COUNTRIES),
    (True, True): _SUMS.where(_IN_COUNTRIES, _IN_CYCLES),
    (False, True): _SUMS.where(_IN_CYCLES),
    (False, False): _SUMS,
}


def country_revisions(
    db: Session | Connection, countries: str | Iterable[str] | None, cycles: Iterable[str] | None = None
) -> tuple[int, int, int]:
    """The counters of the reporting of `countries` (a country's code, or several; every country: None), summed,
    in `data_revisions`' order (every write, published, tallied): moved by the saves and workflow steps of those
    countries that move the data revisions of the same name, and by nothing else (a write that names no one country
    moves `setup`). With `cycles`, of those cycles only: the reads of a cycle or two (`of_cycle`) are keyed on
    them. Asked once a run for each set of countries (and cycles) a page reads."""
    params = _counter_params(countries, cycles)
    row = db.execute(_COUNTER_SUMS["countries" in params, "cycles" in params], params).one()
    return (row[0] or 0, row[1] or 0, row[2] or 0)


_EACH = select(_C.country_iso3, func.sum(_C.revision), func.sum(_C.published), func.sum(_C.tallied))
# by whether countries, and cycles, are given
_EACH_COUNTRY = {
    (True, False): _EACH.where(_IN_COUNTRIES).group_by(_C.country_iso3),
    (True, True): _EACH.where(_IN_COUNTRIES, _IN_CYCLES).group_by(_C.country_iso3),
    (False, True): _EACH.where(_IN_CYCLES).group_by(_C.country_iso3),
    (False, False): _EACH.group_by(_C.country_iso3),
}


def country_revisions_each(
    db: Session | Connection, countries: Iterable[str] | None, cycles: Iterable[str] | None = None
) -> dict[str, tuple[int, int, int]]:
    """Each country's counters (`country_revisions`), of `countries` or of every country (None), in `cycles` only
    where they are given; a country that has never written (there) has none."""
    params = _counter_params(countries, cycles)
    stmt = _EACH_COUNTRY["countries" in params, "cycles" in params]
    return {row[0]: (row[1], row[2], row[3]) for row in db.execute(stmt, params)}


def _counter_params(countries: str | Iterable[str] | None, cycles: Iterable[str] | None) -> dict[str, list[str]]:
    """The parameters of the counters' statements (`_COUNTER_SUMS`, `_EACH_COUNTRY`): the countries and the cycles
    where they are given."""
    params: dict[str, list[str]] = {}
    if countries is not None:
        params["countries"] = [countries] if isinstance(countries, str) else sorted(countries)
    if cycles is not None:
        params["cycles"] = sorted(cycles)
    return params


_D = models.DataRevision
_DATA_REVISIONS = select(func.sum(_D.revision), func.sum(_D.published), func.sum(_D.tallied), func.sum(_D.setup))


def data_revision(session: Session) -> int:
    """The counter bumped by every write; cached reads use it as part of their key."""
    return data_revisions(session)[0]


def data_revisions(db: Session | Connection) -> tuple[int, int, int, int]:
    """The counters of `models.DataRevision`, summed over its slots: (every write, every write but a draft save,
    every write but a save of narrative text alone, every write but a report's save or workflow step).

    Asked once a run by every page, so it also takes a bare connection (a third of a session's cost)."""
    row = db.execute(_DATA_REVISIONS).one()
    return (row[0] or 0, row[1] or 0, row[2] or 0, row[3] or 0)


@unchanged_by_reports
def cycles(session: Session) -> pd.DataFrame:
    """All reporting cycles, newest first, with their state, deadline and grouping's provisional flag."""
    c = models.Cycle
    stmt = (
        select(
            c.id,
            c.name_en,
            c.name_es,
            func.coalesce(c.short_en, c.name_en),
            func.coalesce(c.short_es, c.name_es),
            c.start,
            c.end,
            c.grouping_id,
            c.grouping_confirmed,
            c.is_open,
            models.Grouping.provisional,
            c.is_locked,
            c.deadline,
        )
        .join(models.Grouping, models.Grouping.id == c.grouping_id)
        .order_by(c.start.desc())
    )
    columns = [
        "id",
        "name_en",
        "name_es",
        "short_en",
        "short_es",
        "start",
        "end",
        "grouping",
        "grouping_confirmed",
        "is_open",
        "provisional",
        "is_locked",
        "deadline",
    ]
    return frame_of(session, stmt, columns)


@unchanged_by_reports
def current_cycle_id(session: Session) -> str | None:
    """The open cycle that starts last, else the most recent cycle."""
    frame = cycles(session)
    if frame.empty:
        return None
    open_cycles = frame[frame["is_open"]]
    return str((open_cycles if not open_cycles.empty else frame).iloc[0]["id"])


REPORTED_STATES = ("submitted", "validated")
VALIDATED_ONLY = ReadScope(states=("validated",))


def _reported_states(scope: ReadScope) -> tuple[str, ...]:
    """The workflow states whose reports count as reported for this reader (drafts never do)."""
    return REPORTED_STATES if scope.states is None else tuple(s for s in REPORTED_STATES if s in scope.states)


@of_group()
@unchanged_by_drafts  # only submitted and validated reports count: no draft's save changes it
@unchanged_by_text
def latest_reported_cycle_id(session: Session, group: str | None, scope: ReadScope) -> str | None:
    """The most recent cycle in which a country of `group` has a report this reader counts as reported
    (see `country_standing`), else the current cycle. A draft never makes a cycle the default."""
    return session.scalar(_latest_reported_statement(group, _reported_states(scope))) or current_cycle_id(session)


@kept_statement
def _latest_reported_statement(group: str | None, states: tuple[str, ...]) -> Any:
    s, members = models.Submission, group_members(group)
    has_reports = (
        select(R.id)
        .join(s, and_(s.country_iso3 == R.country_iso3, s.cycle_id == R.cycle_id))
        .join(members, members.c.iso3 == R.country_iso3)
        .where(R.cycle_id == models.Cycle.id, s.state.in_(states))
        .exists()
    )
    return select(models.Cycle.id).where(has_reports).order_by(models.Cycle.start.desc()).limit(1)


STANDINGS = ("validated", "submitted", "awaiting_validation", "in_preparation", "not_reported")


@of_cycle()
@of_group()
@unchanged_by_drafts
@unchanged_by_text
def awaiting_validation(session: Session, cycle_id: str, group: str | None, scope: ReadScope) -> list[str]:
    """The countries of the group whose report was submitted but that this reader reads only once validated
    (`country_standing`'s "awaiting_validation"). Unlike the standings, no draft's save changes it: a draft is
    never submitted, and a save of a submitted report moves the published revision. Empty for a reader who reads
    submitted reports."""
    if "submitted" in _reported_states(scope):
        return []
    return awaiting_in(country_standing(session, cycle_id, group, scope))


def awaiting_in(standing: pd.DataFrame) -> list[str]:
    """The countries of a `country_standing` frame whose report awaits validation for its reader (read as lists:
    0.04 ms for 193 countries, against 0.19 ms for pandas' filter)."""
    pairs = zip(standing["country"].tolist(), standing["standing"].tolist(), strict=True)
    return [str(country) for country, shown in pairs if shown == "awaiting_validation"]


@of_cycle()
@of_group()
@counts_drafts
@unchanged_by_text
def country_standing(
    session: Session, cycle_id: str, group: str | None, scope: ReadScope, countries: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """The one definition of "reported": per country of the group (of `countries` only, where given), its
    workflow state, how many objectives were entered, and its standing for this reader.

    - `not_reported`: nothing entered;
    - `validated` / `submitted`: handed in and readable by this reader: these countries reported
      (a submitted one is shown as "submitted, awaiting validation");
    - `awaiting_validation`: submitted, but this reader may read validated reports only;
    - `in_preparation`: entries exist but the report is a draft or was returned (never counted as reported).
    """
    stmt = _group_standing(cycle_id, group, countries is not None)
    frame = frame_of(session, stmt, ["country", "state", "entered"], given_countries(countries))
    frame["standing"] = standings(frame["state"].tolist(), frame["entered"].tolist(), _reported_states(scope))
    frame["reported"] = frame["standing"].isin(REPORTED_STATES)
    return frame


@of_cycle()
@of_one_country()
@counts_drafts
@unchanged_by_text
def country_standing_of(session: Session, country: str, cycle_id: str, scope: ReadScope) -> dict[str, Any]:
    """`country_standing`'s row of one country (country, state, entered, standing, reported), read on its own: a
    page about one country does not read every country's."""
    c = models.Country
    one = select(c.iso3.label("iso3")).where(c.iso3 == country).subquery()
    iso3, state, entered = session.execute(_standing_of(one, cycle_id)).one()
    standing = standings([state], [entered], _reported_states(scope))[0]
    return {
        "country": iso3,
        "state": state,
        "entered": entered,
        "standing": standing,
        "reported": standing in REPORTED_STATES,
    }


@kept_statement
def _group_standing(cycle_id: str, group: str | None, some: bool) -> Any:
    """`country_standing`'s statement; with `some`, of the countries given as the parameter `countries` only."""
    members = group_members(group)
    if some:
        members = select(members.c.iso3).where(in_given_countries(members.c.iso3)).subquery()
    return _standing_of(members, cycle_id)


def _standing_of(members: Any, cycle_id: str) -> Any:
    """Per country of `members` (a subquery of ISO3 codes): its workflow state in the cycle and how many
    objectives it entered."""
    s = models.Submission
    return (
        select(members.c.iso3, func.coalesce(s.state, literal("draft")), entries_of(members.c.iso3, cycle_id))
        .select_from(members)
        .outerjoin(s, and_(s.country_iso3 == members.c.iso3, s.cycle_id == cycle_id))
        .order_by(members.c.iso3)
    )


def entries_of(country: Any, cycle: Any) -> Any:
    """How many objectives the country reported in the cycle (columns or values), as a subquery of the row that
    names them. It counts in the index that leads with country and cycle (`ix_report_country_cover`): a count
    grouped over every report of the cycle, joined afterwards, read all of them also for a group of 11 (2.1
    against 1.4 ms at global scale; a third longer for the Submissions page's every cycle)."""
    return select(func.count()).where(R.country_iso3 == country, R.cycle_id == cycle).scalar_subquery()


def standings(states: list[str], entered: list[int], reported: tuple[str, ...]) -> list[str]:
    """`country_standing`'s standing of each country, from its workflow state and how many objectives it
    entered (plain lists: a pandas `apply` by row costs 15 µs a country)."""

    def standing(state: str, count: int) -> str:
        if not count:
            return "not_reported"
        if state in reported:
            return state
        return "awaiting_validation" if state == "submitted" else "in_preparation"

    return [standing(state, count) for state, count in zip(states, entered, strict=True)]


@unchanged_by_reports
def sections(session: Session, grouping_id: str) -> pd.DataFrame:
    """The grouping's sections and their objectives, one row per objective."""
    so, gs = models.SectionObjective, models.GroupingSection
    stmt = (
        select(gs.number, gs.title_en, gs.title_es, so.objective)
        .join(so, so.section_id == gs.id)
        .where(gs.grouping_id == grouping_id)
        .order_by(gs.number, so.objective)
    )
    return frame_of(session, stmt, ["section", "title_en", "title_es", "objective"])


def _visible_countries(scope: ReadScope, cycle_id: str) -> Any:
    """The countries whose reports in the cycle the scope may read (by their workflow state)."""
    s = models.Submission
    state = func.coalesce(s.state, literal("draft"))
    condition = state.in_(scope.states or ())
    if scope.own_country:
        condition = or_(condition, models.Country.iso3 == scope.own_country)
    return (
        select(models.Country.iso3)
        .outerjoin(s, and_(s.country_iso3 == models.Country.iso3, s.cycle_id == cycle_id))
        .where(condition)
    )


def readable(scope: ReadScope, cycle_id: str) -> Any:
    """A condition on R: true for the reports the scope may read."""
    return true() if scope.states is None else R.country_iso3.in_(_visible_countries(scope, cycle_id))


def group_members(group: str | None) -> Any:
    """A subquery of the ISO3 codes in `group` (every country when None)."""
    if group is None:
        return select(models.Country.iso3.label("iso3")).subquery()
    m = models.CountryMembership
    return select(m.country_iso3.label("iso3")).where(m.group_key == group).subquery()


def counted_members(group: str | None, scope: ReadScope, cycle_id: str) -> Any:
    """A subquery of the ISO3 codes of `group` that this reader's counts cover: every member but those whose
    report was submitted and that this reader reads only once validated (`country_standing`'s
    "awaiting_validation"). Pages say those apart ("awaiting validation, not counted here"), so they are
    neither reporting nor "not reported" in any total."""
    members = group_members(group)
    awaiting = awaits_validation(scope, members.c.iso3, cycle_id)
    if awaiting is None:
        return members
    return select(members.c.iso3.label("iso3")).where(~awaiting).subquery()


def awaits_validation(scope: ReadScope, country: Any, cycle: Any) -> Any | None:
    """A SQL condition: the country's report in the cycle (columns or values) was submitted, holds entries,
    and this reader reads it only once validated; None for a reader who reads submitted reports."""
    if "submitted" in _reported_states(scope):
        return None
    s = models.Submission
    # Correlated to the caller's country by name: two levels down, SQLAlchemy would otherwise add the members'
    # subquery to this one's FROM, asking whether any country of the cycle holds entries.
    entered = select(R.id).where(R.country_iso3 == country, R.cycle_id == cycle).correlate_except(R).exists()
    return (
        select(s.country_iso3)
        .where(s.country_iso3 == country, s.cycle_id == cycle, s.state == "submitted", entered)
        .exists()
    )


@unchanged_by_reports
def member_countries(session: Session, group: str | None) -> list[str]:
    return [str(country) for (country,) in rows_of(session, _members_statement(group))]


@kept_statement
def _members_statement(group: str | None) -> Any:
    members = group_members(group)
    return select(members.c.iso3).order_by(members.c.iso3)


@of_cycle()
@of_group()
@of_countries()
@rows_by_country()
@unchanged_by_text
def status_matrix(
    session: Session, cycle_id: str, group: str | None, scope: ReadScope, countries: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """One row per report of the group's countries in the cycle: country, objective, status, priority. With
    `countries`, of those countries only (a page of a table that has a row per country)."""
    stmt = _status_matrix_statement(cycle_id, group, scope, countries is not None)
    columns = ["country", "objective", "status", "national_priority"]
    return frame_of(session, stmt, columns, given_countries(countries))


@kept_statement
def _status_matrix_statement(cycle_id: str, group: str | None, scope: ReadScope, some: bool) -> Any:
    """`status_matrix`'s statement; with `some`, of the countries given as the parameter `countries` only."""
    members = group_members(group)
    stmt = (
        select(R.country_iso3, R.objective, R.status, R.national_priority)
        .join(members, members.c.iso3 == R.country_iso3)
        .where(R.cycle_id == cycle_id, readable(scope, cycle_id))
    )
    if some:
        stmt = stmt.where(in_given_countries(R.country_iso3))
    return stmt.order_by(R.country_iso3, R.objective)


@of_cycle()
@of_group()
@unchanged_by_text
def reports_by_member(session: Session, cycle_id: str, group: str | None, scope: ReadScope) -> dict[str, int]:
    """How many reports of the cycle this reader reads of each member of the group (0 for a member with none),
    counted in SQL from the covering index: what `status_matrix` holds per country, without reading its rows."""
    stmt = reports_per_member(cycle_id, group, scope, counted=False)
    return {str(country): int(count) for country, count in rows_of(session, stmt)}


@kept_statement
def reports_per_member(cycle_id: str, group: str | None, scope: ReadScope, counted: bool) -> Any:
    """Per member of the group (its code, in order): how many reports of the cycle this reader reads. With
    `counted`, of the members this reader's counts cover only (`counted_members`: the map's completeness)."""
    members = counted_members(group, scope, cycle_id) if counted else group_members(group)
    return (
        select(members.c.iso3, func.count(R.objective))  # R.objective: answered from the covering index
        .select_from(members)
        .outerjoin(R, and_(R.country_iso3 == members.c.iso3, R.cycle_id == cycle_id, readable(scope, cycle_id)))
        .group_by(members.c.iso3)
        .order_by(members.c.iso3)
    )


def matrix_cells(matrix: pd.DataFrame) -> dict[tuple[str, int], tuple[str, bool]]:
    """The rows of a `status_matrix` frame by (country, objective): (status, national priority). The columns
    are read as lists: iterating pandas' Arrow strings goes a value at a time."""
    columns = (matrix[name].tolist() for name in ("country", "objective", "status", "national_priority"))
    return {(c, int(o)): (s, bool(p)) for c, o, s, p in zip(*columns, strict=True)}


def _with_not_reported(rows: list[Any]) -> pd.DataFrame:
    """`status_by_section`'s frame from its statement's rows: (section, status, reports) for what was reported,
    (section, None, cells) for each section's cells; the cells not reported are their difference."""
    counts: dict[tuple[int, str], int] = {}
    unreported: dict[int, int] = {}
    for section, status, count in rows:
        if status is None:  # the section's cells
            unreported[section] = unreported.get(section, 0) + count
        else:
            counts[section, status] = count
            unreported[section] = unreported.get(section, 0) - count
    counts |= {(section, NOT_REPORTED): n for section, n in unreported.items() if n > 0}
    ordered = sorted(counts.items())
    return pd.DataFrame(
        {
            "section": [section for (section, _), _ in ordered],
            "status": pd.array([status for (_, status), _ in ordered], dtype="str"),
            "count": [count for _, count in ordered],
        }
    )


@of_cycle()
@of_group()
@parts_by_country()
@unchanged_by_text
def status_by_section_by_country(
    session: Session, cycle_id: str, group: str | None, scope: ReadScope, countries: tuple[str, ...] | None = None
) -> list[Any]:
    """`status_by_section` per country, as rows `(country, section, status, reports)` for what it reported and
    `(country, section, None, cells)` for the cells of each section (its objectives), of the countries this
    reader's counts cover; with `countries`, of those countries only."""
    return rows_of(
        session,
        _status_by_section_statement(cycle_id, group, scope, True, countries is not None),
        given_countries(countries),
    )


@of_cycle()
@of_group()
@sums_by_country(status_by_section_by_country, _with_not_reported)
@unchanged_by_text
def status_by_section(session: Session, cycle_id: str, group: str | None, scope: ReadScope) -> pd.DataFrame:
    """Count of country × objective cells per section and status, `not_reported` included, over the countries
    this reader's counts cover (`counted_members`); ordered by section and status.

    The reports are counted from the members (each country's reports of the cycle found by its index), and the
    cells of each section (its objectives × the members) in the same statement; what is not reported is their
    difference. Counting every member × objective through an outer join cost 6.5 ms of SQL for 193 countries,
    this 1.9 ms (0.4 ms either way for a group of 11)."""
    return _with_not_reported(rows_of(session, _status_by_section_statement(cycle_id, group, scope)))


@kept_statement
def _status_by_section_statement(
    cycle_id: str, group: str | None, scope: ReadScope, by_country: bool = False, some: bool = False
) -> Any:
    """`status_by_section`'s statement; `by_country`, each country's rows (its code first), of the countries
    given as the parameter `countries` only with `some`."""
    members = counted_members(group, scope, cycle_id)
    so, gs = models.SectionObjective, models.GroupingSection
    grouping = select(models.Cycle.grouping_id).where(models.Cycle.id == cycle_id).scalar_subquery()
    country = (members.c.iso3,) if by_country else ()
    reported = (
        select(*country, gs.number, R.status, func.count())
        .select_from(members)
        .join(R, and_(R.country_iso3 == members.c.iso3, R.cycle_id == cycle_id, readable(scope, cycle_id)))
        .join(so, and_(so.objective == R.objective, so.grouping_id == grouping))
        .join(gs, gs.id == so.section_id)
        .group_by(*country, gs.number, R.status)
    )
    if by_country:  # each member's cells: the objectives of each section
        cells = (
            select(members.c.iso3, gs.number, null(), func.count())
            .select_from(members)
            .join(so, so.grouping_id == grouping)
        )
    else:  # the members' cells: the objectives of each section times the members
        cells = select(gs.number, null(), func.count() * select(func.count()).select_from(members).scalar_subquery())
        cells = cells.select_from(so).where(so.grouping_id == grouping)
    cells = cells.join(gs, gs.id == so.section_id).group_by(*country, gs.number)
    if some:
        reported, cells = (part.where(in_given_countries(members.c.iso3)) for part in (reported, cells))
    return union_all(reported, cells)


def section_cells(counts: pd.DataFrame) -> dict[tuple[int, str], int]:
    """The rows of a `status_by_section` frame by (section, status): how many cells. A handful of rows, read as
    lists: filtering the frame once per status and section cost more than the chart built from it."""
    columns = (counts[name].tolist() for name in ("section", "status", "count"))
    return {(int(n), str(s)): int(c) for n, s, c in zip(*columns, strict=True)}


def section_totals(cells: dict[tuple[int, str], int]) -> dict[int, int]:
    """Cells per section of `section_cells`, the sections in their order."""
    totals: dict[int, int] = {}
    for (section, _), count in sorted(cells.items()):
        totals[section] = totals.get(section, 0) + count
    return totals


def _coverage_of(rows: list[Any]) -> pd.DataFrame:
    """`objective_coverage`'s frame from rows (part, objective, national priority, count) in any order: the
    members counted ("members"), and each objective's reports that make it a national priority and that do not
    ("reports"). Every objective has a row, reported or not."""
    members = 0
    counts: dict[bool, dict[int, int]] = {False: {}, True: {}}  # national priority or not: objective: reports
    for part, objective, priority, count in rows:
        if part == "members":
            members += int(count)
        else:
            counts[bool(priority)][int(objective)] = counts[bool(priority)].get(int(objective), 0) + int(count)
    objectives = list(range(1, OBJECTIVE_COUNT + 1))
    prioritising = [counts[True].get(n, 0) for n in objectives]
    reporting = [counts[False].get(n, 0) + p for n, p in zip(objectives, prioritising, strict=True)]
    denominator = members or 1
    return pd.DataFrame(
        {
            "objective": objectives,
            "reporting": reporting,
            "prioritising": prioritising,
            "members": [members] * len(objectives),
            "reporting_share": [r / denominator for r in reporting],
            "prioritising_share": [p / denominator for p in prioritising],
        }
    )


@of_cycle()
@of_group()
@parts_by_country()
@unchanged_by_text
def objective_coverage_by_country(
    session: Session, cycle_id: str, group: str | None, scope: ReadScope, countries: tuple[str, ...] | None = None
) -> list[Any]:
    """`objective_coverage` per country: rows (country, part, objective, national priority, count) of the
    countries this reader's counts cover; with `countries`, of those countries only."""
    stmt = _coverage_statement(cycle_id, group, scope, True, countries is not None)
    return rows_of(session, stmt, given_countries(countries))


@of_cycle()
@of_group()
@sums_by_country(objective_coverage_by_country, _coverage_of)
@unchanged_by_text
def objective_coverage(session: Session, cycle_id: str, group: str | None, scope: ReadScope) -> pd.DataFrame:
    """Per objective: how many of the group's countries reported it and how many prioritise it, out of the
    countries this reader's counts cover (`counted_members`). One statement; after a change, a page reads it
    again for the countries that changed only (`sums_by_country`)."""
    return _coverage_of(rows_of(session, _coverage_statement(cycle_id, group, scope)))


@kept_statement
def _coverage_statement(
    cycle_id: str, group: str | None, scope: ReadScope, by_country: bool = False, some: bool = False
) -> Any:
    """`objective_coverage`'s statement: rows (part, objective, national priority, count); `by_country`, each
    country's (its code first), of the countries given as the parameter `countries` only with `some`."""
    members = counted_members(group, scope, cycle_id)
    country = (members.c.iso3,) if by_country else ()
    counted = select(*country, literal("members"), literal(0), literal(False), func.count()).select_from(members)
    reports = (
        select(*country, literal("reports"), R.objective, R.national_priority, func.count())
        .join(members, members.c.iso3 == R.country_iso3)
        .where(R.cycle_id == cycle_id, readable(scope, cycle_id))
        .group_by(*country, R.objective, R.national_priority)
    )
    parts = (counted.group_by(*country), reports)
    if some:
        parts = tuple(part.where(in_given_countries(members.c.iso3)) for part in parts)
    return union_all(*parts)


@of_cycle()
@of_group()
@counts_drafts
@unchanged_by_text
def headline(session: Session, cycle_id: str, group: str | None, scope: ReadScope) -> dict[str, int]:
    """Headline figures for a cycle and group, by `country_standing`: members counted (those awaiting
    validation are said apart, as `counted_members` leaves them out), countries that reported, objectives
    covered and reports among those, and how many countries stand in each other state."""
    return headline_of(session, cycle_id, country_standing(session, cycle_id, group, scope))


def headline_of(session: Session, cycle_id: str, standing: pd.DataFrame) -> dict[str, int]:
    """`headline` from a `country_standing` frame already read (the briefing model reads it once for both)."""
    by_standing = standing["standing"].value_counts()
    return _figures(_figure_rows(session, cycle_id, standing, False)) | {
        name: int(by_standing.get(name, 0)) for name in STANDINGS
    }


def _figures(rows: list[Any]) -> dict[str, int]:
    """`reporting_figures` from rows (part, key, count) in any order: the members counted ("counted"), the
    countries that reported ("reporting"), and their reports of each objective ("objective", its number)."""
    counted = reporting = 0
    objectives: dict[int, int] = {}
    for part, key, count in rows:
        if part == "counted":
            counted += int(count)
        elif part == "reporting":
            reporting += int(count)
        elif count:
            objectives[int(key)] = objectives.get(int(key), 0) + int(count)
    return {
        "members": counted,
        "countries_reporting": reporting,
        "objectives_covered": len(objectives),
        "reports": sum(objectives.values()),
    }


def _figure_rows(session: Session, cycle_id: str, standing: pd.DataFrame, by_country: bool) -> list[Any]:
    """`reporting_figures`' rows from a `country_standing` frame already read and the reports of the countries
    that reported, counted by objective in SQL; `by_country`, each country's rows (its code first)."""
    countries, shown = standing["country"].tolist(), standing["standing"].tolist()
    reporting = [c for c, s in zip(countries, shown, strict=True) if s in REPORTED_STATES]
    counted = rows_of(session, _OBJECTIVES_OF[by_country], {"cycle_id": cycle_id, "reporting": reporting})
    if not by_country:
        members = sum(s != "awaiting_validation" for s in shown)
        return [("counted", "", members), ("reporting", "", len(reporting))] + [("objective", o, n) for o, n in counted]
    rows = [(c, "counted", "", 1) for c, s in zip(countries, shown, strict=True) if s != "awaiting_validation"]
    return rows + [(c, "reporting", "", 1) for c in reporting] + [(c, "objective", o, n) for c, o, n in counted]


_OF_REPORTING = and_(R.cycle_id == bindparam("cycle_id"), R.country_iso3.in_(bindparam("reporting", expanding=True)))
# the reports of the countries given as `reporting` by objective: every country's together (`False`), or each one's
_OBJECTIVES_OF = {
    False: select(R.objective, func.count()).where(_OF_REPORTING).group_by(R.objective),
    True: select(R.country_iso3, R.objective, func.count()).where(_OF_REPORTING).group_by(R.country_iso3, R.objective),
}


@of_cycle()
@of_group()
@parts_by_country()
@unchanged_by_drafts
@unchanged_by_text
def reporting_figures_by_country(
    session: Session, cycle_id: str, group: str | None, scope: ReadScope, countries: tuple[str, ...] | None = None
) -> list[Any]:
    """`reporting_figures` per country: rows (country, part, key, count); with `countries`, of those countries
    only."""
    return _figure_rows(session, cycle_id, country_standing(session, cycle_id, group, scope, countries), True)


@of_cycle()
@of_group()
@sums_by_country(reporting_figures_by_country, _figures)
@unchanged_by_drafts  # from `country_standing`, whose drafts only tell "in preparation" from "not reported"
@unchanged_by_text
def reporting_figures(session: Session, cycle_id: str, group: str | None, scope: ReadScope) -> dict[str, int]:
    """`headline`'s members counted, countries reporting, objectives covered and reports among those, which no
    save of a draft changes (a draft is neither submitted nor validated)."""
    return _figures(_figure_rows(session, cycle_id, country_standing(session, cycle_id, group, scope), False))


@kept_statement
def _statuses_statement(cycle_id: str, scope: ReadScope) -> Any:
    """`country_statuses`' statement, of the country given as a parameter."""
    return select(R.objective, R.status).where(
        R.country_iso3 == bindparam("country"), R.cycle_id == cycle_id, readable(scope, cycle_id)
    )


@of_one_country()
@unchanged_by_text
def country_statuses(session: Session, country: str, cycle_id: str, scope: ReadScope) -> pd.DataFrame:
    """The status of each objective the country reported in the cycle (that the scope may read). No version:
    the delegate's own report page reads it after every save, and a save of text alone leaves it as it was."""
    return frame_of(session, _statuses_statement(cycle_id, scope), ["objective", "status"], {"country": country})


_REPORT_FIELDS = (
    "id",
    "status",
    "progress",
    "challenges",
    "priorities",
    "good_practice",
    "national_priority",
    "evidence_links",
    "is_demo",
    "updated_by",
    "updated_at",
    "version",
)
_REPORT_TAGS = select(models.ReportTag.kind, models.ReportTag.key).where(
    models.ReportTag.report_id == bindparam("report_id")
)


@kept_statement
def _report_statement(cycle_id: str, scope: ReadScope) -> Any:
    """`get_report`'s statement: the report of the country and objective given as parameters."""
    return select(*(getattr(R, field) for field in _REPORT_FIELDS)).where(
        R.country_iso3 == bindparam("country"),
        R.cycle_id == cycle_id,
        R.objective == bindparam("objective"),
        readable(scope, cycle_id),
    )


@of_one_country()
def get_report(
    session: Session, country: str, cycle_id: str, objective: int, scope: ReadScope
) -> dict[str, Any] | None:
    """One objective report with its tags, as a plain dict; None when not reported. Its statements are built once
    (`kept_statement`): the delegate's page reads it again after every save of its country."""
    rows = rows_of(session, _report_statement(cycle_id, scope), {"country": country, "objective": objective})
    if not rows:
        return None
    report = dict(zip(_REPORT_FIELDS, rows[0], strict=True))
    tags = rows_of(session, _REPORT_TAGS, {"report_id": report["id"]})
    report["evidence_links"] = list(report["evidence_links"] or [])
    report["updated_at"] = as_utc(report["updated_at"])
    return report | {field: sorted(k for kind, k in tags if kind == tag) for tag, field in models.TAG_FIELDS.items()}


@unchanged_by_reports
def demo_report_count(session: Session) -> int:
    """How many demo (or synthetic) reports the database holds: the banner on every page."""
    return session.scalar(select(func.count()).select_from(R).where(R.is_demo.is_(True))) or 0


@unchanged_by_text
def report_counts(session: Session) -> dict[str, int]:
    """How many demo and real reports the database holds."""
    rows = dict(session.execute(select(R.is_demo, func.count()).group_by(R.is_demo)).all())
    return {"demo": rows.get(True, 0), "real": rows.get(False, 0)}


def _shown_state(cycle: Any) -> Any:
    """A country's workflow state in `cycle` (a column or a value) as the Submissions page says it: its
    submission's state, "draft" where it has none, and "not_started" for a draft with no report saved. For a
    statement over `models.Country` outer-joined to its `models.Submission` of that cycle."""
    state = func.coalesce(models.Submission.state, literal("draft"))
    saved = select(R.id).where(R.country_iso3 == models.Country.iso3, R.cycle_id == cycle).exists()
    return case((and_(state == "draft", ~saved), literal("not_started")), else_=state)


@of_countries()
@unchanged_by_text  # a save of a report's text alone changes no state nor count
def submissions(
    session: Session, cycle_id: str | None = None, countries: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Workflow state per country and cycle (of `countries` only, if given), with how many objectives each country
    reported."""
    stmt = _submissions_statement(cycle_id, countries is not None)
    columns = ["country", "cycle", "state", "comment", "reported"]
    return frame_of(session, stmt, columns, given_countries(countries))


@kept_statement
def _submissions_statement(cycle_id: str | None, some: bool) -> Any:
    """`submissions`' statement; with `some`, of the countries given as the parameter `countries` only."""
    s, c = models.Submission, models.Cycle
    stmt = (
        select(
            models.Country.iso3,
            c.id,
            _shown_state(c.id),
            func.coalesce(s.comment, literal("")),
            entries_of(models.Country.iso3, c.id),
        )
        .select_from(models.Country)
        .join(c, true())
        .outerjoin(s, and_(s.country_iso3 == models.Country.iso3, s.cycle_id == c.id))
        .order_by(models.Country.iso3, c.start)
    )
    if cycle_id is not None:
        stmt = stmt.where(c.id == cycle_id)
    return stmt.where(in_given_countries(models.Country.iso3)) if some else stmt


@unchanged_by_text
def submission_state_counts(session: Session, cycle_id: str) -> dict[str, int]:
    """How many countries' reports stand in each workflow state in the cycle, counted as `submissions` says
    them (`_shown_state`); states no country is in are left out."""
    return {str(state): int(count) for state, count in rows_of(session, _state_counts_statement(cycle_id))}


@kept_statement
def _state_counts_statement(cycle_id: str) -> Any:
    s = models.Submission
    shown = (
        select(_shown_state(literal(cycle_id)).label("state"))
        .select_from(models.Country)
        .outerjoin(s, and_(s.country_iso3 == models.Country.iso3, s.cycle_id == cycle_id))
        .subquery()
    )
    return select(shown.c.state, func.count()).group_by(shown.c.state)


_S = models.Submission
_SUBMISSION = select(
    _S.state,
    _S.comment,
    _S.flagged,
    _S.updated_by,
    _S.updated_at,
).where(_S.country_iso3 == bindparam("country"), _S.cycle_id == bindparam("cycle_id"))
_ANY_REPORT = select(R.id).where(R.country_iso3 == bindparam("country"), R.cycle_id == bindparam("cycle_id")).limit(1)


@of_one_country()
@unchanged_by_text  # a report's first save (whether one exists) moves `tallied`; workflow actions move all
def submission(session: Session, country: str, cycle_id: str) -> dict[str, Any]:
    """One country's workflow state in a cycle, with the secretariat's comment. `shown` is the state as the
    Submissions page says it: a draft with no report saved yet is "not_started" (the same rule as `submissions`)."""
    given = {"country": country, "cycle_id": cycle_id}
    rows = rows_of(session, _SUBMISSION, given)
    state = rows[0][0] if rows else "draft"
    shown = "not_started" if state == "draft" and not rows_of(session, _ANY_REPORT, given) else state
    if not rows:
        return {"state": state, "shown": shown, "comment": "", "updated_by": "", "updated_at": None, "flagged": []}
    _, comment, flagged, updated_by, updated_at = rows[0]
    return {
        "state": state,
        "shown": shown,
        "comment": comment,
        "flagged": list(flagged or []),
        "updated_by": updated_by,
        "updated_at": as_utc(updated_at),
    }


def report_history(session: Session, report_id: int, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """The revisions of a report, newest first: every one, or `limit` of them from `offset` (a page of the
    history panel: a report saved hundreds of times is not read whole on every run of its page)."""
    rev = models.ReportRevision
    stmt = select(rev).where(rev.report_id == report_id).order_by(rev.version.desc(), rev.id.desc())
    rows = session.scalars(stmt.limit(limit).offset(offset) if limit is not None else stmt)
    return [
        {
            "id": r.id,
            "version": r.version,
            "action": r.action,
            "at": as_utc(r.at),
            "by": r.by,
            "changes": r.changes,
            "snapshot": r.snapshot,
        }
        for r in rows
    ]


_HISTORY_COUNT = (
    select(func.count())
    .select_from(models.ReportRevision)
    .where(models.ReportRevision.report_id == bindparam("report_id"))
)


def report_history_count(session: Session, report_id: int) -> int:
    """How many revisions a report has."""
    return rows_of(session, _HISTORY_COUNT, {"report_id": report_id})[0][0] or 0


@of_one_country()
def country_texts(session: Session, country: str, cycle_id: str, scope: ReadScope) -> pd.DataFrame:
    """The narrative of a country's reports in a cycle (for its one-page summary)."""
    stmt = (
        select(R.objective, R.national_priority, R.progress, R.challenges, R.priorities, R.good_practice)
        .where(R.country_iso3 == country, R.cycle_id == cycle_id, readable(scope, cycle_id))
        .order_by(R.objective)
    )
    return frame_of(
        session, stmt, ["objective", "national_priority", "progress", "challenges", "priorities", "good_practice"]
    )


FIRST_LINE = 160  # characters of each field shown in the review summary


def _first_line(text: object) -> str:
    line = (text if isinstance(text, str) else "").strip().split("\n", 1)[0]
    return line if len(line) <= FIRST_LINE else line[: FIRST_LINE - 1] + "…"


@of_one_country()
def report_summary(session: Session, country: str, cycle_id: str, scope: ReadScope) -> pd.DataFrame:
    """A country report on one screen: per objective (all 23, in number order) its round table, status,
    national priority and the first line of each text field ("" when not reported)."""
    grouping = select(models.Cycle.grouping_id).where(models.Cycle.id == cycle_id).scalar_subquery()
    so, gs = models.SectionObjective, models.GroupingSection
    prefix = {f: func.substr(getattr(R, f), 1, FIRST_LINE + 40) for f in ("progress", "challenges", "priorities")}
    stmt = (
        select(
            so.objective,
            gs.number,
            R.status,
            R.national_priority,
            prefix["progress"],
            prefix["challenges"],
            prefix["priorities"],
        )
        .join(gs, gs.id == so.section_id)
        .outerjoin(
            R,
            and_(
                R.objective == so.objective,
                R.country_iso3 == country,
                R.cycle_id == cycle_id,
                readable(scope, cycle_id),
            ),
        )
        .where(so.grouping_id == grouping)
        .order_by(so.objective)
    )
    columns = ["objective", "section", "status", "national_priority", "progress", "challenges", "priorities"]
    frame = frame_of(session, stmt, columns)
    for field in ("progress", "challenges", "priorities"):
        frame[field] = frame[field].map(_first_line)
    frame["status"] = frame["status"].fillna(NOT_REPORTED)
    frame["national_priority"] = frame["national_priority"].fillna(False).astype(bool)
    return frame


@of_one_country()
def completeness_summary(session: Session, country: str, cycle_id: str, scope: ReadScope) -> dict:
    """What a submit or validate confirmation shows: objectives reported in all and per round table,
    and the objectives without an entry."""
    summary = report_summary(session, country, cycle_id, scope)
    reported = summary["status"] != NOT_REPORTED
    by_section = [
        {"section": int(n), "done": int(rows["status"].ne(NOT_REPORTED).sum()), "total": len(rows)}
        for n, rows in summary.groupby("section")
    ]
    return {
        "reported": int(reported.sum()),
        "total": len(summary),
        "sections": by_section,
        "missing": [int(o) for o in summary.loc[~reported, "objective"]],
    }
