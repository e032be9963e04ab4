"""Home: what the tracker is, the current cycle and its headline figures; a delegate's to-do list."""

import streamlit as st

from gcm import insights
from gcm.config import load_config
from gcm.i18n import t
from gcm.ui.auth import actor, scope_for
from gcm.ui.context import language, page_header, read, reference
from gcm.ui.widgets import cycle_caption, lazy_expander, objectives_by_section_table
from gcm.ui.workflow_panel import deadline_text, may_edit, returned_note, state_words

lang = language()
ref = reference()
user = actor()
scope = scope_for(user)
group = load_config().default_members

page_header(lang, "home.title")
st.write(t(lang, "home.intro"))

cycle_id = read("current_cycle_id")
cycle = read("cycles").set_index("id").loc[cycle_id]
st.subheader(t(lang, "home.current_cycle", name=cycle[f"name_{lang}"]))
cycle_caption(lang, cycle)

if user.role == "delegate":
    with st.container(border=True):
        reported = set(read("country_statuses", user.country, cycle_id, scope)["objective"])
        info = read("submission", user.country, cycle_id)  # its state as the report page and Submissions say it
        country_name = ref.country(user.country).name.get(lang)
        st.markdown(
            f"**{t(lang, 'home.your_report', country=country_name)}** · {state_words(lang, info['shown'])} · "
            f"{t(lang, 'report.completeness', n=len(reported), total=len(ref.objectives))}"
        )
        if text := deadline_text(lang, cycle):
            st.markdown(text)
        returned_note(lang, info)  # what to revise, before opening the report
        editable = may_edit(user, user.country, cycle, info["state"])
        missing = [o for o in ref.objectives if o.number not in reported]
        if missing and editable:
            st.markdown(t(lang, "home.missing") + " " + ", ".join(f"{o.number}. {o.short.get(lang)}" for o in missing))
        st.page_link(
            "pages/country_report.py",
            label=t(lang, "home.continue_report" if editable else "home.open_report"),
            icon=":material/edit_note:" if editable else ":material/description:",
        )

figures = read("headline", cycle_id, group, scope)
group_name = next((g.name.get(lang) for g in ref.groups if g.key == group), group or t(lang, "overview.all_countries"))
st.caption(
    t(lang, "home.figures_for", group=group_name)
    + (" · " + t(lang, "home.validated_only") if user.role == "public" else "")
)
cols = st.columns(3)
cols[0].metric(t(lang, "home.countries_reporting"), f"{figures['countries_reporting']} / {figures['members']}")
cols[1].metric(t(lang, "home.objectives_covered"), f"{figures['objectives_covered']} / {len(ref.objectives)}")
share = insights.share_complete(figures["reports"], figures["members"], len(ref.objectives))
cols[2].metric(t(lang, "home.share_complete"), f"{share}%")

standing = [
    t(lang, f"flow.count_{name}", n=figures[name])
    for name in ("submitted", "awaiting_validation", "in_preparation", "not_reported")
    if figures[name]
]
if standing:
    st.markdown(" · ".join(standing))
entered = any(figures[name] for name in ("submitted", "awaiting_validation", "in_preparation"))
if figures["reports"] == 0 and not entered:  # a report in preparation is entered: not "nothing entered yet"
    elsewhere = sum(read("report_counts").values()) > 0
    st.info(t(lang, "home.empty_elsewhere" if elsewhere else "home.empty"), icon=":material/info:")

st.subheader(t(lang, "home.next_steps"))
cards = [("regional_overview", "bar_chart", "home.overview_help")]
if user.role != "public":
    help_key = "home.country_report_help" + ("" if user.role == "delegate" else f"_{user.role}")
    cards.insert(0, ("country_report", "edit_note", help_key))
for column, (name, icon, help_key) in zip(st.columns(2), cards, strict=False):  # the left column first
    with column.container(border=True):
        st.page_link(f"pages/{name}.py", label=t(lang, f"nav.{name}"), icon=f":material/{icon}:")
        st.caption(t(lang, help_key))

with lazy_expander(t(lang, "home.objectives_by_round_table"), "home__round_tables") as shown:
    if shown:  # a reader opens it now and then: built only then
        imrf = ref.grouping("imrf2022")
        st.caption(imrf.note.get(lang) if imrf.note else "")
        st.dataframe(objectives_by_section_table(ref, lang, imrf), hide_index=True, width="stretch")
