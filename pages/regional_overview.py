"""Regional overview: status by round table, country × objective heatmap, reporting and priorities."""

import streamlit as st

from gcm.config import load_config
from gcm.i18n import t
from gcm.ui.auth import actor, scope_for, scope_note
from gcm.ui.chart_display import show_chart
from gcm.ui.context import language, page_header, read, reference
from gcm.ui.overview_view import heatmap_page, overview_parts, overview_tables
from gcm.ui.review import awaiting_note, default_cycle
from gcm.ui.widgets import cycle_selector, data_table, grouping_notice, inert, page_of

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
note = st.empty()  # below the filters' row
group_key = filters[1].selectbox(
    t(lang, "overview.group"),
    groups,
    key="overview__group",
    format_func=group_names.__getitem__,
    index=groups.index(default_group) if default_group in groups else 0,
)
group = None if group_key == "ALL" else group_key
with filters[0]:
    cycle_id = cycle_selector(lang, cycles, default_cycle(lang, cycles, group, scope, note), "overview__cycle")
cycle = cycles.set_index("id").loc[cycle_id]
provisional = bool(cycle["provisional"])
grouping_notice(lang, cycle)

countries = awaiting_note(lang, ref, cycle_id, group, scope, read("member_countries", group))
reports = read("reports_by_member", cycle_id, group, scope)

if not any(reports.values()):
    st.info(
        t(lang, "overview.empty", cycle=cycle[f"name_{lang}"], group=group_names[group_key]), icon=":material/info:"
    )
else:
    parts = overview_parts(lang, cycle_id, group, scope, provisional, tuple(countries))
    tables = overview_tables(lang, cycle_id, group, scope, provisional, tuple(countries))
    titles = ("chart.status_by_section_title", "chart.heatmap_title", "chart.coverage_title")
    for title, part, key in zip(titles, parts, ("sections", "heatmap", "coverage"), strict=True):
        st.subheader(t(lang, title))
        st.markdown(inert(part.summary))
        chart = part.figure
        if chart is None:
            page = page_of(lang, ref.by_name(countries, lang), "overview__page", hint_key="common.paged_matrix")
            chart = heatmap_page(lang, cycle_id, group, scope, tuple(page))
        show_chart(chart, key=f"chart__{key}")
        data_table(lang, f"overview__{key}", tables[key])
