"""Drawing the regional findings of one round table and a country's one-page summary
(shared by the Regional findings page, presenter mode and the country one-pager)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from gcm import charts
from gcm.i18n import t
from gcm.permissions import ReadScope
from gcm.reference import Reference
from gcm.ui.context import read
from gcm.ui.widgets import inert


def section_title(lang: str, sections: pd.DataFrame, number: int, provisional: bool) -> str:
    title = sections.loc[sections["section"] == number, f"title_{lang}"].iloc[0]
    return f"{title} ({t(lang, 'chart.provisional')})" if provisional else title


def draw_section(
    ref: Reference,
    lang: str,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    number: int,
    sections: pd.DataFrame,
    provisional: bool,
    statuses: tuple[str, ...] | None = None,
    key: str = "findings",
) -> None:
    """Objectives, status across countries, priorities, top categories and quotations of one section."""
    objectives = [int(o) for o in sections.loc[sections["section"] == number, "objective"]]
    countries = read("member_countries", group)
    matrix = read("status_matrix", cycle_id, group, scope)
    if statuses:
        matrix = matrix[matrix["status"].isin(statuses)]
    name = {c.iso3: c.name.get(lang) for c in ref.countries}
    st.plotly_chart(
        charts.objective_status_figure(ref, lang, matrix, countries, objectives, t(lang, "findings.status_title")),
        key=f"{key}__status__{number}",
        config={"displaylogo": False},
    )
    priorities = read("priority_countries", cycle_id, group, scope, statuses)
    lines = []
    for n in objectives:
        who = sorted(name[c] for c in priorities.loc[priorities["objective"] == n, "country"])
        lines.append(f"- **{n}. {ref.objective(n).short.get(lang)}**: {', '.join(who) if who else '—'}")
    st.markdown(f"**{t(lang, 'findings.prioritised_by')}**\n\n" + "\n".join(lines))
    cols = st.columns(2)
    for col, kind, color in ((cols[0], "challenge", "#b35806"), (cols[1], "priority", "#542788")):
        counts = read("category_counts", cycle_id, group, scope, kind, statuses)
        counts = counts[counts["section"] == number]
        with col:
            if counts.empty:
                st.caption(t(lang, f"findings.no_{kind}"))
            else:
                st.plotly_chart(
                    charts.category_figure(ref, lang, counts, t(lang, f"findings.top_{kind}"), color),
                    key=f"{key}__{kind}__{number}",
                    config={"displaylogo": False},
                )
    quotes = read("quotations", cycle_id, group, scope, 3, statuses)
    quotes = quotes[quotes["section"] == number]
    for field in ("challenges", "priorities"):
        rows = quotes[quotes["field"] == field]
        if rows.empty:
            continue
        st.markdown(f"**{t(lang, f'findings.quotes_{field}')}**")
        for row in rows.itertuples():
            st.markdown(
                f"> {inert(row.text)}\n>\n> — {inert(name[row.country])}, "
                f"{inert(t(lang, 'common.objective_n', n=int(row.objective)))}"
            )


def draw_country_summary(ref: Reference, lang: str, country: str, cycle_id: str, scope: ReadScope) -> None:
    """A country's report on one page: status by round table, national priorities, top texts, completeness."""
    cycle = read("cycles").set_index("id").loc[cycle_id]
    sections = read("sections", cycle["grouping"])
    facts = read("country_highlights", country, cycle_id, scope, 3)
    statuses = facts["statuses"]
    st.markdown(f"**{t(lang, 'report.completeness', n=len(statuses), total=len(ref.objectives))}**")
    cols = st.columns(sections["section"].nunique())
    for col, (number, rows) in zip(cols, sections.groupby("section"), strict=True):
        col.markdown(f"**{charts.section_label(lang, bool(cycle['provisional']), int(number))}**")
        for objective in (int(o) for o in rows["objective"]):
            status = statuses.get(objective)
            text = ref.status(status).label.get(lang) if status else t(lang, "status.not_reported")
            col.caption(inert(f"{objective}. {ref.objective(objective).short.get(lang)} — {text}"))
    names = ", ".join(f"{n}. {ref.objective(n).short.get(lang)}" for n in facts["priorities"])
    st.markdown(f"**{t(lang, 'onepager.national_priorities')}:** {inert(names) or '—'}")
    for field, quotes in facts["top"].items():
        st.markdown(f"**{t(lang, f'onepager.top_{field}')}**")
        if not quotes:
            st.caption("—")
        for n, text in quotes:
            st.markdown(f"- {inert(text)} ({inert(t(lang, 'common.objective_n', n=n))})")
