"""Home: what the tracker is, the current cycle and its headline figures."""

import streamlit as st

from gcm.config import load_config
from gcm.i18n import t
from gcm.ui.context import language, page_header, read, reference
from gcm.ui.widgets import cycle_caption, objectives_by_section_table

lang = language()
ref = reference()
group = load_config().default_group

page_header(lang, "home.title")
st.write(t(lang, "home.intro"))

cycle_id = read("current_cycle_id")
cycles = read("cycles").set_index("id")
cycle = cycles.loc[cycle_id]
st.subheader(t(lang, "home.current_cycle", name=cycle[f"name_{lang}"]))
cycle_caption(lang, cycle)

figures = read("headline", cycle_id, group)
group_name = next((g.name.get(lang) for g in ref.groups if g.key == group), group)
st.caption(t(lang, "home.figures_for", group=group_name))
expected = figures["members"] * len(ref.objectives)
cols = st.columns(3)
cols[0].metric(t(lang, "home.countries_reporting"), f"{figures['countries_reporting']} / {figures['members']}")
cols[1].metric(t(lang, "home.objectives_covered"), f"{figures['objectives_covered']} / {len(ref.objectives)}")
cols[2].metric(t(lang, "home.share_complete"), f"{round(figures['reports'] / expected * 100) if expected else 0}%")

if figures["reports"] == 0:
    elsewhere = sum(read("report_counts").values()) > 0
    st.info(t(lang, "home.empty_elsewhere" if elsewhere else "home.empty"), icon=":material/info:")

st.subheader(t(lang, "home.next_steps"))
links = st.columns(2)
with links[0]:
    st.page_link("pages/country_report.py", label=t(lang, "nav.country_report"), icon=":material/edit_note:")
    st.caption(t(lang, "home.country_report_help"))
with links[1]:
    st.page_link("pages/regional_overview.py", label=t(lang, "nav.regional_overview"), icon=":material/bar_chart:")
    st.caption(t(lang, "home.overview_help"))

with st.expander(t(lang, "home.objectives_by_round_table")):
    imrf = ref.grouping("imrf2022")
    st.caption(imrf.note.get(lang) if imrf.note else "")
    st.dataframe(objectives_by_section_table(ref, lang, imrf), hide_index=True, width="stretch")
