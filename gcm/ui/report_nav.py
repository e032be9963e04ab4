"""Completeness figures and the objective picker of the country report page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from gcm.i18n import t
from gcm.reference import Reference

OBJECTIVE_KEY = "report__objective"


def mark(n: int, statuses: dict[int, str], drafts: list[int]) -> str:
    """✎ unsaved edits, ● reported, ○ not reported."""
    return "✎" if n in drafts else ("●" if n in statuses else "○")


def completeness(
    ref: Reference, lang: str, sections: pd.DataFrame, statuses: dict[int, str], drafts: list[int], provisional: bool
) -> None:
    """How many objectives are reported, in all and per round table, with each objective's mark."""
    st.subheader(t(lang, "report.completeness", n=len(statuses), total=len(ref.objectives)))
    st.progress(len(statuses) / len(ref.objectives))
    columns = st.columns(sections["section"].nunique())
    for column, (number, rows) in zip(columns, sections.groupby("section"), strict=True):
        done = sum(int(o) in statuses for o in rows["objective"])
        label = t(lang, "chart.area_n" if provisional else "chart.round_table_n", n=int(number))
        column.metric(label, f"{done} / {len(rows)}")
        column.caption(" · ".join(f"{int(o)} {mark(int(o), statuses, drafts)}" for o in rows["objective"]))


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
        # Nothing here may change while editing: the browser sends the label back as the value.
        return f"{t(lang, prefix_key, n=int(section_of[n]))} · {n}. {ref.objective(n).short.get(lang)}"

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
    status = (
        ref.status(statuses[objective]).label.get(lang) if objective in statuses else t(lang, "status.not_reported")
    )
    st.caption(f"{mark(objective, statuses, drafts)} {status}")
    if drafts:
        st.warning(t(lang, "report.unsaved_list", objectives=", ".join(map(str, drafts))), icon=":material/edit:")
    return objective
