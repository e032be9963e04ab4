"""The briefing model as a 16:9 PowerPoint deck (python-pptx), laid out on one grid: a title band, a
content area and a footer (cycle, date, demo notice, slide number). Text is measured with the font it is
set in (DejaVu Sans) and wrapped, shrunk or shortened to fit its box; charts are images drawn at the
size of their box; each country's full report is in its slide's speaker notes."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from gcm import charts
from gcm.briefing.images import PX_PER_INCH, Renderer, image_renderer
from gcm.briefing.model import NAME_COLUMNS, NAMES_PER_COLUMN, Briefing, CountrySection, RoundTable, name_columns
from gcm.i18n import t
from gcm.reference import Reference

FONT = "DejaVu Sans"
FONT_FILES = {
    False: Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    True: Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
}
LINE = 1.2  # line height as a multiple of the font size

# The grid, in inches, on a 13.333 × 7.5 in (16:9) slide.
WIDTH, HEIGHT = 13.333, 7.5
MARGIN = 0.5
INNER = WIDTH - 2 * MARGIN
TITLE_TOP, TITLE_HEIGHT = 0.3, 1.1
RULE_TOP = 1.45
CONTENT_TOP, CONTENT_BOTTOM = 1.65, 6.65
FOOTER_TOP, FOOTER_HEIGHT = 6.85, 0.5  # two lines: cycle and date, demo notice

# The type scale, in points.
TITLE_PT, TITLE_MIN_PT = 36, 32
HEADING_PT = 22
BODY_PT = 18
SMALL_PT = 14  # footer, legends, chips: nothing is smaller

INK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x4D, 0x4D, 0x4D)
ACCENT = RGBColor(0x0B, 0x5E, 0xA8)
NOTICE = RGBColor(0x8A, 0x4B, 0x00)
CHART_FONT_PX = 20  # 15 pt when the image is shown at its size


@lru_cache(maxsize=8)
def _font(bold: bool):
    from PIL import ImageFont

    path = FONT_FILES[bold]
    return ImageFont.truetype(str(path), 100) if path.exists() else None


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of one line of `text` in DejaVu Sans at `size` points (a conservative estimate
    of 0.62 em a character when the font file is missing)."""
    font = _font(bold)
    if font is None:
        return len(text) * size * 0.62
    return font.getlength(text) * size / 100


