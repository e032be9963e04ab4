"""Cycles (secretariat): open, close, lock or reopen a reporting cycle and set its deadline."""

import streamlit as st

from gcm import workflow
from gcm.i18n import t
from gcm.ui.auth import actor, client_address
from gcm.ui.context import engine, language, page_header, read
from gcm.ui.report_form import error_text, show_flash
from gcm.ui.widgets import cycle_selector
from gcm.unit import perform

lang = language()
user = actor()
page_header(lang, "cycles.title", "cycles.intro")
show_flash()
cycles = read("cycles")
table = cycles[["id", f"name_{lang}", "start", "end", "grouping", "is_open", "is_locked", "deadline"]].rename(
    columns={
        f"name_{lang}": t(lang, "common.cycle"),
        "is_open": t(lang, "cycles.open"),
        "is_locked": t(lang, "cycles.locked"),
        "deadline": t(lang, "field.deadline"),
    }
)
st.dataframe(table, hide_index=True, width="stretch")

cycle_id = cycle_selector(lang, cycles, read("current_cycle_id"), "cycles__cycle")
row = cycles.set_index("id").loc[cycle_id]
with st.form(f"cycles__form__{cycle_id}"):
    is_open = st.checkbox(t(lang, "cycles.open"), value=bool(row["is_open"]))
    is_locked = st.checkbox(t(lang, "cycles.locked"), value=bool(row["is_locked"]), help=t(lang, "cycles.locked_help"))
    has_deadline = st.checkbox(
        t(lang, "cycles.has_deadline"), value=row["deadline"] is not None and str(row["deadline"]) != "NaT"
    )
    deadline = st.date_input(t(lang, "field.deadline"), value=row["deadline"] if has_deadline else None)
    if st.form_submit_button(t(lang, "cycles.save"), type="primary"):
        try:
            perform(
                engine(),
                user,
                lambda s: workflow.update_cycle(
                    s,
                    user,
                    cycle_id=cycle_id,
                    is_open=is_open,
                    is_locked=is_locked,
                    deadline=deadline if has_deadline else None,
                ),
                what=f"update cycle {cycle_id}",
                address=client_address(),
            )
            st.session_state["report__flash"] = ("success", [t(lang, "cycles.saved")])
            st.rerun()
        except workflow.DomainError as exc:
            st.error(error_text(lang, exc))
