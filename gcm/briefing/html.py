"""The briefing model as one HTML document: the self-contained pack (plotly.js embedded once, no request to
any other host) and, with chart images instead, the page that `pdf.py` prints. Also a country's one-page
summary. Every text is HTML-escaped."""

from __future__ import annotations

import base64
from collections.abc import Callable
from html import escape

import plotly.graph_objects as go
from sqlalchemy.orm import Session

from gcm import charts, queries
from gcm.briefing.model import Briefing, CountrySection, RoundTable, country_section
from gcm.i18n import t
from gcm.permissions import ReadScope
from gcm.reference import Reference

# A figure becomes HTML at a given width and height (CSS px); None width means the page's width.
FigureHtml = Callable[[go.Figure, int | None, int], str]

PRINT_WIDTH = 680  # CSS px across an A4 page between 15 mm margins
PRINT_MAX_HEIGHT = 900  # a chart never taller than a page's content area

# `overflow-wrap: anywhere`: a word longer than a line (a pasted web address, say) is broken where it meets the
# margin instead of running off the page (on screen) or being cut at it (in the PDF).
STYLE = """
body { font-family: "DejaVu Sans", system-ui, sans-serif; color: #111; max-width: 1100px; margin: 2rem auto;
  padding: 0 1rem; line-height: 1.4; overflow-wrap: anywhere; }
h1 { font-size: 2.1rem; color: #0b5ea8; margin-bottom: .3rem; }
h2 { margin-top: 2rem; color: #0b5ea8; border-bottom: 2px solid #0b5ea8; padding-bottom: .3rem; }
h3 { margin: 1rem 0 .3rem; }
blockquote { border-left: 4px solid #bbb; margin: .6rem 0; padding: .2rem .8rem; color: #333; }
.note { background: #fff1d6; color: #5c3300; padding: .6rem; border-radius: .3rem; font-weight: bold; }
.toc ol { columns: 2; column-gap: 2rem; } .toc a { color: #0b5ea8; text-decoration: none; }
ul.names { columns: 3; column-gap: 2rem; }
.strip { display: flex; gap: 2px; margin: .4rem 0; }
.strip span { flex: 1; text-align: center; font-size: .8rem; font-weight: bold; padding: .35rem 0; }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; font-size: .85rem; color: #333; }
.legend i { display: inline-block; width: .9rem; height: .9rem; border: 1px solid #999; vertical-align: -.1rem;
  margin-right: .3rem; }
.chip { display: inline-block; background: #e3eef8; color: #0b5ea8; border-radius: 1rem; padding: .1rem .7rem;
  margin: .15rem .2rem; font-size: .9rem; }
.figure, .block, blockquote, table, li { break-inside: avoid; page-break-inside: avoid; }
section { break-before: page; page-break-before: always; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
.figure img { display: block; max-width: 100%; height: auto; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  .modebar-container { display: none; }
}
"""


def _page_rules(model: Briefing) -> str:
    """Print header (title and cycle) and page numbers, as CSS page margin boxes (Chromium ≥ 131)."""
    header = f"{model.title} — {model.cycle_name}".replace("\\", "\\\\").replace('"', '\\"')
    page = t(model.lang, "pack.page").replace('"', '\\"')
    return (
        "@page { size: A4; margin: 18mm 15mm 16mm 15mm;"
        f' @top-left {{ content: "{header}"; font: 9pt "DejaVu Sans", sans-serif; color: #555; }}'
        f' @bottom-right {{ content: "{page} " counter(page) " / " counter(pages);'
        ' font: 9pt "DejaVu Sans", sans-serif; color: #555; } }'
    )


class InteractiveFigures:
    """Figures as plotly.js divs, plotly.js embedded in the first one only."""

    def __init__(self) -> None:
        self.first = True

    def __call__(self, figure: go.Figure, width: int | None, height: int) -> str:
        figure = go.Figure(figure).update_layout(height=height, width=width)
        html = figure.to_html(
            full_html=False,
            include_plotlyjs=self.first,
            include_mathjax=False,
            config={"displaylogo": False, "responsive": width is None},
        )
        self.first = False
        return f'<div class="figure">{html}</div>'


