"""Showing a Plotly figure: `st.plotly_chart` copies a figure with `to_dict()` and writes it as JSON on every run
(3–4 ms for an ordinary chart, far more for the map's shipped geometry); a shown figure is not copied at all, and
its JSON is written once."""

from __future__ import annotations

from typing import Any

import orjson
import plotly.graph_objects as go
import plotly.io
import streamlit as st


class _ShownFigure(go.Figure):
    """A figure whose dictionary is its own data and layout, not a deep copy of them: figures are built (and
    cached) once per data revision and never changed afterwards, and `st.plotly_chart` only turns the
    dictionary into JSON (`plotly.io.to_json`, which removes a trace's `uid`: no figure here sets one). Unlike
    Plotly's own `to_dict`, numpy arrays are not packed as typed arrays: they are sent as JSON lists."""

    _json: orjson.Fragment | None = None

    def to_dict(self) -> dict:
        shown = _ShownSpec(data=self._data, layout=self._layout)
        if self._frame_objs:
            shown["frames"] = [frame._props for frame in self._frame_objs]
        shown.figure = self
        return shown

    def written(self) -> orjson.Fragment:
        """The figure's JSON as `plotly.io.to_json` writes it, written on the first call only."""
        if self._json is None:
            self._json = orjson.Fragment(plotly.io.to_json(dict(self.to_dict()), validate=False))
        return self._json


class _ShownSpec(dict):
    """A shown figure's dictionary, which Plotly's JSON writer (orjson, `tests/unit/test_speed.py`) asks for its
    JSON through `to_plotly_json`, the hook Plotly's own objects and Dash's components answer: the JSON written
    the first time (0.5–0.6 ms for the overview's heatmap or coverage bars, every warm run) goes out as it is."""

    figure: _ShownFigure

    def to_plotly_json(self) -> orjson.Fragment:
        """The figure's JSON, written once (`_ShownFigure.written`)."""
        return self.figure.written()

    def __reduce__(self) -> tuple:
        """Copied or pickled as the plain dictionary (Plotly copies and pickles a figure through `to_dict`): the
        figure it points back to would otherwise be copied inside its own copy, without end."""
        return (dict, (dict(self),))


def show_chart(figure: go.Figure, key: str, config: dict[str, Any] | None = None, **options: Any) -> Any:
    """`st.plotly_chart(figure, key=key, config=config, **options)`, with the figure's dictionary kept.

    The figure must not be changed after it is shown (cached figures never are: see `context.figure`).
    """
    if type(figure) is go.Figure:
        figure.__class__ = _ShownFigure
    return st.plotly_chart(figure, key=key, config=config or {"displaylogo": False}, **options)
