"""Compare cycles: status change per country and objective between two cycles, and what a country's text changed."""

import streamlit as st

from gcm.charts import status_label
from gcm.explore import compare, profile_charts, profile_insights, profiles
from gcm.i18n import t
from gcm.ui.auth import actor, scope_for, scope_note
from gcm.ui.context import REFERENCE, Read, built, figure, language, page_header, read, reference
from gcm.ui.links import group_select, objective_link, url_select
from gcm.ui.profile_view import change_count_parts, chart_block, cycle_select, diff_legend, narrative_diffs
from gcm.ui.review import awaiting_note
from gcm.ui.widgets import cycle_names, inert, page_of

lang = language()
ref = reference()
scope = scope_for(actor())
page_header(lang, "compare.title", "compare.intro")
st.caption(scope_note(lang, scope))

cycles = read("cycles")
names = cycle_names(lang, cycles, short=True)  # charts and headings; sentences take the full names
full = cycle_names(lang, cycles)
by_id = cycles.set_index("id")
recent = read(profiles.cycles_with_reports, scope)
recent += [c for c in cycles["id"] if c not in recent]  # newest first; cycles with readable reports lead
default_b, default_a = recent[0], recent[1 % len(recent)]
top = st.columns([2, 2, 3])  # the group's name is the longest
cycle_a = cycle_select(lang, cycles, default_a, "compare__a", "a", t(lang, "compare.cycle_a"), top[0])
cycle_b = cycle_select(lang, cycles, default_b, "compare__b", "b", t(lang, "compare.cycle_b"), top[1])
group = group_select(lang, "compare__group", top[2])
pair_names = (names[cycle_a], names[cycle_b])
full_pair = (full[cycle_a], full[cycle_b])
levels = compare.status_levels(ref)

if cycle_a == cycle_b:
    st.info(t(lang, "compare.same_cycle"), icon=":material/info:")
else:
    changes_read = Read(compare.status_changes, cycle_a, cycle_b, group, scope, levels)
    counted = figure(change_count_parts, lang, changes_read, full_pair)
    countries = read("member_countries", group)
    for cycle in (cycle_a, cycle_b):  # said apart, as `compare.status_changes` leaves them out
        countries = awaiting_note(lang, ref, cycle, group, scope, countries, full[cycle])
    chart_block(
        lang,
        *counted,
        f"changes-{cycle_a}-{cycle_b}",
        "compare__counts",
        t(lang, "compare.counts_title"),
    )
    if by_id.loc[cycle_a, "grouping"] != by_id.loc[cycle_b, "grouping"]:
        st.caption(t(lang, "compare.groupings_differ"))
    provisional = (bool(by_id.loc[cycle_a, "provisional"]), bool(by_id.loc[cycle_b, "provisional"]))
    by_name = ref.by_name(countries, lang)
    st.subheader(t(lang, "compare.matrix_title"))
    page = page_of(lang, by_name, "compare__page", hint_key="common.paged_matrix")
    chart_block(
        lang,
        built(profile_insights.matrix_summary, REFERENCE, lang, changes_read),
        figure(profile_charts.change_matrix_figure, REFERENCE, lang, changes_read, tuple(page), pair_names),
        lambda: built(profile_insights.changes_table, REFERENCE, lang, changes_read, provisional),
        f"changes-{cycle_a}-{cycle_b}-by-country",
        "compare__matrix",
        None,
    )

    st.subheader(t(lang, "compare.what_changed_title"))
    st.caption(t(lang, "compare.what_changed_intro", a=full_pair[0], b=full_pair[1]))
    pick = st.columns([2, 3])
    # every member when all await validation: their texts then say they cannot be read yet
    members = ref.by_name(countries or read("member_countries", group), lang)
    country = url_select(
        "country",
        "compare__country",
        t(lang, "common.country"),
        members,
        members[0],
        lambda c: ref.country(c).name.get(lang),
        pick[0],
    )
    first, change_of = built(compare.country_changes, changes_read, country)  # not the frame, each run
    objective = url_select(
        "objective",
        "compare__objective",
        t(lang, "common.objective"),
        [o.number for o in ref.objectives],
        first or 1,
        lambda n: f"{n}. {ref.objective(n).short.get(lang)}",
        pick[1],
    )
    objective_link(lang, objective, cycle_b, t(lang, "compare.objective_link", n=objective))
    texts = read(compare.what_changed, country, objective, cycle_a, cycle_b, scope)
    before, after = texts["a"], texts["b"]
    status = [status_label(ref, lang, side["status"] if side else "not_reported") for side in (before, after)]
    marker = f" ({profile_charts.change_label(lang, change_of[objective])})" if objective in change_of else ""
    st.markdown(f"**{t(lang, 'chart.status')}:** {inert(status[0])} → {inert(status[1])}{inert(marker)}")
    for side, cycle_name in ((before, pair_names[0]), (after, pair_names[1])):
        if side is None:
            st.caption(t(lang, "compare.not_readable", cycle=cycle_name))
    diff_legend(lang)
    diffs = built(narrative_diffs, Read(compare.what_changed, country, objective, cycle_a, cycle_b, scope))
    for field in profiles.NARRATIVE:
        st.markdown(f"**{t(lang, f'field.{field}')}**")
        with st.container(border=True, key=f"compare__diff__{field}"):
            if field in diffs:
                st.markdown(diffs[field])
            else:
                st.caption(t(lang, "compare.no_text"))
