"""The briefing deck and PDF as a recipient opens them: the deck rendered by LibreOffice Impress, both read
back with poppler. Every text block inside its page, no two overlapping, each chart image on one page.
Screenshots of every slide go to artifacts/briefing/ for a person to look at."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine

from gcm import briefing, demo
from gcm.db import read_session, write_session
from gcm.i18n import t
from gcm.permissions import ReadScope
from gcm.reference import Reference
from tests.conftest import ROOT, skip_or_fail

pytestmark = pytest.mark.e2e

ARTIFACTS = ROOT / "artifacts" / "briefing"
SUBMITTED = ReadScope(states=("submitted", "validated"))
TOLERANCE = 0.5  # points: glyph boxes of adjacent lines may touch


def _tools() -> None:
    for tool in ("soffice", "pdftotext", "pdftoppm", "pdfimages"):
        if shutil.which(tool) is None:
            skip_or_fail(f"{tool} is needed (Debian packages libreoffice-impress and poppler-utils)")
    if briefing.chromium_path() is None:
        skip_or_fail("Chromium is needed to draw the charts")


def _blocks(pdf: Path) -> list[tuple[int, float, float, list[tuple[str, float, float, float, float]]]]:
    """Per page: number, width, height and its text blocks (text, xMin, yMin, xMax, yMax)."""
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    root = ET.fromstring(re.sub(rb'xmlns="[^"]+"', b"", xhtml, count=1))
    pages = []
    for number, page in enumerate(root.iter("page"), start=1):
        blocks = []
        for block in page.iter("block"):
            words = " ".join(w.text or "" for w in block.iter("word"))
            blocks.append((words, *(float(block.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))))
        pages.append((number, float(page.get("width")), float(page.get("height")), blocks))
    return pages


def _check_layout(pdf: Path) -> int:
    pages = _blocks(pdf)
    for number, width, height, blocks in pages:
        for text, x0, y0, x1, y1 in blocks:
            assert x0 >= 0 and y0 >= 0 and x1 <= width and y1 <= height, f"page {number}: {text!r} leaves the page"
        for i, a in enumerate(blocks):
            for b in blocks[i + 1 :]:
                overlap_x = min(a[3], b[3]) - max(a[1], b[1])
                overlap_y = min(a[4], b[4]) - max(a[2], b[2])
                assert overlap_x <= TOLERANCE or overlap_y <= TOLERANCE, f"page {number}: {a[0]!r} overlaps {b[0]!r}"
    return len(pages)


def _images_per_page(pdf: Path) -> list[tuple[int, int]]:
    """(page, object id) of each image drawn, from `pdfimages -list`."""
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, check=True, text=True).stdout
    rows = []
    for line in listing.splitlines()[2:]:
        fields = line.split()
        if fields and fields[2] == "image":
            rows.append((int(fields[0]), int(fields[10])))
    return rows


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    import os

    from gcm.bootstrap import prepare_database
    from gcm.config import load_config
    from gcm.db import dispose_engines

    folder = tmp_path_factory.mktemp("briefing")
    previous = os.environ.get("GCM_DATABASE_URL")
    os.environ["GCM_DATABASE_URL"] = f"sqlite:///{folder / 'db.sqlite'}"
    try:
        engine = prepare_database(load_config())
        from gcm.bootstrap import reference_for

        with write_session(engine) as session:
            demo.load_demo(session, reference_for(str(ROOT / "data")))
        yield engine
    finally:
        dispose_engines()
        if previous is None:
            os.environ.pop("GCM_DATABASE_URL", None)
        else:
            os.environ["GCM_DATABASE_URL"] = previous


@pytest.mark.parametrize("lang", ["es", "en"])
def test_deck_renders_inside_its_slides_without_overlaps(
    demo_engine: Engine, ref: Reference, lang: str, tmp_path: Path
) -> None:
    _tools()
    with read_session(demo_engine) as session:
        model = briefing.briefing_model(session, ref, lang, "imrf2022", "CRM", SUBMITTED)
    source = tmp_path / f"deck-{lang}.pptx"
    source.write_bytes(briefing.render_pptx(ref, model))
    pdf = _convert(source, tmp_path)
    slides = _check_layout(pdf)
    assert not model.not_reported  # every member reported in the demo's cycle: no "not yet reported" slide
    assert (
        slides
        == 2 + len(model.countries) + len(model.round_tables) + sum(1 for r in model.round_tables if r.quotes) + 2
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"deck-{lang}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(ARTIFACTS / f"deck-{lang}")], check=True)
    assert len(list(ARTIFACTS.glob(f"deck-{lang}-*.png"))) == slides


def test_pdf_pack_keeps_text_inside_and_each_chart_on_one_page(
    demo_engine: Engine, ref: Reference, tmp_path: Path
) -> None:
    _tools()
    with read_session(demo_engine) as session:
        model = briefing.briefing_model(session, ref, "es", "imrf2022", "CRM", SUBMITTED)
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(briefing.render_pdf(ref, model))
    _check_layout(pdf)
    images = _images_per_page(pdf)
    charts = 1 + sum(1 + bool(r.challenges) + bool(r.priorities) for r in model.round_tables)
    objects = [obj for _, obj in images]
    # A chart split across pages would be drawn on both: each image object appears on exactly one page.
    assert len(set(objects)) == charts and len(objects) == charts, images
    text = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True).stdout
    assert model.title in text and "Página 2 /" in text  # the print header and page numbers


def test_pdf_pack_breaks_a_word_longer_than_a_line(demo_engine: Engine, ref: Reference, tmp_path: Path) -> None:
    """A quoted text holding a word wider than the page (a pasted web address) is broken at the margin, every
    character of it printed, none cut off at the page's edge."""
    _tools()
    with read_session(demo_engine) as session:
        model = briefing.briefing_model(session, ref, "es", "imrf2022", "CRM", SUBMITTED)
    word = "https://example.org/" + "".join(f"tramo{n:03d}" for n in range(80))  # 660 characters, no space
    first = model.countries[0]
    (field, quoted), *rest = first.highlights
    highlights = ((field, (replace(quoted[0], text=f"Antes {word} después"), *quoted[1:])), *rest)
    model = replace(model, countries=(replace(first, highlights=highlights), *model.countries[1:]))
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(briefing.render_pdf(ref, model))
    _check_layout(pdf)  # every text block inside its page
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert word in re.sub(r"\s", "", text)  # broken across lines, nothing cut at the margin


