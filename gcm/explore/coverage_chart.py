"""Figures of the coverage explorer: selectable matrices built as scatter plots of square markers.

A Plotly heatmap sends no selection events, so each cell is a marker; one trace per status gives
the legend the status words, and "not reported" has its own grey crossed square and legend entry.
Every point carries `[iso3, column key]` as customdata, which `selected_cell` reads back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from gcm.charts import FONT, plain_figure, status_color, status_label, status_order
from gcm.i18n import t
from gcm.queries import NOT_REPORTED
from gcm.reference import Reference

ROW_HEIGHT = 26  # pixels per country: 40 countries still fit a laptop screen with a little scrolling
NOT_REPORTED_LINE = "#8c8c8c"
OUTSIDE_COLOR = "#f3f3f3"
BAND_COLOR = "#f1f1f6"
FOCUS_COLOR = "#e66101"


@dataclass(frozen=True)
class Cell:
    """A selected cell: a country and a column (an objective number, or a tag key in counts mode)."""

    country: str
    column: str


def objective_axis(sections: pd.DataFrame) -> tuple[list[int], list[tuple[int, int, int]]]:
    """The objectives in the grouping's order (any objective it leaves out at the end), and the
    sections as (number, first position, last position) on that axis."""
    order = [int(n) for n in sections["objective"].tolist()]
    order += [n for n in range(1, 24) if n not in order]
    position = {n: i for i, n in enumerate(order)}
    spans: dict[int, tuple[int, int]] = {}  # read as lists: a pandas group-by cost more than the rest of the axis
    for number, objective in zip(sections["section"].tolist(), sections["objective"].tolist(), strict=True):
        at = position[int(objective)]
        first, last = spans.get(int(number), (at, at))
        spans[int(number)] = (min(first, at), max(last, at))
    return order, [(number, first, last) for number, (first, last) in sorted(spans.items())]


def section_short(lang: str, number: int, provisional: bool) -> str:
    return t(lang, "explorer.area_short" if provisional else "explorer.round_table_short", n=number)


def _height(rows: int, top: int) -> int:
    return top + 40 + ROW_HEIGHT * max(rows, 3)


def _layout(rows: int, top: int, **more: object) -> dict:
    return {
        "font": FONT,
        "height": _height(rows, top),
        "margin": dict(l=10, r=10, t=top, b=10),
        "legend": dict(orientation="h", x=0, xanchor="left", y=1, yanchor="top", yref="container", traceorder="normal"),
        "plot_bgcolor": "white",
        "clickmode": "event+select",
        "dragmode": False,
        "hoverlabel": dict(font=dict(size=14)),
        **more,
    }


def _rows_axis(row_names: list[str], **more: object) -> dict:
    """The y axis: one category per country, in the given order from the top."""
    return dict(
        type="category",
        categoryorder="array",
        categoryarray=row_names,
        range=[len(row_names) - 0.5, -0.5],
        fixedrange=True,
        automargin=True,
        **more,
    )


def _hover_lines(ref: Reference, lang: str, objectives: list[int]) -> tuple[dict[int, str], dict[str, str]]:
    """The hover lines every cell of an objective, and of a status, shares: worked out once per figure, not once
    per cell. Every part escaped (titles and words come from data files)."""
    by_objective = {
        n: escape(f"{t(lang, 'common.objective_n', n=n)}: {ref.objective(n).short.get(lang)}") for n in objectives
    }
    by_status = {key: escape(status_label(ref, lang, key)) for key in status_order(ref)}
    return by_objective, by_status


def _span(x0: float, x1: float, **style: object) -> dict:
    """A rectangle over the plot's whole height between x0 and x1 (what `add_vrect` adds)."""
    return dict(type="rect", xref="x", yref="paper", x0=x0, x1=x1, y0=0, y1=1, **style)


