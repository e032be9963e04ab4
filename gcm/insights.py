"""Short text summaries and readable data tables that accompany each chart."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from gcm.charts import section_label, status_label, status_order
from gcm.i18n import t
from gcm.permissions import ReadScope
from gcm.queries import NOT_REPORTED, matrix_cells, section_cells, section_totals
from gcm.reference import Reference

ADVANCED = ("advanced", "full")


def _pct(part: float, whole: float) -> str:
    return _percent(part / whole) if whole else "0"


def _percent(share: float) -> str:
    """A share as a whole percentage that never says none or all when it is neither: one report of 253 is "<1",
    not "0"; 252 of 253 is ">99", not "100"."""
    if 0 < share < 0.005:
        return "<1"
    if 0.995 <= share < 1:
        return ">99"
    return str(round(share * 100))


def share_complete(reports: int, members: int, objectives: int) -> int:
    """The share of the possible country × objective reports that were entered, as a whole percentage (the
    headline's third figure, on the home page and the presenter's opening slide)."""
    expected = members * objectives
    return round(reports / expected * 100) if expected else 0


def section_summary(ref: Reference, lang: str, counts: pd.DataFrame, provisional: bool) -> str:
    cells = section_cells(counts)
    total = sum(cells.values())
    reported = sum(c for (_, status), c in cells.items() if status != NOT_REPORTED)
    per_section = section_totals(cells)
    advanced = section_totals({cell: count for cell, count in cells.items() if cell[1] in ADVANCED})
    shares = {n: advanced.get(n, 0) / total_n if total_n else 0 for n, total_n in per_section.items()}
    best = max(shares, key=lambda n: (shares[n], -n), default=None)  # the first of equal shares, as idxmax
    if best is None or not shares[best]:  # no leader to name when every share is nil
        return t(lang, "summary.sections_none", reported_pct=_pct(reported, total))
    return t(
        lang,
        "summary.sections",
        reported_pct=_pct(reported, total),
        best=section_label(lang, provisional, best),
        best_pct=_percent(shares[best]),
    )


def section_table(ref: Reference, lang: str, counts: pd.DataFrame, provisional: bool) -> pd.DataFrame:
    """Cells per status (rows, in the scale's order) and round table or area (columns): the statuses' long
    names read down the first column, so the table fits the page's width without a sideways scroll."""
    cells = section_cells(counts)
    sections = list(section_totals(cells))
    return pd.DataFrame(
        {section_label(lang, provisional, n): [cells.get((n, k), 0) for k in status_order(ref)] for n in sections},
        index=pd.Index([status_label(ref, lang, k) for k in status_order(ref)], name=t(lang, "chart.status")),
    )


def heatmap_summary(ref: Reference, lang: str, reports: dict[str, int], countries: list[str]) -> str:
    """How many countries reported, and the one with the most reports (the first by code on a tie), from how many
    reports each member has (`queries.reports_by_member`): the heatmap's rows are not read for one sentence."""
    reported = {country: n for country, n in reports.items() if n}
    if not reported:
        return t(lang, "summary.heatmap_empty", total=len(countries))
    most = max(reported.values())
    top = min(country for country, n in reported.items() if n == most)
    return t(
        lang,
        "summary.heatmap",
        reporting=len(reported),
        total=len(countries),
        top=ref.country(top).name.get(lang),
        top_count=most,
        objectives=len(ref.objectives),
    )


def heatmap_table(ref: Reference, lang: str, matrix: pd.DataFrame, countries: list[str]) -> pd.DataFrame:
    cells = matrix_cells(matrix)
    words = {status: status_label(ref, lang, status) for status, _ in set(cells.values())}
    labels = {cell: words[status] + (" ★" if priority else "") for cell, (status, priority) in cells.items()}
    not_reported = t(lang, "status.not_reported")
    rows = {  # in the heatmap's order: by name, accents ignored
        ref.country(iso3).name.get(lang): [labels.get((iso3, o.number), not_reported) for o in ref.objectives]
        for iso3 in ref.by_name(countries, lang)
    }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=[str(o.number) for o in ref.objectives])
    table.index.name = t(lang, "common.country")
    return table


