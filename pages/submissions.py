"""Submissions (secretariat): the state of every country report at a glance; every cell opens the review."""

import streamlit as st

from gcm.i18n import t
from gcm.ui.auth import actor, scope_for
from gcm.ui.context import Read, built, language, page_header, read, reference
from gcm.ui.review import table_height
from gcm.ui.submissions_view import countries_by_name, cycles_table, objectives_table, short_state
from gcm.ui.widgets import cycle_selector, page_of
from gcm.ui.workflow_panel import state_words

lang = language()
ref = reference()
page_header(lang, "submissions.title", "submissions.intro")


LINK = st.column_config.LinkColumn
SHOWN = r"#(.*)$"
country_col = t(lang, "common.country")
state_col = t(lang, "workflow.state")

cycle_id = cycle_selector(lang, read("cycles"), read("current_cycle_id"), "submissions__cycle")
counts = read("submission_state_counts", cycle_id)
figures = st.columns(5)
for column, state in zip(figures, ("submitted", "returned", "validated", "draft", "not_started"), strict=True):
    column.metric(short_state(lang, state), int(counts.get(state, 0)), help=state_words(lang, state))
if counts.get("submitted", 0):
    st.info(t(lang, "flow.await_count", n=int(counts["submitted"])), icon=":material/pending_actions:")

shown = tuple(page_of(lang, built(countries_by_name, lang), "submissions__page"))
states = Read("submissions", None, shown)  # the page's rows in every cycle
by_cycle = built(cycles_table, lang, cycle_id, states, Read("cycles"), shown)
name_width = by_cycle.name_width
st.subheader(t(lang, "submissions.by_cycle"))
st.dataframe(
    by_cycle.styled,
    hide_index=True,
    width="stretch",
    height=table_height(len(by_cycle.table)),
    column_config={  # the cycles' columns take the width of their names
        c: LINK(c, display_text=SHOWN, pinned=c == country_col, width=name_width if c == country_col else None, help=c)
        for c in by_cycle.table.columns
    },
    key="submissions__by_cycle",
)
st.caption(t(lang, "flow.order", cycle=by_cycle.cycle_name))

st.subheader(t(lang, "submissions.by_objective"))
matrix = Read("status_matrix", cycle_id, None, scope_for(actor()), shown)  # the page's rows only
by_objective = built(objectives_table, lang, cycle_id, states, matrix, shown)
st.dataframe(
    by_objective.styled,
    hide_index=True,
    width="stretch",
    height=table_height(len(by_objective.table)),
    column_config={  # each column as wide as its longest text on this page: no state or status cut
        country_col: LINK(country_col, display_text=SHOWN, pinned=True, width=name_width),
        state_col: st.column_config.TextColumn(width=by_objective.widths[state_col]),
    }
    | {
        str(o.number): st.column_config.TextColumn(
            str(o.number), help=o.short.get(lang), width=by_objective.widths[str(o.number)]
        )
        for o in ref.objectives
    },
    key="submissions__by_objective",
)
st.caption(t(lang, "flow.grid_help"))
