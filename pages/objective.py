"""Objective profile: one objective's official title, round table, Hub page, countries' entries and status over time."""

import streamlit as st

from gcm.explore import profile_charts, profile_insights, profiles
from gcm.i18n import LANGUAGE_NAMES, LANGUAGES, t
from gcm.ui.auth import actor, scope_for, scope_note
from gcm.ui.context import REFERENCE, Read, built, figure, language, page_header, read, reference
from gcm.ui.downloads import download_buttons
from gcm.ui.links import country_link, group_select, hub_url, url_select
from gcm.ui.profile_view import chart_block, cycle_select
from gcm.ui.review import awaiting_note
from gcm.ui.widgets import cycle_names, grouping_notice, inert, lazy_expander, page_of

lang = language()
ref = reference()
scope = scope_for(actor())
page_header(lang, "objective_page.title", "objective_page.intro")
st.caption(scope_note(lang, scope))

cycles = read("cycles")
names = cycle_names(lang, cycles, short=True)  # charts and tables; sentences take the full names
full = cycle_names(lang, cycles)
top = st.columns([3, 2, 2])
number = url_select(
    "objective",
    "objective__number",
    t(lang, "common.objective"),
    [o.number for o in ref.objectives],
    1,
    lambda n: f"{n}. {ref.objective(n).short.get(lang)}",
    top[0],
)
cycle_id = cycle_select(
    lang,
    cycles,
    read("latest_reported_cycle_id", None, scope),
    "objective__cycle",
    "cycle",
    t(lang, "common.cycle"),
    top[1],
)
group = group_select(lang, "objective__group", top[2])
group_name = next((g.name.get(lang) for g in ref.groups if g.key == group), t(lang, "overview.all_countries"))

info = ref.objective(number)
st.header(t(lang, "common.objective_n", n=number))
for code in (lang, *(c for c in LANGUAGES if c != lang)):  # the official title, the page's language first
    st.markdown(f"**{LANGUAGE_NAMES[code]}:** {inert(info.title.get(code))}")
st.markdown(t(lang, "report.hub_link", url=hub_url(info)))

st.subheader(t(lang, "objective_page.sections_title"))
st.dataframe(
    built(profile_insights.objective_sections_table, REFERENCE, lang, Read(profiles.objective_sections, number)),
    hide_index=True,
    width="stretch",
)

counts = Read(profiles.objective_status_over_cycles, number, group, scope)
chart_block(
    lang,
    built(profile_insights.status_over_cycles_summary, lang, counts, full),
    figure(
        profile_charts.status_over_cycles_figure,
        REFERENCE,
        lang,
        counts,
        names,
        t(lang, "objective_page.over_cycles_title"),
    ),
    lambda: built(profile_insights.status_over_cycles_table, REFERENCE, lang, counts, names),
    f"objective-{number}-status-by-cycle",
    "objective__over_cycles",
    t(lang, "objective_page.over_cycles_title"),
)

st.subheader(t(lang, "objective_page.entries_title", cycle=full[cycle_id]))
grouping_notice(lang, cycles.set_index("id").loc[cycle_id])
awaiting_note(lang, ref, cycle_id, group, scope, read("member_countries", group))  # left out of the entries
# Built from the cached read, not copied from it for each run: the entries hold every country's narratives.
entries = Read(profiles.objective_entries, number, cycle_id, group, scope)
reported, members = read(profiles.objective_reporting, number, cycle_id, group, scope)  # kept through text saves
st.markdown(inert(t(lang, "objective_page.entries_summary", n=len(reported), members=members, group=group_name)))
table = built(profile_insights.entries_table, REFERENCE, lang, entries)
st.dataframe(table, hide_index=True, width="stretch")
download_buttons(lang, table, f"objective-{number}-{cycle_id}", "objective__entries")
if reported:  # a link per country, 40 a page: drawn once the reader opens them
    with lazy_expander(t(lang, "objective_page.country_links", n=len(reported)), "objective__profiles") as shown:
        if shown:
            columns = st.columns(4)
            by_name = sorted(reported, key=lambda c: ref.country(c).name.get(lang))
            for i, iso3 in enumerate(page_of(lang, by_name, "objective__links")):
                with columns[i % 4]:
                    country_link(lang, iso3, cycle_id)
