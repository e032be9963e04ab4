"""The page's URL query parameters, as the pages write them."""

from __future__ import annotations

import streamlit as st


def set_url_param(name: str, value: str | None) -> None:
    """Make the URL's query parameter `name` say `value` (None: take it out), only where it says something else:
    every write sends the browser a message, also when the value is the same, and a page's widgets write theirs on
    every run."""
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value
