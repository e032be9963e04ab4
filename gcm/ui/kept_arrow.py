"""Tables of cached values written as Arrow once.

`st.dataframe` writes its frame as Arrow IPC bytes on every run, and for a coloured table (a pandas `Styler`)
also its styles and its cells' shown texts: 1.1–1.6 ms for a page of 40 rows of the Submissions page's tables,
7.9 ms a run for both with their colours. A frame or a coloured table a cached builder returned
(`gcm.ui.context.figure`, `built`) is shared by every session and never changed (their contract), so `keep` marks
it, and what Streamlit writes of it the first time it is drawn is handed to every later draw, in every session.

Streamlit has no public hook for this: two of its functions are wrapped, in the modules that call them
(`dataframe_util.convert_pandas_df_to_arrow_bytes`, and `marshall_styler` as `streamlit.elements.arrow` imports
it). Anything not marked goes to them unchanged; tests/unit/test_kept_arrow.py checks that a kept table is sent
byte for byte as Streamlit writes it, and that Streamlit still calls these two.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler
from streamlit import dataframe_util
from streamlit.elements import arrow as arrow_element
from streamlit.proto.ArrowData_pb2 import ArrowData

_BYTES = "_gcm_arrow_bytes"  # on a kept frame: its Arrow bytes, None until first written
_STYLES = "_gcm_styler_proto"  # on a kept Styler: Streamlit's message of its styles, None until first written
_ABSENT = object()
_DEPTH = 3  # a tuple of dataclasses of frames, say
_WIDTH = 32  # a longer list or dict is data (rows, a country's values), not a value's parts: not looked into

write_bytes = dataframe_util.convert_pandas_df_to_arrow_bytes
marshall_styler = arrow_element.marshall_styler


def keep(value: Any, depth: int = _DEPTH) -> None:
    """Mark every frame and coloured table in `value` (itself, or inside tuples, lists, dicts and dataclasses of
    a few parts) as never changing: what Streamlit writes of it is written once. Figures and other values are left
    alone."""
    if isinstance(value, pd.DataFrame):
        if _BYTES not in value.__dict__:
            object.__setattr__(value, _BYTES, None)
    elif isinstance(value, Styler):
        if _STYLES not in value.__dict__:
            value.__dict__[_STYLES] = None
        keep(value.data, 0)
    elif depth > 0:
        if isinstance(value, list | tuple) and len(value) <= _WIDTH:
            items: Any = value
        elif isinstance(value, dict) and len(value) <= _WIDTH:
            items = value.values()
        elif is_dataclass(value) and not isinstance(value, type):
            items = (getattr(value, f.name) for f in fields(value))
        else:
            return
        for item in items:
            keep(item, depth - 1)


def _kept_bytes(df: pd.DataFrame, *, downcast_large_types: bool = False) -> bytes:
    """`convert_pandas_df_to_arrow_bytes`, written once for a kept frame."""
    kept = _ABSENT if downcast_large_types else df.__dict__.get(_BYTES, _ABSENT)
    if kept is _ABSENT:
        return write_bytes(df, downcast_large_types=downcast_large_types)
    if kept is None:  # two sessions drawing it at once both write it: the same bytes
        kept = write_bytes(df)
        object.__setattr__(df, _BYTES, kept)
    return kept


def _kept_styler(proto: ArrowData, styler: Styler, default_uuid: str) -> None:
    """`marshall_styler`, worked out once for a kept coloured table (its name, caption, styles, shown texts)."""
    kept = styler.__dict__.get(_STYLES, _ABSENT)
    if kept is _ABSENT:
        marshall_styler(proto, styler, default_uuid)
        return
    if kept is None:
        whole = ArrowData()
        marshall_styler(whole, styler, default_uuid)
        kept = whole.styler
        styler.__dict__[_STYLES] = kept
    proto.styler.CopyFrom(kept)


def install() -> None:
    """Put the two wrappers in place (once per process; again is harmless)."""
    dataframe_util.convert_pandas_df_to_arrow_bytes = _kept_bytes
    arrow_element.marshall_styler = _kept_styler


install()
