"""Review process: how the regional reviews were organised (consultations, participants), as charts."""

import datetime as dt

import streamlit as st

from gcm import review_process
from gcm.i18n import t
from gcm.reference import Text
from gcm.ui.actions import act
from gcm.ui.auth import actor
from gcm.ui.chart_display import show_chart
from gcm.ui.context import built, language, page_header, read
from gcm.ui.report_form import show_flash
from gcm.ui.review_process_view import review_blocks
from gcm.ui.widgets import data_table, date_format, inert, lazy_expander

lang = language()
user = actor()
page_header(lang, "review.title", "review.intro")
show_flash()
events = read("review_events")
names = dict(zip(events["id"], events[f"name_{lang}"], strict=True))
event_id = st.selectbox(
    t(lang, "review.event"), list(names), index=len(names) - 1, format_func=names.__getitem__, key="review__event"
)
for block in built(review_blocks, lang, event_id):
    st.subheader(t(lang, f"review.{block.kind}"))
    if block.total is not None:
        st.caption(t(lang, "review.group_total", total=block.total))
    st.markdown(inert(block.summary))
    show_chart(block.figure, key=f"review__{block.kind}")
    data_table(lang, f"review__{block.kind}", block.table, hide_index=True)


def record_form() -> None:
    """The secretariat's form recording a new review event (its figures by stakeholder group and audience)."""
    template = read("review_figures", events["id"].iloc[0])
    with st.form("review__record"):
        cols = st.columns(2)
        new_id = cols[0].text_input(t(lang, "review.event_id"), max_chars=64, help=t(lang, "review.event_id_help"))
        start = cols[1].date_input(t(lang, "common.start"), value=dt.date.today(), format=date_format(lang))
        name_en = cols[0].text_input(t(lang, "review.name_en"), max_chars=300)
        end = cols[1].date_input(t(lang, "common.end"), value=dt.date.today(), format=date_format(lang))
        name_es = cols[0].text_input(t(lang, "review.name_es"), max_chars=300)
        values = {}
        grid = st.columns(3)
        for i, (_, row) in enumerate(template[template["kind"].isin(["group", "audience"])].iterrows()):
            values[(row["kind"], row["key"])] = (
                grid[i % 3].number_input(row[f"label_{lang}"], min_value=0, step=1, value=0),
                row,
            )
        if st.form_submit_button(t(lang, "review.save"), type="primary"):
            event = review_process.ReviewEvent(
                new_id.strip(),
                Text(en=name_en.strip(), es=name_es.strip()),
                start,
                end,
                tuple(
                    review_process.Figure(kind, key, Text(row["label_en"], row["label_es"]), int(value))
                    for (kind, key), (value, row) in values.items()
                    if value
                ),
            )
            act(
                lang,
                user,
                f"record review event {new_id}",
                lambda s: review_process.record_event(s, user, event),
                t(lang, "review.saved"),
                rerun=True,
            )


if user.is_admin:  # the form is built only while its expander is open: a page read far more often than written
    st.subheader(t(lang, "review.record"))
    with lazy_expander(t(lang, "review.new"), "review__new", icon=":material/add:") as shown:
        if shown:
            record_form()
