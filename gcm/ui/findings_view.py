"""Drawing the regional findings of one round table and a country's one-page summary
(shared by the Regional findings page, presenter mode and the country one-pager).

The findings page and presenter mode render parts of the briefing model (`gcm.briefing.model`), the one the
HTML, PPTX and PDF packs render, each part built by the model's own function and read on its own: the open
round table, the opening facts, a country's section. Each is read once per data revision, and its figures are
built once per revision too (`gcm.ui.context.figure`), so a rerun that changes nothing only sends what was
already built, and a change rebuilds only what is on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from gcm import charts, findings, insights
from gcm.briefing import FORMATS, ChromiumMissing, build_pack, model
from gcm.briefing.model import CategoryCount, CountrySection, Opening, RoundTable, RoundTableHead
from gcm.db import read_session
from gcm.i18n import t
from gcm.permissions import ReadScope
from gcm.queries import NOT_REPORTED, section_cells
from gcm.reference import Reference
from gcm.ui.chart_display import show_chart
from gcm.ui.context import REFERENCE, Read, built, engine, kept_with, read, revision_of
from gcm.ui.widgets import data_table, inert

CATEGORY_COLORS = {"challenge": "#b35806", "priority": "#542788"}
CHART_CONFIG = {"displaylogo": False}


def reported_in(section_counts: pd.DataFrame) -> int:
    """How many reports the counts per section and status (`queries.status_by_section`) hold."""
    return int(section_counts.loc[section_counts["status"] != NOT_REPORTED, "count"].sum())


def opening_round_table(heads: tuple[RoundTableHead, ...], section_counts: pd.DataFrame) -> str | None:
    """The title of the round table the page opens on: the first that holds a report, by the counts per section
    and status (`queries.status_by_section`); None when none does."""
    reported = {
        section
        for (section, status), count in section_cells(section_counts).items()
        if status != NOT_REPORTED and count
    }
    return next((head.title for head in heads if head.number in reported), None)


@dataclass(frozen=True)
class SectionParts:
    """What a round table's section draws, built once per data revision: charts with their summaries."""

    status: go.Figure
    status_summary: str
    challenge: go.Figure | None
    priority: go.Figure | None


@dataclass(frozen=True)
class SectionTables:
    """The data tables under a round table's charts (None where a chart is not drawn)."""

    status: pd.DataFrame
    challenge: pd.DataFrame | None
    priority: pd.DataFrame | None


def _category_figure(lang: str, kind: str, cited: tuple[CategoryCount, ...]) -> go.Figure | None:
    if not cited:
        return None
    return charts.category_figure(lang, cited, t(lang, f"findings.top_{kind}"), CATEGORY_COLORS[kind])


def section_parts(ref: Reference, lang: str, table: RoundTable) -> SectionParts:
    """A round table's status bars with their summary, and its two category charts (None when nothing was
    cited)."""
    counts = table.status_frame()  # reports awaiting validation are left out by the model, and named by the page
    objectives = [n for n, _ in table.objectives]
    return SectionParts(
        status=charts.objective_status_counts_figure(ref, lang, counts, objectives, t(lang, "findings.status_title")),
        status_summary=insights.objective_status_summary(ref, lang, counts),
        challenge=_category_figure(lang, "challenge", table.challenges),
        priority=_category_figure(lang, "priority", table.priorities),
    )


def section_tables(ref: Reference, lang: str, table: RoundTable) -> SectionTables:
    """The data of a round table's charts as tables."""
    return SectionTables(
        status=insights.objective_status_table(ref, lang, table.status_frame()),
        challenge=insights.category_table(lang, table.challenges) if table.challenges else None,
        priority=insights.category_table(lang, table.priorities) if table.priorities else None,
    )


def round_table(
    lang: str, cycle_id: str, group: str | None, scope: ReadScope, statuses: tuple[str, ...] | None, number: int
) -> RoundTable:
    """Round table `number` from reads of its own objectives (the findings page and presenter mode show one at
    a time), each cached on its own revision, the group's counts kept up to date country by country
    (`spliced_reads`); its head from the round tables of the cycle, cached until a change of cycles."""
    head = next(h for h in read(model.round_table_heads, REFERENCE, lang, cycle_id) if h.number == number)
    objectives = tuple(n for n, _ in head.objectives)
    return built(
        model.round_table_of,
        REFERENCE,
        lang,
        head,
        Read(findings.round_table_counts, cycle_id, group, scope, statuses, objectives),
        Read(findings.quotation_candidates, cycle_id, group, scope, statuses, objectives),
        Read("awaiting_validation", cycle_id, group, scope),
        Read("member_countries", group),
    )


# The parts of a round table's section, in their order: presenter mode shows each on a slide of its own.
SECTION_PARTS = ("status", "categories", "quotes")


