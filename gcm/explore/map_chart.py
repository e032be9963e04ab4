"""Choropleth maps drawn from the shipped country geometry: nothing is fetched from any host.

Plotly.js loads a base-layer topology for every geo subplot that has a location trace, even when the
trace brings its own GeoJSON and every base layer is hidden (it would ask cdn.plot.ly for
`world_110m.json`). `PLOTLY_CONFIG` points that request at an empty topology inside a `data:` URL, so
the browser answers it itself.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any
from urllib.parse import quote

import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from gcm import charts
from gcm.charts import FONT, status_color, status_label, status_order
from gcm.explore.geometry import features_for
from gcm.i18n import t
from gcm.queries import NOT_REPORTED
from gcm.reference import Reference

SEQUENTIAL = plotly.colors.sequential.YlGnBu  # light yellow (little) to dark blue (much); colour-blind safe
NOT_REPORTED_COLOR = charts.NOT_REPORTED_COLOR  # the grey of every other chart
BORDER = "#ffffff"
_LAYERS = ("coastlines", "land", "countries", "ocean", "lakes", "rivers", "subunits")
_EMPTY_TOPOLOGY = {
    "type": "Topology",
    "objects": {name: {"type": "GeometryCollection", "geometries": []} for name in _LAYERS},
    "arcs": [],
}
# Plotly appends "<scope>_<resolution>m.json" to the URL: after "#" it is only a fragment.
EMPTY_TOPOJSON_URL = "data:application/json," + quote(json.dumps(_EMPTY_TOPOLOGY, separators=(",", ":"))) + "#"
PLOTLY_CONFIG = {"displaylogo": False, "topojsonURL": EMPTY_TOPOJSON_URL}


def _trace(countries: list[str], hover: list[str], colorscale: list, z: list[float], **more: object) -> dict:
    return dict(
        type="choropleth",
        geojson=features_for(countries),
        featureidkey="id",
        locations=countries,
        z=z,
        colorscale=colorscale,
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
        marker=dict(line=dict(color=BORDER, width=0.8)),
        **more,
    )


def _solid(color: str) -> list:
    return [[0, color], [1, color]]


def choropleth_figure(
    ref: Reference, lang: str, frame: pd.DataFrame, value_column: str, kind: str = "share", title: str = ""
) -> go.Figure:
    """A map of the countries in `frame` (column `country`, ISO3) coloured by `value_column`.

    kind "share": values from 0 to 1 on a sequential scale; countries with `reported` == 0 (or a
    missing value) are grey and labelled "not reported". kind "status": status keys in the colours
    of the reference scale, one legend entry per status word, `not_reported` grey.
    """
    traces: list[dict] = []
    if kind == "share":
        absent = frame[value_column].isna() | (frame.get("reported", frame[value_column]) == 0)
        shown = frame[~absent]
        if not shown.empty:
            hover = [
                f"{escape(ref.country_name(row.country, lang))}<br>"
                + escape(t(lang, "map.hover_share", reported=int(row.reported), total=int(row.objectives)))
                for row in shown.itertuples()
            ]
            traces.append(
                _trace(
                    list(shown["country"]),
                    hover,
                    [[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)],
                    [float(v) for v in (shown[value_column] * 100).round(1)],
                    zmin=0,
                    zmax=100,
                    autocolorscale=False,
                    name=escape(t(lang, "map.share_legend")),
                    colorbar=dict(title=dict(text=escape(t(lang, "map.share_legend"))), ticksuffix="%", len=0.8),
                )
            )
        groups = [(NOT_REPORTED, frame[absent])]
    elif kind == "status":
        groups = [(key, frame[frame[value_column] == key]) for key in status_order(ref)]
    else:
        raise ValueError(f"unknown map kind: {kind}")
    for key, rows in groups:
        if rows.empty:
            continue
        label = escape(status_label(ref, lang, key))
        countries = list(rows["country"])
        hover = [f"{escape(ref.country_name(c, lang))}<br>{label}" for c in countries]
        color = NOT_REPORTED_COLOR if key == NOT_REPORTED else status_color(ref, key)
        traces.append(
            _trace(
                countries,
                hover,
                _solid(color),
                [1] * len(countries),
                zmin=0,
                zmax=1,
                autocolorscale=False,
                name=label,
                showscale=False,
                showlegend=True,
                legendgroup=key,
            )
        )
    geo = dict(
        fitbounds="locations",
        visible=False,
        showcoastlines=False,
        showland=False,
        showcountries=False,
        showframe=False,
        showocean=False,
        showlakes=False,
        showrivers=False,
        showsubunits=False,
        projection=dict(type="natural earth"),
        bgcolor="rgba(0,0,0,0)",
    )
    layout = dict(
        geo=geo,
        title=dict(text=escape(title), x=0, xanchor="left"),
        font=FONT,
        height=560,
        margin=dict(l=10, r=10, t=60 if title else 10, b=10),
        legend=dict(orientation="h", yanchor="top", y=-0.02, xanchor="left", x=0),
        paper_bgcolor="white",
    )
    return charts.plain_figure(traces, layout)


def completeness_summary(ref: Reference, lang: str, frame: pd.DataFrame, group_name: str) -> str:
    """One sentence: how many countries reported, and how complete their reports are on average."""
    columns = (frame[name].tolist() for name in ("country", "reported", "share", "objectives"))
    reporting = [row for row in zip(*columns, strict=True) if row[1] > 0]  # as lists: a pandas sort cost more
    if not reporting:
        return t(lang, "map.summary_share_empty", total=len(frame), group=group_name)
    top = min(reporting, key=lambda row: (-row[1], row[0]))  # the most reports, then the first by code
    return t(
        lang,
        "map.summary_share",
        reporting=len(reporting),
        total=len(frame),
        group=group_name,
        mean=round(sum(row[2] for row in reporting) / len(reporting) * 100),
        top=ref.country_name(str(top[0]), lang),
        top_count=int(top[1]),
        objectives=int(top[3]),
    )


def status_summary(ref: Reference, lang: str, frame: pd.DataFrame, objective: int) -> str:
    """One sentence: how many countries reported the objective, and the most frequent status."""
    reported = frame[frame["status"] != NOT_REPORTED]
    if reported.empty:
        return t(lang, "map.summary_status_empty", n=objective, total=len(frame))
    counts = reported["status"].value_counts()
    order = {key: i for i, key in enumerate(status_order(ref))}
    top = sorted(counts.index, key=lambda k: (-counts[k], order[k]))[0]
    return t(
        lang,
        "map.summary_status",
        n=objective,
        reported=len(reported),
        total=len(frame),
        status=status_label(ref, lang, top),
        status_countries=t(lang, "count.countries", n=int(counts[top])),
    )


def completeness_table(ref: Reference, lang: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The map's data, readable: country, ISO3, objectives reported, share in percent (by country name)."""
    codes, reported, shares = _by_name(ref, lang, frame, "country", "reported", "share")
    return pd.DataFrame(
        {
            t(lang, "common.country"): [ref.country_name(c, lang) for c in codes],
            "ISO3": codes,
            t(lang, "map.reported_column"): reported,
            # Whole percents, as every other table: no decimal separator to get wrong in Spanish ("34.8").
            t(lang, "map.share_column"): [round(share * 100) for share in shares],
        }
    )


def status_table(ref: Reference, lang: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The map's data, readable: country, ISO3, status word, national priority (true or false), by country name."""
    codes, statuses, priorities = _by_name(ref, lang, frame, "country", "status", "national_priority")
    return pd.DataFrame(
        {
            t(lang, "common.country"): [ref.country_name(c, lang) for c in codes],
            "ISO3": codes,
            t(lang, "chart.status"): [status_label(ref, lang, s) for s in statuses],
            t(lang, "map.priority_column"): [bool(p) for p in priorities],
        }
    )


def _by_name(ref: Reference, lang: str, frame: pd.DataFrame, *columns: str) -> list[list[Any]]:
    """The values of `columns` (the first, the country's code) in the order of the countries' names in `lang`,
    accents ignored (the query orders them by code). As lists: pandas' sort with a key function folded every
    name again each time, and a table built from a frame's columns went through them value by value."""
    values = [frame[name].tolist() for name in columns]
    order = sorted(range(len(values[0])), key=lambda i: ref.sort_name(values[0][i], lang))
    return [[column[i] for i in order] for column in values]
