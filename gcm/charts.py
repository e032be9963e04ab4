"""Plotly figures built from query DataFrames. Every label is translated and HTML-escaped."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from gcm.i18n import t
from gcm.queries import NOT_REPORTED, matrix_cells, section_cells, section_totals
from gcm.reference import Reference

if TYPE_CHECKING:  # the briefing model draws its charts here: imported for the type only
    from gcm.briefing.model import CategoryCount

NOT_REPORTED_COLOR = "#cccccc"  # apart from every status colour, also in grey scale: tests/unit/test_palette.py
FONT = dict(family="sans-serif", size=15)


def status_label(ref: Reference, lang: str, key: str) -> str:
    return t(lang, "status.not_reported") if key == NOT_REPORTED else ref.status(key).label.get(lang)


def status_order(ref: Reference) -> list[str]:
    return [s.key for s in ref.statuses] + [NOT_REPORTED]


def ink_on(color: str) -> str:
    """Black or white, whichever contrasts more with a #rrggbb background (WCAG relative luminance)."""
    channels = [int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


def status_color(ref: Reference, key: str) -> str:
    return NOT_REPORTED_COLOR if key == NOT_REPORTED else ref.status(key).color


AXIS_STANDOFF = 12  # px between tick labels and an axis title
BAR_LINE = dict(color="#999999", width=0.5)


@lru_cache(maxsize=1)
def _template() -> dict:
    return go.Figure().to_dict()["layout"]["template"]


def _handed_over(key: str, value: object) -> bool:
    """Whether a trace's value goes into its figure as it is, not through Plotly's deep copy (see `plain_figure`)."""
    return isinstance(value, list) or key == "geojson"


def plain_figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure from plain trace and layout dicts, in Plotly's default template, built without Plotly's
    per-property validation: a validated build of a chart of a few hundred points costs 25–120 ms, this one
    about 1 ms. Every caller's dicts use only valid properties, which tests/unit/test_speed.py checks by
    validating each figure again.

    Plotly also deep-copies every trace it is given, its lists of values and hover texts included (4–6 ms for
    a heatmap of a few thousand cells), and a map's shipped country shapes (`geojson`: 17 ms for 193
    countries); those are put into the built figure as they are instead, and the figure owns them from then on:
    a caller passes lists built for this figure (never one a cached read holds), a map shares the shapes read
    once per process (`geometry.features_for`), and a built figure is never changed (see `chart_display`). The
    template (about 170 dicts) is not copied either: every figure holds the same one."""
    lists = [{key: value for key, value in trace.items() if _handed_over(key, value)} for trace in data]
    rest = [{key: value for key, value in trace.items() if not _handed_over(key, value)} for trace in data]
    figure = go.Figure({"data": rest, "layout": {"template": {}, **layout}}, _validate=False)
    for props, values in zip(figure._data, lists, strict=True):
        props.update(values)
    if "template" not in layout:
        figure._layout["template"] = _template()  # shared by every figure, as it is never changed
    return figure


def _figure(traces: list[dict], title: str, height: int, layout: dict, xaxis: dict, yaxis: dict) -> go.Figure:
    """A figure in the house layout (see `plain_figure`).

    The legend stands outside the plot area, right of it, so it never meets the x-axis title below the
    plot nor the chart title above it; margins grow to make room for it (autoexpand).
    """
    axis = dict(automargin=True)
    return plain_figure(
        traces,
        {
            **layout,
            "title": dict(text=escape(title), x=0, xanchor="left", automargin=True),
            "font": FONT,
            "height": height,
            "margin": dict(l=10, r=10, t=60, b=10, autoexpand=True),
            "legend": layout.get("legend", {})
            | dict(orientation="v", yanchor="top", y=1, xanchor="left", x=1.02, traceorder="normal"),
            "plot_bgcolor": "white",
            "xaxis": axis | xaxis | {"title": xaxis.get("title", {}) | {"standoff": AXIS_STANDOFF}},
            "yaxis": axis | yaxis | {"title": yaxis.get("title", {}) | {"standoff": AXIS_STANDOFF}},
        },
    )


def section_label(lang: str, provisional: bool, number: int) -> str:
    return t(lang, "chart.area_n" if provisional else "chart.round_table_n", n=number)


def status_by_section_figure(ref: Reference, lang: str, counts: pd.DataFrame, provisional: bool) -> go.Figure:
    """Stacked bars: for each round table, the share of country × objective cells per status."""
    cells = section_cells(counts)
    totals = section_totals(cells)
    sections = list(totals)
    x = [section_label(lang, provisional, n) for n in sections]
    traces = []
    for key in status_order(ref):
        values = [cells.get((n, key), 0) for n in sections]
        shares = [v / totals[n] * 100 if totals[n] else 0 for v, n in zip(values, sections, strict=True)]
        label = escape(status_label(ref, lang, key))
        traces.append(
            dict(
                type="bar",
                name=label,
                x=x,
                y=values,
                marker=dict(color=status_color(ref, key), line=BAR_LINE),
                customdata=shares,
                hovertemplate=f"%{{x}}<br>{label}: %{{y}} (%{{customdata:.0f}}%)<extra></extra>",
            )
        )
    return _figure(
        traces,
        t(lang, "chart.status_by_section_title"),
        460,
        dict(barmode="stack", legend=dict(title=dict(text=escape(t(lang, "chart.status"))))),
        {},
        dict(title=dict(text=escape(t(lang, "chart.cells_axis"))), gridcolor="#eeeeee"),
    )


def category_heatmap(
    z: list[list],
    x: list[str],
    y: list[str],
    text: list[list[str]],
    cells: list[list[str]],
    colors: list[str],
    labels: list[str],
    title: str,
    hover: str | None = None,
) -> dict:
    """A heatmap trace of categories: cell values i + 0.5 take the i-th colour, in solid steps, and the colour
    bar names each step. Labels, title and each cell's text must be escaped already. `cells` is each cell's hover
    text; with `hover`, a hover template, only the part of it that `%{customdata}` stands for."""
    steps = len(colors)
    colorscale = []
    for i, color in enumerate(colors):
        colorscale += [[i / steps, color], [(i + 1) / steps, color]]
    return dict(
        type="heatmap",
        z=z,
        x=x,
        y=y,
        zmin=0,
        zmax=steps,
        colorscale=colorscale,
        xgap=2,
        ygap=2,
        text=text,
        texttemplate="%{text}",
        **(
            dict(hovertext=cells, hovertemplate="%{hovertext}<extra></extra>")
            if hover is None
            else dict(customdata=cells, hovertemplate=f"{hover}<extra></extra>")
        ),
        hoverongaps=False,
        colorbar=dict(tickvals=[i + 0.5 for i in range(steps)], ticktext=labels, title=dict(text=title)),
    )


def status_heatmap_figure(ref: Reference, lang: str, matrix: pd.DataFrame, countries: list[str]) -> go.Figure:
    """Country × objective heatmap of status; not-reported cells are light grey, priorities starred.

    A cell's hover names its country (the row), its objective (the column: each column is named by the objective's
    title, and the axis shows its number) and its status: each cell holds only its status, not the whole sentence,
    which for a page of 40 countries made the chart 112 kB rather than 43 kB and took 1 ms more to build."""
    order = status_order(ref)
    index = {key: i for i, key in enumerate(order)}
    labels = {key: escape(status_label(ref, lang, key)) for key in order}
    star = f"<br>★ {escape(t(lang, 'field.national_priority'))}"
    starred = {key: labels[key] + star for key in order}
    numbers = [o.number for o in ref.objectives]
    titles = [
        f"{escape(t(lang, 'common.objective_n', n=o.number))}: {escape(o.short.get(lang))}" for o in ref.objectives
    ]
    by_cell = matrix_cells(matrix)
    names = {iso3: escape(ref.country(iso3).name.get(lang)) for iso3 in countries}
    rows = ref.by_name(countries, lang)
    z, text, status = [], [], []
    for iso3 in rows:
        cells = [by_cell.get((iso3, number), (NOT_REPORTED, False)) for number in numbers]
        z.append([index[key] + 0.5 for key, _ in cells])
        text.append(["★" if priority else "" for _, priority in cells])
        status.append([starred[key] if priority else labels[key] for key, priority in cells])
    heatmap = category_heatmap(
        z,
        titles,
        [names[c] for c in rows],
        text,
        status,
        [status_color(ref, key) for key in order],
        [labels[k] for k in order],
        escape(t(lang, "chart.status")),
        hover="%{y}<br>%{x}<br>%{customdata}",
    )
    return _figure(
        [heatmap],
        t(lang, "chart.heatmap_title"),
        max(320, 90 + 34 * len(rows)),
        {},
        dict(
            title=dict(text=escape(t(lang, "chart.objective_axis"))),
            type="category",
            side="top",
            tickvals=titles,
            ticktext=[str(n) for n in numbers],
        ),
        dict(autorange="reversed"),
    )


def coverage_figure(ref: Reference, lang: str, coverage: pd.DataFrame) -> go.Figure:
    """Horizontal bars: share of countries reporting and prioritising each objective. The frame's 23 rows are
    read as lists (pandas' arithmetic and `to_numpy` per column cost more than the chart)."""
    labels = [escape(f"{int(n)}. {ref.objective(int(n)).short.get(lang)}") for n in coverage["objective"].tolist()]
    members = [int(m) for m in coverage["members"].tolist()]
    traces = []
    for column, count_column, key, color in (
        ("reporting_share", "reporting", "chart.reporting", "#5e3c99"),
        ("prioritising_share", "prioritising", "chart.prioritising", "#e66101"),
    ):
        name = escape(t(lang, key))
        counts = [int(c) for c in coverage[count_column].tolist()]
        traces.append(
            dict(
                type="bar",
                name=name,
                y=labels,
                x=[round(share * 100, 1) for share in coverage[column].tolist()],
                orientation="h",
                marker=dict(color=color),
                customdata=[[c, m] for c, m in zip(counts, members, strict=True)],
                hovertemplate=f"%{{y}}<br>{name}: %{{x:.0f}}% (%{{customdata[0]}}/%{{customdata[1]}})<extra></extra>",
            )
        )
    return _figure(
        traces,
        t(lang, "chart.coverage_title"),
        760,
        dict(barmode="group"),
        dict(title=dict(text=escape(t(lang, "chart.share_axis"))), range=[0, 100], ticksuffix="%", gridcolor="#eeeeee"),
        dict(autorange="reversed", type="category"),
    )


def objective_status_figure(
    ref: Reference, lang: str, matrix: pd.DataFrame, countries: list[str], objectives: list[int], title: str
) -> go.Figure:
    """Per objective of one round table: how many of the countries report each status (stacked bars)."""
    by_objective = matrix[matrix["objective"].isin(objectives)].groupby(["objective", "status"]).size()
    reported = matrix[matrix["objective"].isin(objectives)].groupby("objective").size()
    rows = [(n, key, int(by_objective.get((n, key), 0))) for n in objectives for key in status_order(ref)[:-1]]
    rows += [(n, NOT_REPORTED, len(countries) - int(reported.get(n, 0))) for n in objectives]
    counts = pd.DataFrame(rows, columns=["objective", "status", "count"])
    return objective_status_counts_figure(ref, lang, counts, objectives, title)


def objective_status_counts_figure(
    ref: Reference, lang: str, counts: pd.DataFrame, objectives: list[int], title: str
) -> go.Figure:
    """The stacked bars of `objective_status_figure` from counts (objective, status, count), not reported included."""
    cells = dict(zip(zip(counts["objective"], counts["status"], strict=True), counts["count"], strict=True))
    labels = [escape(f"{n}. {ref.objective(n).short.get(lang)}") for n in objectives]
    traces = []
    for key in status_order(ref):
        label = escape(status_label(ref, lang, key))
        traces.append(
            dict(
                type="bar",
                name=label,
                y=labels,
                x=[int(cells.get((n, key), 0)) for n in objectives],
                orientation="h",
                marker=dict(color=status_color(ref, key), line=BAR_LINE),
                hovertemplate=f"%{{y}}<br>{label}: %{{x}}<extra></extra>",
            )
        )
    return _figure(
        traces,
        title,
        140 + 46 * len(objectives),
        dict(barmode="stack", legend=dict(title=dict(text=escape(t(lang, "chart.status"))))),
        # One tick per country while they are few; Plotly's own spacing beyond (193 ticks would run together).
        dict(title=dict(text=escape(t(lang, "chart.countries_axis"))), gridcolor="#eeeeee")
        | ({"dtick": 1} if _bar_total(traces) <= 20 else {}),
        dict(autorange="reversed", type="category"),
    )


def _bar_total(traces: list[dict]) -> int:
    """The longest stacked bar: the sum over the traces of each bar's values."""
    return max((sum(values) for values in zip(*(trace["x"] for trace in traces), strict=True)), default=0)


def category_figure(lang: str, cited: Sequence[CategoryCount], title: str, color: str) -> go.Figure:
    """The most cited categories of one section (a round table's `challenges` or `priorities`, labelled in `lang`),
    most cited first; six at most."""
    top = sorted(cited, key=lambda category: -category.count)[:6]
    bar = dict(
        type="bar",
        y=[escape(category.label) for category in top],
        x=[category.count for category in top],
        orientation="h",
        marker=dict(color=color),
        hovertemplate="%{y}: %{x}<extra></extra>",
    )
    return _figure(
        [bar],
        title,
        120 + 40 * max(len(top), 1),
        {},
        # Counts of reports: whole ticks while they are few (Plotly's own would show 0, 0.5, 1).
        dict(title=dict(text=escape(t(lang, "chart.reports_axis"))), gridcolor="#eeeeee")
        | ({"dtick": 1} if max((category.count for category in top), default=0) <= 20 else {}),
        dict(autorange="reversed", type="category"),
    )


def figures_bar(labels: list[str], values: list[int], title: str, color: str, axis: str) -> go.Figure:
    """A horizontal bar per figure, its value printed at the end of the bar."""
    bar = dict(
        type="bar",
        y=[escape(label) for label in labels],
        x=list(values),
        orientation="h",
        marker=dict(color=color),
        text=list(values),
        textposition="outside",
        hovertemplate="%{y}: %{x}<extra></extra>",
    )
    return _figure(
        [bar],
        title,
        120 + 38 * len(labels),
        {},
        dict(title=dict(text=escape(axis)), gridcolor="#eeeeee", range=[0, max(values, default=1) * 1.15]),
        dict(autorange="reversed", type="category"),
    )
