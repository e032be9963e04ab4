"""The briefing pack as one self-contained HTML file (plotly.js embedded once, no request to any
other host), and a country's one-page summary as HTML. Every text is HTML-escaped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy.orm import Session

from gcm import charts, findings, queries
from gcm.i18n import t
from gcm.permissions import ReadScope
from gcm.reference import Reference

# The order of the country presentations in the seed agenda (CRM workshop, 31 March 2022).
AGENDA_ORDER = ("BLZ", "CAN", "CRI", "SLV", "USA", "GTM", "HND", "MEX", "NIC", "PAN", "DOM")


def presentation_order(members: list[str]) -> list[str]:
    """The group's countries: the agenda's order first, then the others alphabetically."""
    return [c for c in AGENDA_ORDER if c in members] + sorted(c for c in members if c not in AGENDA_ORDER)


STYLE = """
body { font-family: system-ui, sans-serif; color: #111; max-width: 1100px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 2.2rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #0b5ea8; padding-bottom: .3rem; }
blockquote { border-left: 4px solid #ccc; margin: .6rem 0; padding: .2rem .8rem; color: #333; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; }
.note { background: #fff7e0; padding: .6rem; border-radius: .3rem; }
section { page-break-before: always; }
@media print { .modebar-container { display: none; } }
"""


class _Figures:
    """Turns figures into HTML divs, embedding plotly.js in the first one only."""

    def __init__(self) -> None:
        self.first = True

    def __call__(self, figure: go.Figure) -> str:
        html = figure.to_html(
            full_html=False,
            include_plotlyjs=self.first,
            include_mathjax=False,
            config={"displaylogo": False, "responsive": True},
        )
        self.first = False
        return html


def _page(lang: str, title: str, body: list[str]) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>"
    )


def _country_section(
    session: Session, ref: Reference, lang: str, country: str, cycle_id: str, scope: ReadScope
) -> list[str]:
    facts = findings.country_highlights(session, country, cycle_id, scope)
    statuses = facts["statuses"]
    body = [
        f"<p><b>{escape(t(lang, 'report.completeness', n=len(statuses), total=len(ref.objectives)))}</b></p>",
        "<table><tr>" + "".join(f"<th>{o.number}</th>" for o in ref.objectives) + "</tr><tr>",
    ]
    for o in ref.objectives:
        status = statuses.get(o.number)
        color = ref.status(status).color if status else charts.NOT_REPORTED_COLOR
        label = ref.status(status).label.get(lang) if status else t(lang, "status.not_reported")
        body.append(f'<td title="{escape(label)}" style="background:{color}">&nbsp;</td>')
    body.append("</tr></table>")
    names = ", ".join(f"{n}. {ref.objective(n).short.get(lang)}" for n in facts["priorities"])
    body.append(f"<p><b>{escape(t(lang, 'onepager.national_priorities'))}:</b> {escape(names or '—')}</p>")
    for field, quotes in facts["top"].items():
        body.append(f"<h3>{escape(t(lang, f'onepager.top_{field}'))}</h3><ul>")
        body += [f"<li>{escape(text)} ({escape(t(lang, 'common.objective_n', n=n))})</li>" for n, text in quotes] or [
            "<li>—</li>"
        ]
        body.append("</ul>")
    return body


def country_onepager_html(
    session: Session, ref: Reference, lang: str, country: str, cycle_id: str, scope: ReadScope
) -> str:
    cycle = queries.cycles(session).set_index("id").loc[cycle_id]
    title = f"{ref.country(country).name.get(lang)} — {cycle[f'name_{lang}']}"
    return _page(
        lang, title, [f"<h1>{escape(title)}</h1>", *_country_section(session, ref, lang, country, cycle_id, scope)]
    )


def _section_body(
    session: Session,
    ref: Reference,
    lang: str,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    number: int,
    sections: pd.DataFrame,
    figure: Callable[[go.Figure], str],
) -> list[str]:
    objectives = [int(o) for o in sections.loc[sections["section"] == number, "objective"]]
    countries = queries.member_countries(session, group)
    matrix = queries.status_matrix(session, cycle_id, group, scope)
    names = {c.iso3: c.name.get(lang) for c in ref.countries}
    body = [
        "<ul>" + "".join(f"<li>{n}. {escape(ref.objective(n).title.get(lang))}</li>" for n in objectives) + "</ul>",
        figure(
            charts.objective_status_figure(ref, lang, matrix, countries, objectives, t(lang, "findings.status_title"))
        ),
    ]
    priorities = findings.priority_countries(session, cycle_id, group, scope)
    body.append(f"<h3>{escape(t(lang, 'findings.prioritised_by'))}</h3><ul>")
    for n in objectives:
        who = sorted(names[c] for c in priorities.loc[priorities["objective"] == n, "country"])
        body.append(f"<li><b>{n}. {escape(ref.objective(n).short.get(lang))}</b>: {escape(', '.join(who) or '—')}</li>")
    body.append("</ul>")
    for kind, color in (("challenge", "#b35806"), ("priority", "#542788")):
        counts = findings.category_counts(session, cycle_id, group, scope, kind)
        counts = counts[counts["section"] == number]
        if not counts.empty:
            body.append(figure(charts.category_figure(ref, lang, counts, t(lang, f"findings.top_{kind}"), color)))
    quotes = findings.quotations(session, cycle_id, group, scope)
    for row in quotes[quotes["section"] == number].itertuples():
        body.append(
            f"<blockquote>{escape(row.text)}<br>— {escape(names[row.country])}, "
            f"{escape(t(lang, 'common.objective_n', n=int(row.objective)))}</blockquote>"
        )
    return body


def briefing_html(
    session: Session,
    ref: Reference,
    lang: str,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    countries: list[str],
    progress: Callable[[float, str], None] | None = None,
) -> str:
    """The briefing pack: opening summary, one page per country, the findings by round table,
    discussion prompts and good practices, in the order of the presenter mode."""
    report = progress or (lambda share, text: None)
    figure = _Figures()
    cycle = queries.cycles(session).set_index("id").loc[cycle_id]
    provisional = bool(cycle["provisional"])
    sections = queries.sections(session, cycle["grouping"])
    numbers = sorted(int(n) for n in sections["section"].unique())
    title = f"{t(lang, 'briefing.title')} — {cycle[f'name_{lang}']}"
    headline = queries.headline(session, cycle_id, group, scope)
    body = [
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(t(lang, 'briefing.generated', date=dt.date.today().isoformat()))}</p>",
    ]
    if scope.states is None:
        body.append(f'<p class="note">{escape(t(lang, "findings.rehearsal_banner"))}</p>')
    if queries.report_counts(session)["demo"]:
        body.append(
            f'<p class="note">{escape(t(lang, "demo.banner", count=queries.report_counts(session)["demo"]))}</p>'
        )
    body += [
        f"<h2>{escape(t(lang, 'presenter.opening'))}</h2>",
        f"<p>{escape(t(lang, 'home.countries_reporting'))}: "
        f"{headline['countries_reporting']} / {headline['members']} · "
        f"{escape(t(lang, 'home.objectives_covered'))}: {headline['objectives_covered']} / {len(ref.objectives)}</p>",
        figure(
            charts.status_by_section_figure(
                ref, lang, queries.status_by_section(session, cycle_id, group, scope), provisional
            )
        ),
    ]
    steps = len(countries) + len(numbers) + 2
    for i, country in enumerate(countries):
        report(i / steps, ref.country(country).name.get(lang))
        body += [
            f"<section><h2>{escape(ref.country(country).name.get(lang))}</h2>",
            *_country_section(session, ref, lang, country, cycle_id, scope),
            "</section>",
        ]
    for i, number in enumerate(numbers):
        label = sections.loc[sections["section"] == number, f"title_{lang}"].iloc[0]
        report((len(countries) + i) / steps, label)
        suffix = f" ({t(lang, 'chart.provisional')})" if provisional else ""
        body += [
            f"<section><h2>{escape(label + suffix)}</h2>",
            *_section_body(session, ref, lang, cycle_id, group, scope, number, sections, figure),
            "</section>",
        ]
    report((steps - 2) / steps, t(lang, "presenter.discussion"))
    counts = findings.category_counts(session, cycle_id, group, scope, "challenge")
    labels = {c.key: c.label.get(lang) for c in ref.categories}
    top = counts.groupby("category")["count"].sum().sort_values(ascending=False).head(4)
    body.append(f"<section><h2>{escape(t(lang, 'presenter.discussion'))}</h2><ul>")
    body += [
        f"<li>{escape(t(lang, 'presenter.prompt', category=labels.get(k, k)))} "
        f"({escape(t(lang, 'presenter.prompt_basis', count=int(v)))})</li>"
        for k, v in top.items()
    ]
    body.append(f"</ul></section><section><h2>{escape(t(lang, 'presenter.practices'))}</h2><ul>")
    for row in findings.good_practices(session, cycle_id, group, scope).itertuples():
        body.append(
            f"<li><b>{escape(ref.country(row.country).name.get(lang))}</b> "
            f"({escape(t(lang, 'common.objective_n', n=int(row.objective)))}): {escape(row.text)}</li>"
        )
    body.append("</ul></section>")
    report(1.0, t(lang, "briefing.done"))
    return _page(lang, title, body)
