"""The briefing model: everything the session's outputs show (HTML pack, PPTX deck, PDF, and later the
presenter and the findings page), computed once from a handful of set-based reads. Renderers only
turn a `Briefing` into their format; none of them queries the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from gcm import findings, queries
from gcm.i18n import t
from gcm.permissions import ReadScope
from gcm.queries import NOT_REPORTED
from gcm.reference import Reference

# The order of the country presentations in the seed agenda (CRM workshop, 31 March 2022).
AGENDA_ORDER = ("BLZ", "CAN", "CRI", "SLV", "USA", "GTM", "HND", "MEX", "NIC", "PAN", "DOM")
HIGHLIGHT_FIELDS = ("progress", "challenges", "priorities")
TEXT_FIELDS = ("progress", "challenges", "priorities", "good_practice")
QUOTES_PER_SECTION = 3
TOP_CATEGORIES = 6
PROMPTS = 4
PRACTICES = 8


def presentation_order(members: list[str]) -> list[str]:
    """The group's countries: the agenda's order first, then the others alphabetically."""
    return [c for c in AGENDA_ORDER if c in members] + sorted(c for c in members if c not in AGENDA_ORDER)


@dataclass(frozen=True)
class StatusKey:
    """One step of the status scale (or "not reported"), as every output draws it."""

    key: str
    label: str
    color: str


@dataclass(frozen=True)
class Highlight:
    objective: int
    text: str


@dataclass(frozen=True)
class ReportText:
    """A country's full report on one objective (the deck puts these in the speaker notes)."""

    objective: int
    title: str
    status: str
    national_priority: bool
    progress: str
    challenges: str
    priorities: str
    good_practice: str


@dataclass(frozen=True)
class CountrySection:
    iso3: str
    name: str
    strip: tuple[str, ...]  # status key (or NOT_REPORTED) of objectives 1..N, in number order
    reported: int
    total: int
    priorities: tuple[int, ...]  # national priority objectives
    highlights: tuple[tuple[str, tuple[Highlight, ...]], ...]  # field → the texts to quote
    reports: tuple[ReportText, ...]


@dataclass(frozen=True)
class Quote:
    text: str
    iso3: str
    country: str
    objective: int
    field: str


@dataclass(frozen=True)
class CategoryCount:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class RoundTable:
    number: int
    title: str
    objectives: tuple[tuple[int, str], ...]  # (number, official title)
    status_counts: tuple[tuple[int, str, int], ...]  # (objective, status, countries), not reported included
    prioritised_by: tuple[tuple[int, tuple[str, ...]], ...]  # objective → country names
    challenges: tuple[CategoryCount, ...]
    priorities: tuple[CategoryCount, ...]
    quotes: tuple[Quote, ...]

    def status_frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.status_counts), columns=["objective", "status", "count"])


@dataclass(frozen=True)
class Briefing:
    lang: str
    cycle_id: str
    cycle_name: str
    cycle_start: dt.date | None
    cycle_end: dt.date | None
    generated: dt.date
    title: str
    group: str | None
    provisional: bool
    rehearsal: bool
    demo_reports: int
    members: int
    countries_reporting: int
    objectives_covered: int
    objective_total: int
    statuses: tuple[StatusKey, ...]  # the scale, then "not reported"
    section_counts: tuple[tuple[int, str, int], ...]  # (section, status, cells) for the opening chart
    countries: tuple[CountrySection, ...]  # in presentation order
    round_tables: tuple[RoundTable, ...]
    prompts: tuple[CategoryCount, ...]  # the most cited challenge categories, as discussion prompts
    practices: tuple[Quote, ...]

    @property
    def demo(self) -> bool:
        return self.demo_reports > 0

    def section_frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.section_counts), columns=["section", "status", "count"])

    def status(self, key: str) -> StatusKey:
        return next(s for s in self.statuses if s.key == key)


def _statuses(ref: Reference, lang: str) -> tuple[StatusKey, ...]:
    from gcm.charts import NOT_REPORTED_COLOR

    scale = tuple(StatusKey(s.key, s.label.get(lang), s.color) for s in ref.statuses)
    return (*scale, StatusKey(NOT_REPORTED, t(lang, "status.not_reported"), NOT_REPORTED_COLOR))


