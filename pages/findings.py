"""Regional findings: for each round table of the cycle's grouping, what the countries reported."""

import streamlit as st

from gcm import findings
from gcm.briefing.model import round_table_heads
from gcm.config import load_config
from gcm.i18n import t
from gcm.ui.actions import act
from gcm.ui.auth import actor
from gcm.ui.context import REFERENCE, language, page_header, read, reference
from gcm.ui.findings_view import draw_round_table, opening_round_table, pack_buttons, reported_in
from gcm.ui.report_form import show_flash
from gcm.ui.review import awaiting_note, default_cycle
from gcm.ui.widgets import cycle_selector, group_selector, grouping_notice, inert

lang = language()
ref = reference()
user = actor()
page_header(lang, "findings.title", "findings.intro")
show_flash()

rehearsal = read("rehearsal_on")
if user.is_admin:
    st.toggle(
        t(lang, "findings.rehearsal_toggle"),
        value=rehearsal,
        key="findings__rehearsal",
        help=t(lang, "findings.rehearsal_help"),
        on_change=lambda: act(
            lang,
            user,
            "rehearsal",
            lambda s: findings.set_rehearsal(s, user, bool(st.session_state["findings__rehearsal"])),
            t(lang, "findings.rehearsal_saved"),
        ),
    )
scope = findings.findings_scope(user, rehearsal, load_config().public_view)
if scope.states is None:
    st.warning(t(lang, "findings.rehearsal_banner"), icon=":material/theater_comedy:")

cycles = read("cycles")
filters = st.columns([2, 4, 2])  # the group's name is the longest
note = st.empty()  # below the filters' row
with filters[1]:
    group = group_selector(lang, ref, "findings__group")
with filters[0]:
    cycle_id = cycle_selector(
        lang, cycles, default_cycle(lang, cycles, group, scope, note), "findings__cycle", short=True
    )
statuses = {s.key: s.label.get(lang) for s in ref.statuses}
chosen = filters[2].multiselect(
    t(lang, "findings.status_filter"),
    list(statuses),
    select_all=False,  # Streamlit's "Select all" is in English only
    format_func=statuses.__getitem__,
    key="findings__statuses",
    placeholder=t(lang, "findings.all_statuses"),
)
cycle = cycles.set_index("id").loc[cycle_id]
grouping_notice(lang, cycle)
awaiting_note(lang, ref, cycle_id, group, scope, read("member_countries", group))
chosen = tuple(chosen) or None
counts = read("status_by_section", cycle_id, group, scope)
if not reported_in(counts):
    st.info(t(lang, "findings.empty"), icon=":material/info:")
else:
    # Only the open round table is read and drawn (a tab change reruns): after a change the page reads a
    # quarter of the briefing, and the browser draws 3 charts, not 12. It opens on the first one with a report.
    heads = read(round_table_heads, REFERENCE, lang, cycle_id)
    opening = opening_round_table(heads, counts)
    tabs = st.tabs([head.title for head in heads], default=opening, key="findings__round_table", on_change="rerun")
    for tab, head in zip(tabs, heads, strict=True):
        with tab:
            st.caption(inert(" · ".join(f"{n}. {title}" for n, title in head.objectives)))
            if tab.open:
                draw_round_table(ref, lang, (lang, cycle_id, group, scope, chosen, head.number))

    st.divider()
    pack_buttons(ref, lang, cycle_id, group, scope)
