"""What the Regional overview draws, built once per data revision (`gcm.ui.context.figure`): its three
charts and their summaries; and their data tables, built only once a reader opens one (`overview_tables`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from gcm import charts, insights
from gcm.permissions import ReadScope
from gcm.reference import Reference
from gcm.ui.context import REFERENCE, Read, built, figure
from gcm.ui.widgets import PAGE_SIZE


@dataclass(frozen=True)
class OverviewPart:
    summary: str
    figure: go.Figure | None  # None: the heatmap of more countries than fit on a page is drawn page by page


def overview_parts(
    lang: str, cycle_id: str, group: str | None, scope: ReadScope, provisional: bool, countries: tuple[str, ...]
) -> tuple[OverviewPart, OverviewPart, OverviewPart]:
    """Status by round table, the country × objective heatmap (of `countries`; its summary from how many reports
    each member has), reporting and priorities: each chart with its summary, each built from its own reads
    (`gcm.ui.context.figure`), so that a save that changes what one shows leaves the others as they were (a
    status change alters no count of reports)."""
    heatmap = None  # more countries than fit on a page: drawn page by page (`heatmap_page`), its rows not read here
    if len(countries) <= PAGE_SIZE:
        heatmap = Read("status_matrix", cycle_id, group, scope)
    return (
        figure(section_part, REFERENCE, lang, Read("status_by_section", cycle_id, group, scope), provisional),
        figure(heatmap_part, REFERENCE, lang, Read("reports_by_member", cycle_id, group, scope), heatmap, countries),
        figure(coverage_part, REFERENCE, lang, Read("objective_coverage", cycle_id, group, scope)),
    )


def section_part(ref: Reference, lang: str, counts: pd.DataFrame, provisional: bool) -> OverviewPart:
    """Status by round table (`queries.status_by_section`)."""
    return OverviewPart(
        insights.section_summary(ref, lang, counts, provisional),
        charts.status_by_section_figure(ref, lang, counts, provisional),
    )


def heatmap_part(
    ref: Reference, lang: str, reports: dict[str, int], matrix: pd.DataFrame | None, countries: tuple[str, ...]
) -> OverviewPart:
    """The heatmap's summary (from each member's count of reports) and, for a group that fits on a page, the
    heatmap itself (`matrix`: the group's `queries.status_matrix`; None: drawn page by page)."""
    shown = list(countries)
    chart = None if matrix is None else charts.status_heatmap_figure(ref, lang, matrix, shown)
    return OverviewPart(insights.heatmap_summary(ref, lang, reports, shown), chart)


def coverage_part(ref: Reference, lang: str, coverage: pd.DataFrame) -> OverviewPart:
    """Reporting and priorities by objective (`queries.objective_coverage`)."""
    return OverviewPart(insights.coverage_summary(ref, lang, coverage), charts.coverage_figure(ref, lang, coverage))


def heatmap_page(
    lang: str, cycle_id: str, group: str | None, scope: ReadScope, countries: tuple[str, ...]
) -> go.Figure:
    """The heatmap of one page of countries (a group larger than a page is not legible in one chart), built from
    that page's rows (`gcm.ui.context.figure`): read again only after a save of one of them, and built again only
    when they changed (a workflow step leaves a country's statuses as they were)."""
    page = Read("status_matrix", cycle_id, group, scope, countries)
    return figure(heatmap_of, REFERENCE, lang, page, countries)


def heatmap_of(ref: Reference, lang: str, matrix: pd.DataFrame, countries: tuple[str, ...]) -> go.Figure:
    """The heatmap of `countries` from their rows of `queries.status_matrix`."""
    return charts.status_heatmap_figure(ref, lang, matrix, list(countries))


def overview_tables(
    lang: str, cycle_id: str, group: str | None, scope: ReadScope, provisional: bool, countries: tuple[str, ...]
) -> dict[str, Callable[[], pd.DataFrame]]:
    """The data table of each chart (`overview_parts`' keys: sections, heatmap, coverage), each built and cached
    once a reader opens it: after a change, nobody waits for tables in closed expanders (the heatmap's has a
    row per country)."""
    return {
        "sections": lambda: built(
            insights.section_table, REFERENCE, lang, Read("status_by_section", cycle_id, group, scope), provisional
        ),
        "heatmap": lambda: built(
            insights.heatmap_table, REFERENCE, lang, Read("status_matrix", cycle_id, group, scope), countries
        ),
        "coverage": lambda: built(
            insights.coverage_table, REFERENCE, lang, Read("objective_coverage", cycle_id, group, scope)
        ),
    }
