"""Country one-pager: a country's report in a cycle on one printable page, also downloadable."""

import streamlit as st

from gcm import findings
from gcm.briefing import country_onepager_html, presentation_order
from gcm.config import load_config
from gcm.db import read_session
from gcm.i18n import t
from gcm.ui.auth import actor
from gcm.ui.context import engine, language, page_header, read, reference
from gcm.ui.findings_view import draw_country_summary
from gcm.ui.links import url_select
from gcm.ui.profile_view import cycle_select

lang = language()
ref = reference()
user = actor()
scope = findings.findings_scope(user, read("rehearsal_on"), load_config().public_view)
page_header(lang, "onepager.title", "onepager.intro")
cols = st.columns(2)
countries = sorted((c.iso3 for c in ref.countries), key=lambda c: ref.country(c).name.get(lang))
first = user.country or presentation_order(read("member_countries", load_config().default_members))[0]
default = first if first in countries else countries[0]
# Country and cycle are kept in the URL, so the country profile can link to one cycle's one-pager.
country = url_select(
    "country",
    "onepager__country",
    t(lang, "common.country"),
    countries,
    default,
    lambda c: ref.country(c).name.get(lang),
    cols[0],
)
cycle_id = cycle_select(
    lang,
    read("cycles"),
    read("latest_reported_cycle_id", load_config().default_members, scope),
    "onepager__cycle",
    "cycle",
    t(lang, "common.cycle"),
    cols[1],
    short=False,  # half the page: the full name fits
)
st.header(f"{ref.country(country).name.get(lang)}")


def onepager(country: str, cycle_id: str) -> str:
    with read_session(engine()) as session:
        return country_onepager_html(session, ref, lang, country, cycle_id, scope)


draw_country_summary(ref, lang, country, cycle_id, scope)
st.download_button(
    t(lang, "onepager.download"),
    key="onepager__download",
    icon=":material/download:",
    data=lambda: onepager(country, cycle_id),
    file_name=f"{country}-{cycle_id}-{lang}.html",
    mime="text/html",
)
st.caption(t(lang, "onepager.print_hint"))
