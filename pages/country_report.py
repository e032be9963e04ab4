"""Country report: a delegate enters the country's progress report, objective by objective;
the secretariat and analysts read it, and the secretariat validates or returns it."""

import pandas as pd
import streamlit as st

from gcm import permissions, services
from gcm.i18n import t
from gcm.ui import report_form
from gcm.ui.auth import actor, client_address, scope_for
from gcm.ui.context import language, page_header, read, reference
from gcm.ui.history import history_panel
from gcm.ui.report_nav import completeness, objective_picker
from gcm.ui.widgets import cycle_selector, grouping_notice
from gcm.ui.workflow_panel import window_of, workflow_panel

lang = language()
ref = reference()
user = actor()
scope = scope_for(user)
address = client_address()


def draw_report(country: str, cycle_id: str, cycle: pd.Series) -> None:
    state = workflow_panel(lang, user, country, cycle_id, cycle)
    editable = permissions.allowed(permissions.check_edit, user, country, window_of(cycle), state, services.today())
    if user.role == "delegate" and user.country == country and not editable:
        st.info(t(lang, "report.read_only"), icon=":material/lock:")
    sections = read("sections", cycle["grouping"])
    statuses = read("country_statuses", country, cycle_id, scope).set_index("objective")["status"].to_dict()
    drafts = report_form.drafts_in(country, cycle_id)
    completeness(ref, lang, sections, statuses, drafts, bool(cycle["provisional"]))
    objective = objective_picker(ref, lang, sections, statuses, drafts, bool(cycle["provisional"]))
    info = ref.objective(objective)
    st.markdown(f"#### {t(lang, 'common.objective_n', n=objective)}: {info.title.get(lang)}")
    st.caption(t(lang, "report.hub_link", url=f"https://migrationnetwork.un.org/hub?gcm_objectives={info.hub_id}"))
    report_form.show_flash()
    saved = read("get_report", country, cycle_id, objective, scope)
    report_form.draw_form(ref, lang, user, address, country, cycle_id, objective, saved, editable)
    if saved:
        history_panel(ref, lang, user, address, saved, objective, editable)
    report_form.leave_guard(bool(report_form.drafts_in(country, cycle_id)))


page_header(lang, "report.title", "report.intro")
cycles = read("cycles")
top = st.columns(2)
if user.role == "delegate":
    country = user.country
    top[0].markdown(f"**{t(lang, 'common.country')}:** {ref.country(country).name.get(lang)}")
else:
    countries = sorted((c.iso3 for c in ref.countries), key=lambda iso3: ref.country(iso3).name.get(lang))
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
cycle_row = cycles.set_index("id").loc[chosen_cycle]
grouping_notice(lang, cycle_row)
if country is None:
    st.info(t(lang, "report.pick_country"), icon=":material/flag:")
else:
    draw_report(country, chosen_cycle, cycle_row)
