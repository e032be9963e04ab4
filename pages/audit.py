"""Audit (secretariat): every workflow event, sign-in, refusal and account change, filtered, paged, downloadable."""

import datetime as dt
from functools import partial

import streamlit as st

from gcm import accounts
from gcm.accounts import AuditFilter
from gcm.audit_detail import actor_name
from gcm.i18n import catalogue, t
from gcm.ui.audit_view import export_table, shown_events
from gcm.ui.auth import actor
from gcm.ui.context import REFERENCE, kept_with, language, page_header, read, read_as_of, read_now, reference
from gcm.ui.downloads import download_buttons
from gcm.ui.review import table_height
from gcm.ui.widgets import cycle_names, date_format, inert, page_number

PAGE = 50
lang = language()
ref = reference()
user = actor()
page_header(lang, "audit.title", "audit.intro")

cycles = read("cycles")
kinds = sorted(k.removeprefix("audit.kind.") for k in catalogue(lang) if k.startswith("audit.kind."))
names = {c.iso3: c.name.get(lang) for c in ref.countries}
countries = sorted(names, key=names.__getitem__)
cycle_label = cycle_names(lang, cycles, short=True)
log = read_now(accounts.audit_mark, user)
top = st.columns(3)
country = top[0].selectbox(
    t(lang, "common.country"),
    countries,
    index=None,
    key="audit__country",
    format_func=names.__getitem__,
    placeholder=t(lang, "flow.any"),
)
cycle_id = top[1].selectbox(
    t(lang, "common.cycle"),
    list(cycle_label),
    index=None,
    key="audit__cycle",
    format_func=cycle_label.__getitem__,
    placeholder=t(lang, "flow.any"),
)
person = top[2].selectbox(
    t(lang, "audit.column.username"),
    read_as_of(log, accounts.audit_people, user),
    index=None,
    key="audit__person",
    format_func=lambda who: actor_name(lang, who),
    placeholder=t(lang, "flow.any"),
)
bottom = st.columns([2, 1])
chosen = bottom[0].multiselect(
    t(lang, "audit.column.kind"),
    kinds,
    select_all=False,  # Streamlit's "Select all" is in English only
    key="audit__kinds",
    format_func=lambda k: t(lang, f"audit.kind.{k}"),
    placeholder=t(lang, "flow.any"),
)
dates = bottom[1].date_input(
    t(lang, "flow.dates"), value=(), key="audit__dates", max_value=dt.date.today(), format=date_format(lang)
)
since, until = (*tuple(dates), None, None)[:2] if isinstance(dates, tuple | list) else (dates, dates)
where = AuditFilter(country, cycle_id, person, tuple(chosen), since, until or since)

# Not through the cached reads: sign-ins, sign-outs and refused actions add to the log without moving a data
# revision. What was read of it is kept until the log's mark (its length and newest event, read now) moves.
total = read_as_of(log, accounts.audit_count, user, where)
# Other filters, another list: its first page.
page = page_number(lang, total, f"audit__page__{hash(where)}", PAGE, label_key="flow.events_page")

events = read_as_of(log, accounts.audit_events, user, where, PAGE, (int(page) - 1) * PAGE)
if not events:
    st.info(t(lang, "audit.no_match" if where.narrows else "audit.empty"))
else:
    st.caption(t(lang, "flow.showing", first=(page - 1) * PAGE + 1, last=(page - 1) * PAGE + len(events), total=total))
    drawn = kept_with(shown_events, events, lang, REFERENCE, cycle_label)
    shown = drawn.table
    st.caption(t(lang, "audit.pick"))
    picked = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=table_height(len(shown)),
        # What happened (the detail) before where from (the address): at a laptop's width the detail starts on
        # screen, the address is scrolled to. Who and the cycle are sized to this page's longest, the detail gets
        # room: sized to their first rows, cells would be cut.
        column_order=[*shown.columns[:5], shown.columns[6], shown.columns[5]],
        column_config={
            shown.columns[0]: st.column_config.TextColumn(pinned=True),
            shown.columns[2]: st.column_config.TextColumn(width=drawn.who_width),
            shown.columns[4]: st.column_config.TextColumn(width=drawn.cycle_width),
            shown.columns[6]: st.column_config.TextColumn(width="large"),
        },
        key=f"audit__table__{page}__{hash(where)}",  # another page or filter: another table, nothing chosen
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = [row for row in (picked.selection.rows if picked else []) if row < len(shown)]
    if rows:  # a long comment is cut in its cell: the chosen event in full
        event = shown.iloc[rows[0]]
        with st.container(border=True):
            st.markdown(" · ".join(inert(str(value)) for value in event.iloc[:5] if str(value)))
            st.markdown(inert(str(event.iloc[6])) or "—")
    download_buttons(lang, partial(export_table, lang, ref, cycle_label, user, where), "audit-log", "audit__download")