def draw_round_table(
    ref: Reference,
    lang: str,
    args: tuple[str, str, str | None, ReadScope, tuple[str, ...] | None, int],
    key: str = "findings",
    parts: tuple[str, ...] = SECTION_PARTS,
) -> None:
    """Round table `args[-1]` of the findings page or presenter mode, those of its `parts` given; `args` are
    `round_table`'s arguments (language, cycle, group, scope, status filter, number). Its charts and their tables
    are drawn again only when the round table changed (`context.kept_with`): a workflow step that leaves its counts
    and quotations as they were draws nothing again; the tables only once a reader opens one."""
    table = round_table(*args)
    draw_section(
        ref,
        lang,
        table,
        kept_with(section_parts, table, REFERENCE, lang),
        lambda: kept_with(section_tables, table, REFERENCE, lang),
        key,
        parts,
    )


def draw_section(
    ref: Reference,
    lang: str,
    table: RoundTable,
    parts: SectionParts,
    tables: Callable[[], SectionTables],
    key: str = "findings",
    shown: tuple[str, ...] = SECTION_PARTS,
) -> None:
    """Status across countries, national priorities and top categories, and quotations of one round table (those
    of `SECTION_PARTS` in `shown`); every chart with a one-sentence summary above it and its data as a table
    below it (`tables` is called only once the reader opens one)."""
    if "status" in shown:
        st.markdown(inert(parts.status_summary))
        show_chart(parts.status, key=f"{key}__status__{table.number}", config=CHART_CONFIG)
        data_table(lang, f"{key}__status__{table.number}", lambda: tables().status)
    if "categories" in shown:
        _draw_categories(ref, lang, table, parts, tables, key)
    if "quotes" in shown:
        _draw_quotes(lang, table)


def _draw_categories(
    ref: Reference, lang: str, table: RoundTable, parts: SectionParts, tables: Callable[[], SectionTables], key: str
) -> None:
    """Who made each objective a national priority, and the challenge and priority categories most cited."""
    lines = [
        f"- **{n}. {ref.objective(n).short.get(lang)}**: {', '.join(who) if who else '—'}"
        for n, who in table.prioritised_by
    ]
    st.markdown(f"**{t(lang, 'findings.prioritised_by')}**")
    half = (len(lines) + 1) // 2  # in two columns: a slide holds the list and the charts below it
    for column, part in zip(st.columns(2), (lines[:half], lines[half:]), strict=True):
        column.markdown("\n".join(part))
    charts_by_kind = (
        ("challenge", parts.challenge, lambda: tables().challenge, table.challenges),
        ("priority", parts.priority, lambda: tables().priority, table.priorities),
    )
    for col, (kind, chart, frame, cited) in zip(st.columns(2), charts_by_kind, strict=True):
        with col:
            if chart is None:
                st.caption(t(lang, f"findings.no_{kind}"))
            else:
                top = cited[0]
                st.markdown(
                    inert(
                        t(lang, "summary.categories", top=top.label, top_reports=t(lang, "count.reports", n=top.count))
                    )
                )
                show_chart(chart, key=f"{key}__{kind}__{table.number}", config=CHART_CONFIG)
                data_table(lang, f"{key}__{kind}__{table.number}", frame, hide_index=True)


def _draw_quotes(lang: str, table: RoundTable) -> None:
    """The countries' own words on the round table's challenges and priorities."""
    if not table.quotes:
        st.caption(t(lang, "findings.no_quotes"))
    for field in ("challenges", "priorities"):
        quotes = [q for q in table.quotes if q.field == field]
        if not quotes:
            continue
        st.markdown(f"**{t(lang, f'findings.quotes_{field}')}**")
        for q in quotes:  # the words, then who said them, in one paragraph: a slide holds six
            st.markdown(
                f"> {inert(q.text)} — *{inert(q.country)}, {inert(t(lang, 'common.objective_n', n=q.objective))}*"
            )


def _said_unreadable(lang: str, country: str, cycle_id: str, scope: ReadScope) -> bool:
    """Say in one sentence why a country's summary shows no report (not reported, or not readable by this reader
    yet) and return True; False when there is a report to show."""
    note = findings.summary_note(read("country_standing_of", country, cycle_id, scope), scope)
    if note is not None:
        icon = ":material/info:" if note == "flow.summary_not_reported" else ":material/pending_actions:"
        st.info(t(lang, note), icon=icon)
    return note is not None


# The parts of a country's section, in their order: presenter mode shows each on a slide of its own.
COUNTRY_PARTS = ("status", "texts")


def draw_country_section(
    ref: Reference,
    lang: str,
    opening: Opening,
    heads: tuple[RoundTableHead, ...],
    country: CountrySection,
    scope: ReadScope,
    parts: tuple[str, ...] = COUNTRY_PARTS,
) -> None:
    """A country's section of the briefing, those of its `parts` given: status by round table and national
    priorities ("status"), main texts ("texts")."""
    if _said_unreadable(lang, country.iso3, opening.cycle_id, scope):
        return
    if "status" in parts:
        _draw_country_status(ref, lang, opening, heads, country)
    if "texts" in parts:
        _draw_country_texts(lang, country)


