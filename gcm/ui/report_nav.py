"""Completeness figures and the objective picker of the country report page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from gcm.i18n import t
from gcm.reference import Reference

OBJECTIVE_KEY = "report__objective"


def mark(n: int, statuses: dict[int, str], drafts: list[int], flagged: list[int] = ()) -> str:
    """✎ unsaved edits, ⚑ flagged by the secretariat, ● reported, ○ not reported."""
    if n in drafts:
        return "✎"
    if n in flagged:
        return "⚑"
    return "●" if n in statuses else "○"


def opening(order: list[int], statuses: dict[int, str]) -> int:
    """The objective open now: the one chosen, else the first with an entry, else the first."""
    chosen = st.session_state.get(OBJECTIVE_KEY)
    if chosen in order:
        return chosen
    return min(statuses) if statuses else order[0]


def _go(objective: int) -> None:
    st.session_state[OBJECTIVE_KEY] = objective


def section_name(lang: str, number: int, provisional: bool) -> str:
    return t(lang, "chart.area_n" if provisional else "chart.round_table_n", n=int(number))


def completeness(
    ref: Reference,
    lang: str,
    sections: pd.DataFrame,
    statuses: dict[int, str],
    drafts: list[int],
    provisional: bool,
    flagged: list[int] = (),
) -> None:
    """How many objectives are reported, in all and per round table; each objective is a button to open it."""
    st.subheader(t(lang, "report.completeness", n=len(statuses), total=len(ref.objectives)))
    st.progress(len(statuses) / len(ref.objectives))
    current = opening(sorted(int(o) for o in sections["objective"]), statuses)
    columns = st.columns(sections["section"].nunique())
    for column, (number, rows) in zip(columns, sections.groupby("section"), strict=True):
        done = sum(int(o) in statuses for o in rows["objective"])
        column.metric(section_name(lang, int(number), provisional), f"{done} / {len(rows)}")
        with column.container(horizontal=True, gap="small"):
            for objective in sorted(int(o) for o in rows["objective"]):
                status = statuses.get(objective)
                state = ref.status(status).label.get(lang) if status else t(lang, "status.not_reported")
                here = objective == current
                st.button(
                    f"{objective} {mark(objective, statuses, drafts, flagged)}",
                    key=f"report__jump__{objective}",
                    help=f"{objective}. {ref.objective(objective).short.get(lang)}: {state}"
                    + (f" ({t(lang, 'report.open_now')})" if here else ""),
                    icon=":material/play_arrow:" if here else None,  # the objective open below
                    type="primary" if status else "secondary",
                    on_click=_go,
                    args=(objective,),
                )
    st.caption(t(lang, "flow.marks"))


def _step(order: list[int], delta: int) -> None:
    position = order.index(st.session_state[OBJECTIVE_KEY])
    st.session_state[OBJECTIVE_KEY] = order[(position + delta) % len(order)]


def objective_picker(
    ref: Reference,
    lang: str,
    sections: pd.DataFrame,
    statuses: dict[int, str],
    drafts: list[int],
    provisional: bool,
    flagged: list[int] = (),
    savable: bool = True,
) -> int:
    """Previous / select box / Next over the objectives in number order; returns the chosen one.

    The first time, it opens on the first objective with an entry (else objective 1). Unsaved edits are listed;
    where they can no longer be saved (`savable`: the report stopped being editable while they were typed), the
    list says to download them (`report_form.stranded_edits`).
    """
    order = sorted(int(o) for o in sections["objective"])
    section_of = dict(zip((int(o) for o in sections["objective"]), sections["section"], strict=True))

    def label(n: int) -> str:
        # The number first, so that typing "3" finds objective 3 before 13. Nothing here may change
        # while editing: the browser sends the label back as the value.
        return f"{n} · {ref.objective(n).short.get(lang)} — {section_name(lang, section_of[n], provisional)}"

    if st.session_state.get(OBJECTIVE_KEY) not in order:
        st.session_state[OBJECTIVE_KEY] = opening(order, statuses)
    # The buttons as wide as their labels, the objectives' list taking the rest: in narrow columns the buttons read
    # "P…" and "N…".
    nav = st.container(horizontal=True, vertical_alignment="bottom")
    nav.button(
        t(lang, "report.previous"),
        on_click=_step,
        args=(order, -1),
        key="report__prev",
        icon=":material/arrow_back:",
    )
    objective = nav.selectbox(t(lang, "common.objective"), order, key=OBJECTIVE_KEY, format_func=label)
    nav.button(
        t(lang, "report.next"),
        on_click=_step,
        args=(order, 1),
        key="report__next",
        icon=":material/arrow_forward:",
    )
    status = (
        ref.status(statuses[objective]).label.get(lang) if objective in statuses else t(lang, "status.not_reported")
    )
    st.caption(f"{mark(objective, statuses, drafts, flagged)} {status}")
    # Drawn on every run, empty or not: a warning appearing above the form on the first change moved every field
    # after it, and the browser dropped the keyboard's focus from the field just changed (back to the page's top).
    unsaved = st.empty()
    if drafts:
        unsaved.warning(
            t(
                lang,
                "report.unsaved_list" if savable else "report.stranded_list",
                objectives=", ".join(map(str, drafts)),
                n=len(drafts),
            ),
            icon=":material/edit:",
        )
    return objective
