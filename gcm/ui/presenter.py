"""Presenter mode: the workshop agenda as slides (opening, country presentations, the countries that have not
reported yet, round tables, discussion prompts, good practices), with large type and high contrast. Every slide
renders its part of the briefing model, built by the functions that build the HTML, PPTX and PDF packs' model."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from gcm import charts, findings, insights
from gcm.briefing import (
    AGENDA_ORDER,  # noqa: F401  (re-exported for the page)
    model,
)
from gcm.briefing.model import CategoryCount, Opening, Quote, RoundTableHead
from gcm.i18n import t
from gcm.permissions import ReadScope
from gcm.queries import of_cycle, of_group
from gcm.reference import Reference
from gcm.ui.chart_display import show_chart
from gcm.ui.context import REFERENCE, Read, built, figure, read, reference
from gcm.ui.findings_view import (
    CHART_CONFIG,
    COUNTRY_PARTS,
    SECTION_PARTS,
    draw_country_section,
    draw_round_table,
    reported_in,
)
from gcm.ui.widgets import data_table, inert

SLIDE_KEY = "presenter__slide"
SHOWN_KEY = "presenter__shown"  # the slide itself: its place moves when a country's first report comes in
# Fixed style for the slides: no user text ever reaches it.
PRESENTER_CSS = """<style>
[data-testid="stMainBlockContainer"] { font-size: 1.3rem; max-width: 1500px; padding-top: 4rem; padding-bottom: 1rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 3rem; color: #111; }
[data-testid="stMainBlockContainer"] h2 { font-size: 2.3rem; color: #111; }
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li { color: #111; }
[data-testid="stMainBlockContainer"] [data-testid="stMarkdownContainer"] :is(p, li) { font-size: 1.25rem; }
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"] { font-size: 1.05rem; }
</style>"""


@dataclass(frozen=True)
class Slide:
    kind: str  # opening | country | not_reported | section | discussion | practices
    ref: str | int | None = None
    part: str | None = None  # of a country (COUNTRY_PARTS) or a round table (SECTION_PARTS): each on its own slide


def build_slides(countries: list[str], sections: list[int], not_reported: bool = False) -> list[Slide]:
    """The agenda as slides, each fitting a projector's screen: a country's section and a round table's each
    over as many slides as they have parts (status, then texts; status, categories, then quotations). The
    `countries` are those that present; with `not_reported`, one slide after theirs names those that have not
    reported yet (`model.country_agenda`), which have none of their own."""
    return (
        [Slide("opening")]
        + [Slide("country", c, part) for c in countries for part in COUNTRY_PARTS]
        + ([Slide("not_reported")] if not_reported else [])
        + [Slide("section", n, part) for n in sections for part in SECTION_PARTS]
        + [Slide("discussion"), Slide("practices")]
    )


@dataclass(frozen=True)
class Agenda:
    """What every slide of a session knows: the briefing's opening facts, its round tables' names, the countries
    presenting (the chosen order, members with a report only), those that have not reported yet (in that order)
    and who reads. Each slide reads only its own part of the briefing (`gcm.briefing.model`), so a change during
    the session rebuilds the slide on screen, not the deck."""

    opening: Opening
    heads: tuple[RoundTableHead, ...]
    countries: tuple[str, ...]
    scope: ReadScope
    not_reported: tuple[str, ...] = ()

    @property
    def slides(self) -> list[Slide]:
        return build_slides(list(self.countries), [head.number for head in self.heads], bool(self.not_reported))


def slide_at(slides: list[Slide], shown: Slide | None, index: int) -> int:
    """Where the slide on screen (`shown`, last at `index`) is in `slides`, built again after a change: a country's
    first report during the session adds its slides before the one on screen, a country that had none leaves the
    "not yet reported" slide. The same slide, else that slide for a country no longer presenting, else the same
    place (within the deck)."""
    if shown in slides:
        return slides.index(shown)
    if shown is not None and shown.kind == "country" and Slide("not_reported") in slides:
        return slides.index(Slide("not_reported"))
    return max(0, min(index, len(slides) - 1))


def slide_on_screen(slides: list[Slide]) -> int:
    """The number of the slide this session shows among `slides`, built again on every run (`slide_at`)."""
    index = slide_at(slides, st.session_state.get(SHOWN_KEY), st.session_state.get(SLIDE_KEY, 0))
    _show(slides, index)
    return index


def move(slides: list[Slide], delta: int) -> None:
    """on_click of Previous / Next: `delta` slides on, within the deck."""
    _show(slides, max(0, min(len(slides) - 1, st.session_state.get(SLIDE_KEY, 0) + delta)))


def _show(slides: list[Slide], index: int) -> None:
    st.session_state[SLIDE_KEY], st.session_state[SHOWN_KEY] = index, slides[index]


def opening_of(lang: str, cycle_id: str, group: str | None, scope: ReadScope) -> Opening:
    """The briefing's opening facts (`model.opening_of`), its cycle's setting read once per change of cycles, its
    headline figures and counts by round table each cached on its own and kept up to date country by country
    (`spliced_reads`)."""
    setting = read(model.cycle_setting, lang, cycle_id)
    return built(
        model.opening_of,
        REFERENCE,
        lang,
        cycle_id,
        setting,
        group,
        scope.states is None,
        Read("reporting_figures", cycle_id, group, scope),
        Read("status_by_section", cycle_id, group, scope),
    )


def agenda_of(lang: str, cycle_id: str, group: str | None, scope: ReadScope, order: tuple[str, ...]) -> Agenda:
    countries = read(model.presenting_countries, cycle_id, group, scope, order)
    return Agenda(
        opening=opening_of(lang, cycle_id, group, scope),
        heads=read(model.round_table_heads, REFERENCE, lang, cycle_id),
        countries=countries.presenting,
        scope=scope,
        not_reported=countries.not_reported,
    )


def slide_title(ref: Reference, lang: str, slide: Slide, heads: tuple[RoundTableHead, ...]) -> str:
    """The slide's heading: the country's or round table's name, or the slide's own."""
    if slide.kind == "country":
        return ref.country(str(slide.ref)).name.get(lang)
    if slide.kind == "section":
        return next(head.title for head in heads if head.number == slide.ref)
    return t(lang, f"presenter.{slide.kind}")


def slide_caption(ref: Reference, lang: str, slide: Slide, heads: tuple[RoundTableHead, ...]) -> str:
    """What the slide shows, for its heading and the bar above it: its title, and which part of a section."""
    title = slide_title(ref, lang, slide, heads)
    return f"{title} · {t(lang, f'presenter.part_{slide.kind}_{slide.part}')}" if slide.part else title


@of_cycle()
@of_group()
def opening_figure(lang: str, cycle_id: str, group: str | None, scope: ReadScope) -> go.Figure:
    """The opening slide's chart: status by round table (built once per data revision)."""
    opening = opening_of(lang, cycle_id, group, scope)
    return charts.status_by_section_figure(reference(), lang, opening.section_frame(), opening.provisional)


@of_cycle()
@of_group()
def opening_facts(lang: str, cycle_id: str, group: str | None, scope: ReadScope) -> tuple[int, str]:
    """The opening slide's share complete (%) and its chart's summary (built once per data revision)."""
    opening = opening_of(lang, cycle_id, group, scope)
    sections = opening.section_frame()
    share = insights.share_complete(reported_in(sections), opening.members, opening.objective_total)
    return share, insights.section_summary(reference(), lang, sections, opening.provisional)


def draw_slide(ref: Reference, lang: str, slide: Slide, agenda: Agenda) -> None:
    st.html(PRESENTER_CSS)
    st.header(slide_caption(ref, lang, slide, agenda.heads))
    opening, scope = agenda.opening, agenda.scope
    args = (lang, opening.cycle_id, opening.group, scope)
    if slide.kind == "opening":
        draw_opening(ref, lang, opening, figure(opening_figure, *args), built(opening_facts, *args))
    elif slide.kind == "country":
        country = read(model.country_section, REFERENCE, lang, str(slide.ref), opening.cycle_id, scope)
        draw_country_section(ref, lang, opening, agenda.heads, country, scope, (str(slide.part),))
    elif slide.kind == "not_reported":
        draw_not_reported(ref, lang, agenda.not_reported)
    elif slide.kind == "section":
        draw_round_table(ref, lang, (*args, None, int(slide.ref)), key="presenter", parts=(str(slide.part),))
    elif slide.kind == "discussion":
        draw_discussion(lang, built(model.prompts_of, REFERENCE, lang, Read(findings.round_table_counts, *args[1:])))
    else:
        draw_practices(lang, read(model.practice_quotes, REFERENCE, *args))


def draw_opening(ref: Reference, lang: str, opening: Opening, chart: go.Figure, facts: tuple[int, str]) -> None:
    """The opening slide: headline figures, the chart of status by round table with its summary (`facts`:
    `opening_facts`) and its data table."""
    share, summary = facts
    st.subheader(opening.cycle_name)
    cols = st.columns(3)
    cols[0].metric(t(lang, "home.countries_reporting"), f"{opening.countries_reporting} / {opening.members}")
    cols[1].metric(t(lang, "home.objectives_covered"), f"{opening.objectives_covered} / {opening.objective_total}")
    cols[2].metric(t(lang, "home.share_complete"), f"{share}%")
    st.markdown(inert(summary))
    show_chart(chart, key="presenter__opening", config=CHART_CONFIG)
    data_table(
        lang,
        "presenter__opening",
        lambda: insights.section_table(ref, lang, opening.section_frame(), opening.provisional),
    )


def draw_not_reported(ref: Reference, lang: str, countries: tuple[str, ...]) -> None:
    """The one slide that names the countries with no report in the cycle (they have no slides of their own), in
    the agenda's order, in columns (`model.name_columns`)."""
    st.markdown(inert(t(lang, "presenter.not_reported_note", n=len(countries))))
    columns = model.name_columns([ref.country(c).name.get(lang) for c in countries])
    for column, names in zip(st.columns(len(columns)), columns, strict=True):
        column.markdown("\n".join(f"- {inert(name)}" for name in names))


def draw_discussion(lang: str, prompts: tuple[CategoryCount, ...]) -> None:
    """Prompts drawn from the challenge categories most countries share."""
    if not prompts:
        st.caption(t(lang, "findings.no_challenge"))
    for prompt in prompts:
        st.markdown(f"### {t(lang, 'presenter.prompt', category=prompt.label)}")
        st.caption(t(lang, "presenter.prompt_basis", count=prompt.count))


def draw_practices(lang: str, practices: tuple[Quote, ...]) -> None:
    if not practices:
        st.caption(t(lang, "presenter.no_practices"))
    for quote in practices:
        st.markdown(
            f"- **{inert(quote.country)}** ({inert(t(lang, 'common.objective_n', n=quote.objective))}): "
            f"{inert(quote.text)}"
        )
