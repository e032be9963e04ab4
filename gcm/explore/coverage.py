"""The coverage explorer's reads: the country × objective status matrix and country × tag counts.

Every read takes the reader's scope and counts only the reports it may read (no drafts for
analysts or the public). The matrix rows never carry narrative text; one report's text is read
only when the reader opens a cell (`report_detail`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Integer, and_, case, cast, false, func, literal, select, true
from sqlalchemy.orm import Session, aliased

from gcm import models
from gcm.charts import status_label
from gcm.i18n import t
from gcm.permissions import ReadScope
from gcm.queries import (
    NOT_REPORTED,
    counted_members,
    frame_of,
    get_report,
    given_countries,
    group_members,
    in_given_countries,
    kept_statement,
    of_countries,
    of_cycle,
    of_group,
    readable,
    rows_by_country,
    unchanged_by_reports,
    unchanged_by_text,
)
from gcm.reference import Reference

R = models.ObjectiveReport
MODES = ("objectives", "principles", "challenges", "priorities")
TAG_KIND = {"principles": "principle", "challenges": "challenge", "priorities": "priority"}
CATEGORY_KINDS = ("challenge", "priority")


@dataclass(frozen=True)
class Filters:
    """Which reports count. `objective` focuses the status matrix and restricts the counts matrices."""

    statuses: tuple[str, ...] = ()  # empty: every status; may include NOT_REPORTED
    category: str | None = None  # a challenge or priority category the report carries
    priority_only: bool = False  # only objectives the country marked as a national priority
    objective: int | None = None

    @property
    def narrows(self) -> bool:
        """Whether some reports may fall outside these filters (the objective focus does not narrow)."""
        return bool(self.statuses) or self.category is not None or self.priority_only


@unchanged_by_reports
def groupings(session: Session) -> pd.DataFrame:
    """Every grouping of objectives (from the database, where the secretariat may edit them)."""
    g = models.Grouping
    stmt = select(g.id, g.name_en, g.name_es, g.provisional).order_by(g.provisional, g.id)
    return frame_of(session, stmt, ["id", "name_en", "name_es", "provisional"])


def _report_filter(filters: Filters) -> Any:
    """A condition on R (an existing report) for the status, category and priority filters."""
    conditions = []
    reported_statuses = [s for s in filters.statuses if s != NOT_REPORTED]
    if filters.statuses:
        conditions.append(R.status.in_(reported_statuses) if reported_statuses else false())
    if filters.priority_only:
        conditions.append(R.national_priority.is_(True))
    if filters.category is not None:
        tag = aliased(models.ReportTag)  # the counts query joins ReportTag itself: correlate on the report only
        conditions.append(
            select(tag.report_id)
            .where(tag.report_id == R.id, tag.kind.in_(CATEGORY_KINDS), tag.key == filters.category)
            .correlate(R)
            .exists()
        )
    return and_(true(), *conditions)


@of_cycle()
@of_group()
@of_countries()
@rows_by_country()
@unchanged_by_text
def status_cells(
    session: Session,
    scope: ReadScope,
    cycle_id: str,
    group: str | None,
    filters: Filters = Filters(),
    countries: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """One row per member country × objective, by country and objective: status (or `not_reported`), national
    priority, and whether the cell matches the filters. A report the scope may not read counts as not reported,
    but for a report awaiting validation: its country is left out, as on the overview
    (`queries.counted_members`). With `countries`, of those members only."""
    stmt = _status_cells_statement(scope, cycle_id, group, filters, countries is not None)
    columns = ["country", "objective", "status", "national_priority", "matches"]
    frame = frame_of(session, stmt, columns, given_countries(countries))
    frame["national_priority"] = frame["national_priority"].astype(bool)
    frame["matches"] = frame["matches"].astype(bool)
    return frame


@kept_statement
def _status_cells_statement(scope: ReadScope, cycle_id: str, group: str | None, filters: Filters, some: bool) -> Any:
    """`status_cells`' statement; with `some`, of the countries given as the parameter `countries` only."""
    members = counted_members(group, scope, cycle_id)
    status = func.coalesce(R.status, literal(NOT_REPORTED))
    not_reported_matches = (
        NOT_REPORTED in filters.statuses and filters.category is None and not filters.priority_only
        if filters.statuses
        else not filters.narrows
    )
    matches = case(
        (R.id.is_(None), literal(not_reported_matches)),
        (_report_filter(filters), true()),
        else_=false(),
    )
    stmt = (
        select(
            members.c.iso3,
            models.Objective.number,
            status.label("status"),
            func.coalesce(cast(R.national_priority, Integer), 0),
            cast(matches, Integer),
        )
        .select_from(members)
        .join(models.Objective, true())
        .outerjoin(
            R,
            and_(
                R.cycle_id == cycle_id,
                R.country_iso3 == members.c.iso3,
                R.objective == models.Objective.number,
                readable(scope, cycle_id),
            ),
        )
        .order_by(members.c.iso3, models.Objective.number)
    )
    return stmt.where(in_given_countries(members.c.iso3)) if some else stmt