def _country_sections(ref: Reference, lang: str, order: list[str], reports: pd.DataFrame) -> tuple[CountrySection, ...]:
    numbers = [o.number for o in ref.objectives]
    statuses = {s.key: s.label.get(lang) for s in ref.statuses}
    ranked = reports.sort_values(["country", "national_priority", "objective"], ascending=[True, False, True])
    by_country = {iso3: rows for iso3, rows in reports.groupby("country", sort=False)}
    ranked_by_country = {iso3: rows for iso3, rows in ranked.groupby("country", sort=False)}
    out = []
    for iso3 in order:
        rows = by_country.get(iso3, reports.iloc[0:0])
        cells = dict(zip(rows["objective"].astype(int), rows["status"], strict=True))
        top = ranked_by_country.get(iso3, reports.iloc[0:0])
        highlights = tuple(
            (
                field,
                tuple(
                    Highlight(int(o), str(text))
                    for o, text in top.loc[top[field].str.strip().str.len() > 0, ["objective", field]]
                    .head(2)
                    .itertuples(index=False)
                ),
            )
            for field in HIGHLIGHT_FIELDS
        )
        texts = tuple(
            ReportText(
                int(r.objective),
                ref.objective(int(r.objective)).short.get(lang),
                statuses.get(r.status, r.status),
                bool(r.national_priority),
                *(str(getattr(r, f)) for f in TEXT_FIELDS),
            )
            for r in rows.sort_values("objective").itertuples()
        )
        out.append(
            CountrySection(
                iso3=iso3,
                name=ref.country(iso3).name.get(lang),
                strip=tuple(cells.get(n, NOT_REPORTED) for n in numbers),
                reported=len(cells),
                total=len(numbers),
                priorities=tuple(sorted(int(o) for o in rows.loc[rows["national_priority"], "objective"])),
                highlights=highlights,
                reports=texts,
            )
        )
    return tuple(out)


def _quote_candidates(reports: pd.DataFrame) -> pd.DataFrame:
    frames = []
    for field in ("challenges", "priorities"):
        rows = reports.loc[
            reports[field].str.len() > 0, ["section", "objective", "country", field, "national_priority"]
        ]
        rows = rows.rename(columns={field: "text", "national_priority": "priority"})
        rows["length"] = rows["text"].str.len()
        rows["text"] = rows["text"].str.slice(0, findings.QUOTE_LENGTH)
        rows["field"] = field
        frames.append(rows[["section", "objective", "country", "field", "text", "priority", "length"]])
    return pd.concat(frames, ignore_index=True)


def _categories(frame: pd.DataFrame, labels: dict[str, str], limit: int) -> tuple[CategoryCount, ...]:
    frame = frame.sort_values(["count", "category"], ascending=[False, True]).head(limit)
    return tuple(
        CategoryCount(k, labels.get(k, k), int(n)) for k, n in zip(frame["category"], frame["count"], strict=True)
    )


def _round_tables(
    ref: Reference,
    lang: str,
    provisional: bool,
    sections: pd.DataFrame,
    members: list[str],
    reports: pd.DataFrame,
    challenges: pd.DataFrame,
    priorities: pd.DataFrame,
    names: dict[str, str],
) -> tuple[RoundTable, ...]:
    labels = {c.key: c.label.get(lang) for c in ref.categories}
    order = [s.key for s in ref.statuses]
    cells = reports.groupby(["objective", "status"]).size()
    reported = reports.groupby("objective").size()
    quotes = findings.pick_quotations(_quote_candidates(reports), QUOTES_PER_SECTION)
    prioritised = reports[reports["national_priority"]].groupby("objective")["country"].apply(list)
    out = []
    for number, rows in sections.groupby("section", sort=True):
        objectives = [int(o) for o in rows["objective"]]
        title = str(rows[f"title_{lang}"].iloc[0])
        if provisional:
            title += f" ({t(lang, 'chart.provisional')})"
        counts = [(n, key, int(cells.get((n, key), 0))) for n in objectives for key in order]
        counts += [(n, NOT_REPORTED, len(members) - int(reported.get(n, 0))) for n in objectives]
        section_quotes = quotes[quotes["section"] == number] if not quotes.empty else quotes
        out.append(
            RoundTable(
                number=int(number),
                title=title,
                objectives=tuple((n, ref.objective(n).title.get(lang)) for n in objectives),
                status_counts=tuple(counts),
                prioritised_by=tuple((n, tuple(sorted(names[c] for c in prioritised.get(n, [])))) for n in objectives),
                challenges=_categories(challenges[challenges["section"] == number], labels, TOP_CATEGORIES),
                priorities=_categories(priorities[priorities["section"] == number], labels, TOP_CATEGORIES),
                quotes=tuple(
                    Quote(str(r.text), r.country, names[r.country], int(r.objective), r.field)
                    for r in section_quotes.itertuples()
                ),
            )
        )
    return tuple(out)


