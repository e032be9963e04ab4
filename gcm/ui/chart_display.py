"""Showing a Plotly figure: `st.plotly_chart` copies a figure with `to_dict()` on every run (3–4 ms for an
ordinary chart, far more for the map's shipped geometry); a shown figure is not copied at all."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st


class _ShownFigure(go.Figure):
    """A figure whose dictionary is its own data and layout, not a deep copy of them: figures are built (and
    cached) once per data revision and never changed afterwards, and `st.plotly_chart` only turns the
    dictionary into JSON (`plotly.io.to_json`, which removes a trace's `uid`: no figure here sets one). Unlike
    Plotly's own `to_dict`, numpy arrays are not packed as typed arrays: they are sent as JSON lists."""

    def to_dict(self) -> dict:
        shown = {"data": self._data, "layout": self._layout}
        if self._frame_objs:
            shown["frames"] = [frame._props for frame in self._frame_objs]
        return shown


def show_chart(figure: go.Figure, key: str, config: dict[str, Any] | None = None, **options: Any) -> Any:
    """`st.plotly_chart(figure, key=key, config=config, **options)`, with the figure's dictionary kept.

    The figure must not be changed after it is shown (cached figures never are: see `context.figure`).
    """
    if type(figure) is go.Figure:
        figure.__class__ = _ShownFigure
    return st.plotly_chart(figure, key=key, config=config or {"displaylogo": False}, **options)