def status_matrix_figure(
    ref: Reference,
    lang: str,
    cells: pd.DataFrame,
    countries: list[str],
    sections: pd.DataFrame,
    provisional: bool,
    focus: int | None = None,
    narrows: bool = False,
) -> go.Figure:
    """Country × objective status, one selectable square per cell, round tables as shaded bands.

    `countries` are the rows in display order; `sections` are rows of `queries.sections`; cells
    outside the filters (`narrows`) are drawn faint with a legend entry of their own.
    """
    order, bands = objective_axis(sections)
    position = {n: i for i, n in enumerate(order)}
    names = {iso3: ref.country(iso3).name.get(lang) for iso3 in countries}
    shown = cells[cells["country"].isin(countries)]
    # The cells as lists, each with the trace it goes in: pandas goes a value at a time through Arrow strings.
    columns = [shown[name].tolist() for name in ("country", "objective", "status", "national_priority")]
    matching = shown["matches"].tolist() if narrows else [True] * len(shown)
    keys = [*status_order(ref), *(["outside"] if narrows else [])]
    members: dict[str, list[tuple[str, int, str, bool]]] = {key: [] for key in keys}
    for country, objective, status, priority, matches in zip(*columns, matching, strict=True):
        key = status if matches else "outside"
        if key in members:
            members[key].append((country, int(objective), status, bool(priority)))
    by_objective, by_status = _hover_lines(ref, lang, order)
    by_country = {iso3: escape(name) for iso3, name in names.items()}
    outside_line = escape(t(lang, "explorer.outside_filters"))
    star_line = f"★ {escape(t(lang, 'field.national_priority'))}"
    traces: list[dict] = []
    for key, rows in members.items():
        word = t(lang, "explorer.outside_filters") if key == "outside" else status_label(ref, lang, key)
        if key == NOT_REPORTED:
            marker = dict(symbol="square-x-open", color=NOT_REPORTED_LINE, size=17, line=dict(width=1.5))
        elif key == "outside":
            marker = dict(symbol="square", color=OUTSIDE_COLOR, size=17, line=dict(color="#cccccc", width=1))
        else:
            marker = dict(symbol="square", color=status_color(ref, key), size=19, line=dict(color="#777777", width=0.5))
        tail = [outside_line] if key == "outside" else []
        hover = [
            "<br>".join([by_country[c], by_objective[n], by_status[s], *tail, *([star_line] if p else [])])
            for c, n, s, p in rows
        ]
        traces.append(
            dict(
                type="scatter",
                name=escape(word),
                x=[position[n] for _, n, _, _ in rows],
                y=[names[c] for c, _, _, _ in rows],
                mode="markers",
                marker=marker,
                customdata=[[c, str(n)] for c, n, _, _ in rows],
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
                showlegend=True,
                selected=dict(marker=dict(opacity=1)),
                unselected=dict(marker=dict(opacity=1)),  # a click opens a report; it must not fade the matrix
            )
        )
    starred = [(c, int(n)) for c, n, _, p in zip(*columns, strict=True) if p]
    star = dict(
        type="scatter",
        name=escape(f"★ {t(lang, 'field.national_priority')}"),
        x=[position[n] + 0.28 for _, n in starred],
        y=[names[c] for c, _ in starred],
        mode="markers",
        marker=dict(symbol="star", size=9, color="#ffffff", line=dict(color="#000000", width=1)),
        selected=dict(marker=dict(opacity=1)),
        unselected=dict(marker=dict(opacity=1)),
        customdata=[[c, str(n)] for c, n in starred],
        hoverinfo="skip",
    )
    shapes: list[dict] = []
    annotations: list[dict] = []
    for i, (number, first, last) in enumerate(bands):
        if i % 2 == 0:
            shapes.append(_span(first - 0.5, last + 0.5, fillcolor=BAND_COLOR, line=dict(width=0), layer="below"))
        annotations.append(
            dict(
                x=(first + last) / 2,
                y=1,
                yref="paper",
                yshift=34,
                yanchor="bottom",
                text=escape(section_short(lang, number, provisional)),
                showarrow=False,
                font=dict(size=13, color="#444444"),
            )
        )
        if i:
            line = dict(color="#999999", width=1, dash="dot")
            shapes.append(
                dict(type="line", xref="x", yref="paper", x0=first - 0.5, x1=first - 0.5, y0=0, y1=1, line=line)
            )
    if focus is not None and focus in position:
        line = dict(color=FOCUS_COLOR, width=2)
        shapes.append(_span(position[focus] - 0.5, position[focus] + 0.5, line=line, layer="above"))
    xaxis = dict(
        tickvals=list(range(len(order))),
        ticktext=[str(n) for n in order],
        range=[-0.6, len(order) - 0.4],
        side="top",
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        automargin=True,
    )
    yaxis = _rows_axis([names[c] for c in countries], showgrid=False)
    layout = _layout(len(countries), 150, shapes=shapes, annotations=annotations, xaxis=xaxis, yaxis=yaxis)
    return plain_figure([*traces, star], layout)


def counts_matrix_figure(
    ref: Reference, lang: str, counts: pd.DataFrame, countries: list[str], labels: Mapping[str, str]
) -> go.Figure:
    """Country × tag counts: a square per non-zero count, darker and larger with the count, the number printed."""
    names = {iso3: ref.country(iso3).name.get(lang) for iso3 in countries}
    keys = list(labels)
    shown = counts[counts["country"].isin(countries) & counts["key"].isin(keys)]
    top = int(shown["count"].max()) if not shown.empty else 1
    x_labels = [escape(labels[k]) for k in keys]
    sizes = [12 + 10 * int(c) / top for c in shown["count"]]
    word = escape(t(lang, "explorer.reports_count"))
    counted = [int(c) for c in shown["count"]]
    trace = dict(
        type="scatter",
        name=word,
        x=[escape(labels[k]) for k in shown["key"]],
        y=[names[c] for c in shown["country"]],
        mode="markers+text",
        text=[str(c) for c in counted],
        textfont=dict(size=11, color=["#ffffff" if c / top > 0.45 else "#222222" for c in counted]),
        marker=dict(
            symbol="square",
            size=sizes,
            color=counted,
            cmin=0,
            cmax=top,
            colorscale=[[0, "#efedf5"], [1, "#3f007d"]],
            line=dict(color="#777777", width=0.5),
            showscale=False,
        ),
        customdata=[[c, k] for c, k in zip(shown["country"], shown["key"], strict=True)],
        hovertext=[
            f"{escape(names[c])}<br>{escape(labels[k])}<br>{word}: {n}"
            for c, k, n in zip(shown["country"], shown["key"], counted, strict=True)
        ],
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False,
        selected=dict(marker=dict(opacity=1)),
        unselected=dict(marker=dict(opacity=1)),
    )
    xaxis = dict(
        type="category",
        categoryorder="array",
        categoryarray=x_labels,
        range=[-0.6, len(keys) - 0.4],
        side="top",
        tickangle=-35,
        showgrid=True,
        gridcolor="#eeeeee",
        fixedrange=True,
        automargin=True,
    )
    yaxis = _rows_axis([names[c] for c in countries], showgrid=True, gridcolor="#eeeeee")
    return plain_figure([trace], _layout(len(countries), 170, xaxis=xaxis, yaxis=yaxis))


def selected_cell(selection: Mapping[str, Any] | None) -> Cell | None:
    """The cell of the last point in a Plotly selection event (`event.selection`), or None."""
    if not selection:
        return None
    points = selection.get("points") or []
    for point in reversed(points):
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(data, list | tuple) and len(data) == 2 and all(isinstance(v, str | int) for v in data):
            return Cell(str(data[0]), str(data[1]))
    return None