@of_cycle()
@of_group()
@unchanged_by_text
def tag_counts(
    session: Session, scope: ReadScope, cycle_id: str, group: str | None, mode: str, filters: Filters = Filters()
) -> pd.DataFrame:
    """Per member country and tag (principle, challenge or priority category): how many of its
    readable reports in the cycle that match the filters carry the tag. Zero counts are left out."""
    return frame_of(session, _tag_counts_statement(scope, cycle_id, group, mode, filters), ["country", "key", "count"])


@kept_statement
def _tag_counts_statement(scope: ReadScope, cycle_id: str, group: str | None, mode: str, filters: Filters) -> Any:
    members = group_members(group)
    tag = models.ReportTag
    conditions = [R.cycle_id == cycle_id, readable(scope, cycle_id), tag.kind == TAG_KIND[mode]]
    if filters.narrows:
        conditions.append(_report_filter(filters))
    if filters.objective is not None:
        conditions.append(R.objective == filters.objective)
    return (
        select(R.country_iso3, tag.key, func.count().label("count"))
        .join(members, members.c.iso3 == R.country_iso3)
        .join(tag, tag.report_id == R.id)
        .where(*conditions)
        .group_by(R.country_iso3, tag.key)
        .order_by(R.country_iso3, tag.key)
    )


def report_detail(
    session: Session, scope: ReadScope, country: str, cycle_id: str, objective: int
) -> dict[str, Any] | None:
    """One report's full text and tags, if the scope may read it; None otherwise (or when not reported)."""
    return get_report(session, country, cycle_id, objective, scope)


@unchanged_by_text
def tagged_reports(
    session: Session, scope: ReadScope, country: str, cycle_id: str, mode: str, key: str, filters: Filters = Filters()
) -> pd.DataFrame:
    """The objectives and statuses of a country's readable reports that carry one tag (a counts cell)."""
    tag = models.ReportTag
    conditions = [
        R.country_iso3 == country,
        R.cycle_id == cycle_id,
        readable(scope, cycle_id),
        tag.kind == TAG_KIND[mode],
        tag.key == key,
        _report_filter(filters),
    ]
    if filters.objective is not None:
        conditions.append(R.objective == filters.objective)
    stmt = select(R.objective, R.status).join(tag, tag.report_id == R.id).where(*conditions).order_by(R.objective)
    return frame_of(session, stmt, ["objective", "status"])


# ---- Words: summaries and tables built from the reads above (no database, no Streamlit) ----


def country_names(ref: Reference, lang: str, countries: list[str]) -> dict[str, str]:
    return {iso3: ref.country(iso3).name.get(lang) for iso3 in countries}


def tag_labels(ref: Reference, lang: str, mode: str) -> dict[str, str]:
    """The tags of a counts matrix in reference order, keyed to their label in `lang`."""
    if mode == "principles":
        return {p.key: p.name.get(lang) for p in ref.principles}
    return {c.key: c.label.get(lang) for c in ref.categories}


