"""A test-only page: the workbook panel for the actor, country and cycle the test puts in session state."""

import streamlit as st

from gcm.ui.workbook_panel import workbook_panel

workbook_panel(
    st.session_state.get("test_lang", "es"),
    st.session_state["test_actor"],
    st.session_state.get("test_country", "MEX"),
    st.session_state.get("test_cycle", "imrf2026"),
)