def image_figures(render: Callable[[go.Figure, int, int], bytes]) -> FigureHtml:
    """Figures as PNG images drawn at the size they are printed (width of the page, height capped)."""

    def figure_html(figure: go.Figure, width: int | None, height: int) -> str:
        width = width or PRINT_WIDTH
        height = min(height, PRINT_MAX_HEIGHT)
        data = base64.b64encode(render(figure, width, height)).decode("ascii")
        return (
            f'<div class="figure"><img alt="" width="{width}" height="{height}" '
            f'src="data:image/png;base64,{data}"></div>'
        )

    return figure_html


def _document(lang: str, title: str, body: list[str], extra_css: str = "") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}{extra_css}</style></head><body>{''.join(body)}</body></html>"
    )


def _legend(statuses: dict) -> str:
    return (
        '<div class="legend">'
        + "".join(
            f'<span><i style="background:{escape(color)}"></i>{escape(label)}</span>'
            for color, label, _ in statuses.values()
        )
        + "</div>"
    )


def _country_body(ref: Reference, lang: str, model_statuses: dict, country: CountrySection) -> list[str]:
    body = [
        '<div class="block">',
        f"<p><b>{escape(t(lang, 'report.completeness', n=country.reported, total=country.total))}</b></p>",
        '<div class="strip">',
    ]
    for n, key in enumerate(country.strip, start=1):
        color, label, ink = model_statuses[key]
        body.append(f'<span title="{escape(label)}" style="background:{escape(color)};color:{ink}">{n}</span>')
    body.append("</div>" + _legend(model_statuses))
    chips = "".join(
        f'<span class="chip">{n}. {escape(ref.objective(n).short.get(lang))}</span>' for n in country.priorities
    )
    body.append(f"<p><b>{escape(t(lang, 'onepager.national_priorities'))}:</b> {chips or '—'}</p></div>")
    for field, highlights in country.highlights:
        body.append(f'<div class="block"><h3>{escape(t(lang, f"onepager.top_{field}"))}</h3><ul>')
        body += [
            f"<li>{escape(h.text)} ({escape(t(lang, 'common.objective_n', n=h.objective))})</li>" for h in highlights
        ] or ["<li>—</li>"]
        body.append("</ul></div>")
    return body


def _not_reported_body(lang: str, names: tuple[str, ...]) -> list[str]:
    """The one section that names the countries with no report in the cycle (they have no section of their own)."""
    return [
        f'<section id="not-reported"><h2>{escape(t(lang, "presenter.not_reported"))}</h2>',
        f'<p>{escape(t(lang, "presenter.not_reported_note", n=len(names)))}</p><ul class="names">',
        *(f"<li>{escape(name)}</li>" for name in names),
        "</ul></section>",
    ]


def _statuses(model: Briefing) -> dict:
    return {s.key: (s.color, s.label, charts.ink_on(s.color)) for s in model.statuses}


def _round_table_body(ref: Reference, model: Briefing, table: RoundTable, figure: FigureHtml) -> list[str]:
    lang = model.lang
    objectives = [n for n, _ in table.objectives]
    body = [
        "<ul>" + "".join(f"<li>{n}. {escape(title)}</li>" for n, title in table.objectives) + "</ul>",
        figure(
            charts.objective_status_counts_figure(
                ref, lang, table.status_frame(), objectives, t(lang, "findings.status_title")
            ),
            None,
            140 + 46 * len(objectives),
        ),
        f'<div class="block"><h3>{escape(t(lang, "findings.prioritised_by"))}</h3><ul>',
    ]
    for n, who in table.prioritised_by:
        body.append(f"<li><b>{n}. {escape(ref.objective(n).short.get(lang))}</b>: {escape(', '.join(who) or '—')}</li>")
    body.append("</ul></div>")
    for kind, counts, color in (("challenge", table.challenges, "#b35806"), ("priority", table.priorities, "#542788")):
        if counts:
            body.append(
                figure(
                    charts.category_figure(lang, counts, t(lang, f"findings.top_{kind}"), color),
                    None,
                    120 + 40 * len(counts),
                )
            )
    for q in table.quotes:
        body.append(
            f"<blockquote>{escape(q.text)}<br>— {escape(q.country)}, "
            f"{escape(t(lang, 'common.objective_n', n=q.objective))}</blockquote>"
        )
    return body


