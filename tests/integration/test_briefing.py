"""The briefing pack: a self-contained HTML file and a PowerPoint deck with a slide per section."""

import io

from pptx import Presentation
from sqlalchemy import Engine

from gcm import briefing, deck, demo
from gcm.db import read_session, write_session
from gcm.permissions import ReadScope
from gcm.reference import Reference
from tests.conftest import skip_or_fail

SUBMITTED = ReadScope(states=("submitted", "validated"))


def _demo(engine: Engine, ref: Reference) -> None:
    with write_session(engine) as session:
        demo.load_demo(session, ref)


def test_html_pack_is_self_contained_and_escapes_text(sqlite_engine: Engine, ref: Reference) -> None:
    _demo(sqlite_engine, ref)
    steps: list[float] = []
    with read_session(sqlite_engine) as session:
        html = briefing.briefing_html(
            session,
            ref,
            "en",
            "imrf2022",
            "CRM",
            SUBMITTED,
            list(briefing.AGENDA_ORDER),
            progress=lambda share, text: steps.append(share),
        )
    assert html.count("<script") >= 9 and "cdn.plot.ly/plotly" not in html.split("<body>")[1][:2000]
    assert html.count("<h2>") == 1 + 11 + 4 + 2
    assert steps[-1] == 1.0 and steps == sorted(steps)  # the progress bar only moves forward


def test_pptx_deck_has_a_slide_per_section_with_chart_images(sqlite_engine: Engine, ref: Reference) -> None:
    if deck.chromium_path() is None:
        skip_or_fail("Chromium is needed to render the deck's charts")
    _demo(sqlite_engine, ref)
    with read_session(sqlite_engine) as session:
        content = deck.briefing_pptx(session, ref, "es", "imrf2022", "CRM", SUBMITTED, list(briefing.AGENDA_ORDER))
    slides = list(Presentation(io.BytesIO(content)).slides)
    titles = [s.shapes.title.text for s in slides]
    assert titles[1] == "Resumen de apertura" and titles[2:13][0] == "Belice" and titles[-1] == "Buenas prácticas"
    assert titles[13:17] == [f"Mesa redonda {n}" for n in range(1, 5)]
    pictures = [sum(1 for shape in s.shapes if shape.shape_type == 13) for s in slides]
    assert pictures[1] == 1 and pictures[13:17] == [1, 1, 1, 1]


def test_pdf_has_a_page_per_section(sqlite_engine: Engine, ref: Reference) -> None:
    import re

    if deck.chromium_path() is None:
        skip_or_fail("Chromium is needed to print the PDF")
    _demo(sqlite_engine, ref)
    with read_session(sqlite_engine) as session:
        html = briefing.briefing_html(session, ref, "en", "imrf2022", "CRM", SUBMITTED, list(briefing.AGENDA_ORDER))
    pdf = deck.html_to_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 1 + 11 + 4 + 2
