"""Presenter mode: run the workshop session from slides, in Spanish or English, on a projector."""

import streamlit as st

from gcm import findings
from gcm.config import load_config
from gcm.i18n import t
from gcm.ui.auth import actor
from gcm.ui.context import language, read, reference
from gcm.ui.presenter import AGENDA_ORDER, agenda_of, draw_slide, move, slide_caption, slide_on_screen
from gcm.ui.widgets import cycle_selector, group_selector

st.set_page_config(initial_sidebar_state="collapsed")  # a projector needs the whole width
lang = language()
ref = reference()
user = actor()
scope = findings.findings_scope(user, read("rehearsal_on"), load_config().public_view)

with st.expander(t(lang, "presenter.settings"), expanded=False, icon=":material/tune:"):
    cycles = read("cycles")
    group = group_selector(lang, ref, "presenter__group")
    cycle_id = cycle_selector(lang, cycles, read("latest_reported_cycle_id", group, scope), "presenter__cycle")
    order = st.multiselect(
        t(lang, "presenter.order"),
        [c.iso3 for c in ref.countries],
        select_all=False,  # Streamlit's "Select all" is in English only
        default=list(AGENDA_ORDER),
        format_func=lambda c: ref.country(c).name.get(lang),
        key="presenter__order",
        help=t(lang, "presenter.order_help"),
        placeholder=t(lang, "common.choose"),
    )
order = tuple(order)
agenda = agenda_of(lang, cycle_id, group, scope, order)
slides = agenda.slides
current = slide_on_screen(slides)

if scope.states is None:
    st.warning(t(lang, "findings.rehearsal_banner"), icon=":material/theater_comedy:")
if agenda.opening.demo:
    st.caption(t(lang, "demo.banner", count=agenda.opening.demo_reports))
bar = st.columns([2, 5, 2], vertical_alignment="center")
bar[0].button(
    t(lang, "report.previous"),
    on_click=move,
    args=(slides, -1),
    key="presenter__prev",
    shortcut="PageUp",
    icon=":material/arrow_back:",
    width="stretch",
)
bar[1].markdown(f"**{current + 1} / {len(slides)}** · {slide_caption(ref, lang, slides[current], agenda.heads)}")
bar[2].button(
    t(lang, "report.next"),
    on_click=move,
    args=(slides, 1),
    key="presenter__next",
    shortcut="PageDown",
    icon=":material/arrow_forward:",
    width="stretch",
)
draw_slide(ref, lang, slides[current], agenda)
if current == 0:  # said once: the other slides keep the room for their content
    st.caption(t(lang, "presenter.keys"))
