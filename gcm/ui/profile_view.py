"""Drawing helpers of the objective and country profiles and of the cycle comparison."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from gcm.explore import compare, profile_charts, profile_insights, profiles
from gcm.i18n import t
from gcm.ui.chart_display import show_chart
from gcm.ui.downloads import download_buttons
from gcm.ui.links import objective_link, url_select
from gcm.ui.widgets import cycle_names, data_table, inert

CHART_CONFIG = {"displaylogo": False}


def chart_block(
    lang: str,
    summary: str,
    figure: go.Figure,
    table: pd.DataFrame | Callable[[], pd.DataFrame],
    name: str,
    key: str,
    subheader: str | None,
) -> None:
    """A chart with its one-sentence summary above and its data (table and downloads) below (`subheader` None:
    the caller has drawn it, with what goes between it and the chart). `table` may be a function that builds
    it, called only once the reader opens the table."""
    if subheader is not None:
        st.subheader(subheader)
    st.markdown(inert(summary))
    show_chart(figure, key=f"{key}__chart", config=CHART_CONFIG)
    data_table(lang, key, table, hide_index=True, below=lambda frame: download_buttons(lang, frame, name, key))


def priority_links(lang: str, cycle_name: str, cycle_id: str, objectives: tuple[int, ...]) -> None:
    """A cycle's national priority objectives: its name with their count, then a link to each objective's page."""
    st.markdown(f"**{inert(cycle_name)}** ({len(objectives)})")
    columns = st.columns(3)
    for i, objective in enumerate(objectives):
        with columns[i % 3]:
            objective_link(lang, objective, cycle_id)


def change_count_parts(lang: str, changes: pd.DataFrame, names: tuple[str, str]) -> tuple[str, go.Figure, pd.DataFrame]:
    """The comparison's counts by change class (from `compare.status_changes`' rows): its sentence, its bars
    and its table, built together once per data revision."""
    counts = compare.change_counts(changes)
    return (
        profile_insights.change_summary(lang, counts, names),
        profile_charts.change_counts_figure(lang, counts),
        profile_insights.change_counts_table(lang, counts),
    )


def cycle_select(
    lang: str, cycles: pd.DataFrame, default: str, key: str, param: str, label: str, where=st, *, short: bool = True
) -> str:
    """A select box of cycles (rows of `queries.cycles`), its choice kept in the URL; full names where the box
    has room (`short=False`)."""
    names = cycle_names(lang, cycles, short=short)
    return url_select(param, key, label, list(cycles["id"]), default, names.__getitem__, where)


def _mark(op: str, text: str) -> str:
    """An inserted or deleted run, escaped, marked by weight or strike-through as well as colour.

    Markers go around the words only: Markdown ignores `**` or `~~` next to a space or a line break.
    """
    out = []
    for part in re.split(r"(\s*\n\s*)", text):
        words = part.strip()
        if not words:
            out.append(part)
            continue
        lead, trail = part[: len(part) - len(part.lstrip())], part[len(part.rstrip()) :]
        marked = (
            f":blue-background[**{inert(words)}**]" if op == "insert" else f":orange-background[~~{inert(words)}~~]"
        )
        out.append(f"{lead}{marked}{trail}")
    return "".join(out)


def narrative_diffs(texts: dict) -> dict[str, str]:
    """Markdown of the word diff of each narrative field between the two sides of `compare.what_changed` (a field
    with no text on either side: absent). Built once per data revision (`context.built`): diffing four texts of a
    few hundred words is the longest step of the comparison page's rerun."""
    before, after = texts["a"] or {}, texts["b"] or {}
    diffs = {}
    for field in profiles.NARRATIVE:
        old, new = before.get(field, ""), after.get(field, "")
        if old or new:
            diffs[field] = diff_markdown(compare.word_diff(old, new))
    return diffs


def diff_markdown(segments: list[tuple[str, str]]) -> str:
    """Markdown of a word diff (`compare.word_diff`): every segment escaped, so user text stays inert."""
    parts = []
    for op, text in segments:
        if op == "equal":
            parts.append(inert(text))
        elif op == "insert" or text.strip():  # a deleted run of spaces alone would only add blanks
            parts.append(_mark(op, text))
    return "".join(parts)


def diff_legend(lang: str) -> None:
    """What the marks of a word diff mean, drawn with the marks themselves."""
    inserted = _mark("insert", t(lang, "compare.legend_inserted"))
    deleted = _mark("delete", t(lang, "compare.legend_deleted"))
    st.caption(t(lang, "compare.legend", inserted=inserted, deleted=deleted))
