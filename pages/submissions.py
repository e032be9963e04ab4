"""Submissions (secretariat): the state of every country report at a glance."""

import streamlit as st

from gcm.i18n import t
from gcm.ui.context import language, page_header, read, reference
from gcm.ui.widgets import cycle_selector
from gcm.ui.workflow_panel import STATE_ICONS

lang = language()
ref = reference()
page_header(lang, "submissions.title", "submissions.intro")


def state_label(state: str) -> str:
    return f"{STATE_ICONS.get(state, '')} {t(lang, f'state.{state}')}"


cycles = read("cycles")
names = {r.id: r[f"name_{lang}"] for _, r in cycles.iterrows()}
states = read("submissions")
country_names = {c.iso3: c.name.get(lang) for c in ref.countries}

st.subheader(t(lang, "submissions.by_cycle"))
matrix = states.pivot(index="country", columns="cycle", values="state").map(state_label)
matrix = matrix.reindex(columns=[c for c in cycles["id"] if c in matrix.columns])
matrix.index = [country_names[c] for c in matrix.index]
matrix.columns = [names[c] for c in matrix.columns]
st.dataframe(matrix.sort_index(), width="stretch", height=36 * (len(matrix) + 1))
totals = states.groupby(["cycle", "state"]).size().unstack(fill_value=0)
st.caption(" · ".join(f"{state_label(s)}: {int(totals[s].sum())}" for s in totals.columns))

st.subheader(t(lang, "submissions.by_objective"))
cycle_id = cycle_selector(lang, cycles, read("current_cycle_id"), "submissions__cycle")
group_states = read("submissions", cycle_id).set_index("country")["state"]
matrix = read("status_matrix", cycle_id, None)
table = matrix.pivot(index="country", columns="objective", values="status").reindex(
    index=[c.iso3 for c in ref.countries], columns=[o.number for o in ref.objectives]
)
levels = {s.key: s for s in ref.statuses}
table = table.map(lambda key: str(levels[key].level) if isinstance(key, str) else "·")
table.insert(0, t(lang, "workflow.state"), [state_label(group_states.get(c, "not_started")) for c in table.index])
table.index = [country_names[c] for c in table.index]
table.columns = [str(c) for c in table.columns]
colors = {str(s.level): s.color for s in ref.statuses}


def cell_style(value: str) -> str:
    color = colors.get(value)
    text = "white" if value in ("0", "4") else "black"
    return (
        f"background-color: {color}; color: {text}; text-align: center" if color else "color: #999; text-align: center"
    )


styled = table.style.map(cell_style, subset=[str(o.number) for o in ref.objectives])
st.dataframe(styled, width="stretch", height=38 * (len(table) + 1))
st.caption(
    " · ".join(f"{s.level} = {s.label.get(lang)}" for s in ref.statuses) + f" · · = {t(lang, 'status.not_reported')}"
)
st.caption(t(lang, "submissions.review_hint"))
