"""Submissions (secretariat): the state of every country report at a glance; every cell opens the review."""

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from gcm.i18n import t
from gcm.ui.context import language, page_header, read, reference
from gcm.ui.review import STATE_COLORS, state_colors, status_colors, styled, table_height
from gcm.ui.widgets import cycle_selector
from gcm.ui.workflow_panel import STATE_ICONS, state_words

lang = language()
ref = reference()
page_header(lang, "submissions.title", "submissions.intro")


def short_state(state: str) -> str:
    return f"{STATE_ICONS.get(state, '')} {t(lang, f'state.{state}')}"


def review_link(country: str, cycle_id: str, text: str) -> str:
    """The Country report in review mode; the text after # is what the cell shows."""
    query = urlencode({"country": country, "cycle": cycle_id, "mode": "review", "lang": lang})
    return f"/country_report?{query}#{text}"


LINK = st.column_config.LinkColumn
SHOWN = r"#(.*)$"
cycles = read("cycles").iloc[::-1]  # oldest first, left to right
names = dict(zip(cycles["id"], cycles[f"name_{lang}"], strict=True))
states = read("submissions")
country_names = {c.iso3: c.name.get(lang) for c in ref.countries}
order = sorted(country_names, key=country_names.__getitem__)
current = read("current_cycle_id")
country_col = t(lang, "common.country")

cycle_id = cycle_selector(lang, read("cycles"), current, "submissions__cycle")
counts = read("submissions", cycle_id)["state"].value_counts()
figures = st.columns(5)
for column, state in zip(figures, ("submitted", "returned", "validated", "draft", "not_started"), strict=True):
    column.metric(short_state(state), int(counts.get(state, 0)), help=state_words(lang, state))
if counts.get("submitted", 0):
    st.info(t(lang, "flow.await_count", n=int(counts["submitted"])), icon=":material/pending_actions:")

st.subheader(t(lang, "submissions.by_cycle"))
by_cycle = states.pivot(index="country", columns="cycle", values="state").reindex(
    index=order, columns=list(cycles["id"])
)
table = pd.DataFrame({country_col: [review_link(c, cycle_id, country_names[c]) for c in order]})
for cid in cycles["id"]:
    table[names[cid]] = [review_link(c, cid, short_state(by_cycle.loc[c, cid])) for c in order]
colors = {short_state(s): css for s, css in zip(STATE_COLORS, state_colors(lang).values(), strict=True)}
st.dataframe(
    table.style.map(lambda url: colors.get(url.rsplit("#", 1)[1], ""), subset=list(names.values())),
    hide_index=True,
    width="stretch",
    height=table_height(len(table)),
    column_config={
        c: LINK(c, display_text=SHOWN, pinned=c == country_col, width="medium", help=c) for c in table.columns
    },
    key="submissions__by_cycle",
)
st.caption(t(lang, "flow.order", cycle=names[cycle_id]))

st.subheader(t(lang, "submissions.by_objective"))
group_states = read("submissions", cycle_id).set_index("country")["state"]
matrix = read("status_matrix", cycle_id, None)
labels = {s.key: s.label.get(lang) for s in ref.statuses}
grid = matrix.pivot(index="country", columns="objective", values="status").reindex(
    index=order, columns=[o.number for o in ref.objectives]
)
grid = grid.map(lambda key: labels.get(key, t(lang, "status.not_reported")) if isinstance(key, str) else "·")
grid.columns = [str(c) for c in grid.columns]
state_col = t(lang, "workflow.state")
grid.insert(0, state_col, [state_words(lang, group_states.get(c, "not_started")) for c in order])
grid.insert(0, country_col, [review_link(c, cycle_id, country_names[c]) for c in order])
st.dataframe(
    styled(grid, status_colors(ref, lang) | state_colors(lang), [state_col, *grid.columns[2:]]),
    hide_index=True,
    width="stretch",
    height=table_height(len(grid)),
    column_config={country_col: LINK(country_col, display_text=SHOWN, pinned=True, width="medium")}
    | {str(o.number): st.column_config.TextColumn(str(o.number), help=o.short.get(lang)) for o in ref.objectives},
    key="submissions__by_objective",
)
st.caption(t(lang, "flow.grid_help"))