def _convert(source: Path, folder: Path) -> Path:
    """`source` (a PPTX deck) as a PDF in `folder`, by LibreOffice."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return source.with_suffix(".pdf")


@pytest.mark.parametrize(("lang", "presenting"), [("es", 1), ("en", 0)])
def test_countries_that_have_not_reported_share_one_slide_and_one_page(
    demo_engine: Engine, ref: Reference, lang: str, presenting: int, tmp_path: Path
) -> None:
    """The countries with no report in the cycle are named on one slide (one PDF section) after the countries'
    presentations, inside the slide and overlapping nothing; none has a slide or page of its own."""
    _tools()
    with read_session(demo_engine) as session:
        model = briefing.briefing_model(session, ref, lang, "imrf2022", "CRM", SUBMITTED)
    # The demo's open cycle holds no report: as the model puts it once `presenting` of its countries reported.
    model = replace(
        model,
        countries=model.countries[:presenting],
        not_reported=tuple(c.name for c in model.countries[presenting:]),
    )
    source = tmp_path / f"deck-{lang}.pptx"
    source.write_bytes(briefing.render_pptx(ref, model))
    deck = _convert(source, tmp_path)
    quotes = sum(1 for r in model.round_tables if r.quotes)
    assert _check_layout(deck) == 2 + presenting + 1 + len(model.round_tables) + quotes + 2
    slide = 3 + presenting
    text = subprocess.run(
        ["pdftotext", "-f", str(slide), "-l", str(slide), str(deck), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert t(lang, "presenter.not_reported") in text
    assert all(name in text for name in model.not_reported), text

    pdf = tmp_path / f"pack-{lang}.pdf"
    pdf.write_bytes(briefing.render_pdf(ref, model))
    _check_layout(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count(t(lang, "presenter.not_reported")) == 2  # in the contents, and its section
    assert all(name in text for name in model.not_reported)
