"""Regional findings for the live session: what countries prioritise, their most cited challenge and
priority categories, quotations attributed to countries, and the rehearsal switch."""

from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd
from sqlalchemy import case, func, literal, select, union_all
from sqlalchemy.orm import Session

from gcm import models, permissions
from gcm.permissions import Actor, ReadScope
from gcm.queries import (
    R,
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
from gcm.services import bump_revision

REHEARSAL = "rehearsal_drafts"
QUOTE_LENGTH = 280


@unchanged_by_reports
def rehearsal_on(session: Session) -> bool:
    """Whether the secretariat switched on drafts for a rehearsal."""
    row = session.get(models.AppSetting, REHEARSAL)
    return row is not None and row.value == "on"


def set_rehearsal(session: Session, actor: Actor, on: bool) -> None:
    permissions.check_admin(actor)
    row = session.get(models.AppSetting, REHEARSAL)
    if row is None:
        session.add(models.AppSetting(key=REHEARSAL, value="on" if on else "off"))
    else:
        row.value = "on" if on else "off"
    bump_revision(session)


def findings_scope(actor: Actor, rehearsal: bool, public_view: bool = True) -> ReadScope:
    """Findings count submitted and validated reports (validated only for the public); during a
    rehearsal the secretariat's views count drafts too."""
    if rehearsal and actor.is_admin:
        return ReadScope(states=None)
    if actor.role == "public":
        return ReadScope(states=("validated",) if public_view else ())
    return ReadScope(states=("submitted", "validated"))


def _base(
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    statuses: tuple[str, ...] | None,
    objectives: tuple[int, ...] | None = None,
):
    """Reports of the group in the cycle that the scope reads (of `statuses` and `objectives` when given), with
    their section in the cycle's grouping."""
    members = group_members(group)
    so, gs = models.SectionObjective, models.GroupingSection
    grouping = select(models.Cycle.grouping_id).where(models.Cycle.id == cycle_id).scalar_subquery()
    conditions = [R.cycle_id == cycle_id, readable(scope, cycle_id)]
    if statuses:
        conditions.append(R.status.in_(statuses))
    if objectives is not None:
        conditions.append(R.objective.in_(objectives))
    return members, so, gs, grouping, conditions


class RoundTableCounts(NamedTuple):
    """What a round table counts of the readable reports of its objectives (`round_table_counts`)."""

    cells: dict[tuple[int, str], int]  # (objective, status): reports
    prioritised: dict[int, list[str]]  # objective: the countries that made it a national priority, by code
    challenges: dict[int, dict[str, int]]  # section: challenge category: reports citing it
    priorities: dict[int, dict[str, int]]  # section: priority category: reports citing it


def _counts_of(rows: list[Any]) -> RoundTableCounts:
    """`round_table_counts` from its rows (part, number, key, reports), in any order: "cell" (objective, status),
    "prioritised" (objective, country), "challenge" and "priority" (section, category)."""
    counts = RoundTableCounts({}, {}, {}, {})
    cited = {"challenge": counts.challenges, "priority": counts.priorities}
    for part, number, key, reports in rows:
        if part == "cell":
            counts.cells[int(number), str(key)] = int(reports)
        elif part == "prioritised":
            counts.prioritised.setdefault(int(number), []).append(str(key))
        else:
            cited[part].setdefault(int(number), {})[str(key)] = int(reports)
    for countries in counts.prioritised.values():
        countries.sort()
    return counts


@of_cycle()
@of_group()
@parts_by_country()
@unchanged_by_text
def round_table_counts_by_country(
    session: Session,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    statuses: tuple[str, ...] | None = None,
    objectives: tuple[int, ...] | None = None,
    countries: tuple[str, ...] | None = None,
) -> list[Any]:
    """`round_table_counts` per country: its rows with each country's code first; with `countries`, of those
    countries only."""
    stmt = _round_table_counts_statement(cycle_id, group, scope, statuses, objectives, True, countries is not None)
    return rows_of(session, stmt, given_countries(countries))


@of_cycle()
@of_group()
@sums_by_country(round_table_counts_by_country, _counts_of)
@unchanged_by_text
def round_table_counts(
    session: Session,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    statuses: tuple[str, ...] | None = None,
    objectives: tuple[int, ...] | None = None,
) -> RoundTableCounts:
    """Of the group's readable reports in the cycle (of `statuses` and `objectives` when given): how many have
    each status per objective, which countries made each objective a national priority, and how many cite each
    challenge and priority category per section. One statement: after a change, a page reads it again for the
    countries that changed only (`sums_by_country`)."""
    stmt = _round_table_counts_statement(cycle_id, group, scope, statuses, objectives, False, False)
    return _counts_of(rows_of(session, stmt))


@kept_statement
def _round_table_counts_statement(
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    statuses: tuple[str, ...] | None,
    objectives: tuple[int, ...] | None,
    by_country: bool,
    some: bool,
) -> Any:
    """`round_table_counts`' statement: rows (part, number, key, reports); `by_country`, each country's (its code
    first), of the countries given as the parameter `countries` only with `some`."""
    joined, gs = _reports_in_sections(cycle_id, group, scope, statuses, objectives)
    tag = models.ReportTag
    country = (R.country_iso3,) if by_country else ()
    parts = (
        joined.with_only_columns(*country, literal("cell"), R.objective, R.status, func.count()).group_by(
            *country, R.objective, R.status
        ),
        joined.with_only_columns(*country, literal("prioritised"), R.objective, R.country_iso3, func.count())
        .where(R.national_priority.is_(True))
        .group_by(*country, R.objective, R.country_iso3),
        joined.join(tag, (tag.report_id == R.id) & tag.kind.in_(("challenge", "priority")))
        .with_only_columns(*country, tag.kind, gs.number, tag.key, func.count())
        .group_by(*country, tag.kind, gs.number, tag.key),
    )
    if some:
        parts = tuple(part.where(in_given_countries(R.country_iso3)) for part in parts)
    return union_all(*parts)


def excerpt(text: str, length: int) -> str:
    """`text` (the first QUOTE_LENGTH characters of a text of `length`) as quoted: whole when it is all there,
    else cut at the last space of its second half and ended with an ellipsis."""
    if length <= len(text):
        return text
    cut = text.rfind(" ", len(text) // 2)
    return (text[:cut] if cut > 0 else text).rstrip(" ,;:.-") + "…"


class Candidate(NamedTuple):
    """A text quoted in the session: a country's challenges or priorities on one objective."""

    section: int
    objective: int
    country: str
    field: str
    text: str  # the first QUOTE_LENGTH characters
    priority: bool
    length: int  # of the whole text: the most detailed texts are quoted first


def _reports_in_sections(
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    statuses: tuple[str, ...] | None,
    objectives: tuple[int, ...] | None = None,
):
    """The readable reports of the group in the cycle, joined to their section: a FROM for the reads below."""
    members, so, gs, grouping, conditions = _base(cycle_id, group, scope, statuses, objectives)
    joined = (
        select(R)
        .join(members, members.c.iso3 == R.country_iso3)
        .join(so, (so.objective == R.objective) & (so.grouping_id == grouping))
        .join(gs, gs.id == so.section_id)
        .where(*conditions)
    )
    return joined, gs


def _best_first(priority: Any, length: Any, objective: Any) -> Any:
    """A text's place among a country's texts as one integer, highest first: national priorities, then the
    longest, then the lowest objective. The best is then a GROUP BY's maximum, which cost SQLite a third of a
    window function over every candidate; the objective is `_objective_of` the maximum. Exact while texts are
    shorter than 10**6 characters (the form takes 5,000) and within PostgreSQL's 32-bit integers."""
    return case((priority, 10**8), else_=0) + length * 100 + (99 - objective)


def _objective_of(best: Any) -> Any:
    return 99 - best % 100


@of_cycle()
@of_group()
def quotations(
    session: Session,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    statuses: tuple[str, ...] | None,
    per_section: int,
) -> list[Candidate]:
    """Per section and field (challenges, priorities): each country's best text (national priorities first,
    then the longest, then the lowest objective), no text twice, at most `per_section`, national priorities
    and the most detailed first; in section and field order (`quoted`, from `quotation_candidates`)."""
    return quoted(quotation_candidates(session, cycle_id, group, scope, statuses), per_section)


def quoted(candidates: pd.DataFrame, per_section: int) -> list[Candidate]:
    """`quotations` from each country's best texts (`quotation_candidates`): per section and field, the best
    first (national priorities, then the most detailed, then by country), a text already quoted there left out
    (compared on its first QUOTE_LENGTH characters), at most `per_section`."""
    columns = ("section", "objective", "country", "field", "text", "priority", "length")
    rows = [
        Candidate(int(sec), int(obj), str(country), str(field), str(text), bool(prio), int(length))
        for sec, obj, country, field, text, prio, length in zip(*(candidates[c].tolist() for c in columns), strict=True)
    ]
    rows.sort(key=lambda c: (c.section, c.field, not c.priority, -c.length, c.country))
    out: list[Candidate] = []
    seen: set[tuple[int, str, str]] = set()
    taken: dict[tuple[int, str], int] = {}
    for candidate in rows:
        where = (candidate.section, candidate.field)
        if (*where, candidate.text) in seen or taken.get(where, 0) >= per_section:
            continue
        seen.add((*where, candidate.text))
        taken[where] = taken.get(where, 0) + 1
        out.append(candidate)
    return out


@of_cycle()
@of_group()
@rows_by_country()
def quotation_candidates(
    session: Session,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    statuses: tuple[str, ...] | None,
    objectives: tuple[int, ...] | None = None,
    countries: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Each country's best text per section and field (challenges, priorities): national priorities first, then
    the longest, then the lowest objective; its first QUOTE_LENGTH characters and its whole length. Picked in
    SQL from the stored lengths in the covering index, and only those texts are read. Ordered by country; with
    `countries`, of those countries only (a page reads them again for a country that changed)."""
    stmt = _candidates_statement(cycle_id, group, scope, statuses, objectives, countries is not None)
    columns = ["country", "section", "field", "objective", "priority", "length", "text"]
    return frame_of(session, stmt, columns, given_countries(countries))


@kept_statement
def _candidates_statement(
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    statuses: tuple[str, ...] | None,
    objectives: tuple[int, ...] | None,
    some: bool,
) -> Any:
    joined, gs = _reports_in_sections(cycle_id, group, scope, statuses, objectives)
    if some:
        joined = joined.where(in_given_countries(R.country_iso3))
    best = union_all(
        *(
            joined.with_only_columns(
                gs.number.label("section"),
                literal(name).label("field"),
                R.country_iso3.label("country"),
                func.max(_best_first(R.national_priority, R.length_of(name), R.objective)).label("best"),
            )
            .where(R.length_of(name) > 0)
            .group_by(gs.number, R.country_iso3)
            for name in ("challenges", "priorities")
        )
    ).subquery()
    quoted = R.__table__.alias("quoted")
    q, challenges = quoted.c, best.c.field == "challenges"
    return (
        select(
            best.c.country,
            best.c.section,
            best.c.field,
            q.objective,
            q.national_priority,
            case((challenges, q.challenges_length), else_=q.priorities_length),
            func.substr(case((challenges, q.challenges), else_=q.priorities), 1, QUOTE_LENGTH),
        )
        .join(
            quoted,
            (q.country_iso3 == best.c.country) & (q.cycle_id == cycle_id) & (q.objective == _objective_of(best.c.best)),
        )
        .order_by(best.c.country, best.c.section, best.c.field)
    )


def good_practices(
    session: Session,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    statuses: tuple[str, ...] | None,
    limit: int,
) -> list[tuple[int, str, str, int]]:
    """(objective, country, text, length): each country's good practice on its lowest objective, no text twice
    (the first country keeps it), in country order, at most `limit`. Picked in SQL from the stored lengths in the
    covering index; `text` is its first QUOTE_LENGTH characters, `length` the whole text's."""
    joined, _ = _reports_in_sections(cycle_id, group, scope, statuses)
    first = (
        joined.with_only_columns(R.country_iso3.label("country"), func.min(R.objective).label("objective"))
        .where(R.good_practice_length > 0)
        .group_by(R.country_iso3)
        .subquery()
    )
    quoted = R.__table__.alias("quoted")
    q = quoted.c
    with_text = (
        select(
            first.c.objective,
            first.c.country,
            func.substr(q.good_practice, 1, QUOTE_LENGTH).label("text"),
            q.good_practice_length.label("length"),
        )
        .join(
            quoted, (q.country_iso3 == first.c.country) & (q.cycle_id == cycle_id) & (q.objective == first.c.objective)
        )
        .subquery()
    )
    f = with_text.c
    unique = select(with_text, func.row_number().over(partition_by=f.text, order_by=f.country).label("m")).subquery()
    u = unique.c
    stmt = select(u.objective, u.country, u.text, u.length).where(u.m == 1).order_by(u.country).limit(limit)
    return [(int(o), c, t, int(n)) for o, c, t, n in session.execute(stmt)]


class BriefingRow(NamedTuple):
    """One report as the briefing reads it: its section in the cycle's grouping, status and full texts."""

    section: int
    country: str
    objective: int
    status: str
    national_priority: bool
    progress: str
    challenges: str
    priorities: str
    good_practice: str


def briefing_reports(
    session: Session, cycle_id: str, group: str | None, scope: ReadScope, countries: tuple[str, ...] | None = None
) -> list[BriefingRow]:
    """Every report of the group (of `countries` among it, when given) in the cycle that the scope reads, with
    its section and full texts, in country and objective order: the read behind the countries' sections."""
    joined, gs = _reports_in_sections(cycle_id, group, scope, None)
    if countries is not None:
        joined = joined.where(R.country_iso3.in_(countries))
    stmt = joined.with_only_columns(
        gs.number,
        R.country_iso3,
        R.objective,
        R.status,
        R.national_priority,
        R.progress,
        R.challenges,
        R.priorities,
        R.good_practice,
    ).order_by(R.country_iso3, R.objective)
    return [
        BriefingRow(int(n), c, int(o), st or "", bool(p), pr or "", ch or "", pi or "", gp or "")
        for n, c, o, st, p, pr, ch, pi, gp in session.execute(stmt)
    ]


HIGHLIGHT_FIELDS = ("progress", "challenges", "priorities")


def summary_note(standing: dict[str, Any], scope: ReadScope) -> str | None:
    """The one sentence (its key) that stands for a country's summary, from its standing for this reader
    (`queries.country_standing_of`): not reported, or a report this reader may not read yet; None when there is a
    report to show."""
    hidden = not permissions.may_read(scope, standing["country"], standing["state"])
    if hidden and standing["standing"] in ("awaiting_validation", "in_preparation"):
        return f"flow.summary_{standing['standing']}"
    if standing["standing"] == "not_reported":  # one sentence, not 23 "not reported" lines under empty headings
        return "flow.summary_not_reported"
    return None


@of_one_country()
def country_highlights(session: Session, country: str, cycle_id: str, scope: ReadScope, per_field: int = 3) -> dict:
    """What a country summary shows: the status of each reported objective, the national priority
    objectives, and per field the texts to quote (national priorities first, then objective order)."""
    from gcm import queries

    statuses = queries.country_statuses(session, country, cycle_id, scope).set_index("objective")["status"].to_dict()
    texts = queries.country_texts(session, country, cycle_id, scope)
    ordered = texts.sort_values(["national_priority", "objective"], ascending=[False, True])
    return {
        "statuses": {int(k): v for k, v in statuses.items()},
        "priorities": sorted(int(o) for o in texts.loc[texts["national_priority"], "objective"]),
        "top": {field: _distinct_texts(ordered, field, per_field) for field in HIGHLIGHT_FIELDS},
    }


def _distinct_texts(ordered: pd.DataFrame, field: str, count: int) -> list[tuple[int, str]]:
    """The first `count` texts of `field` in the rows' order, each once: a country that wrote the same
    sentence under two objectives is quoted once, under the first (the summary would repeat it word for word)."""
    seen: set[str] = set()
    quoted: list[tuple[int, str]] = []
    for objective, text in zip(ordered["objective"], ordered[field], strict=True):
        if not text or text.strip() in seen:
            continue
        seen.add(text.strip())
        quoted.append((int(objective), text))
        if len(quoted) == count:
            break
    return quoted
