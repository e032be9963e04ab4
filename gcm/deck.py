"""The briefing pack as a PowerPoint deck (python-pptx): the presenter mode's slides, with the charts
rendered offline as images by kaleido through Debian's Chromium."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import plotly.graph_objects as go
import plotly.io as pio
from pptx import Presentation
from pptx.util import Emu, Inches, Pt
from sqlalchemy.orm import Session

from gcm import charts, findings, queries
from gcm.i18n import t
from gcm.permissions import ReadScope
from gcm.reference import Reference

WIDE, HIGH = Inches(13.333), Inches(7.5)


class ChromiumMissing(RuntimeError):
    """Chart images need a Chromium (Debian's package `chromium`) on this machine."""


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("GCM_CHROMIUM"),
        os.environ.get("BROWSER_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@contextmanager
def image_renderer() -> Iterator[Callable[[go.Figure, int, int], bytes]]:
    """One Chromium kept alive for all the deck's images (about 0.2 s an image after a 3 s start)."""
    import kaleido

    path = chromium_path()
    if path is None:
        raise ChromiumMissing("Chromium not found: install Debian's package 'chromium' or set GCM_CHROMIUM")
    os.environ["BROWSER_PATH"] = path
    pio.defaults.mathjax = False  # never fetched from the internet
    kaleido.start_sync_server(silence_warnings=True)
    try:
        yield lambda figure, width, height: figure.to_image(format="png", width=width, height=height, scale=1.5)
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def _slide(deck: Presentation, title: str):
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    slide.shapes.title.text = title
    slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(34)
    return slide


def _bullets(slide, lines: list[str], left: Emu, top: Emu, width: Emu, height: Emu, size: int = 18) -> None:
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines or ["—"]):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size)


