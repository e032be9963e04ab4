"""Regional overview: status by round table, country × objective heatmap, reporting and priorities."""

import streamlit as st

from gcm import charts, insights
from gcm.config import load_config
from gcm.i18n import t
from gcm.ui.auth import actor, scope_for, scope_note
from gcm.ui.context import language, page_header, read, reference
from gcm.ui.review import awaiting_note, default_cycle
from gcm.ui.widgets import cycle_selector, grouping_notice, inert

lang = language()
ref = reference()
scope = scope_for(actor())

page_header(lang, "overview.title", "overview.intro")
st.caption(scope_note(lang, scope))

cycles = read("cycles")
groups = [g.key for g in ref.groups] + ["ALL"]
group_names = {g.key: g.name.get(lang) for g in ref.groups} | {"ALL": t(lang, "overview.all_countries")}
default_group = load_config().default_group
filters = st.columns(2)
group_key = filters[1].selectbox(
    t(lang, "overview.group"),
    groups,
    key="overview__group",
    format_func=group_names.__getitem__,
    index=groups.index(default_group) if default_group in groups else 0,
)
group = None if group_key == "ALL" else group_key
with filters[0]:
    cycle_id = cycle_selector(lang, cycles, default_cycle(lang, cycles, group, scope), "overview__cycle")
cycle = cycles.set_index("id").loc[cycle_id]
provisional = bool(cycle["provisional"])
grouping_notice(lang, cycle)

countries = awaiting_note(lang, ref, cycle_id, group, scope, read("member_countries", group))
counts = read("status_by_section", cycle_id, group, scope)
matrix = read("status_matrix", cycle_id, group, scope)
coverage = read("objective_coverage", cycle_id, group, scope)

if matrix.empty:
    st.info(
        t(lang, "overview.empty", cycle=cycle[f"name_{lang}"], group=group_names[group_key]), icon=":material/info:"
    )
else:
    st.subheader(t(lang, "chart.status_by_section_title"))
    st.markdown(inert(insights.section_summary(ref, lang, counts, provisional)))
    st.plotly_chart(
        charts.status_by_section_figure(ref, lang, counts, provisional),
        key="chart__sections",
        config={"displaylogo": False},
    )
    with st.expander(t(lang, "overview.data_table")):
        st.dataframe(insights.section_table(ref, lang, counts, provisional), width="stretch")

    st.subheader(t(lang, "chart.heatmap_title"))
    st.markdown(inert(insights.heatmap_summary(ref, lang, matrix, countries)))
    st.plotly_chart(
        charts.status_heatmap_figure(ref, lang, matrix, countries), key="chart__heatmap", config={"displaylogo": False}
    )
    with st.expander(t(lang, "overview.data_table")):
        st.dataframe(insights.heatmap_table(ref, lang, matrix, countries), width="stretch")

    st.subheader(t(lang, "chart.coverage_title"))
    st.markdown(inert(insights.coverage_summary(ref, lang, coverage)))
    st.plotly_chart(charts.coverage_figure(ref, lang, coverage), key="chart__coverage", config={"displaylogo": False})
    with st.expander(t(lang, "overview.data_table")):
        st.dataframe(insights.coverage_table(ref, lang, coverage), width="stretch")
