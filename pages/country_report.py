"""Country report: a delegate enters the country's progress report, objective by objective."""

import streamlit as st

from gcm.i18n import t
from gcm.ui import report_form
from gcm.ui.context import language, read, reference
from gcm.ui.widgets import cycle_selector, grouping_notice

lang = language()
ref = reference()

st.title(t(lang, "report.title"))
st.caption(t(lang, "report.intro"))

countries = sorted((c.iso3 for c in ref.countries), key=lambda iso3: ref.country(iso3).name.get(lang))
cycles = read("cycles")
top = st.columns([2, 2, 2])
country = top[0].selectbox(
    t(lang, "common.country"),
    countries,
    key="report__country",
    index=None,
    placeholder=t(lang, "report.choose_country"),
    format_func=lambda c: ref.country(c).name.get(lang),
)
with top[1]:
    cycle_id = cycle_selector(lang, cycles, read("current_cycle_id"), "report__cycle")
top[2].text_input(t(lang, "field.author"), key=report_form.AUTHOR, max_chars=120, help=t(lang, "report.author_help"))

cycle = cycles.set_index("id").loc[cycle_id]
grouping_notice(lang, cycle)
if country is None:
    st.info(t(lang, "report.pick_country"), icon=":material/flag:")
    st.stop()  # after st.navigation (app.py): ends only this page's run
editable = bool(cycle["is_open"])
if not editable:
    st.info(t(lang, "report.closed"), icon=":material/lock:")

sections = read("sections", cycle["grouping"])
statuses = read("country_statuses", country, cycle_id).set_index("objective")["status"].to_dict()
drafts = report_form.drafts_in(country, cycle_id)

st.subheader(t(lang, "report.completeness", n=len(statuses), total=len(ref.objectives)))
st.progress(len(statuses) / len(ref.objectives))
section_cols = st.columns(sections["section"].nunique())
for col, (number, rows) in zip(section_cols, sections.groupby("section"), strict=True):
    done = sum(int(o) in statuses for o in rows["objective"])
    label = t(lang, "chart.area_n" if cycle["provisional"] else "chart.round_table_n", n=int(number))
    col.metric(label, f"{done} / {len(rows)}")

order = [int(o) for o in sections["objective"]]
section_of = dict(zip(order, sections["section"], strict=True))


def objective_label(n: int) -> str:
    mark = "✎" if n in drafts else ("●" if n in statuses else "○")
    status = ref.status(statuses[n]).label.get(lang) if n in statuses else t(lang, "status.not_reported")
    prefix = t(lang, "report.area_prefix" if cycle["provisional"] else "report.rt_prefix", n=int(section_of[n]))
    return f"{mark} {prefix} · {n}. {ref.objective(n).short.get(lang)} — {status}"


if st.session_state.get("report__objective") not in order:
    st.session_state["report__objective"] = order[0]


def step(delta: int) -> None:
    position = order.index(st.session_state["report__objective"])
    st.session_state["report__objective"] = order[(position + delta) % len(order)]


nav = st.columns([1.4, 6, 1.4], vertical_alignment="bottom")
nav[0].button(
    t(lang, "report.previous"),
    on_click=step,
    args=(-1,),
    key="report__prev",
    icon=":material/arrow_back:",
    width="stretch",
)
objective = nav[1].selectbox(t(lang, "common.objective"), order, key="report__objective", format_func=objective_label)
nav[2].button(
    t(lang, "report.next"),
    on_click=step,
    args=(1,),
    key="report__next",
    icon=":material/arrow_forward:",
    width="stretch",
)
if drafts:
    st.warning(t(lang, "report.unsaved_list", objectives=", ".join(map(str, drafts))), icon=":material/edit:")

info = ref.objective(objective)
st.markdown(f"#### {t(lang, 'common.objective_n', n=objective)}: {info.title.get(lang)}")
st.caption(t(lang, "report.hub_link", url=f"https://migrationnetwork.un.org/hub?gcm_objectives={info.hub_id}"))
report_form.show_flash()
report_form.draw_form(ref, lang, country, cycle_id, objective, editable)
report_form.leave_guard(bool(report_form.drafts_in(country, cycle_id)))