def _picture(slide, png: bytes, left: Emu, top: Emu, width: Emu) -> None:
    slide.shapes.add_picture(io.BytesIO(png), left, top, width=width)


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def briefing_pptx(
    session: Session,
    ref: Reference,
    lang: str,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    countries: list[str],
    progress: Callable[[float, str], None] | None = None,
) -> bytes:
    """A slide per section of the session: title, opening summary, each country, each round table,
    discussion prompts, good practices."""
    report = progress or (lambda share, text: None)
    cycle = queries.cycles(session).set_index("id").loc[cycle_id]
    provisional = bool(cycle["provisional"])
    sections = queries.sections(session, cycle["grouping"])
    numbers = sorted(int(n) for n in sections["section"].unique())
    names = {c.iso3: c.name.get(lang) for c in ref.countries}
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, HIGH
    with image_renderer() as render:
        title = deck.slides.add_slide(deck.slide_layouts[0])
        title.shapes.title.text = t(lang, "briefing.title")
        notes = [cycle[f"name_{lang}"]]
        if scope.states is None:
            notes.append(t(lang, "findings.rehearsal_banner"))
        if queries.report_counts(session)["demo"]:
            notes.append(t(lang, "demo.banner", count=queries.report_counts(session)["demo"]))
        title.placeholders[1].text = "\n".join(notes)

        report(0.02, t(lang, "presenter.opening"))
        slide = _slide(deck, t(lang, "presenter.opening"))
        headline = queries.headline(session, cycle_id, group, scope)
        _bullets(
            slide,
            [
                f"{t(lang, 'home.countries_reporting')}: {headline['countries_reporting']} / {headline['members']}",
                f"{t(lang, 'home.objectives_covered')}: {headline['objectives_covered']} / {len(ref.objectives)}",
            ],
            Inches(0.5),
            Inches(1.4),
            Inches(4),
            Inches(3),
        )
        counts = queries.status_by_section(session, cycle_id, group, scope)
        _picture(
            slide,
            render(charts.status_by_section_figure(ref, lang, counts, provisional), 900, 500),
            Inches(4.6),
            Inches(1.3),
            Inches(8.3),
        )

        steps = len(countries) + len(numbers) + 2
        for i, country in enumerate(countries):
            report((i + 1) / steps, names[country])
            slide = _slide(deck, names[country])
            facts = findings.country_highlights(session, country, cycle_id, scope, per_field=2)
            priorities = ", ".join(f"{n}. {ref.objective(n).short.get(lang)}" for n in facts["priorities"])
            lines = [
                t(lang, "report.completeness", n=len(facts["statuses"]), total=len(ref.objectives)),
                f"{t(lang, 'onepager.national_priorities')}: {priorities or '—'}",
            ]
            for field, quotes in facts["top"].items():
                lines.append(f"{t(lang, f'onepager.top_{field}')}:")
                lines += [f"• {_short(text)}" for _, text in quotes] or ["• —"]
            _bullets(slide, lines, Inches(0.5), Inches(1.3), Inches(12.3), Inches(5.8), size=16)

        matrix = queries.status_matrix(session, cycle_id, group, scope)
        members = queries.member_countries(session, group)
        for i, number in enumerate(numbers):
            label = sections.loc[sections["section"] == number, f"title_{lang}"].iloc[0]
            label += f" ({t(lang, 'chart.provisional')})" if provisional else ""
            report((len(countries) + i + 1) / steps, label)
            slide = _slide(deck, label)
            objectives = [int(o) for o in sections.loc[sections["section"] == number, "objective"]]
            figure = charts.objective_status_figure(
                ref, lang, matrix, members, objectives, t(lang, "findings.status_title")
            )
            _picture(slide, render(figure, 900, 140 + 46 * len(objectives)), Inches(0.3), Inches(1.3), Inches(7.6))
            categories = findings.category_counts(session, cycle_id, group, scope, "challenge")
            categories = categories[categories["section"] == number].head(3)
            labels = {c.key: c.label.get(lang) for c in ref.categories}
            quotes = findings.quotations(session, cycle_id, group, scope, 2)
            quotes = quotes[quotes["section"] == number]
            lines = [f"{t(lang, 'findings.top_challenge')}:"]
            lines += [f"• {labels.get(r.category, r.category)} ({int(r.count)})" for r in categories.itertuples()] or [
                "• —"
            ]
            lines += [f"“{_short(r.text, 120)}” — {names[r.country]}" for r in quotes.itertuples()]
            _bullets(slide, lines, Inches(8.1), Inches(1.3), Inches(4.9), Inches(5.8), size=14)

        report((steps - 1) / steps, t(lang, "presenter.discussion"))
        slide = _slide(deck, t(lang, "presenter.discussion"))
        counts = findings.category_counts(session, cycle_id, group, scope, "challenge")
        labels = {c.key: c.label.get(lang) for c in ref.categories}
        top = counts.groupby("category")["count"].sum().sort_values(ascending=False).head(4)
        _bullets(
            slide,
            [t(lang, "presenter.prompt", category=labels.get(k, k)) for k in top.index],
            Inches(0.6),
            Inches(1.5),
            Inches(12),
            Inches(5),
            size=24,
        )
        slide = _slide(deck, t(lang, "presenter.practices"))
        practices = findings.good_practices(session, cycle_id, group, scope)
        _bullets(
            slide,
            [
                f"{names[r.country]} ({t(lang, 'common.objective_n', n=int(r.objective))}): {_short(r.text)}"
                for r in practices.itertuples()
            ],
            Inches(0.6),
            Inches(1.5),
            Inches(12),
            Inches(5.5),
            size=18,
        )
    report(1.0, t(lang, "briefing.done"))
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def html_to_pdf(html: str, timeout: float = 120) -> bytes:
    """Print the HTML briefing pack to PDF with headless Chromium (a page per section; charts drawn
    from the embedded plotly.js, so nothing is fetched)."""
    import subprocess
    import tempfile
    from pathlib import Path

    path = chromium_path()
    if path is None:
        raise ChromiumMissing("Chromium not found: install Debian's package 'chromium' or set GCM_CHROMIUM")
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "briefing.html", Path(folder) / "briefing.pdf"
        source.write_text(html, encoding="utf-8")
        subprocess.run(
            [
                path,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={folder}/profile",
                "--virtual-time-budget=15000",
                "--no-pdf-header-footer",
                f"--print-to-pdf={target}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        return target.read_bytes()
