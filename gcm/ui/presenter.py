"""Presenter mode: the workshop agenda as slides (opening, country presentations, round tables,
discussion prompts, good practices), with large type and high contrast."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from gcm import charts
from gcm.briefing import AGENDA_ORDER  # noqa: F401  (re-exported for the page)
from gcm.i18n import t
from gcm.permissions import ReadScope
from gcm.reference import Reference
from gcm.ui.context import read
from gcm.ui.findings_view import draw_country_summary, draw_section, section_title
from gcm.ui.widgets import inert

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


def slide_title(ref: Reference, lang: str, slide: Slide, sections: pd.DataFrame, provisional: bool) -> str:
    if slide.kind == "country":
        return ref.country(str(slide.ref)).name.get(lang)
    if slide.kind == "section":
        return section_title(lang, sections, int(slide.ref), provisional)
    return t(lang, f"presenter.{slide.kind}")


def draw_slide(
    ref: Reference,
    lang: str,
    slide: Slide,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    sections: pd.DataFrame,
    provisional: bool,
) -> None:
    st.html(PRESENTER_CSS)
    st.header(slide_title(ref, lang, slide, sections, provisional))
    if slide.kind == "opening":
        cycle = read("cycles").set_index("id").loc[cycle_id]
        figures = read("headline", cycle_id, group, scope)
        st.subheader(cycle[f"name_{lang}"])
        cols = st.columns(3)
        cols[0].metric(t(lang, "home.countries_reporting"), f"{figures['countries_reporting']} / {figures['members']}")
        cols[1].metric(t(lang, "home.objectives_covered"), f"{figures['objectives_covered']} / {len(ref.objectives)}")
        expected = figures["members"] * len(ref.objectives)
        cols[2].metric(
            t(lang, "home.share_complete"), f"{round(figures['reports'] / expected * 100) if expected else 0}%"
        )
        counts = read("status_by_section", cycle_id, group, scope)
        st.plotly_chart(
            charts.status_by_section_figure(ref, lang, counts, provisional),
            key="presenter__opening",
            config={"displaylogo": False},
        )
    elif slide.kind == "country":
        draw_country_summary(ref, lang, str(slide.ref), cycle_id, scope)
    elif slide.kind == "section":
        draw_section(ref, lang, cycle_id, group, scope, int(slide.ref), sections, provisional, key="presenter")
    elif slide.kind == "discussion":
        draw_discussion(ref, lang, cycle_id, group, scope)
    else:
        draw_practices(ref, lang, cycle_id, group, scope)


def draw_discussion(ref: Reference, lang: str, cycle_id: str, group: str | None, scope: ReadScope) -> None:
    """Prompts drawn from the challenge categories most countries share."""
    counts = read("category_counts", cycle_id, group, scope, "challenge", None)
    labels = {c.key: c.label.get(lang) for c in ref.categories}
    top = counts.groupby("category")["count"].sum().sort_values(ascending=False).head(4)
    if top.empty:
        st.caption(t(lang, "findings.no_challenge"))
    for category, count in top.items():
        st.markdown(f"### {t(lang, 'presenter.prompt', category=labels.get(category, category))}")
        st.caption(t(lang, "presenter.prompt_basis", count=int(count)))


def draw_practices(ref: Reference, lang: str, cycle_id: str, group: str | None, scope: ReadScope) -> None:
    practices = read("good_practices", cycle_id, group, scope, 8)
    if practices.empty:
        st.caption(t(lang, "presenter.no_practices"))
    for row in practices.itertuples():
        country = ref.country(row.country).name.get(lang)
        st.markdown(
            f"- **{inert(country)}** ({inert(t(lang, 'common.objective_n', n=int(row.objective)))}): {inert(row.text)}"
        )
