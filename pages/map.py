"""Map: completeness of the reports, or the status of one objective, by country (drawn offline)."""

import streamlit as st

from gcm.explore import map_chart
from gcm.explore.completeness import completeness_by_country, objective_status_by_country
from gcm.explore.geometry import GeometryError, missing
from gcm.i18n import t
from gcm.ui.auth import actor, scope_for, scope_note
from gcm.ui.chart_display import show_chart
from gcm.ui.context import REFERENCE, Read, built, figure, language, page_header, read, reference
from gcm.ui.downloads import download_buttons
from gcm.ui.review import counted_countries, table_height
from gcm.ui.widgets import cycle_selector, group_selector, inert

lang = language()
ref = reference()
scope = scope_for(actor())

page_header(lang, "map.title", "map.intro")
st.caption(scope_note(lang, scope))

cycles = read("cycles")
filters = st.columns(2)
with filters[0]:
    cycle_id = cycle_selector(lang, cycles, read("latest_reported_cycle_id", None, scope), "map__cycle")
with filters[1]:
    group = group_selector(lang, ref, "map__group")
group_names = {g.key: g.name.get(lang) for g in ref.groups}
group_name = group_names[group] if group else t(lang, "overview.all_countries")

modes = ("completeness", "status")
mode = st.radio(
    t(lang, "map.show"),
    modes,
    key="map__mode",
    horizontal=True,
    format_func=lambda m: t(lang, f"map.show_{m}"),
)
objective = None
if mode == "status":
    numbers = [o.number for o in ref.objectives]
    objective = st.selectbox(
        t(lang, "map.objective"),
        numbers,
        key="map__objective",
        format_func=lambda n: f"{n}. {ref.objective(n).title.get(lang)}",
    )

counted_countries(lang, ref, cycle_id, group, scope, read("member_countries", group))  # off the map's counts
if mode == "completeness":
    data = Read(completeness_by_country, cycle_id, group, scope)
    title = t(lang, "map.completeness_title")
    summary = built(map_chart.completeness_summary, REFERENCE, lang, data, group_name)
    table = built(map_chart.completeness_table, REFERENCE, lang, data)
else:
    data = Read(objective_status_by_country, cycle_id, group, objective, scope)
    title = t(lang, "map.status_title", n=objective)
    summary = built(map_chart.status_summary, REFERENCE, lang, data, objective)
    table = built(map_chart.status_table, REFERENCE, lang, data)

st.subheader(title)
st.markdown(inert(summary))
try:
    column = "share" if mode == "completeness" else "status"
    chart = figure(map_chart.choropleth_figure, REFERENCE, lang, data, column, column)
    unmapped = missing(read(data.function, *data.args)["country"])
except GeometryError as exc:
    st.error(t(lang, "map.geometry_error", error=str(exc)), icon=":material/error:")
else:
    show_chart(chart, key="map__chart", config=map_chart.PLOTLY_CONFIG)
    if unmapped:
        st.caption(inert(t(lang, "map.no_shape", countries=", ".join(unmapped))))
st.caption(t(lang, "map.source"))

st.markdown(f"**{inert(t(lang, 'map.data_table'))}**")
# a group's rows all in view; all countries scroll in a box of Streamlit's default height
st.dataframe(table, hide_index=True, width="stretch", height=table_height(len(table)) if len(table) <= 30 else "auto")
download_buttons(lang, table, f"gcm-map-{mode}-{cycle_id}", "map__download")