def _join(lang: str, names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {t(lang, 'explorer.and')} {names[-1]}"


# Up to this many objectives tied as the least reported are named; more are counted.
MOST_NAMED = 4


def least_reported(lang: str, per_objective: pd.Series) -> str:
    """Which objectives the fewest countries reported (a count per objective number): every one of them when
    several tie, not the first of them as if it stood alone."""
    fewest = int(per_objective.min())
    least = [int(n) for n in per_objective.index[per_objective == fewest]]
    countries = t(lang, "count.countries", n=fewest)
    kind = "summary_unreported" if fewest == 0 else "summary_least"  # none: "no report yet", not "least (0 each)"
    if len(least) == len(per_objective) and fewest:
        return t(lang, "explorer.summary_least_even", countries=countries)
    if len(least) == 1:
        return t(lang, f"explorer.{kind}", objective=least[0], countries=countries)
    if len(least) <= MOST_NAMED:
        return t(lang, f"explorer.{kind}_tied", objectives=_join(lang, [str(n) for n in least]), countries=countries)
    return t(lang, f"explorer.{kind}_many", count=len(least), countries=countries)


def status_summary(
    ref: Reference, lang: str, cells: pd.DataFrame, cycle_name: str, group_name: str, filters: Filters
) -> str:
    """One sentence on the matrix: about the focus objective when there is one, else the whole matrix."""
    names = country_names(ref, lang, sorted(cells["country"].unique()))
    total = len(names)
    if total == 0:
        return t(lang, "explorer.summary_no_countries", group=group_name)
    if filters.objective is not None:
        column = cells[cells["objective"] == filters.objective]
        missing = sorted(names[c] for c in column.loc[column["status"] == NOT_REPORTED, "country"])
        reporting = total - len(missing)
        key = "explorer.summary_objective_all" if not missing else "explorer.summary_objective"
        if len(missing) == 1:  # one country "no lo hizo", not "no lo hicieron"
            key = "explorer.summary_objective_one_missing"
        if reporting == 0:
            key = "explorer.summary_objective_none"
        if total == 1:  # the country by its name, not "all 1 countries"
            key = f"{key}_single"
        text = t(
            lang,
            key,
            cycle=cycle_name,
            reporting=reporting,
            total=total,
            group=group_name,
            n=filters.objective,
            missing=_join(lang, missing),
            country=next(iter(names.values())),
        )
        if filters.narrows:
            text += " " + t(lang, "explorer.summary_matching", count=int(column["matches"].sum()))
        return text
    reported = cells[cells["status"] != NOT_REPORTED]
    if reported.empty:
        return t(lang, "explorer.summary_empty", cycle=cycle_name, group=group_name)
    per_objective = reported.groupby("objective").size().reindex([o.number for o in ref.objectives], fill_value=0)
    text = t(
        lang,
        "explorer.summary_matrix",
        cycle=cycle_name,
        countries=int(reported["country"].nunique()),
        total=total,
        group=group_name,
        reports=len(reported),
        cells=len(cells),
    )
    text += " " + least_reported(lang, per_objective)
    if filters.narrows:
        text += " " + t(lang, "explorer.summary_matching", count=int(cells["matches"].sum()))
    return text


def counts_summary(
    ref: Reference, lang: str, counts: pd.DataFrame, mode: str, cycle_name: str, group_name: str, total: int
) -> str:
    """One sentence on a counts matrix: how many countries carry a tag and the most cited one."""
    if counts.empty:
        return t(lang, f"explorer.summary_{mode}_empty", cycle=cycle_name, group=group_name)
    labels = tag_labels(ref, lang, mode)
    per_tag = counts.groupby("key")["count"].sum().sort_values(ascending=False, kind="stable")
    top = str(per_tag.index[0])
    return t(
        lang,
        f"explorer.summary_{mode}",
        cycle=cycle_name,
        group=group_name,
        countries=int(counts["country"].nunique()),
        total=total,
        top=labels.get(top, top),
        top_reports=t(lang, "count.reports", n=int(per_tag.iloc[0])),
        top_in_countries=t(lang, "count.countries", n=int((counts["key"] == top).sum())),
    )


def status_word(ref: Reference, lang: str, row: Any, narrows: bool) -> str:
    """What a matrix cell shows, in words: the status (★ for a national priority), or outside the filters."""
    if narrows and not row.matches:
        return t(lang, "explorer.outside_filters")
    return status_label(ref, lang, row.status) + (" ★" if row.national_priority else "")


def status_table(
    ref: Reference, lang: str, cells: pd.DataFrame, objectives: list[int], countries: list[str], narrows: bool
) -> pd.DataFrame:
    """The status matrix as shown: a row per country (full name), a column per objective, status words."""
    names = country_names(ref, lang, countries)
    shown = cells[cells["country"].isin(countries)]
    words = {(r.country, int(r.objective)): status_word(ref, lang, r, narrows) for r in shown.itertuples()}
    table = pd.DataFrame(
        [[names[c]] + [words.get((c, n), "") for n in objectives] for c in countries],
        columns=[t(lang, "common.country")] + [t(lang, "explorer.objective_short", n=n) for n in objectives],
    )
    return table


def counts_table(ref: Reference, lang: str, counts: pd.DataFrame, mode: str, countries: list[str]) -> pd.DataFrame:
    """A counts matrix as shown: a row per country (full name), a column per tag label, report counts."""
    names = country_names(ref, lang, countries)
    labels = tag_labels(ref, lang, mode)
    lookup = {(r.country, r.key): int(r.count) for r in counts.itertuples()}
    return pd.DataFrame(
        [[names[c]] + [lookup.get((c, k), 0) for k in labels] for c in countries],
        columns=[t(lang, "common.country"), *labels.values()],
    )


def order_countries(ref: Reference, lang: str, countries: list[str]) -> list[str]:
    """Countries sorted by their name in `lang` (accents ignored)."""

    return ref.by_name(countries, lang)
