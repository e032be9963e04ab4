"""Country report: a delegate enters the country's progress report, objective by objective;
the secretariat and analysts read it, and the secretariat reviews it (?country=…&cycle=…&mode=review)."""

import pandas as pd
import streamlit as st

from gcm import permissions
from gcm.i18n import t
from gcm.ui import report_form
from gcm.ui.auth import actor, client_address, scope_for
from gcm.ui.context import language, page_header, read, reference
from gcm.ui.history import history_panel
from gcm.ui.links import hub_url
from gcm.ui.report_nav import completeness, objective_picker
from gcm.ui.review import report_events, review_summary
from gcm.ui.widgets import cycle_selector, grouping_notice
from gcm.ui.workbook_panel import workbook_panel
from gcm.ui.workflow_panel import may_edit, outcome_pending, review_actions, workflow_panel

lang = language()
ref = reference()
user = actor()
scope = scope_for(user)
address = client_address()
cycles = read("cycles")
# A link from the Submissions page opens a country, a cycle and the review (once, before the widgets exist).
if "report__linked" not in st.session_state:
    st.session_state["report__linked"] = True
    if st.query_params.get("country") in {c.iso3 for c in ref.countries} and user.role != "delegate":
        st.session_state["report__country"] = st.query_params["country"]
    if st.query_params.get("cycle") in set(cycles["id"]):
        st.session_state["report__linked_cycle"] = st.query_params["cycle"]
    st.session_state["report__review"] = st.query_params.get("mode") == "review" and user.is_admin


def draw_report(country: str, cycle_id: str, cycle: pd.Series) -> None:
    state = read("submission", country, cycle_id)["state"]
    reviewing = st.session_state.get("report__review") and (  # still drawn once an action's outcome is to show
        permissions.allowed(permissions.check_review, user, state) or outcome_pending()
    )
    workflow_panel(ref, lang, user, country, cycle_id, cycle, review=not reviewing)
    if reviewing:  # the summary at full width (its columns would be cut beside the actions), then the actions
        review_summary(ref, lang, country, cycle_id, scope, bool(cycle["provisional"]))
        review_actions(ref, lang, user, country, cycle_id, bool(cycle["provisional"]))
    editable = may_edit(user, country, cycle, state)
    if user.role == "delegate" and user.country == country and not editable:
        st.info(t(lang, "report.read_only"), icon=":material/lock:")
    workbook_panel(lang, user, country, cycle_id, address)
    sections = read("sections", cycle["grouping"])
    statuses = read("country_statuses", country, cycle_id, scope).set_index("objective")["status"].to_dict()
    flagged = read("submission", country, cycle_id)["flagged"] if state == "returned" else []
    drafts = report_form.drafts_in(country, cycle_id)
    completeness(ref, lang, sections, statuses, drafts, bool(cycle["provisional"]), flagged)
    objective = objective_picker(ref, lang, sections, statuses, drafts, bool(cycle["provisional"]), flagged, editable)
    info = ref.objective(objective)
    st.markdown(f"#### {t(lang, 'common.objective_n', n=objective)}: {info.title.get(lang)}")
    st.caption(t(lang, "report.hub_link", url=hub_url(info)))
    saved = read("get_report", country, cycle_id, objective, scope)
    report_form.draw_form(ref, lang, user, address, country, cycle_id, objective, saved, editable)
    if saved:
        history_panel(ref, lang, user, address, saved, objective, editable)
    if user.is_admin or user.country == country:
        report_events(lang, country, cycle_id)
    report_form.leave_guard(bool(report_form.drafts_in(country, cycle_id)))


page_header(lang, "report.title", "report.intro" if user.role == "delegate" else f"report.intro_{user.role}")
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
    default_cycle = st.session_state.get("report__linked_cycle") or read("current_cycle_id")
    chosen_cycle = cycle_selector(lang, cycles, default_cycle, "report__cycle")
cycle_row = cycles.set_index("id").loc[chosen_cycle]
grouping_notice(lang, cycle_row)
if country is None:
    st.info(t(lang, "report.pick_country"), icon=":material/flag:")
else:
    draw_report(country, chosen_cycle, cycle_row)