def coverage_summary(ref: Reference, lang: str, coverage: pd.DataFrame) -> str:
    """The most reported objective and the one most often a national priority (the lower number on a tie);
    neither is named at 0. The 23 rows are read as lists: two sorts of the frame cost more than the sentence."""
    columns = ("objective", "reporting", "prioritising", "members")
    rows = list(zip(*(coverage[c].tolist() for c in columns), strict=True))
    most = min(rows, key=lambda row: (-row[1], row[0]))
    prio = min(rows, key=lambda row: (-row[2], row[0]))

    def name(objective: int) -> str:
        return f"{int(objective)}. {ref.objective(int(objective)).short.get(lang)}"

    first = (
        t(lang, "summary.coverage_most", most=name(most[0]), most_count=int(most[1]), members=int(most[3]))
        if int(most[1])
        else t(lang, "summary.coverage_none")
    )
    second = (
        t(lang, "summary.coverage_prio", prio=name(prio[0]), count=int(prio[2]))
        if int(prio[2])
        else t(lang, "summary.coverage_no_prio")
    )
    return f"{first} {second}"


def coverage_table(ref: Reference, lang: str, coverage: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t(lang, "common.objective"): [
                f"{int(n)}. {ref.objective(int(n)).short.get(lang)}" for n in coverage["objective"]
            ],
            t(lang, "chart.reporting_count"): coverage["reporting"].astype(int),
            t(lang, "chart.reporting"): (coverage["reporting_share"] * 100).round().astype(int).astype(str) + "%",
            t(lang, "chart.prioritising_count"): coverage["prioritising"].astype(int),
            t(lang, "chart.prioritising"): (coverage["prioritising_share"] * 100).round().astype(int).astype(str) + "%",
        }
    ).set_index(t(lang, "common.objective"))


def briefing_model_for(
    session: Session,
    lang: str,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    order: tuple[str, ...] | None = None,
    statuses: tuple[str, ...] | None = None,
):
    """`briefing.briefing_model` with the reference data of the configuration: every argument is a plain
    hashable value, so pages can cache it with `gcm.ui.context.read` (an empty `order` leaves out the
    countries' sections and their full texts)."""
    from gcm.bootstrap import reference_for, with_database_countries
    from gcm.briefing.model import briefing_model
    from gcm.config import load_config

    ref = with_database_countries(session, reference_for(str(load_config().reference_dir)))
    return briefing_model(session, ref, lang, cycle_id, group, scope, order, statuses)


def objective_status_summary(ref: Reference, lang: str, counts: pd.DataFrame) -> str:
    """One sentence over a round table's status bars: how many cells are reported, the best-covered objective (the
    lowest-numbered of those best covered). The frame's few rows are read as lists (pandas' group-by cost more than
    the sentence)."""
    rows = zip(*(counts[name].tolist() for name in ("objective", "status", "count")), strict=True)
    total, per_objective = 0, {}
    for objective, status, count in rows:
        total += int(count)
        if status != NOT_REPORTED:
            per_objective[int(objective)] = per_objective.get(int(objective), 0) + int(count)
    most = max(per_objective.values(), default=0)
    if total == 0 or most <= 0:
        return t(lang, "summary.objectives_none")
    best = min(objective for objective, count in per_objective.items() if count == most)
    return t(
        lang,
        "summary.objectives",
        reported_pct=_pct(sum(per_objective.values()), total),
        best=f"{best}. {ref.objective(best).short.get(lang)}",
        best_countries=t(lang, "count.countries", n=most),
    )


def objective_status_table(ref: Reference, lang: str, counts: pd.DataFrame) -> pd.DataFrame:
    """Countries per objective and status (the data of the round table's status bars)."""
    table = counts.pivot_table(index="objective", columns="status", values="count", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=status_order(ref), fill_value=0)
    table.index = [f"{int(n)}. {ref.objective(int(n)).short.get(lang)}" for n in table.index]
    table.columns = [status_label(ref, lang, k) for k in table.columns]
    table.index.name = t(lang, "common.objective")
    return table


def category_table(lang: str, cited: tuple) -> pd.DataFrame:
    """The most cited categories (label, count) as a table."""
    return pd.DataFrame(
        [(c.label, c.count) for c in cited], columns=[t(lang, "summary.category"), t(lang, "summary.mentions")]
    )


def figures_summary(lang: str, labels: list[str], values: list[int]) -> str:
    """One sentence over a bar chart of counts: its largest bar. No total: a review's stages and audiences count
    the same people at each stage or session, so their sum counts nobody (the stakeholder groups' total, which
    does add up, is said under their heading)."""
    if not values:
        return t(lang, "summary.objectives_none")
    top = max(range(len(values)), key=values.__getitem__)
    return t(lang, "summary.figures", top=labels[top], top_n=values[top])