def wrap(text: str, size: float, width_pt: float, bold: bool = False) -> list[str]:
    """Greedy word wrap; a word longer than a line is cut across lines."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, size, bold) <= width_pt:
                line = candidate
                continue
            if line:
                lines.append(line)
            while text_width(word, size, bold) > width_pt:
                cut = len(word)
                while cut > 1 and text_width(word[:cut], size, bold) > width_pt:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def clamp(text: str, size: float, width_pt: float, max_lines: int, bold: bool = False) -> list[str]:
    """The wrapped lines of `text`, at most `max_lines`, the last one ending in … when text was left out."""
    lines = wrap(text, size, width_pt, bold)
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and text_width(last + " …", size, bold) > width_pt:
        last = last[:-1].rstrip()
    kept[-1] = (last + " …").strip()
    return kept


@dataclass(frozen=True)
class Run:
    """A paragraph to set: its text, size in points, and style."""

    text: str
    size: float
    bold: bool = False
    color: RGBColor = INK
    space_before: float = 0  # points


def fit(runs: list[Run], width_in: float, height_in: float, floor: float = SMALL_PT) -> list[Run]:
    """Shrink every paragraph by the same factor until all fit the box when wrapped; at the floor size,
    shorten the last paragraphs instead. Never returns text that would pass the box."""
    width_pt, height_pt = width_in * 72, height_in * 72

    def height(rs: list[Run]) -> float:
        return sum(len(wrap(r.text, r.size, width_pt, r.bold)) * r.size * LINE + r.space_before for r in rs)

    factor = 1.0
    while True:
        scaled = [Run(r.text, max(floor, r.size * factor), r.bold, r.color, r.space_before * factor) for r in runs]
        if height(scaled) <= height_pt:
            return scaled
        if all(r.size <= floor for r in scaled) or factor < 0.3:
            break
        factor -= 0.04
    out: list[Run] = []
    used = 0.0
    for r in scaled:
        line = r.size * LINE
        room = int((height_pt - used - r.space_before) // line)
        if room <= 0:
            break
        lines = clamp(r.text, r.size, width_pt, room, r.bold)
        out.append(Run(" ".join(lines), r.size, r.bold, r.color, r.space_before))
        used += len(lines) * line + r.space_before
    return out


class Deck:
    """A presentation on the grid; `slide()` adds a slide with its title and footer."""

    def __init__(self, model: Briefing) -> None:
        self.model = model
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(WIDTH), Inches(HEIGHT)
        self.blank = self.prs.slide_layouts[6]
        footer = f"{model.cycle_name} · {model.generated.isoformat()}"
        self.footer = " ".join(clamp(footer, SMALL_PT, (INNER - 1) * 72, 1))
        notice = t(model.lang, "pack.demo_footer") if model.demo else ""
        self.notice = " ".join(clamp(notice, SMALL_PT, (INNER - 1) * 72, 1, bold=True)) if notice else ""

    def text(
        self,
        slide,
        runs: list[Run],
        left: float,
        top: float,
        width: float,
        height: float,
        align=PP_ALIGN.LEFT,
        anchor=MSO_ANCHOR.TOP,
        fitted: bool = False,
        floor: float = SMALL_PT,
    ):
        """A text box whose paragraphs are fitted to it (unless already `fitted`), never below `floor` pt."""
        runs = runs if fitted else fit(runs, width, height, floor)
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        frame.auto_size = None
        frame.vertical_anchor = anchor
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Emu(0)
        for i, run in enumerate(runs or [Run("", SMALL_PT)]):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.alignment = align
            paragraph.line_spacing = 1.0  # single: the font's own line height (1.16 em), under what `fit` allows
            paragraph.space_before = Pt(run.space_before)
            r = paragraph.add_run()
            r.text = run.text
            r.font.size = Pt(run.size)
            r.font.bold = run.bold
            r.font.name = FONT
            r.font.color.rgb = run.color
        return box

    def slide(self, title: str):
        slide = self.prs.slides.add_slide(self.blank)
        number = len(self.prs.slides)
        width_pt = INNER * 72
        size = TITLE_PT
        while size > TITLE_MIN_PT and text_width(title, size, True) > width_pt:
            size -= 1
        lines = clamp(title, size, width_pt, 2, bold=True)
        self.text(
            slide,
            [Run(" ".join(lines), size, True, ACCENT)],
            MARGIN,
            TITLE_TOP,
            INNER,
            TITLE_HEIGHT,
            anchor=MSO_ANCHOR.BOTTOM,
            fitted=True,
        )
        rule = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Inches(MARGIN), Inches(RULE_TOP), Inches(INNER), Inches(0.04)
        )
        _fill(rule, ACCENT)
        self._footer(slide, number)
        return slide

    def _footer(self, slide, number: int) -> None:
        line = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Inches(MARGIN), Inches(FOOTER_TOP - 0.08), Inches(INNER), Inches(0.01)
        )
        _fill(line, RGBColor(0xBF, 0xBF, 0xBF))
        runs = [Run(self.footer, SMALL_PT, color=MUTED)]
        if self.notice:
            runs.append(Run(self.notice, SMALL_PT, True, NOTICE))
        self.text(slide, runs, MARGIN, FOOTER_TOP, INNER - 1, FOOTER_HEIGHT, fitted=True)
        self.text(
            slide,
            [Run(str(number), SMALL_PT, color=MUTED)],
            WIDTH - MARGIN - 0.7,
            FOOTER_TOP,
            0.7,
            FOOTER_HEIGHT,
            align=PP_ALIGN.RIGHT,
            fitted=True,
        )

    def picture(self, slide, png: bytes, left: float, top: float, width: float, height: float) -> None:
        slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(top), Inches(width), Inches(height))

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return buffer.getvalue()


def _fill(shape, color: RGBColor) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = color
    shape.line.fill.background()
    # No theme style (its effect reference draws a shadow in LibreOffice): the shape is what we set.
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def _ink_on(color: str) -> RGBColor:
    """Black or white text, whichever contrasts more with the background (WCAG relative luminance)."""
    channels = [int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return RGBColor(0, 0, 0) if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else RGBColor(0xFF, 0xFF, 0xFF)


def _chart(figure: go.Figure, width_in: float, height_in: float, render: Renderer) -> bytes:
    figure = go.Figure(figure)
    # The slide says what the colours are for: the legend's title would only take a row from the plot.
    figure.update_layout(font_size=CHART_FONT_PX, title_font_size=CHART_FONT_PX + 2, legend_title_text="")
    return render(figure, round(width_in * PX_PER_INCH), round(height_in * PX_PER_INCH))


def _title_slide(deck: Deck, model: Briefing) -> None:
    slide = deck.prs.slides.add_slide(deck.blank)
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Inches(1.6), Inches(WIDTH), Inches(0.08))
    _fill(band, ACCENT)
    lang = model.lang
    runs = [
        Run(model.title, 44, True, ACCENT),
        Run(model.cycle_name, 30, True, INK, space_before=12),
        Run(t(lang, "briefing.generated", date=model.generated.isoformat()), BODY_PT, color=MUTED, space_before=10),
    ]
    if model.rehearsal:
        runs.append(Run(t(lang, "findings.rehearsal_banner"), BODY_PT, True, NOTICE, space_before=14))
    if model.demo:
        runs.append(Run(t(lang, "demo.banner", count=model.demo_reports), BODY_PT, True, NOTICE, space_before=14))
    deck.text(slide, runs, MARGIN + 0.3, 2.0, INNER - 0.6, FOOTER_TOP - 2.3)
    deck._footer(slide, 1)


def _opening(deck: Deck, ref: Reference, model: Briefing, render: Renderer) -> None:
    lang = model.lang
    slide = deck.slide(t(lang, "presenter.opening"))
    figures = [
        (f"{model.countries_reporting} / {model.members}", t(lang, "home.countries_reporting")),
        (f"{model.objectives_covered} / {model.objective_total}", t(lang, "home.objectives_covered")),
    ]
    top = CONTENT_TOP + 0.2
    for value, label in figures:
        deck.text(
            slide,
            [Run(value, 44, True, ACCENT), Run(label, BODY_PT, color=MUTED, space_before=10)],
            MARGIN,
            top,
            3.4,
            1.9,
        )
        top += 2.1
    chart = charts.status_by_section_figure(ref, lang, model.section_frame(), model.provisional)
    width, height = INNER - 3.7, CONTENT_BOTTOM - CONTENT_TOP
    deck.picture(slide, _chart(chart, width, height, render), MARGIN + 3.7, CONTENT_TOP, width, height)


def _strip(deck: Deck, slide, model: Briefing, country: CountrySection, top: float) -> float:
    """The objectives as a row of cells coloured by status, numbered, with a legend below; returns its bottom."""
    gap = 0.04
    cell = (INNER - gap * (len(country.strip) - 1)) / len(country.strip)
    for i, key in enumerate(country.strip):
        status = model.status(key)
        box = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Inches(MARGIN + i * (cell + gap)), Inches(top), Inches(cell), Inches(0.45)
        )
        _fill(box, _rgb(status.color))
        frame = box.text_frame
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Emu(0)
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        paragraph = frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.CENTER
        run = paragraph.add_run()
        run.text = str(i + 1)
        run.font.size, run.font.bold, run.font.name = Pt(SMALL_PT), True, FONT
        run.font.color.rgb = _ink_on(status.color)
    top += 0.53
    column = INNER / 3
    for i, status in enumerate(model.statuses):
        left, row_top = MARGIN + (i % 3) * column, top + (i // 3) * 0.27
        swatch = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Inches(left), Inches(row_top + 0.04), Inches(0.2), Inches(0.2)
        )
        _fill(swatch, _rgb(status.color))
        swatch.line.color.rgb = RGBColor(0x99, 0x99, 0x99)
        deck.text(slide, [Run(status.label, SMALL_PT, color=MUTED)], left + 0.28, row_top, column - 0.35, 0.28)
    return top + 0.27 * ((len(model.statuses) + 2) // 3)


def _chips(deck: Deck, slide, ref: Reference, lang: str, country: CountrySection, top: float) -> float:
    label = t(lang, "onepager.national_priorities") + ":"
    label_width = text_width(label, 16, True) / 72 + 0.15
    deck.text(slide, [Run(label, 16, True)], MARGIN, top + 0.04, label_width, 0.36, fitted=True)
    left, right = MARGIN + label_width, WIDTH - MARGIN
    if not country.priorities:
        deck.text(slide, [Run("—", 16)], left, top + 0.04, 1, 0.36, fitted=True)
        return top + 0.45
    row = 0
    for i, n in enumerate(country.priorities):
        text = " ".join(clamp(f"{n}. {ref.objective(n).short.get(lang)}", SMALL_PT, 2.8 * 72, 1))
        width = text_width(text, SMALL_PT) / 72 + 0.3
        rest = len(country.priorities) - i
        reserve = text_width(f"+{rest}", SMALL_PT) / 72 + 0.3 if rest > 1 and row == 1 else 0
        if left + width > right - reserve:
            if row == 0:
                row, left = 1, MARGIN + label_width
            else:
                deck.text(slide, [Run(f"+{rest}", SMALL_PT, True, ACCENT)], left, top + 0.5 + 0.06, 0.8, 0.36)
                break
        chip = slide.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE, Inches(left), Inches(top + row * 0.5), Inches(width), Inches(0.4)
        )
        _fill(chip, RGBColor(0xE3, 0xEE, 0xF8))
        frame = chip.text_frame
        frame.margin_left = frame.margin_right = Inches(0.15)
        frame.margin_top = frame.margin_bottom = Emu(0)
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        frame.word_wrap = False
        run = frame.paragraphs[0].add_run()
        run.text = text
        run.font.size, run.font.name = Pt(SMALL_PT), FONT
        run.font.color.rgb = ACCENT
        left += width + 0.12
    return top + 0.5 * (row + 1)


def _notes(ref: Reference, lang: str, country: CountrySection) -> str:
    parts = [f"{country.name} — {t(lang, 'report.completeness', n=country.reported, total=country.total)}"]
    for r in country.reports:
        star = f" ★ {t(lang, 'field.national_priority')}" if r.national_priority else ""
        parts.append(f"\n{r.objective}. {ref.objective(r.objective).title.get(lang)} — {r.status}{star}")
        for field in ("progress", "challenges", "priorities", "good_practice"):
            text = getattr(r, field).strip()
            if text:
                parts.append(f"{t(lang, f'field.{field}')}: {text}")
    return "\n".join(parts)


def _country(deck: Deck, ref: Reference, model: Briefing, country: CountrySection) -> None:
    lang = model.lang
    slide = deck.slide(country.name)
    deck.text(
        slide,
        [Run(t(lang, "report.completeness", n=country.reported, total=country.total), BODY_PT, True)],
        MARGIN,
        CONTENT_TOP,
        INNER,
        0.35,
    )
    top = _strip(deck, slide, model, country, CONTENT_TOP + 0.4)
    top = _chips(deck, slide, ref, lang, country, top + 0.05)
    column, gap = (INNER - 0.6) / 3, 0.3
    for i, (field, highlights) in enumerate(country.highlights):
        left = MARGIN + i * (column + gap)
        runs = [Run(t(lang, f"onepager.top_{field}"), HEADING_PT - 2, True, ACCENT)]
        height = CONTENT_BOTTOM - top - 0.05
        body_lines = int((height * 72 - (HEADING_PT - 2) * LINE - 6 * len(highlights)) // (BODY_PT * LINE))
        per_item = max(2, body_lines // max(1, len(highlights)))
        for h in highlights or ():
            text = f"{t(lang, 'common.objective_n', n=h.objective)}: {h.text.strip()}"
            runs.append(Run(" ".join(clamp(text, BODY_PT, column * 72, per_item)), BODY_PT, space_before=6))
        if not highlights:
            runs.append(Run("—", BODY_PT, space_before=6))
        deck.text(slide, runs, left, top + 0.05, column, height, floor=BODY_PT)
    slide.notes_slide.notes_text_frame.text = _notes(ref, lang, country)


def _not_reported(deck: Deck, model: Briefing) -> None:
    """The slide that names the countries with no report in the cycle (they have no slide of their own): a
    sentence, then the names in columns (`model.name_columns`); more names than one slide holds at a legible size
    go on to as many slides more, under the same title."""
    lang, names = model.lang, model.not_reported
    per_slide = NAMES_PER_COLUMN * NAME_COLUMNS
    for first in range(0, len(names), per_slide):
        slide = deck.slide(t(lang, "presenter.not_reported"))
        note = t(lang, "presenter.not_reported_note", n=len(names))
        deck.text(slide, [Run(note, BODY_PT, color=MUTED)], MARGIN, CONTENT_TOP, INNER, 0.9)
        top, height = CONTENT_TOP + 1.0, CONTENT_BOTTOM - CONTENT_TOP - 1.0
        columns = name_columns(names[first : first + per_slide])
        gap = 0.5
        width = (INNER - gap * (len(columns) - 1)) / len(columns)
        for i, items in enumerate(columns):
            runs = [Run(f"• {name}", BODY_PT + 4, space_before=6 if j else 0) for j, name in enumerate(items)]
            deck.text(slide, runs, MARGIN + i * (width + gap), top, width, height, floor=BODY_PT)


def _round_table(deck: Deck, ref: Reference, model: Briefing, table: RoundTable, render: Renderer) -> None:
    lang = model.lang
    slide = deck.slide(table.title)
    objectives = [n for n, _ in table.objectives]
    chart_height = 3.3
    figure = charts.objective_status_counts_figure(
        ref, lang, table.status_frame(), objectives, t(lang, "findings.status_title")
    )
    deck.picture(slide, _chart(figure, INNER, chart_height, render), MARGIN, CONTENT_TOP, INNER, chart_height)
    top = CONTENT_TOP + chart_height + 0.15
    column = (INNER - 0.4) / 2
    for i, (kind, counts) in enumerate((("challenge", table.challenges), ("priority", table.priorities))):
        runs = [Run(t(lang, f"findings.top_{kind}"), BODY_PT, True, ACCENT)]
        runs += [Run(f"{c.label} ({c.count})", BODY_PT) for c in counts[:3]] or [
            Run(t(lang, f"findings.no_{kind}"), BODY_PT)
        ]
        deck.text(slide, runs, MARGIN + i * (column + 0.4), top, column, CONTENT_BOTTOM - top, floor=BODY_PT)
    if table.quotes:
        _quotes(deck, model, table)


def _quotes(deck: Deck, model: Briefing, table: RoundTable) -> None:
    """The round table's quotations on a slide of their own, challenges left and priorities right."""
    lang = model.lang
    slide = deck.slide(f"{table.title} — {t(lang, 'pack.quotes')}")
    column = (INNER - 0.5) / 2
    for i, field in enumerate(("challenges", "priorities")):
        quotes = [q for q in table.quotes if q.field == field][:2]
        height = CONTENT_BOTTOM - CONTENT_TOP
        lines = int((height * 72 - BODY_PT * LINE * 1.5) // (BODY_PT * LINE))
        per_quote = max(2, lines // max(1, len(quotes)) - 2)
        runs = [Run(t(lang, f"findings.quotes_{field}"), BODY_PT + 2, True, ACCENT)]
        for q in quotes:
            text = " ".join(clamp(f"“{q.text.strip()}”", BODY_PT, column * 72, per_quote))
            runs += [
                Run(text, BODY_PT, space_before=8),
                Run(
                    f"— {q.country}, {t(lang, 'common.objective_n', n=q.objective)}",
                    SMALL_PT + 2,
                    color=MUTED,
                    space_before=4,
                ),
            ]
        if not quotes:
            runs.append(Run("—", BODY_PT))
        deck.text(slide, runs, MARGIN + i * (column + 0.5), CONTENT_TOP, column, height)


def _closing(deck: Deck, model: Briefing) -> None:
    lang = model.lang
    slide = deck.slide(t(lang, "presenter.discussion"))
    runs = []
    for c in model.prompts:
        runs += [
            Run("• " + t(lang, "presenter.prompt", category=c.label), 24, True, space_before=12),
            Run(t(lang, "presenter.prompt_basis", count=c.count), BODY_PT, color=MUTED, space_before=4),
        ]
    deck.text(slide, runs or [Run("—", 24)], MARGIN, CONTENT_TOP + 0.1, INNER, CONTENT_BOTTOM - CONTENT_TOP - 0.1)
    slide = deck.slide(t(lang, "presenter.practices"))
    practices = list(model.practices)
    if not practices:
        deck.text(slide, [Run(t(lang, "presenter.no_practices"), BODY_PT)], MARGIN, CONTENT_TOP, INNER, 1)
        return
    half = (len(practices) + 1) // 2
    column = (INNER - 0.5) / 2
    height = CONTENT_BOTTOM - CONTENT_TOP
    for i, items in enumerate((practices[:half], practices[half:])):
        lines = int(height * 72 // (BODY_PT * LINE))
        per_item = max(2, lines // max(1, len(items)) - 1)
        runs = []
        for q in items:
            head = f"{q.country} ({t(lang, 'common.objective_n', n=q.objective)}): "
            text = " ".join(clamp(head + q.text.strip(), BODY_PT, column * 72, per_item))
            runs.append(Run(text, BODY_PT, space_before=8 if runs else 0))
        deck.text(slide, runs, MARGIN + i * (column + 0.5), CONTENT_TOP, column, height)


def render_pptx(ref: Reference, model: Briefing, progress: Callable[[float, str], None] | None = None) -> bytes:
    """The deck: title, opening summary, each country that reported, one slide naming those that have not (if
    any), each round table (and its quotations), discussion prompts, good practices."""
    report = progress or (lambda share, text: None)
    lang = model.lang
    deck = Deck(model)
    steps = len(model.countries) + len(model.round_tables) + 3
    with image_renderer() as render:
        _title_slide(deck, model)
        report(1 / steps, t(lang, "presenter.opening"))
        _opening(deck, ref, model, render)
        for i, country in enumerate(model.countries):
            report((i + 2) / steps, country.name)
            _country(deck, ref, model, country)
        if model.not_reported:
            _not_reported(deck, model)
        for i, table in enumerate(model.round_tables):
            report((len(model.countries) + i + 2) / steps, table.title)
            _round_table(deck, ref, model, table, render)
    report((steps - 1) / steps, t(lang, "presenter.discussion"))
    _closing(deck, model)
    report(1.0, t(lang, "briefing.done"))
    return deck.save()
