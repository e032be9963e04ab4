"""Figures of the objective and country profiles and of the cycle comparison.

Every label and hover text is translated and HTML-escaped; statuses keep the colours and words of
data/scales.yaml; change classes carry a symbol as well as a colour.
"""

from __future__ import annotations

import textwrap
from html import escape

import pandas as pd
import plotly.graph_objects as go

from gcm.charts import BAR_LINE, FONT, category_heatmap, plain_figure, status_color, status_label, status_order
from gcm.explore.compare import CHANGES
from gcm.i18n import t
from gcm.reference import Reference

CHANGE_COLORS = {  # blue for better, orange for worse, lighter for appearing and disappearing, grey for same
    "improved": "#2166ac",
    "unchanged": "#bababa",
    "declined": "#b35806",
    "newly_reported": "#92c5de",
    "no_longer_reported": "#fdb863",
}
CHANGE_SYMBOLS = {
    "improved": "▲",
    "unchanged": "=",
    "declined": "▼",
    "newly_reported": "+",
    "no_longer_reported": "−",
}


LEGEND_BELOW = dict(orientation="h", yanchor="top", y=-0.18, xanchor="left", x=0, traceorder="normal")


def change_label(lang: str, change: str) -> str:
    return f"{CHANGE_SYMBOLS[change]} {t(lang, f'compare.change.{change}')}"


def wrapped(text: str, width: int = 22) -> str:
    """A long axis label (a cycle's name) escaped and broken over lines."""
    return "<br>".join(escape(line) for line in textwrap.wrap(text, width)) or escape(text)


def _layout(title: str, height: int, **more: object) -> dict:
    """The profiles' layout: title at the left, legend below the plot."""
    return {
        "title": dict(text=escape(title), x=0, xanchor="left"),
        "font": FONT,
        "height": height,
        "margin": dict(l=10, r=10, t=60, b=10),
        "legend": LEGEND_BELOW,
        "plot_bgcolor": "white",
        **more,
    }


def _status_bars(ref: Reference, lang: str, counts: pd.DataFrame, x: list, keys: list) -> list[dict]:
    """One stacked bar trace per status; `keys` are the index values of `counts` matching `x`."""
    traces = []
    # one pass over the rows: a filter and an index per status, looked up key by key, took 7 ms for a country's
    # eight cycles × four round tables
    by_status_key = {
        (status, key): int(count)
        for status, key, count in zip(counts["status"], counts["key"], counts["count"], strict=True)
    }
    for key in status_order(ref):
        label = escape(status_label(ref, lang, key))
        traces.append(
            dict(
                type="bar",
                name=label,
                x=x,
                y=[by_status_key.get((key, k), 0) for k in keys],
                marker=dict(color=status_color(ref, key), line=BAR_LINE),
                hovertemplate=f"{label}: %{{y}}<extra></extra>",
            )
        )
    return traces


def _status_legend(lang: str, **more: object) -> dict:
    return LEGEND_BELOW | dict(title=dict(text=escape(t(lang, "chart.status"))), **more)


def status_over_cycles_figure(
    ref: Reference, lang: str, counts: pd.DataFrame, cycle_names: dict[str, str], title: str
) -> go.Figure:
    """Stacked bars, one per cycle: how many of the group's countries report each status (grey: not reported)."""
    cycles = list(dict.fromkeys(counts["cycle"]))
    x = [wrapped(cycle_names[c]) for c in cycles]
    return plain_figure(
        _status_bars(ref, lang, counts.assign(key=counts["cycle"]), x, cycles),
        _layout(
            title,
            480,
            barmode="stack",
            legend=_status_legend(lang),
            yaxis=dict(title=dict(text=escape(t(lang, "chart.countries_axis"))), gridcolor="#eeeeee"),
            xaxis=dict(type="category"),
        ),
    )


def completeness_figure(ref: Reference, lang: str, per_cycle: pd.DataFrame, cycle_names: dict[str, str]) -> go.Figure:
    """Bars, one per cycle: how many of the 23 objectives the country reported, the count printed on the bar."""
    total = len(ref.objectives)
    reported = [int(n) for n in per_cycle["reported"]]
    bars = dict(
        type="bar",
        x=[wrapped(cycle_names[c]) for c in per_cycle["cycle"]],
        y=reported,
        marker=dict(color="#3b528b"),
        text=[f"{n} / {total}" for n in reported],
        textposition="outside",
        hovertemplate=f"%{{y}} / {total}<extra></extra>",
    )
    return plain_figure(
        [bars],
        _layout(
            t(lang, "country_page.completeness_title"),
            420,
            yaxis=dict(
                title=dict(text=escape(t(lang, "country_page.objectives_axis"))),
                range=[0, total * 1.15],
                gridcolor="#eeeeee",
            ),
            xaxis=dict(type="category"),
        ),
    )


