"""Reads for the objective and country profiles, across every cycle.

Each read takes the reader's scope: a report counts only when its country report's workflow
state is one the scope may read (analysts and the public never see drafts). Aggregates run in
SQL over key columns only; narrative text is read for one objective in one cycle at a time.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Integer, and_, case, false, func, literal, or_, select, true
from sqlalchemy.orm import Session

from gcm import models
from gcm.permissions import ReadScope
from gcm.queries import (
    NOT_REPORTED,
    awaits_validation,
    counted_members,
    frame_of,
    given_countries,
    group_members,
    in_given_countries,
    kept_statement,
    of_cycle,
    of_group,
    of_one_country,
    parts_by_country,
    readable,
    rows_by_country,
    rows_of,
    sums_by_country,
    unchanged_by_reports,
    unchanged_by_text,
)

R = models.ObjectiveReport
NARRATIVE = ("progress", "challenges", "priorities")


def readable_reports(scope: ReadScope, cycle_id: str | None = None, country: str | None = None) -> Any:
    """A subquery of the reports the scope may read, in any cycle (or one): key columns only.

    Columns: id, country, cycle, objective, status, national_priority. The rule is the one of
    `queries.readable`, applied per cycle through the country report's workflow state.
    """
    s = models.Submission
    stmt = select(
        R.id.label("id"),
        R.country_iso3.label("country"),
        R.cycle_id.label("cycle"),
        R.objective.label("objective"),
        R.status.label("status"),
        R.national_priority.label("national_priority"),
    )
    if scope.states is not None:
        stmt = stmt.outerjoin(s, and_(s.country_iso3 == R.country_iso3, s.cycle_id == R.cycle_id))
        condition = func.coalesce(s.state, literal("draft")).in_(scope.states or ())
        if scope.own_country:
            condition = or_(condition, R.country_iso3 == scope.own_country)
        stmt = stmt.where(condition)
    if cycle_id is not None:
        stmt = stmt.where(R.cycle_id == cycle_id)
    if country is not None:
        stmt = stmt.where(R.country_iso3 == country)
    return stmt.subquery()


@unchanged_by_reports
def objective_sections(session: Session, objective: int) -> pd.DataFrame:
    """Per cycle (oldest first): its grouping and the section that holds the objective in it."""
    c, g, so, gs = models.Cycle, models.Grouping, models.SectionObjective, models.GroupingSection
    stmt = (
        select(
            c.id,
            func.coalesce(c.short_en, c.name_en),  # a table column: the short name keeps the year in view
            func.coalesce(c.short_es, c.name_es),
            g.id,
            g.name_en,
            g.name_es,
            g.provisional,
            c.grouping_confirmed,
            gs.number,
            gs.title_en,
            gs.title_es,
        )
        .join(g, g.id == c.grouping_id)
        .outerjoin(so, and_(so.grouping_id == g.id, so.objective == objective))
        .outerjoin(gs, gs.id == so.section_id)
        .order_by(c.start)
    )
    columns = [
        "cycle",
        "cycle_en",
        "cycle_es",
        "grouping",
        "grouping_en",
        "grouping_es",
        "provisional",
        "grouping_confirmed",
        "section",
        "section_en",
        "section_es",
    ]
    return frame_of(session, stmt, columns)


@of_cycle()
@of_group()
@rows_by_country()
def objective_entries(
    session: Session,
    objective: int,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    countries: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Every country of the group for one objective in one cycle: status (or not reported),
    national priority and the narrative it reported (empty when not reported). A country whose report awaits
    validation is left out, as on the overview (`queries.counted_members`). With `countries`, their rows only:
    after a save, a page reads the rows of the countries that changed again (`rows_by_country`)."""
    stmt = _entries_statement(objective, cycle_id, group, scope, countries is not None)
    columns = ["country", "status", "national_priority", *NARRATIVE]
    return frame_of(session, stmt, columns, given_countries(countries))


