"""Download buttons for the data of any table or chart (CSV and XLSX of exactly what is shown)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from gcm.i18n import t
from gcm.opendata.tables import csv_bytes, xlsx_bytes

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_buttons(lang: str, frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str, key: str) -> None:
    """Two buttons side by side: the frame as CSV and as XLSX, named `<name>.csv` / `<name>.xlsx`.

    The files are built only when a button is clicked (a callable), so a rerun costs nothing. `frame` may be a
    function that builds the frame: it then runs only on a click too, outside the page's run (it may not call
    Streamlit), for a file much larger than what the page shows.
    """
    row = st.container(horizontal=True)
    row.download_button(
        t(lang, "download.csv"),
        lambda: csv_bytes(_built(frame)),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}__csv",
        icon=":material/download:",
        on_click="ignore",
        width="content",
    )
    row.download_button(
        t(lang, "download.xlsx"),
        lambda: xlsx_bytes(_built(frame)),
        file_name=f"{name}.xlsx",
        mime=XLSX_MIME,
        key=f"{key}__xlsx",
        icon=":material/download:",
        on_click="ignore",
        width="content",
    )


def _built(frame: pd.DataFrame | Callable[[], pd.DataFrame]) -> pd.DataFrame:
    return frame() if callable(frame) else frame
