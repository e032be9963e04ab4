"""Coverage explorer: countries × objectives (status), × guiding principles or × categories (counts).

Filters live in the URL, so a view can be bookmarked; clicking a cell opens that report below.
"""

from functools import partial

import streamlit as st

from gcm.explore import coverage, coverage_chart
from gcm.i18n import t
from gcm.ui import explorer_view as view
from gcm.ui.auth import actor, scope_for, scope_note
from gcm.ui.chart_display import show_chart
from gcm.ui.context import REFERENCE, Read, built, figure, language, page_header, read, reference
from gcm.ui.downloads import download_buttons
from gcm.ui.review import counted_countries
from gcm.ui.widgets import cycle_names, data_table, inert

lang = language()
ref = reference()
scope = scope_for(actor())

page_header(lang, "explorer.title", "explorer.intro")
st.caption(scope_note(lang, scope))

cycles = read("cycles")
groupings = read(coverage.groupings)
options = view.options_for(ref, cycles, groupings, read("latest_reported_cycle_id", None, scope))
ignored = view.seed_from_url(options)
if ignored:
    st.caption(t(lang, "explorer.bad_params", names=", ".join(ignored)))
view.filter_widgets(lang, ref, options, cycles, groupings)

state = st.session_state
cycle_id, mode = state[view.WIDGETS["cycle"]], state[view.WIDGETS["mode"]]
group_key = state[view.WIDGETS["group"]]
group = None if group_key == "ALL" else group_key
filters = view.filters()
cycle_name = cycle_names(lang, cycles)[cycle_id]
group_name = view.group_label(lang, group_key)
grouping_id, provisional = view.grouping_in_use(cycles, groupings, lang)
members = built(coverage.order_countries, REFERENCE, lang, Read("member_countries", group))
countries = counted_countries(lang, ref, cycle_id, group, scope, members)  # awaiting: said apart, not "not reported"

if mode == "objectives":
    cells = Read(coverage.status_cells, scope, cycle_id, group, filters)
    summary = built(coverage.status_summary, REFERENCE, lang, cells, cycle_name, group_name, filters)
else:
    counts = Read(coverage.tag_counts, scope, cycle_id, group, mode, filters)
    summary = built(coverage.counts_summary, REFERENCE, lang, counts, mode, cycle_name, group_name, len(countries))
st.markdown(f"**{inert(summary)}**")

shown = tuple(view.page_of(lang, countries))  # immutable: it keys the cached figure and table
if mode == "objectives":
    # where the countries fill several pages, the one shown is read on its own: a save on another page keeps it
    paged = len(shown) < len(countries)
    page_cells = Read(coverage.status_cells, scope, cycle_id, group, filters, shown) if paged else cells
    chart = figure(
        coverage_chart.status_matrix_figure,
        REFERENCE,
        lang,
        page_cells,
        shown,
        Read("sections", grouping_id),
        provisional,
        filters.objective,
        filters.narrows,
    )
    order, _ = built(coverage_chart.objective_axis, Read("sections", grouping_id))
    table = partial(built, coverage.status_table, REFERENCE, lang, page_cells, tuple(order), shown, filters.narrows)
else:
    labels = coverage.tag_labels(ref, lang, mode)
    chart = figure(
        coverage_chart.counts_matrix_figure,
        REFERENCE,
        lang,
        counts,
        shown,
        labels,
    )
    table = partial(built, coverage.counts_table, REFERENCE, lang, counts, mode, shown)

st.caption(t(lang, "explorer.select_hint"))
event = show_chart(
    chart,
    key="explorer__chart",
    on_select="rerun",
    selection_mode=("points",),
    config={"displaylogo": False, "scrollZoom": False},
    theme=None,
)
if mode == "objectives" and provisional:
    st.caption(inert(t(lang, "explorer.provisional_axis")))  # its leading * shown, not a list item
view.pick(coverage_chart.selected_cell(event.selection if event else None))
view.write_url()

cell = view.opened_cell(mode, ref)
if cell and mode == "objectives":
    detail = read(coverage.report_detail, scope, cell[0], cycle_id, int(cell[1]))
    view.report_panel(ref, lang, detail, cell[0], int(cell[1]), cycle_name)
elif cell:
    rows = read(coverage.tagged_reports, scope, cell[0], cycle_id, mode, cell[1], filters)
    view.tagged_panel(ref, lang, rows, cell[0], mode, cell[1])

name = f"coverage-{cycle_id}-{group_key}-{mode}".lower()
# The table is built (and cached) only once the reader opens it.
data_table(
    lang,
    "explorer",
    table,
    hide_index=True,
    below=lambda frame: download_buttons(lang, frame, name, "explorer__download"),
)
