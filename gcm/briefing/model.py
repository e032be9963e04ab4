"""The briefing model: everything the session's outputs show (HTML pack, PPTX deck, PDF, and later the
presenter and the findings page), computed once from a handful of set-based reads. Renderers only
turn a `Briefing` into their format; none of them queries the database."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

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
class CountryAgenda:
    """The countries' part of the session, in presentation order: those that present (a section, or slides, of
    their own) and those that have not reported yet (no section of their own: one slide, right after the
    countries' presentations, names them all; none when every country reported)."""

    presenting: tuple[str, ...]  # ISO3 codes
    not_reported: tuple[str, ...]  # ISO3 codes


def country_agenda(order: Sequence[str], reported: Mapping[str, int]) -> CountryAgenda:
    """The one rule of who presents, which every output follows (HTML, PPTX and PDF packs through
    `briefing_model`, presenter mode through `presenting_countries`): a country of `order` with at least one report
    in the cycle that the reader reads (`reported`: how many, by ISO3; what its `CountrySection.reported` counts)
    presents; one with none is only listed among those that have not reported yet."""
    return CountryAgenda(
        presenting=tuple(c for c in order if reported.get(c, 0) > 0),
        not_reported=tuple(c for c in order if reported.get(c, 0) <= 0),
    )


NAMES_PER_COLUMN = 8  # names a column of the "not yet reported" slide holds at body size
NAME_COLUMNS = 3


def name_columns(names: Sequence[str]) -> list[list[str]]:
    """`names` (the countries with no report) in up to NAME_COLUMNS columns of about NAMES_PER_COLUMN each,
    shared evenly and in order, as every output lays them out; longer columns where there are more names."""
    if not names:
        return []
    columns = min(NAME_COLUMNS, -(-len(names) // NAMES_PER_COLUMN))
    rows = -(-len(names) // columns)
    return [list(names[i * rows : (i + 1) * rows]) for i in range(columns)]


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
class Opening:
    """The briefing's opening facts: what the cycle is, who reports, and the status of every cell by round table."""

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

    @property
    def demo(self) -> bool:
        return self.demo_reports > 0

    def section_frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.section_counts), columns=["section", "status", "count"])

    def status(self, key: str) -> StatusKey:
        return next(s for s in self.statuses if s.key == key)


@dataclass(frozen=True)
class Briefing(Opening):
    """The whole briefing: the opening facts, then its sections. Presenter mode builds the part of its current
    slide with the functions that build it here (`opening_of`, `round_table_of`, `country_section`,
    `prompts_of`, `practice_quotes`, `presenting_countries`); the packs render the whole."""

    countries: tuple[CountrySection, ...]  # the countries that present (`country_agenda`), in presentation order
    not_reported: tuple[str, ...]  # the names of those that have not reported yet, in presentation order
    round_tables: tuple[RoundTable, ...]
    prompts: tuple[CategoryCount, ...]  # the most cited challenge categories, as discussion prompts
    practices: tuple[Quote, ...]


def _statuses(ref: Reference, lang: str) -> tuple[StatusKey, ...]:
    from gcm.charts import NOT_REPORTED_COLOR

    scale = tuple(StatusKey(s.key, s.label.get(lang), s.color) for s in ref.statuses)
    return (*scale, StatusKey(NOT_REPORTED, t(lang, "status.not_reported"), NOT_REPORTED_COLOR))


def _country_sections(
    ref: Reference, lang: str, order: list[str], reports: list[findings.BriefingRow]
) -> tuple[CountrySection, ...]:
    numbers = [o.number for o in ref.objectives]
    statuses = {s.key: s.label.get(lang) for s in ref.statuses}
    by_country: dict[str, list[findings.BriefingRow]] = {}
    for r in reports:
        by_country.setdefault(r.country, []).append(r)
    out = []
    for iso3 in order:
        rows = sorted(by_country.get(iso3, []), key=lambda r: r.objective)
        ranked = sorted(rows, key=lambda r: (not r.national_priority, r.objective))
        highlights = tuple(
            (field, tuple(Highlight(r.objective, getattr(r, field)) for r in ranked if getattr(r, field).strip())[:2])
            for field in HIGHLIGHT_FIELDS
        )
        texts = tuple(
            ReportText(
                r.objective,
                ref.objective(r.objective).short.get(lang),
                statuses.get(r.status, r.status),
                r.national_priority,
                *(getattr(r, f) for f in TEXT_FIELDS),
            )
            for r in rows
        )
        cells = {r.objective: r.status for r in rows}
        out.append(
            CountrySection(
                iso3=iso3,
                name=ref.country(iso3).name.get(lang),
                strip=tuple(cells.get(n, NOT_REPORTED) for n in numbers),
                reported=len(cells),
                total=len(numbers),
                priorities=tuple(r.objective for r in rows if r.national_priority),
                highlights=highlights,
                reports=texts,
            )
        )
    return tuple(out)


def _categories(counts: Mapping[str, int], labels: dict[str, str], limit: int) -> tuple[CategoryCount, ...]:
    """The most cited categories, most cited first (ties by key)."""
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return tuple(CategoryCount(k, labels.get(k, k), int(n)) for k, n in top)


@dataclass(frozen=True)
class _RoundTableData:
    """What the round tables are built from, each read aggregated in SQL."""

    cells: dict[tuple[int, str], int]  # (objective, status): reports
    prioritised: dict[int, list[str]]  # objective: countries that made it a national priority
    quotes: dict[int, list[findings.Candidate]]  # section: quotations
    challenges: dict[int, dict[str, int]]  # section: category: reports citing it
    priorities: dict[int, dict[str, int]]


def round_table_data(counts: findings.RoundTableCounts, quotes: list[findings.Candidate]) -> _RoundTableData:
    """The round tables' data from the reads of `findings` (`round_table_counts`, `quotations`)."""
    by_section: dict[int, list[findings.Candidate]] = {}
    for q in quotes:
        by_section.setdefault(q.section, []).append(q)
    return _RoundTableData(
        cells=counts.cells,
        prioritised=counts.prioritised,
        quotes=by_section,
        challenges=counts.challenges,
        priorities=counts.priorities,
    )


@dataclass(frozen=True)
class RoundTableHead:
    """A round table as the agenda names it: its number, its title and its objectives (number, official title)."""

    number: int
    title: str
    objectives: tuple[tuple[int, str], ...]


def _heads(ref: Reference, lang: str, provisional: bool, sections: pd.DataFrame) -> tuple[RoundTableHead, ...]:
    out = []
    for number, rows in sections.groupby("section", sort=True):
        title = str(rows[f"title_{lang}"].iloc[0])
        if provisional:
            title += f" ({t(lang, 'chart.provisional')})"
        objectives = tuple((int(n), ref.objective(int(n)).title.get(lang)) for n in rows["objective"])
        out.append(RoundTableHead(int(number), title, objectives))
    return tuple(out)


def _round_tables(
    ref: Reference,
    lang: str,
    heads: tuple[RoundTableHead, ...],
    members: list[str],
    data: _RoundTableData,
    names: dict[str, str],
) -> tuple[RoundTable, ...]:
    labels = {c.key: c.label.get(lang) for c in ref.categories}
    order = [s.key for s in ref.statuses]
    cells, prioritised, quotes = data.cells, data.prioritised, data.quotes
    reported: Counter[int] = Counter()
    for (objective, _), count in cells.items():
        reported[objective] += count
    out = []
    for head in heads:
        objectives = [n for n, _ in head.objectives]
        counts = [(n, key, cells.get((n, key), 0)) for n in objectives for key in order]
        counts += [(n, NOT_REPORTED, len(members) - reported[n]) for n in objectives]
        out.append(
            RoundTable(
                number=head.number,
                title=head.title,
                objectives=head.objectives,
                status_counts=tuple(counts),
                prioritised_by=tuple((n, tuple(sorted(names[c] for c in prioritised.get(n, [])))) for n in objectives),
                challenges=_categories(data.challenges.get(head.number, {}), labels, TOP_CATEGORIES),
                priorities=_categories(data.priorities.get(head.number, {}), labels, TOP_CATEGORIES),
                quotes=tuple(
                    Quote(findings.excerpt(q.text, q.length), q.country, names[q.country], q.objective, q.field)
                    for q in quotes.get(head.number, [])
                ),
            )
        )
    return tuple(out)


@queries.unchanged_by_reports  # cycles and groupings only
def round_table_heads(session: Session, ref: Reference, lang: str, cycle_id: str) -> tuple[RoundTableHead, ...]:
    """The round tables of the cycle's grouping, in order (no report is read)."""
    cycle = queries.cycles(session).set_index("id").loc[cycle_id]
    return _heads(ref, lang, bool(cycle["provisional"]), queries.sections(session, cycle["grouping"]))


def _counted(members: list[str], awaiting: list[str]) -> list[str]:
    """The members whose reports the scope counts: one awaiting validation (`queries.awaiting_validation`, or
    `queries.awaiting_in` a standing already read) is said apart, not counted as "not reported" (as
    `queries.counted_members`). No draft save changes who awaits validation (a draft is saved only while its
    country report is a draft or returned), so what is built from it may be cached on the `published` revision
    (`tests/app/test_published_revision.py` replays it)."""
    waiting = set(awaiting)
    return [c for c in members if c not in waiting]


def round_table_of(
    ref: Reference,
    lang: str,
    head: RoundTableHead,
    counts: findings.RoundTableCounts,
    candidates: pd.DataFrame,
    awaiting: list[str],
    members: list[str],
) -> RoundTable:
    """The round table of `head` from the reads of its objectives (`findings.round_table_counts`, the countries'
    best texts `findings.quotation_candidates`), the group's members and those of them whose report awaits
    validation for this reader (`queries.awaiting_validation`: not counted), each read cached on its own
    (the findings page, presenter mode); the packs build every round table at once (`briefing_model`)."""
    data = round_table_data(counts, findings.quoted(candidates, QUOTES_PER_SECTION))
    counted = _counted(members, awaiting)
    return _round_tables(ref, lang, (head,), counted, data, {c.iso3: c.name.get(lang) for c in ref.countries})[0]


@dataclass(frozen=True)
class CycleSetting:
    """What the opening says of its cycle and of the data, which no report's save or workflow step changes."""

    name: str
    start: dt.date | None
    end: dt.date | None
    provisional: bool
    demo_reports: int


@queries.unchanged_by_reports
def cycle_setting(session: Session, lang: str, cycle_id: str) -> CycleSetting:
    """The cycle's name, dates and grouping's provisional flag, and how many demo reports there are: presenter mode
    reads them once per change of cycles, not again with every report's workflow step."""
    cycle = queries.cycles(session).set_index("id").loc[cycle_id]
    return CycleSetting(
        name=str(cycle[f"name_{lang}"]),
        start=cycle["start"],
        end=cycle["end"],
        provisional=bool(cycle["provisional"]),
        demo_reports=queries.demo_report_count(session),
    )


def _opening(
    session: Session,
    ref: Reference,
    lang: str,
    cycle_id: str,
    setting: CycleSetting,
    group: str | None,
    scope: ReadScope,
    standing: pd.DataFrame,
) -> Opening:
    figures = queries.headline_of(session, cycle_id, standing)
    counts = queries.status_by_section(session, cycle_id, group, scope)
    return opening_of(ref, lang, cycle_id, setting, group, scope.states is None, figures, counts)


def opening_of(
    ref: Reference,
    lang: str,
    cycle_id: str,
    setting: CycleSetting,
    group: str | None,
    rehearsal: bool,
    figures: dict[str, int],
    section_counts: pd.DataFrame,
) -> Opening:
    """The briefing's opening facts from the cycle's setting, the group's figures (`queries.reporting_figures`)
    and its counts by round table (`queries.status_by_section`): what the briefing builds from one session's
    reads, and presenter mode from reads cached each on its own."""
    return Opening(
        lang=lang,
        cycle_id=cycle_id,
        cycle_name=setting.name,
        cycle_start=setting.start,
        cycle_end=setting.end,
        generated=dt.date.today(),
        title=t(lang, "briefing.title"),
        group=group,
        provisional=setting.provisional,
        rehearsal=rehearsal,
        demo_reports=setting.demo_reports,
        members=figures["members"],
        countries_reporting=figures["countries_reporting"],
        objectives_covered=figures["objectives_covered"],
        objective_total=len(ref.objectives),
        statuses=_statuses(ref, lang),
        section_counts=tuple(
            (int(section), str(status), int(count))
            for section, status, count in zip(
                section_counts["section"].tolist(),
                section_counts["status"].tolist(),
                section_counts["count"].tolist(),
                strict=True,
            )
        ),
    )


def prompts_of(ref: Reference, lang: str, counts: findings.RoundTableCounts) -> tuple[CategoryCount, ...]:
    """The discussion prompts from the counts of every objective (`findings.round_table_counts`): presenter mode's
    discussion slide builds them from its cached read, as the packs do from theirs (`briefing_model`)."""
    return _prompts(ref, lang, counts.challenges)


def _prompts(ref: Reference, lang: str, challenges: Mapping[int, Mapping[str, int]]) -> tuple[CategoryCount, ...]:
    """The challenge categories most cited across every round table."""
    labels = {c.key: c.label.get(lang) for c in ref.categories}
    cited: Counter[str] = Counter()
    for counts in challenges.values():
        cited.update(counts)
    return _categories(cited, labels, PROMPTS)


def _practices(ref: Reference, lang: str, practices: list[tuple[int, str, str, int]]) -> tuple[Quote, ...]:
    names = {c.iso3: c.name.get(lang) for c in ref.countries}
    return tuple(
        Quote(findings.excerpt(text, length), country, names[country], objective, "good_practice")
        for objective, country, text, length in practices
    )


@queries.of_cycle()
@queries.of_group()
def practice_quotes(
    session: Session,
    ref: Reference,
    lang: str,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    statuses: tuple[str, ...] | None = None,
) -> tuple[Quote, ...]:
    """The briefing's good practices on their own (presenter mode's last slide)."""
    return _practices(ref, lang, findings.good_practices(session, cycle_id, group, scope, statuses, PRACTICES))


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
    """The briefing of a cycle and group: opening facts, a section per country that reported (in `order`, by
    default the agenda's) and the names of those that have not (`country_agenda`), a section per round table,
    discussion prompts and good practices. `statuses` keeps only the reports of those statuses (the findings
    page's filter); the opening facts, and who has reported, stay those of every report.

    About a dozen queries whatever the number of countries, each aggregated in SQL (status counts, category
    counts, national priorities, the quotations and good practices picked), plus one read of the reports with
    their full texts when there are countries' sections to build.
    """
    heads = round_table_heads(session, ref, lang, cycle_id)
    members = queries.member_countries(session, group)
    standing = queries.country_standing(session, cycle_id, group, scope)
    opening = _opening(session, ref, lang, cycle_id, cycle_setting(session, lang, cycle_id), group, scope, standing)
    order = [c for c in order if c in set(members)] if order is not None else presentation_order(members)
    reports = findings.briefing_reports(session, cycle_id, group, scope, tuple(order)) if order else []
    agenda = country_agenda(order, Counter(r.country for r in reports))
    if statuses:
        reports = [r for r in reports if r.status in statuses]
    data = round_table_data(
        findings.round_table_counts(session, cycle_id, group, scope, statuses),
        findings.quotations(session, cycle_id, group, scope, statuses, QUOTES_PER_SECTION),
    )
    names = {c.iso3: c.name.get(lang) for c in ref.countries}
    return Briefing(
        **{f.name: getattr(opening, f.name) for f in fields(Opening)},
        countries=_country_sections(ref, lang, list(agenda.presenting), reports),
        not_reported=tuple(names[c] for c in agenda.not_reported),
        round_tables=_round_tables(ref, lang, heads, _counted(members, queries.awaiting_in(standing)), data, names),
        prompts=_prompts(ref, lang, data.challenges),
        practices=_practices(ref, lang, findings.good_practices(session, cycle_id, group, scope, statuses, PRACTICES)),
    )


@queries.of_cycle()
@queries.of_group()
@queries.unchanged_by_text
def presenting_countries(
    session: Session, cycle_id: str, group: str | None, scope: ReadScope, order: tuple[str, ...]
) -> CountryAgenda:
    """`country_agenda` of the members of `group` in `order` (presenter mode's slides), from how many reports of
    each this reader reads in the cycle, as `briefing_model` decides it: one aggregated read, no report's text."""
    reports = queries.reports_by_member(session, cycle_id, group, scope)
    return country_agenda(tuple(c for c in order if c in reports), reports)


@queries.of_one_country()
def country_section(
    session: Session, ref: Reference, lang: str, country: str, cycle_id: str, scope: ReadScope
) -> CountrySection:
    """One country's section on its own (the one-page summary), built as the briefing builds it."""
    texts = queries.country_texts(session, country, cycle_id, scope)
    statuses = queries.country_statuses(session, country, cycle_id, scope)[["objective", "status"]]
    merged = texts.merge(statuses, on="objective")
    reports = [
        findings.BriefingRow(
            0,
            country,
            int(r["objective"]),
            str(r["status"]),
            bool(r["national_priority"]) if pd.notna(r["national_priority"]) else False,
            *(str(r[f]) if isinstance(r[f], str) else "" for f in TEXT_FIELDS),
        )
        for r in merged.to_dict("records")
    ]
    return _country_sections(ref, lang, [country], reports)[0]