def _draw_country_status(
    ref: Reference, lang: str, opening: Opening, heads: tuple[RoundTableHead, ...], country: CountrySection
) -> None:
    st.markdown(f"**{t(lang, 'report.completeness', n=country.reported, total=country.total)}**")
    labels = {s.key: s.label for s in opening.statuses}
    strip = dict(enumerate(country.strip, start=1))
    for col, head in zip(st.columns(len(heads)), heads, strict=True):
        col.markdown(f"**{charts.section_label(lang, opening.provisional, head.number)}**")
        for objective, _ in head.objectives:
            key = strip.get(objective, NOT_REPORTED)
            name = f"{objective}. {ref.objective(objective).short.get(lang)}"
            _status_line(col, name, labels[key], key != NOT_REPORTED)
    names = ", ".join(f"{n}. {ref.objective(n).short.get(lang)}" for n in country.priorities)
    st.markdown(f"**{t(lang, 'onepager.national_priorities')}:** {inert(names) or '—'}")


def _draw_country_texts(lang: str, country: CountrySection) -> None:
    for field, highlights in country.highlights:
        st.markdown(f"**{t(lang, f'onepager.top_{field}')}**")
        if not highlights:
            st.caption("—")
        for h in highlights:
            st.markdown(f"- {inert(h.text)} ({inert(t(lang, 'common.objective_n', n=h.objective))})")


def _status_line(where: Any, objective: str, status: str, reported: bool) -> None:
    """One objective and its status: in the text's colour with the status in bold where reported (legible on a
    projector), in grey where not."""
    if reported:
        where.markdown(f"{inert(objective)} — **{inert(status)}**")
    else:
        where.caption(inert(f"{objective} — {status}"))


def draw_country_summary(ref: Reference, lang: str, country: str, cycle_id: str, scope: ReadScope) -> None:
    """A country's report on one page: status by round table, national priorities, top texts, completeness."""
    cycle = read("cycles").set_index("id").loc[cycle_id]
    sections = read("sections", cycle["grouping"])
    if _said_unreadable(lang, country, cycle_id, scope):
        return
    facts = read("country_highlights", country, cycle_id, scope, 3)
    statuses = facts["statuses"]
    st.markdown(f"**{t(lang, 'report.completeness', n=len(statuses), total=len(ref.objectives))}**")
    cols = st.columns(sections["section"].nunique())
    for col, (number, rows) in zip(cols, sections.groupby("section"), strict=True):
        col.markdown(f"**{charts.section_label(lang, bool(cycle['provisional']), int(number))}**")
        for objective in (int(o) for o in rows["objective"]):
            status = statuses.get(objective)
            text = ref.status(status).label.get(lang) if status else t(lang, "status.not_reported")
            _status_line(col, f"{objective}. {ref.objective(objective).short.get(lang)}", text, bool(status))
    names = ", ".join(f"{n}. {ref.objective(n).short.get(lang)}" for n in facts["priorities"])
    st.markdown(f"**{t(lang, 'onepager.national_priorities')}:** {inert(names) or '—'}")
    for field, quotes in facts["top"].items():
        st.markdown(f"**{t(lang, f'onepager.top_{field}')}**")
        if not quotes:
            st.caption("—")
        for n, text in quotes:
            st.markdown(f"- {inert(text)} ({inert(t(lang, 'common.objective_n', n=n))})")


def pack_buttons(ref: Reference, lang: str, cycle_id: str, group: str | None, scope: ReadScope) -> None:
    """The two briefing packs (HTML, PPTX): each built on its button's click, with a progress bar, then offered
    for download."""
    # Each pack built stays ready to download while the cycle, group and language are those it was built for:
    # preparing the other one must not take its button away.
    packs = st.session_state.setdefault("findings__packs", {})
    # a change of what the pack shows since (for a rehearsal, any draft's save): the pack is built again
    built_for = (cycle_id, group, lang, scope, revision_of(insights.briefing_model_for, lang, cycle_id, group, scope))
    for column, fmt in zip(st.columns(2), ("html", "pptx"), strict=True):
        with column:
            if st.button(t(lang, f"findings.pack_{fmt}"), key=f"findings__pack__{fmt}", icon=":material/folder_zip:"):
                bar = st.progress(0.0)
                try:
                    with read_session(engine()) as session:
                        packs[fmt] = (
                            built_for,
                            build_pack(
                                session,
                                ref,
                                lang,
                                cycle_id,
                                group,
                                scope,
                                fmt,
                                progress=lambda share, text, bar=bar: bar.progress(share, text=text),
                            ),
                        )
                except ChromiumMissing:
                    st.error(t(lang, "findings.no_chromium"))
                bar.empty()
            if fmt in packs and packs[fmt][0] == built_for:
                st.download_button(
                    t(lang, f"findings.pack_{fmt}_ready"),
                    data=packs[fmt][1],
                    file_name=f"briefing-{cycle_id}-{lang}.{fmt}",
                    mime=FORMATS[fmt].mime,
                    key=f"findings__pack__{fmt}__download",
                    on_click="ignore",
                    icon=":material/download:",
                    type="primary",
                )
