"""Full-text search over the narrative fields of the reports (progress, challenges, priorities, good practice).

SQLite: the FTS5 table `report_search` (migration 0005), one row per report x field, rowid =
report id * 4 + field number, kept in sync by triggers; ranked by bm25, hits marked by
highlight(). PostgreSQL: expression GIN indexes over to_tsvector('simple', gcm_unaccent(field)),
ranked by ts_rank; hits marked here, with the same word rules as the indexes (gcm.explore.tokens).
Queries are built from our own tokens, never from the user's syntax: words are ANDed, a trailing
`*` asks for a prefix, and a glossary term adds its translation as an alternative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Float, Integer, and_, bindparam, func, literal, or_, select, text, true
from sqlalchemy.orm import Session

from gcm import models
from gcm.config import load_config
from gcm.explore.glossary import Glossary, glossary_for
from gcm.explore.tokens import fold, spans, words
from gcm.permissions import ReadScope

# The field number is part of the FTS rowid (migration 0005): never reorder.
FIELDS = ("progress", "challenges", "priorities", "good_practice")
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"  # private use: stripped from every indexed text
MAX_WORDS = 32
EXCERPT_CHARS = 280
EXCERPT_LEAD = 60
ELLIPSIS = "…"
COLUMNS = ["report_id", "country", "cycle", "objective", "field", "rank", "excerpt"]

R, S = models.ObjectiveReport, models.Submission
_QUERY_WORD = re.compile(r"((?:[^\W_]|[\u0300-\u036f])+)(\*?)")
_SPACES = re.compile(r"\s+")

Segment = tuple[str, bool]


@dataclass(frozen=True)
class SearchResult:
    """One page of ranked hits (one row per report x field), the number of all hits, and the glossary terms added."""

    rows: pd.DataFrame
    total: int
    added_terms: tuple[str, ...]


@dataclass(frozen=True)
class Alternative:
    """Folded words that must all occur (`phrase`: next to each other); `prefix` only for a single word."""

    words: tuple[str, ...]
    phrase: bool = False
    prefix: bool = False


# A query is a conjunction of clauses; a clause is a disjunction of alternatives.
Query = tuple[tuple[Alternative, ...], ...]


def parse_query(query: str, glossary: Glossary | None = None, lang: str = "es") -> tuple[Query, tuple[str, ...]]:
    """Our own reading of what the user typed: (clauses, glossary terms added). Any other character is a separator."""
    typed = [(fold(m.group(1)), bool(m.group(2))) for m in _QUERY_WORD.finditer(query or "")]
    typed = [(w, prefix) for w, prefix in typed if w][:MAX_WORDS]
    # A word with * is a prefix, not a glossary term: blank it out for the glossary lookup.
    expansions = glossary.find(tuple("" if prefix else w for w, prefix in typed), lang) if glossary else ()
    by_start: dict[int, list] = {}
    for expansion in expansions:
        by_start.setdefault(expansion.start, []).append(expansion)
    clauses: list[tuple[Alternative, ...]] = []
    added: list[str] = []
    position = 0
    while position < len(typed):
        found = by_start.get(position)
        if found:
            end = found[0].end
            alternatives = [Alternative(tuple(w for w, _ in typed[position:end]))]
            for expansion in found:
                alternatives.append(Alternative(words(expansion.added), phrase=True))
                added.append(expansion.added)
            clauses.append(tuple(alternatives))
            position = end
        else:
            word, prefix = typed[position]
            clauses.append((Alternative((word,), prefix=prefix),))
            position += 1
    return tuple(clauses), tuple(dict.fromkeys(added))


def _fts5_word(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def fts5_expression(query: Query) -> str:
    """The FTS5 MATCH text: every word quoted, so no user text is ever read as FTS5 syntax."""

    def alternative(alt: Alternative) -> str:
        if alt.phrase:
            return _fts5_word(" ".join(alt.words))
        if len(alt.words) == 1:
            return _fts5_word(alt.words[0]) + (" *" if alt.prefix else "")
        return "(" + " AND ".join(_fts5_word(w) for w in alt.words) + ")"

    return " AND ".join("(" + " OR ".join(alternative(a) for a in clause) + ")" for clause in query)


def _ts_word(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_expression(query: Query) -> str:
    """The to_tsquery text, every word quoted: & for AND, | for OR, <-> for a phrase, :* for a prefix."""

    def alternative(alt: Alternative) -> str:
        if len(alt.words) == 1:
            return _ts_word(alt.words[0]) + (":*" if alt.prefix else "")
        return "(" + (" <-> " if alt.phrase else " & ").join(_ts_word(w) for w in alt.words) + ")"

    return " & ".join("(" + " | ".join(alternative(a) for a in clause) + ")" for clause in query)


def _matches_sqlite(query: Query):
    return (
        text(
            "SELECT rowid / 4 AS report_id, rowid % 4 AS field_no, -bm25(report_search) AS rank "
            "FROM report_search WHERE report_search MATCH :fts"
        )
        .bindparams(fts=fts5_expression(query))
        .columns(report_id=Integer, field_no=Integer, rank=Float)
    )


def _tsvector(field: str) -> str:
    # Exactly the expression of the ix_report_search_* indexes, so that they serve the match.
    return f"to_tsvector('simple'::regconfig, gcm_unaccent({field}))"


def _matches_postgresql(query: Query, field: str | None):
    tsq = "to_tsquery('simple'::regconfig, gcm_unaccent(CAST(:tsq AS text)))"
    branches = [
        f"SELECT id AS report_id, {number} AS field_no, ts_rank({_tsvector(name)}, {tsq}, 1) AS rank "
        f"FROM objective_report WHERE {_tsvector(name)} @@ {tsq}"
        for number, name in enumerate(FIELDS)
        if field is None or name == field
    ]
    return (
        text(" UNION ALL ".join(branches))
        .bindparams(tsq=tsquery_expression(query))
        .columns(report_id=Integer, field_no=Integer, rank=Float)
    )


def _visible(scope: ReadScope):
    """Each report by the workflow state of its own country report (no submission row: a draft)."""
    if scope.states is None:
        return true()
    condition = func.coalesce(S.state, literal("draft")).in_(scope.states)
    if scope.own_country:
        condition = or_(condition, R.country_iso3 == scope.own_country)
    return condition


def _section_objectives(cycle: str, section: int):
    so, gs = models.SectionObjective, models.GroupingSection
    return (
        select(so.objective)
        .join(gs, gs.id == so.section_id)
        .join(models.Cycle, models.Cycle.grouping_id == gs.grouping_id)
        .where(models.Cycle.id == cycle, gs.number == section)
    )


def _clean(value: str) -> str:
    return value.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


def marked_segments(marked: str) -> list[Segment]:
    """Split text carrying our private-use hit markers into (text, matched) segments."""
    segments: list[Segment] = []
    for part in marked.split(MARK_OPEN):
        hit, sep, rest = part.partition(MARK_CLOSE)
        if sep:
            segments.append((hit, True))
            segments.append((rest, False))
        else:
            segments.append((part, False))
    return [(s, m) for s, m in segments if s]


def highlight_segments(value: str, query: Query) -> list[Segment]:
    """The hits of `query` in `value` as FTS5's highlight() marks them: each word or phrase occurrence,
    overlapping occurrences merged."""
    tokens = list(spans(value))
    folded = [w for _, _, w in tokens]
    hits: list[tuple[int, int]] = []
    for clause in query:
        for alt in clause:
            patterns = [alt.words] if alt.phrase else [(w,) for w in alt.words]
            for pattern in patterns:
                size = len(pattern)
                for i in range(len(tokens) - size + 1):
                    window = folded[i : i + size]
                    if window[0].startswith(pattern[0]) if size == 1 and alt.prefix else tuple(window) == pattern:
                        hits.append((tokens[i][0], tokens[i + size - 1][1]))
    merged: list[list[int]] = []
    for start, end in sorted(hits):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    segments: list[Segment] = []
    cursor = 0
    for start, end in merged:
        segments += [(value[cursor:start], False), (value[start:end], True)]
        cursor = end
    segments.append((value[cursor:], False))
    return [(s, m) for s, m in segments if s]


def excerpt(segments: list[Segment], width: int = EXCERPT_CHARS) -> list[Segment]:
    """A window of about `width` characters from a little before the first hit, never cutting a hit;
    white space collapsed so that the excerpt reads as one line."""
    full = "".join(value for value, _ in segments)
    starts = [0]
    for value, _ in segments:
        starts.append(starts[-1] + len(value))
    start, end = 0, len(full)
    if len(full) > width:
        first = next((starts[i] for i, (_, matched) in enumerate(segments) if matched), 0)
        if first > EXCERPT_LEAD:
            start = full.rfind(" ", 0, first - EXCERPT_LEAD) + 1
        cut = full.find(" ", start + width)
        end = len(full) if cut < 0 else cut
        for i, (_, matched) in enumerate(segments):
            if matched and starts[i] < end < starts[i + 1]:
                end = starts[i + 1]  # a hit straddling the cut is kept whole
    out: list[Segment] = []
    for i, (value, matched) in enumerate(segments):
        lo, hi = starts[i], starts[i + 1]
        piece = value[max(lo, start) - lo : min(hi, end) - lo] if hi > start and lo < end else ""
        if piece:
            out.append((_SPACES.sub(" ", piece), matched))
    if start > 0:
        out.insert(0, (ELLIPSIS + " ", False))
    if end < len(full):
        out.append((" " + ELLIPSIS, False))
    return out


def _excerpts_sqlite(session: Session, query: Query, keys: list[tuple[int, int]]) -> dict[tuple[int, int], list]:
    rowids = [report_id * 4 + field_no for report_id, field_no in keys]
    stmt = text(
        "SELECT rowid, highlight(report_search, 0, :open, :close) FROM report_search "
        "WHERE report_search MATCH :fts AND rowid IN :rowids"
    ).bindparams(bindparam("rowids", expanding=True))
    rows = session.execute(
        stmt, {"open": MARK_OPEN, "close": MARK_CLOSE, "fts": fts5_expression(query), "rowids": rowids}
    ).all()
    return {(rowid // 4, rowid % 4): excerpt(marked_segments(marked)) for rowid, marked in rows}


def _excerpts_python(session: Session, query: Query, keys: list[tuple[int, int]]) -> dict[tuple[int, int], list]:
    ids = sorted({report_id for report_id, _ in keys})
    stmt = select(R.id, *(getattr(R, name) for name in FIELDS)).where(R.id.in_(ids))
    texts = {row[0]: row[1:] for row in session.execute(stmt)}
    return {
        (report_id, field_no): excerpt(highlight_segments(_clean(texts[report_id][field_no] or ""), query))
        for report_id, field_no in keys
    }


def _empty(added: tuple[str, ...] = ()) -> SearchResult:
    return SearchResult(rows=pd.DataFrame(columns=COLUMNS), total=0, added_terms=added)


def search_reports(
    session: Session,
    scope: ReadScope,
    query: str,
    *,
    lang: str = "es",
    cycle: str | None = None,
    group: str | None = None,
    objective: int | None = None,
    section: int | None = None,
    field: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> SearchResult:
    """Reports whose narrative fields match `query`, best first, that `scope` may read.

    One row per report x field, ranked (bm25 on SQLite, ts_rank on PostgreSQL), ties in
    (country, cycle, objective, field) order. Filters: cycle, country group, objective, section
    (round table number in the cycle's grouping: needs `cycle`), field. Accents and case never
    matter; words are ANDed; `word*` is a prefix; a glossary term also searches its translation.
    """
    if field is not None and field not in FIELDS:
        raise ValueError(f"field must be one of {', '.join(FIELDS)}")
    if section is not None and cycle is None:
        raise ValueError("a section filter needs a cycle")
    if limit < 0 or offset < 0:
        raise ValueError("limit and offset must not be negative")
    parsed, added = parse_query(query, glossary_for(str(load_config().reference_dir)), lang)
    if not parsed:
        return _empty()
    postgres = session.get_bind().dialect.name == "postgresql"
    matches = (_matches_postgresql(parsed, field) if postgres else _matches_sqlite(parsed)).subquery("matches")
    conditions = [_visible(scope)]
    if cycle is not None:
        conditions.append(R.cycle_id == cycle)
    if group is not None:
        m = models.CountryMembership
        conditions.append(R.country_iso3.in_(select(m.country_iso3).where(m.group_key == group)))
    if objective is not None:
        conditions.append(R.objective == objective)
    if section is not None:
        conditions.append(R.objective.in_(_section_objectives(cycle, section)))
    if field is not None:
        conditions.append(matches.c.field_no == FIELDS.index(field))
    base = (
        select(matches.c.report_id, R.country_iso3, R.cycle_id, R.objective, matches.c.field_no, matches.c.rank)
        .join(R, R.id == matches.c.report_id)
        .outerjoin(S, and_(S.country_iso3 == R.country_iso3, S.cycle_id == R.cycle_id))
        .where(*conditions)
    )
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    page = session.execute(
        base.order_by(matches.c.rank.desc(), R.country_iso3, R.cycle_id, R.objective, matches.c.field_no)
        .limit(limit)
        .offset(offset)
    ).all()
    if not page:
        return _empty(added) if total == 0 else SearchResult(pd.DataFrame(columns=COLUMNS), total, added)
    keys = [(row.report_id, row.field_no) for row in page]
    excerpts = (_excerpts_python if postgres else _excerpts_sqlite)(session, parsed, keys)
    frame = pd.DataFrame(
        [
            (
                row.report_id,
                row.country_iso3,
                row.cycle_id,
                row.objective,
                FIELDS[row.field_no],
                float(row.rank),
                excerpts.get((row.report_id, row.field_no), []),
            )
            for row in page
        ],
        columns=COLUMNS,
    )
    return SearchResult(rows=frame, total=total, added_terms=added)


def run_search(
    session: Session,
    scope: ReadScope,
    query: str,
    lang: str,
    cycle: str | None,
    group: str | None,
    objective: int | None,
    section: int | None,
    field: str | None,
    limit: int,
    offset: int,
) -> SearchResult:
    """`search_reports` with positional arguments, for gcm.ui.context.read (which caches on them)."""
    return search_reports(
        session,
        scope,
        query,
        lang=lang,
        cycle=cycle,
        group=group,
        objective=objective,
        section=section,
        field=field,
        limit=limit,
        offset=offset,
    )


def excerpt_text(segments: list[Segment]) -> str:
    """An excerpt as plain text (downloads)."""
    return "".join(value for value, _ in segments)
