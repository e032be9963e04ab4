"""Completeness figures and the objective picker of the country report page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from gcm.i18n import t
from gcm.reference import Reference

OBJECTIVE_KEY = "report__objective"


def completeness(
    ref: Reference, lang: str, sections: pd.DataFrame, statuses: dict[int, str], provisional: bool
) -> None:
    """ "n of 23 objectives reported", a progress bar, and the count per round table."""
    st.subheader(t(lang, "report.completeness", n=len(statuses), total=len(ref.objectives)))
    st.progress(len(statuses) / len(ref.objectives))
    columns = st.columns(sections["section"].nunique())
    for column, (number, rows) in zip(columns, sections.groupby("section"), strict=True):
        done = sum(int(o) in statuses for o in rows["objective"])
        label = t(lang, "chart.area_n" if provisional else "chart.round_table_n", n=int(number))
        column.metric(label, f"{done} / {len(rows)}")


def _step(order: list[int], delta: int) -> None:
    position = order.index(st.session_state[OBJECTIVE_KEY])
    st.session_state[OBJECTIVE_KEY] = order[(position + delta) % len(order)]


def objective_picker(
    ref: Reference, lang: str, sections: pd.DataFrame, statuses: dict[int, str], drafts: list[int], provisional: bool
) -> int:
    """Previous / select box / Next over the objectives in round-table order; returns the chosen one."""
    order = [int(o) for o in sections["objective"]]
    section_of = dict(zip(order, sections["section"], strict=True))
    prefix_key = "report.area_prefix" if provisional else "report.rt_prefix"

    def label(n: int) -> str:
        mark = "✎" if n in drafts else ("●" if n in statuses else "○")
        status = ref.status(statuses[n]).label.get(lang) if n in statuses else t(lang, "status.not_reported")
        return (
            f"{mark} {t(lang, prefix_key, n=int(section_of[n]))} · {n}. {ref.objective(n).short.get(lang)} — {status}"
        )

    if st.session_state.get(OBJECTIVE_KEY) not in order:
        st.session_state[OBJECTIVE_KEY] = order[0]
    nav = st.columns([1.4, 6, 1.4], vertical_alignment="bottom")
    nav[0].button(
        t(lang, "report.previous"),
        on_click=_step,
        args=(order, -1),
        key="report__prev",
        icon=":material/arrow_back:",
        width="stretch",
    )
    objective = nav[1].selectbox(t(lang, "common.objective"), order, key=OBJECTIVE_KEY, format_func=label)
    nav[2].button(
        t(lang, "report.next"),
        on_click=_step,
        args=(order, 1),
        key="report__next",
        icon=":material/arrow_forward:",
        width="stretch",
    )
    if drafts:
        st.warning(t(lang, "report.unsaved_list", objectives=", ".join(map(str, drafts))), icon=":material/edit:")
    return objective
