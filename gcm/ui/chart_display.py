"""Showing a Plotly figure: `st.plotly_chart` copies a figure with `to_dict()` on every run (3–4 ms for an
ordinary chart, far more for the map's shipped geometry); a shown figure keeps that copy instead."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

_DICT = "_gcm_dict"


class _ShownFigure(go.Figure):
    """A figure that computes its dictionary once: figures are built (and cached) once per data revision
    and never changed afterwards, so every later run reuses the same dictionary."""

    def to_dict(self) -> dict:
        cached = self.__dict__.get(_DICT)
        if cached is None:
            cached = super().to_dict()
            self.__dict__[_DICT] = cached
        return cached


def show_chart(figure: go.Figure, key: str, config: dict[str, Any] | None = None, **options: Any) -> Any:
    """`st.plotly_chart(figure, key=key, config=config, **options)`, with the figure's dictionary kept.

    The figure must not be changed after it is shown (cached figures never are: see `context.figure`).
    """
    if type(figure) is go.Figure:
        figure.__class__ = _ShownFigure
    return st.plotly_chart(figure, key=key, config=config or {"displaylogo": False}, **options)
