"""What the Regional overview draws, built once per data revision (`gcm.ui.context.figure`): its three
charts and their summaries; and their data tables, built only once a reader opens one (`overview_tables`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from gcm import charts, insights
from gcm.permissions import ReadScope
from gcm.queries import of_countries, of_cycle, of_group, unchanged_by_text
from gcm.ui.context import REFERENCE, Read, built, read, reference
from gcm.ui.widgets import PAGE_SIZE


@dataclass(frozen=True)
class OverviewPart:
    summary: str
    figure: go.Figure | None  # None: the heatmap of more countries than fit on a page is drawn page by page


@of_cycle()
@of_group()
@unchanged_by_text
def overview_parts(
    lang: str, cycle_id: str, group: str | None, scope: ReadScope, provisional: bool, countries: tuple[str, ...]
) -> tuple[OverviewPart, OverviewPart, OverviewPart]:
    """Status by round table, the country × objective heatmap (of `countries`; its summary from how many reports
    each member has), reporting and priorities: each chart with its summary."""
    ref = reference()
    counts = read("status_by_section", cycle_id, group, scope)
    coverage = read("objective_coverage", cycle_id, group, scope)
    reports = read("reports_by_member", cycle_id, group, scope)
    shown = list(countries)
    heatmap = None  # more countries than fit on a page: drawn page by page (`heatmap_page`), its rows not read here
    if len(shown) <= PAGE_SIZE:
        heatmap = charts.status_heatmap_figure(ref, lang, read("status_matrix", cycle_id, group, scope), shown)
    return (
        OverviewPart(
            insights.section_summary(ref, lang, counts, provisional),
            charts.status_by_section_figure(ref, lang, counts, provisional),
        ),
        OverviewPart(insights.heatmap_summary(ref, lang, reports, shown), heatmap),
        OverviewPart(
            insights.coverage_summary(ref, lang, coverage),
            charts.coverage_figure(ref, lang, coverage),
        ),
    )


@of_cycle()
@of_group()
@of_countries()
@unchanged_by_text
def heatmap_page(
    lang: str, cycle_id: str, group: str | None, scope: ReadScope, countries: tuple[str, ...]
) -> go.Figure:
    """The heatmap of one page of countries (a group larger than a page is not legible in one chart): read and
    built again only after a save of one of them."""
    matrix = read("status_matrix", cycle_id, group, scope, countries)
    return charts.status_heatmap_figure(reference(), lang, matrix, list(countries))


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