def sections_over_cycles_figure(
    ref: Reference,
    lang: str,
    by_section: pd.DataFrame,
    cycle_names: dict[str, str],
    provisional: dict[str, bool],
) -> go.Figure:
    """Stacked bars per cycle and section of that cycle's grouping: the status of the country's objectives."""
    pairs = list(dict.fromkeys(zip(by_section["cycle"], by_section["section"], strict=True)))
    x = [
        [wrapped(cycle_names[c], 18) for c, _ in pairs],
        [escape(t(lang, "report.area_prefix" if provisional[c] else "report.rt_prefix", n=int(n))) for c, n in pairs],
    ]
    keyed = by_section.assign(key=list(zip(by_section["cycle"], by_section["section"], strict=True)))
    layout = _layout(
        t(lang, "country_page.sections_title"),
        560,
        barmode="stack",
        legend=_status_legend(lang, y=1.0, yanchor="bottom", x=1, xanchor="right") | dict(title=dict(text="")),
        yaxis=dict(title=dict(text=escape(t(lang, "country_page.objectives_axis"))), gridcolor="#eeeeee"),
        xaxis=dict(tickangle=0),
    )
    layout["margin"] = layout["margin"] | dict(t=140)
    return plain_figure(_status_bars(ref, lang, keyed, x, pairs), layout)


def change_counts_figure(lang: str, counts: pd.DataFrame) -> go.Figure:
    """Horizontal bars, one per change class, the count printed at the end."""
    numbers = [int(n) for n in counts["count"]]
    bars = dict(
        type="bar",
        y=[escape(change_label(lang, c)) for c in counts["change"]],
        x=numbers,
        orientation="h",
        marker=dict(color=[CHANGE_COLORS[c] for c in counts["change"]], line=dict(color="#666666", width=0.5)),
        text=numbers,
        textposition="outside",
        hovertemplate="%{y}: %{x}<extra></extra>",
    )
    return plain_figure(
        [bars],
        _layout(
            t(lang, "compare.counts_title"),
            330,
            yaxis=dict(autorange="reversed", type="category"),
            xaxis=dict(
                title=dict(text=escape(t(lang, "compare.pairs_axis"))),
                gridcolor="#eeeeee",
                range=[0, max(max(numbers, default=0), 1) * 1.15],
            ),
        ),
    )


def change_matrix_figure(
    ref: Reference, lang: str, changes: pd.DataFrame, countries: list[str], cycles: tuple[str, str]
) -> go.Figure:
    """Country × objective grid of change classes, each cell with its symbol; the hover says it in words."""
    order = list(reversed(CHANGES))  # the colour bar reads bottom-up: "improved" on top
    index = {c: i for i, c in enumerate(order)}
    names = {iso3: ref.country(iso3).name.get(lang) for iso3 in countries}
    rows = ref.by_name(countries, lang)
    shown = changes[changes["country"].isin(countries)]  # a page of the group: skip the other pairs
    columns = (shown[name].tolist() for name in ("country", "objective", "status_a", "status_b", "change"))
    cells = {(country, int(n)): rest for country, n, *rest in zip(*columns, strict=True)}
    # Every cell's words come from a few dozen labels: each is escaped once, not once per cell.
    country_heads = {iso3: escape(names[iso3]) for iso3 in rows}
    objective_heads = {o.number: f"{o.number}. {escape(o.short.get(lang))}" for o in ref.objectives}
    statuses = {s: escape(status_label(ref, lang, s)) for s in {*shown["status_a"], *shown["status_b"]}}
    changes_said = {c: escape(change_label(lang, c)) for c in CHANGES}
    neither = escape(t(lang, "compare.neither", a=cycles[0], b=cycles[1]))
    z, text, hover = [], [], []
    for iso3 in rows:
        z_row, text_row, hover_row = [], [], []
        for objective in ref.objectives:
            cell = cells.get((iso3, objective.number))
            head = f"{country_heads[iso3]}<br>{objective_heads[objective.number]}"
            if cell is None:
                z_row.append(None)
                text_row.append("")
                hover_row.append(f"{head}<br>{neither}")
                continue
            status_a, status_b, change = cell
            z_row.append(index[change] + 0.5)
            text_row.append(CHANGE_SYMBOLS[change])
            hover_row.append(f"{head}<br>{statuses[status_a]} → {statuses[status_b]}<br>{changes_said[change]}")
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    heatmap = category_heatmap(
        z,
        [str(o.number) for o in ref.objectives],
        [escape(names[c]) for c in rows],
        text,
        hover,
        [CHANGE_COLORS[key] for key in order],
        [escape(change_label(lang, k)) for k in order],
        escape(t(lang, "compare.change_column")),
    )
    return plain_figure(
        [heatmap],
        _layout(
            t(lang, "compare.matrix_title"),
            max(320, 110 + 34 * len(rows)),
            xaxis=dict(title=dict(text=escape(t(lang, "chart.objective_axis"))), type="category", side="top"),
            yaxis=dict(autorange="reversed", type="category"),
        ),
    )
