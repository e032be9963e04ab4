"""Review process: how the regional reviews were organised (consultations, participants), as charts."""

import datetime as dt

import streamlit as st

from gcm import charts, insights, review_process
from gcm.i18n import t
from gcm.reference import Text
from gcm.ui.actions import act
from gcm.ui.auth import actor
from gcm.ui.context import language, page_header, read
from gcm.ui.report_form import show_flash
from gcm.ui.widgets import inert

lang = language()
user = actor()
page_header(lang, "review.title", "review.intro")
show_flash()
events = read("review_events")
names = dict(zip(events["id"], events[f"name_{lang}"], strict=True))
event_id = st.selectbox(
    t(lang, "review.event"), list(names), index=len(names) - 1, format_func=names.__getitem__, key="review__event"
)
figures = read("review_figures", event_id)
label = f"label_{lang}"
for kind, color in (("stage", "#0b5ea8"), ("group", "#542788"), ("audience", "#b35806")):
    rows = figures[figures["kind"] == kind]
    if rows.empty:
        continue
    st.subheader(t(lang, f"review.{kind}"))
    if kind == "group":
        st.caption(t(lang, "review.group_total", total=int(rows["value"].sum())))
    labels = [
        f"{r[label]} ({r['start']:%Y-%m-%d})" if kind == "stage" and r["start"] else r[label]
        for _, r in rows.iterrows()
    ]
    st.markdown(inert(insights.figures_summary(lang, labels, [int(v) for v in rows["value"]])))
    st.plotly_chart(
        charts.figures_bar(labels, list(rows["value"]), t(lang, f"review.{kind}"), color, t(lang, "review.people")),
        key=f"review__{kind}",
        config={"displaylogo": False},
    )
    with st.expander(t(lang, "overview.data_table")):
        st.dataframe(
            rows[[label, "value"]].rename(
                columns={label: t(lang, f"review.{kind}"), "value": t(lang, "review.people")}
            ),
            hide_index=True,
            width="stretch",
        )

if user.is_admin:
    st.subheader(t(lang, "review.record"))
    template = read("review_figures", events["id"].iloc[0])
    with st.form("review__record"):
        cols = st.columns(2)
        new_id = cols[0].text_input(t(lang, "review.event_id"), max_chars=64, help=t(lang, "review.event_id_help"))
        start = cols[1].date_input(t(lang, "common.start"), value=dt.date.today())
        name_en = cols[0].text_input(t(lang, "review.name_en"), max_chars=300)
        end = cols[1].date_input(t(lang, "common.end"), value=dt.date.today())
        name_es = cols[0].text_input(t(lang, "review.name_es"), max_chars=300)
        values = {}
        grid = st.columns(3)
        for i, (_, row) in enumerate(template[template["kind"].isin(["group", "audience"])].iterrows()):
            values[(row["kind"], row["key"])] = (
                grid[i % 3].number_input(row[label], min_value=0, step=1, value=0),
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