@kept_statement
def _entries_statement(objective: int, cycle_id: str, group: str | None, scope: ReadScope, some: bool) -> Any:
    """`objective_entries`' statement; with `some`, of the countries given as the parameter `countries` only."""
    members = counted_members(group, scope, cycle_id)
    texts = [func.coalesce(getattr(R, name), literal("")) for name in NARRATIVE]
    stmt = (
        select(
            members.c.iso3,
            func.coalesce(R.status, literal(NOT_REPORTED)),
            func.coalesce(R.national_priority, false()),
            *texts,
        )
        .select_from(members)
        .outerjoin(R, _members_report(members, objective, cycle_id, scope))
        .order_by(members.c.iso3)
    )
    return stmt.where(in_given_countries(members.c.iso3)) if some else stmt


@of_cycle()
@of_group()
@unchanged_by_text
def objective_reporting(
    session: Session, objective: int, cycle_id: str, group: str | None, scope: ReadScope
) -> tuple[tuple[str, ...], int]:
    """The countries (ISO3, in order) that reported the objective in the cycle among those `objective_entries`
    lists, and how many it lists: its reporting rows and its length, without reading any narrative, so a save of
    text leaves it cached."""
    listing, reporting = _reporting_statements(objective, cycle_id, group, scope)
    return tuple(session.scalars(reporting)), session.scalar(listing) or 0


@kept_statement
def _reporting_statements(objective: int, cycle_id: str, group: str | None, scope: ReadScope) -> tuple[Any, Any]:
    """`objective_reporting`'s two statements: how many countries it lists, and those that reported."""
    members = counted_members(group, scope, cycle_id)
    listing = select(func.count()).select_from(members)
    reporting = select(members.c.iso3).join(R, _members_report(members, objective, cycle_id, scope))
    return listing, reporting.order_by(members.c.iso3)


def _members_report(members: Any, objective: int, cycle_id: str, scope: ReadScope) -> Any:
    """How a member of `members` is joined to its report of the objective in the cycle, where the scope reads it: the
    one rule `objective_entries` and `objective_reporting` share."""
    return and_(
        R.country_iso3 == members.c.iso3, R.cycle_id == cycle_id, R.objective == objective, readable(scope, cycle_id)
    )


def _over_cycles_of(rows: list[Any]) -> pd.DataFrame:
    """`objective_status_over_cycles` from rows `(cycle start, cycle, status, count)` in any order (its
    statement's, or the sums of every country's part): per cycle, oldest first, and status."""
    ordered = sorted((start, status, cycle, count) for start, cycle, status, count in rows)
    return pd.DataFrame(
        {
            "cycle": pd.array([cycle for _, _, cycle, _ in ordered], dtype="str"),
            "status": pd.array([status for _, status, _, _ in ordered], dtype="str"),
            "count": [int(count) for *_, count in ordered],
        }
    )


@of_group()
@parts_by_country()
@unchanged_by_text
def objective_status_over_cycles_by_country(
    session: Session, objective: int, group: str | None, scope: ReadScope, countries: tuple[str, ...] | None = None
) -> list[Any]:
    """`objective_status_over_cycles` per country, as rows `(country, cycle start, cycle, status, 1)`; with
    `countries`, of those countries only."""
    stmt = _over_cycles_statement(objective, group, scope, True, countries is not None)
    return rows_of(session, stmt, given_countries(countries))


@of_group()
@sums_by_country(objective_status_over_cycles_by_country, _over_cycles_of)
@unchanged_by_text
def objective_status_over_cycles(session: Session, objective: int, group: str | None, scope: ReadScope) -> pd.DataFrame:
    """Per cycle (oldest first) and status: how many of the group's countries report the objective so; in each
    cycle, a country whose report awaits validation is left out (`queries.awaits_validation`). After a change, a
    page reads again the parts of the countries that changed only (`sums_by_country`)."""
    return _over_cycles_of(rows_of(session, _over_cycles_statement(objective, group, scope)))