def render_html(
    ref: Reference,
    model: Briefing,
    figure: FigureHtml | None = None,
    progress: Callable[[float, str], None] | None = None,
    paged: bool = False,
) -> str:
    """The briefing pack: contents, opening summary, a section per country that reported, one naming those that
    have not (if any), a section per round table, discussion prompts and good practices, in the order of the
    presenter mode. `paged` adds the print header and page numbers (the PDF)."""
    report = progress or (lambda share, text: None)
    figure = figure or InteractiveFigures()
    lang = model.lang
    statuses = _statuses(model)
    title = f"{model.title} — {model.cycle_name}"
    toc = [("opening", t(lang, "presenter.opening"))]
    toc += [(f"country-{c.iso3}", c.name) for c in model.countries]
    if model.not_reported:
        toc.append(("not-reported", t(lang, "presenter.not_reported")))
    toc += [(f"round-table-{r.number}", r.title) for r in model.round_tables]
    toc += [("discussion", t(lang, "presenter.discussion")), ("practices", t(lang, "presenter.practices"))]
    body = [
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(t(lang, 'briefing.generated', date=model.generated.isoformat()))}</p>",
    ]
    if model.rehearsal:
        body.append(f'<p class="note">{escape(t(lang, "findings.rehearsal_banner"))}</p>')
    if model.demo:
        body.append(f'<p class="note">{escape(t(lang, "demo.banner", count=model.demo_reports))}</p>')
    body.append(f'<nav class="toc"><h2>{escape(t(lang, "pack.contents"))}</h2><ol>')
    body += [f'<li><a href="#{anchor}">{escape(label)}</a></li>' for anchor, label in toc]
    body.append("</ol></nav>")
    body += [
        f'<section id="opening"><h2>{escape(t(lang, "presenter.opening"))}</h2>',
        f"<p>{escape(t(lang, 'home.countries_reporting'))}: {model.countries_reporting} / {model.members} · "
        f"{escape(t(lang, 'home.objectives_covered'))}: {model.objectives_covered} / {model.objective_total}</p>",
        figure(charts.status_by_section_figure(ref, lang, model.section_frame(), model.provisional), None, 460),
        "</section>",
    ]
    steps = len(model.countries) + len(model.round_tables) + 2
    for i, country in enumerate(model.countries):
        report(i / steps, country.name)
        body += [
            f'<section id="country-{escape(country.iso3)}"><h2>{escape(country.name)}</h2>',
            *_country_body(ref, lang, statuses, country),
        ]
        body.append("</section>")
    if model.not_reported:
        body += _not_reported_body(lang, model.not_reported)
    for i, table in enumerate(model.round_tables):
        report((len(model.countries) + i) / steps, table.title)
        body += [
            f'<section id="round-table-{table.number}"><h2>{escape(table.title)}</h2>',
            *_round_table_body(ref, model, table, figure),
            "</section>",
        ]
    report((steps - 2) / steps, t(lang, "presenter.discussion"))
    body.append(f'<section id="discussion"><h2>{escape(t(lang, "presenter.discussion"))}</h2><ul>')
    body += [
        f"<li>{escape(t(lang, 'presenter.prompt', category=c.label))} "
        f"({escape(t(lang, 'presenter.prompt_basis', count=c.count))})</li>"
        for c in model.prompts
    ]
    body.append(f'</ul></section><section id="practices"><h2>{escape(t(lang, "presenter.practices"))}</h2><ul>')
    for q in model.practices:
        body.append(
            f"<li><b>{escape(q.country)}</b> ({escape(t(lang, 'common.objective_n', n=q.objective))}): "
            f"{escape(q.text)}</li>"
        )
    body.append("</ul></section>")
    report(1.0, t(lang, "briefing.done"))
    return _document(lang, title, body, _page_rules(model) if paged else "")


def country_onepager_html(
    session: Session, ref: Reference, lang: str, country: str, cycle_id: str, scope: ReadScope
) -> str:
    """A country's report in one cycle on one page (the country section of the briefing)."""
    cycle = queries.cycles(session).set_index("id").loc[cycle_id]
    section = country_section(session, ref, lang, country, cycle_id, scope)
    title = f"{section.name} — {cycle[f'name_{lang}']}"
    from gcm.briefing.model import _statuses as scale

    statuses = {s.key: (s.color, s.label, charts.ink_on(s.color)) for s in scale(ref, lang)}
    return _document(lang, title, [f"<h1>{escape(title)}</h1>", *_country_body(ref, lang, statuses, section)])
