"""Country report: a delegate enters the country's progress report, objective by objective."""

import pandas as pd
import streamlit as st

from gcm.i18n import t
from gcm.ui import report_form
from gcm.ui.context import language, page_header, read, reference
from gcm.ui.report_nav import completeness, objective_picker
from gcm.ui.widgets import cycle_selector, grouping_notice

lang = language()
ref = reference()


def draw_report(country: str, cycle_id: str, cycle: pd.Series) -> None:
    editable = bool(cycle["is_open"])
    if not editable:
        st.info(t(lang, "report.closed"), icon=":material/lock:")
    sections = read("sections", cycle["grouping"])
    statuses = read("country_statuses", country, cycle_id).set_index("objective")["status"].to_dict()
    drafts = report_form.drafts_in(country, cycle_id)
    completeness(ref, lang, sections, statuses, bool(cycle["provisional"]))
    objective = objective_picker(ref, lang, sections, statuses, drafts, bool(cycle["provisional"]))
    info = ref.objective(objective)
    st.markdown(f"#### {t(lang, 'common.objective_n', n=objective)}: {info.title.get(lang)}")
    st.caption(t(lang, "report.hub_link", url=f"https://migrationnetwork.un.org/hub?gcm_objectives={info.hub_id}"))
    report_form.show_flash()
    report_form.draw_form(ref, lang, country, cycle_id, objective, editable)
    report_form.leave_guard(bool(report_form.drafts_in(country, cycle_id)))


page_header(lang, "report.title", "report.intro")
countries = sorted((c.iso3 for c in ref.countries), key=lambda iso3: ref.country(iso3).name.get(lang))
cycles = read("cycles")
top = st.columns(3)
country = top[0].selectbox(
    t(lang, "common.country"),
    countries,
    key="report__country",
    index=None,
    placeholder=t(lang, "report.choose_country"),
    format_func=lambda c: ref.country(c).name.get(lang),
)
with top[1]:
    chosen_cycle = cycle_selector(lang, cycles, read("current_cycle_id"), "report__cycle")
top[2].text_input(t(lang, "field.author"), key=report_form.AUTHOR, max_chars=120, help=t(lang, "report.author_help"))
cycle_row = cycles.set_index("id").loc[chosen_cycle]
grouping_notice(lang, cycle_row)
if country is None:
    st.info(t(lang, "report.pick_country"), icon=":material/flag:")
else:
    draw_report(country, chosen_cycle, cycle_row)
