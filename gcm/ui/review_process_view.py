"""The review-process page's charts: per kind of figure (stages, stakeholder groups, audiences) a summary,
a bar chart and its table, built once per data revision (`context.built`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from gcm import charts, insights
from gcm.i18n import t
from gcm.queries import unchanged_by_reports
from gcm.ui.context import read

KINDS = (("stage", "#0b5ea8"), ("group", "#542788"), ("audience", "#b35806"))


@dataclass(frozen=True)
class FigureBlock:
    kind: str
    total: int | None  # the stakeholder groups' sum, said under their heading
    summary: str
    figure: go.Figure
    table: pd.DataFrame


@unchanged_by_reports
def review_blocks(lang: str, event_id: str) -> tuple[FigureBlock, ...]:
    """The blocks of one review event, in the page's order; kinds without figures are left out."""
    figures = read("review_figures", event_id)
    label = f"label_{lang}"
    out = []
    for kind, color in KINDS:
        rows = figures[figures["kind"] == kind]
        if rows.empty:
            continue
        labels = [
            f"{r[label]} ({r['start']:%Y-%m-%d})" if kind == "stage" and r["start"] else r[label]
            for _, r in rows.iterrows()
        ]
        values = [int(v) for v in rows["value"]]
        title = t(lang, f"review.{kind}")
        out.append(
            FigureBlock(
                kind=kind,
                total=sum(values) if kind == "group" else None,
                summary=insights.figures_summary(lang, labels, values),
                figure=charts.figures_bar(labels, values, title, color, t(lang, "review.people")),
                table=rows[[label, "value"]].rename(columns={label: title, "value": t(lang, "review.people")}),
            )
        )
    return tuple(out)
