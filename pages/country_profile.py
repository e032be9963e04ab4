"""Country profile: a country over every cycle: completeness, status by round table, national priorities."""

import streamlit as st

from gcm.config import load_config
from gcm.explore import profile_charts, profile_insights, profiles
from gcm.i18n import t
from gcm.ui.auth import actor, scope_for, scope_note
from gcm.ui.context import REFERENCE, Read, built, figure, language, page_header, read, reference
from gcm.ui.links import compare_link, onepager_link, url_select
from gcm.ui.profile_view import chart_block, priority_links
from gcm.ui.widgets import cycle_names, lazy_expander

lang = language()
ref = reference()
user = actor()
scope = scope_for(user)
page_header(lang, "country_page.title", "country_page.intro")
st.caption(scope_note(lang, scope))

cycles = read("cycles").iloc[::-1]  # oldest first, as on the charts
names = cycle_names(lang, cycles, short=True)  # charts and tables; sentences take the full names
full = cycle_names(lang, cycles)
provisional = dict(zip(cycles["id"], cycles["provisional"].astype(bool), strict=True))
groupings = dict(zip(cycles["id"], cycles["grouping"], strict=True))
countries = sorted((c.iso3 for c in ref.countries), key=lambda c: ref.country(c).name.get(lang))
members = read("member_countries", load_config().default_members)
default = user.country or min(members or countries, key=lambda c: ref.country(c).name.get(lang))
country = url_select(
    "country",
    "country_page__country",
    t(lang, "common.country"),
    countries,
    default,
    lambda c: ref.country(c).name.get(lang),
    st.columns([2, 3])[0],
)
name = ref.country(country).name.get(lang)
st.header(name)

per_cycle = read(profiles.country_cycles, country, scope)
cycles_read = Read(profiles.country_cycles, country, scope)
chart_block(
    lang,
    built(profile_insights.completeness_summary, REFERENCE, lang, cycles_read, full),
    figure(profile_charts.completeness_figure, REFERENCE, lang, cycles_read, names),
    lambda: built(profile_insights.completeness_table, REFERENCE, lang, cycles_read, names),
    f"{country}-completeness",
    "country_page__completeness",
    t(lang, "country_page.completeness_title"),
)

sections_read = Read(profiles.country_status_by_section, country, scope)
chart_block(
    lang,
    built(profile_insights.sections_summary, lang, sections_read, full, provisional),
    figure(profile_charts.sections_over_cycles_figure, REFERENCE, lang, sections_read, names, provisional),
    lambda: built(profile_insights.sections_table, REFERENCE, lang, sections_read, names, provisional, groupings),
    f"{country}-status-by-section",
    "country_page__sections",
    t(lang, "country_page.sections_title"),
)
if any(provisional.values()):
    st.caption(t(lang, "country_page.provisional_note"))

st.subheader(t(lang, "country_page.priorities_title"))
by_cycle = built(profiles.priorities_by_cycle, Read(profiles.country_priorities, country, scope))  # newest first
if not by_cycle:
    st.caption(t(lang, "country_page.no_priorities"))
for cycle_id, objectives in by_cycle[:1]:  # the latest cycle's, then the earlier ones' on request (a link each)
    priority_links(lang, full[cycle_id], cycle_id, objectives)
if len(by_cycle) > 1:
    earlier = t(lang, "country_page.earlier_priorities", n=len(by_cycle) - 1)
    with lazy_expander(earlier, "country_page__earlier") as shown:
        for cycle_id, objectives in by_cycle[1:] if shown else ():
            priority_links(lang, full[cycle_id], cycle_id, objectives)

st.subheader(t(lang, "country_page.reports_title"))
reported = [str(c) for c in per_cycle.loc[per_cycle["reported"] > 0, "cycle"]]
if not reported:
    st.caption(t(lang, "country_page.summary_none"))
for cycle_id in reported:
    onepager_link(lang, country, cycle_id, t(lang, "country_page.onepager", cycle=full[cycle_id]))
if len(reported) > 1:
    compare_link(
        lang,
        t(lang, "country_page.what_changed", a=full[reported[-2]], b=full[reported[-1]]),
        a=reported[-2],
        b=reported[-1],
        country=country,
        group=(ref.country(country).groups or ("ALL",))[0],
    )
