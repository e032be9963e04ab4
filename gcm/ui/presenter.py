"""Presenter mode: the workshop agenda as slides (opening, country presentations, round tables,
discussion prompts, good practices), with large type and high contrast. Every slide renders the
briefing model, as the HTML, PPTX and PDF packs do."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from gcm import charts, insights
from gcm.briefing import AGENDA_ORDER  # noqa: F401  (re-exported for the page)
from gcm.briefing.model import Briefing
from gcm.i18n import t
from gcm.permissions import ReadScope
from gcm.reference import Reference
from gcm.ui.chart_display import show_chart
from gcm.ui.context import figure, reference
from gcm.ui.findings_view import (
    CHART_CONFIG,
    briefing,
    draw_country_section,
    draw_section,
    reported_cells,
    round_table_parts,
)
from gcm.ui.widgets import data_table, inert

SLIDE_KEY = "presenter__slide"
# Fixed style for the slides: no user text ever reaches it.
PRESENTER_CSS = """<style>
[data-testid="stMainBlockContainer"] { font-size: 1.3rem; max-width: 1500px; }
[data-testid="stMainBlockContainer"] h1 { font-size: 3rem; color: #111; }
[data-testid="stMainBlockContainer"] h2 { font-size: 2.3rem; color: #111; }
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li { color: #111; }
</style>"""


@dataclass(frozen=True)
class Slide:
    kind: str  # opening | country | section | discussion | practices
    ref: str | int | None = None


def build_slides(countries: list[str], sections: list[int]) -> list[Slide]:
    return (
        [Slide("opening")]
        + [Slide("country", c) for c in countries]
        + [Slide("section", n) for n in sections]
        + [Slide("discussion"), Slide("practices")]
    )


def model_slides(model: Briefing) -> list[Slide]:
    """The slides of a briefing: its countries, in its order, then its round tables."""
    return build_slides([c.iso3 for c in model.countries], [table.number for table in model.round_tables])


def slide_title(ref: Reference, lang: str, slide: Slide, model: Briefing) -> str:
    if slide.kind == "country":
        return ref.country(str(slide.ref)).name.get(lang)
    if slide.kind == "section":
        return next(table.title for table in model.round_tables if table.number == slide.ref)
    return t(lang, f"presenter.{slide.kind}")


def opening_figure(lang: str, cycle_id: str, group: str | None, scope: ReadScope, order: tuple[str, ...]) -> go.Figure:
    """The opening slide's chart: status by round table (built once per data revision)."""
    model = briefing(lang, cycle_id, group, scope, order)
    return charts.status_by_section_figure(reference(), lang, model.section_frame(), model.provisional)


def draw_slide(
    ref: Reference, lang: str, slide: Slide, model: Briefing, scope: ReadScope, order: tuple[str, ...]
) -> None:
    st.html(PRESENTER_CSS)
    st.header(slide_title(ref, lang, slide, model))
    args = (lang, model.cycle_id, model.group, scope, order)
    if slide.kind == "opening":
        st.subheader(model.cycle_name)
        cols = st.columns(3)
        cols[0].metric(t(lang, "home.countries_reporting"), f"{model.countries_reporting} / {model.members}")
        cols[1].metric(t(lang, "home.objectives_covered"), f"{model.objectives_covered} / {model.objective_total}")
        expected = model.members * model.objective_total
        share = round(reported_cells(model) / expected * 100) if expected else 0
        cols[2].metric(t(lang, "home.share_complete"), f"{share}%")
        sections = model.section_frame()
        st.markdown(inert(insights.section_summary(ref, lang, sections, model.provisional)))
        show_chart(figure(opening_figure, *args), key="presenter__opening", config=CHART_CONFIG)
        data_table(lang, "presenter__opening", lambda: insights.section_table(ref, lang, sections, model.provisional))
    elif slide.kind == "country":
        country = next(c for c in model.countries if c.iso3 == slide.ref)
        draw_country_section(ref, lang, model, country, scope)
    elif slide.kind == "section":
        table = next(table for table in model.round_tables if table.number == slide.ref)
        draw_section(ref, lang, table, figure(round_table_parts, *args, None, table.number), key="presenter")
    elif slide.kind == "discussion":
        draw_discussion(lang, model)
    else:
        draw_practices(lang, model)


def draw_discussion(lang: str, model: Briefing) -> None:
    """Prompts drawn from the challenge categories most countries share."""
    if not model.prompts:
        st.caption(t(lang, "findings.no_challenge"))
    for prompt in model.prompts:
        st.markdown(f"### {t(lang, 'presenter.prompt', category=prompt.label)}")
        st.caption(t(lang, "presenter.prompt_basis", count=prompt.count))


def draw_practices(lang: str, model: Briefing) -> None:
    if not model.practices:
        st.caption(t(lang, "presenter.no_practices"))
    for quote in model.practices:
        st.markdown(
            f"- **{inert(quote.country)}** ({inert(t(lang, 'common.objective_n', n=quote.objective))}): "
            f"{inert(quote.text)}"
        )
