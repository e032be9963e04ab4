"""Cycles (secretariat): open, close, lock or reopen a cycle, set its deadline and its grouping of objectives."""

import streamlit as st

from gcm import workflow
from gcm.i18n import t
from gcm.ui.actions import act
from gcm.ui.auth import actor
from gcm.ui.context import language, page_header, read, reference
from gcm.ui.report_form import show_flash
from gcm.ui.widgets import column_width, cycle_selector, date_format, lazy_expander

lang = language()
ref = reference()
user = actor()
page_header(lang, "cycles.title", "cycles.intro")
show_flash()


def run(what: str, action, success: str) -> None:
    act(lang, user, what, action, success, rerun=True)


cycles = read("cycles")
groupings = {g.id: g.name.get(lang) for g in ref.groupings}
# The state first, the grouping (a long name) and the id last: the columns a secretariat checks fit the page.
table = cycles[[f"short_{lang}", "start", "end", "is_open", "is_locked", "deadline", "grouping", "id"]].rename(
    columns={
        "id": t(lang, "cycles.id"),
        f"short_{lang}": t(lang, "common.cycle"),
        "start": t(lang, "common.start"),
        "end": t(lang, "common.end"),
        "grouping": t(lang, "common.grouping"),
        "is_open": t(lang, "cycles.open"),
        "is_locked": t(lang, "cycles.locked"),
        "deadline": t(lang, "field.deadline"),
    }
)
table[t(lang, "field.deadline")] = table[t(lang, "field.deadline")].map(
    lambda d: d.isoformat() if hasattr(d, "isoformat") else ""
)
table[t(lang, "common.grouping")] = table[t(lang, "common.grouping")].map(lambda g: groupings.get(g, g))
st.dataframe(  # the id: what a link's ?cycle= takes
    table,
    hide_index=True,
    width="stretch",
    column_config={  # as wide as its heading, which is longer than a date in Spanish ("Fecha límite")
        t(lang, "field.deadline"): st.column_config.TextColumn(
            width=column_width([t(lang, "field.deadline"), "2026-12-31"], least=90, most=160)
        )
    },
)

cycle_id = cycle_selector(lang, cycles, read("current_cycle_id"), "cycles__cycle")
row = cycles.set_index("id").loc[cycle_id]
with st.form(f"cycles__form__{cycle_id}"):
    is_open = st.checkbox(t(lang, "cycles.open"), value=bool(row["is_open"]))
    is_locked = st.checkbox(t(lang, "cycles.locked"), value=bool(row["is_locked"]), help=t(lang, "cycles.locked_help"))
    had_deadline = hasattr(row["deadline"], "isoformat")
    has_deadline = st.checkbox(t(lang, "cycles.has_deadline"), value=had_deadline)
    deadline = st.date_input(
        t(lang, "field.deadline"), value=row["deadline"] if had_deadline else None, format=date_format(lang)
    )
    grouping = st.selectbox(
        t(lang, "common.grouping"),
        list(groupings),
        index=list(groupings).index(row["grouping"]),
        format_func=groupings.__getitem__,
    )
    confirmed = st.checkbox(t(lang, "cycles.grouping_confirmed"), value=bool(row["grouping_confirmed"]))
    if st.form_submit_button(t(lang, "cycles.save"), type="primary"):

        def save(session) -> None:
            workflow.update_cycle(
                session,
                user,
                cycle_id=cycle_id,
                is_open=is_open,
                is_locked=is_locked,
                deadline=deadline if has_deadline else None,
            )
            workflow.set_cycle_grouping(session, user, cycle_id=cycle_id, grouping_id=grouping, confirmed=confirmed)

        run(f"update cycle {cycle_id}", save, t(lang, "cycles.saved"))


def grouping_form() -> None:
    """Which section each objective of a grouping belongs to, and whether the grouping is still provisional."""
    grouping_id = st.selectbox(
        t(lang, "common.grouping"), list(groupings), format_func=groupings.__getitem__, key="cycles__grouping"
    )
    sections = read("sections", grouping_id)
    titles = dict(zip(sections["section"], sections[f"title_{lang}"], strict=False))
    placed = dict(zip(sections["objective"], sections["section"], strict=True))
    provisional = bool(next(g.provisional for g in ref.groupings if g.id == grouping_id))
    with st.form(f"cycles__grouping__{grouping_id}"):
        columns = st.columns(2)
        placement = {}
        for i, objective in enumerate(ref.objectives):
            placement[objective.number] = columns[i % 2].selectbox(
                f"{objective.number}. {objective.short.get(lang)}",
                sorted(titles),
                format_func=lambda n: f"{n}. {titles[n]}",
                index=sorted(titles).index(placed[objective.number]) if objective.number in placed else None,
                placeholder=t(lang, "common.choose"),
            )
        still_provisional = st.checkbox(t(lang, "cycles.provisional"), value=provisional)
        if st.form_submit_button(t(lang, "cycles.save_grouping"), type="primary"):
            run(
                f"update grouping {grouping_id}",
                lambda s: workflow.set_grouping_sections(
                    s,
                    user,
                    grouping_id=grouping_id,
                    provisional=still_provisional,
                    placement={n: p for n, p in placement.items() if p is not None},
                ),
                t(lang, "cycles.grouping_saved"),
            )


st.subheader(t(lang, "cycles.groupings"))
st.caption(t(lang, "cycles.groupings_help"))
with lazy_expander(t(lang, "cycles.edit_grouping"), "cycles__edit_grouping", icon=":material/edit:") as shown:
    if shown:  # 23 select boxes: built only while open, on a page opened mostly to change a cycle
        grouping_form()