def briefing_model(
    session: Session,
    ref: Reference,
    lang: str,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    order: list[str] | tuple[str, ...] | None = None,
    statuses: tuple[str, ...] | None = None,
) -> Briefing:
    """The briefing of a cycle and group: opening facts, a section per country (in `order`, by default the
    agenda's), a section per round table, discussion prompts and good practices. `statuses` keeps only the
    reports of those statuses (the findings page's filter); the opening facts stay those of every report.

    About ten queries whatever the number of countries: the cycle, its sections, the group, the headline,
    the status counts per section, one read of the reports with their texts, and two category counts.
    """
    cycle = queries.cycles(session).set_index("id").loc[cycle_id]
    provisional = bool(cycle["provisional"])
    sections = queries.sections(session, cycle["grouping"])
    members = queries.member_countries(session, group)
    headline = queries.headline(session, cycle_id, group, scope)
    reports = findings.briefing_reports(session, cycle_id, group, scope)
    if statuses:
        reports = reports[reports["status"].isin(statuses)]
    challenges = findings.category_counts(session, cycle_id, group, scope, "challenge", statuses)
    priorities = findings.category_counts(session, cycle_id, group, scope, "priority", statuses)
    names = {c.iso3: c.name.get(lang) for c in ref.countries}
    order = [c for c in order if c in set(members)] if order is not None else presentation_order(members)
    labels = {c.key: c.label.get(lang) for c in ref.categories}
    overall = challenges.groupby("category", as_index=False)["count"].sum()
    practices = findings.pick_practices(
        reports.loc[reports["good_practice"].str.len() > 0, ["objective", "country", "good_practice"]]
        .rename(columns={"good_practice": "text"})
        .assign(text=lambda f: f["text"].str.slice(0, findings.QUOTE_LENGTH)),
        PRACTICES,
    )
    return Briefing(
        lang=lang,
        cycle_id=cycle_id,
        cycle_name=str(cycle[f"name_{lang}"]),
        cycle_start=cycle["start"],
        cycle_end=cycle["end"],
        generated=dt.date.today(),
        title=t(lang, "briefing.title"),
        group=group,
        provisional=provisional,
        rehearsal=scope.states is None,
        demo_reports=queries.report_counts(session)["demo"],
        members=headline["members"],
        countries_reporting=headline["countries_reporting"],
        objectives_covered=headline["objectives_covered"],
        objective_total=len(ref.objectives),
        statuses=_statuses(ref, lang),
        section_counts=tuple(
            (int(r.section), str(r.status), int(r.count))
            for r in queries.status_by_section(session, cycle_id, group, scope).itertuples()
        ),
        countries=_country_sections(ref, lang, order, reports),
        round_tables=_round_tables(ref, lang, provisional, sections, members, reports, challenges, priorities, names),
        prompts=_categories(overall, labels, PROMPTS),
        practices=tuple(
            Quote(str(r.text), r.country, names[r.country], int(r.objective), "good_practice")
            for r in practices.itertuples()
        ),
    )


def country_section(
    session: Session, ref: Reference, lang: str, country: str, cycle_id: str, scope: ReadScope
) -> CountrySection:
    """One country's section on its own (the one-page summary), built as the briefing builds it."""
    texts = queries.country_texts(session, country, cycle_id, scope)
    statuses = queries.country_statuses(session, country, cycle_id, scope)[["objective", "status"]]
    reports = texts.merge(statuses, on="objective").assign(country=country, section=0)
    for field in TEXT_FIELDS:
        reports[field] = reports[field].fillna("").astype(str)
    reports["national_priority"] = reports["national_priority"].fillna(False).astype(bool)
    return _country_sections(ref, lang, [country], reports[findings.BRIEFING_COLUMNS])[0]