@kept_statement
def _over_cycles_statement(
    objective: int, group: str | None, scope: ReadScope, by_country: bool = False, some: bool = False
) -> Any:
    """`objective_status_over_cycles`' statement: rows (cycle start, cycle, status, count); `by_country`, each
    country's (its code first), of the countries given as the parameter `countries` only with `some`."""
    members = group_members(group)
    reports = readable_reports(scope)
    c = models.Cycle
    status = func.coalesce(reports.c.status, literal(NOT_REPORTED))
    country = (members.c.iso3,) if by_country else ()
    stmt = (
        select(*country, c.start, c.id, status, func.count())
        .select_from(c)
        .join(members, true())
        .outerjoin(
            reports,
            and_(reports.c.cycle == c.id, reports.c.country == members.c.iso3, reports.c.objective == objective),
        )
        .group_by(*country, c.id, c.start, status)
    )
    if some:
        stmt = stmt.where(in_given_countries(members.c.iso3))
    awaiting = awaits_validation(scope, members.c.iso3, c.id)
    return stmt if awaiting is None else stmt.where(~awaiting)


@of_one_country()
@unchanged_by_text
def country_cycles(session: Session, country: str, scope: ReadScope) -> pd.DataFrame:
    """Per cycle (oldest first): how many objectives the country reported and how many it prioritises."""
    reports = readable_reports(scope, country=country)
    c = models.Cycle
    stmt = (
        select(
            c.id,
            func.count(reports.c.id),
            func.coalesce(func.sum(case((reports.c.national_priority, 1), else_=0)), 0).cast(Integer),
        )
        .select_from(c)
        .outerjoin(reports, reports.c.cycle == c.id)
        .group_by(c.id, c.start)
        .order_by(c.start)
    )
    return frame_of(session, stmt, ["cycle", "reported", "priorities"])


@of_one_country()
@unchanged_by_text
def country_status_by_section(session: Session, country: str, scope: ReadScope) -> pd.DataFrame:
    """Per cycle (oldest first), section of the cycle's grouping and status: how many objectives,
    `not_reported` included, so each section's completeness is the share of the rest."""
    reports = readable_reports(scope, country=country)
    c, so, gs = models.Cycle, models.SectionObjective, models.GroupingSection
    status = func.coalesce(reports.c.status, literal(NOT_REPORTED))
    stmt = (
        select(c.id, gs.number, gs.title_en, gs.title_es, status, func.count())
        .select_from(c)
        .join(so, so.grouping_id == c.grouping_id)
        .join(gs, gs.id == so.section_id)
        .outerjoin(reports, and_(reports.c.cycle == c.id, reports.c.objective == so.objective))
        .group_by(c.id, c.start, gs.number, gs.title_en, gs.title_es, status)
        .order_by(c.start, gs.number, status)
    )
    return frame_of(session, stmt, ["cycle", "section", "title_en", "title_es", "status", "count"])


@of_one_country()
@unchanged_by_text
def country_priorities(session: Session, country: str, scope: ReadScope) -> pd.DataFrame:
    """The objectives the country marked as a national priority, per cycle (oldest first)."""
    reports = readable_reports(scope, country=country)
    c = models.Cycle
    stmt = (
        select(reports.c.cycle, reports.c.objective)
        .join(c, c.id == reports.c.cycle)
        .where(reports.c.national_priority.is_(True))
        .order_by(c.start, reports.c.objective)
    )
    return frame_of(session, stmt, ["cycle", "objective"])


def priorities_by_cycle(priorities: pd.DataFrame) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """`country_priorities`' rows as (cycle, its priority objectives) pairs, the newest cycle first."""
    by_cycle: dict[str, list[int]] = {}
    for cycle, objective in zip(priorities["cycle"].tolist(), priorities["objective"].tolist(), strict=True):
        by_cycle.setdefault(cycle, []).append(int(objective))
    return tuple((cycle, tuple(objectives)) for cycle, objectives in reversed(by_cycle.items()))


@unchanged_by_text
def cycles_with_reports(session: Session, scope: ReadScope) -> list[str]:
    """The cycles holding at least one report the scope may read, newest first."""
    reports = readable_reports(scope)
    c = models.Cycle
    stmt = select(c.id).where(select(reports.c.id).where(reports.c.cycle == c.id).exists()).order_by(c.start.desc())
    return list(session.scalars(stmt))
