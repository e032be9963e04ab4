"""What the read-only JSON API answers: parameters checked, then the export's own records.

The HTTP side (gcm/web/api_routes.py) only parses the request and serialises a `Page`; every
record comes from the functions of gcm/opendata/export.py, so the API, the downloads and the CLI
file always agree. Nothing here imports Starlette.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gcm import models
from gcm.explore import search
from gcm.opendata import export
from gcm.permissions import ReadScope
from gcm.reference import OBJECTIVE_COUNT, Reference

API_PREFIX = "/api/v1"
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_QUERY_LENGTH = 200
MAX_SEARCH_HITS = 10_000  # a full-text search pages through at most this many best-ranked matches
REPORT_PARAMETERS = ("cycle", "country", "objective", "status", "q", "limit", "page")


class BadParameter(ValueError):
    """A query parameter the API cannot use; the answer is 400 naming it."""

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter, self.message = parameter, message
        super().__init__(f"{parameter}: {message}")


@dataclass(frozen=True)
class Page:
    """One answer: its records, and the number of the next page (None on the last one)."""

    data: list[dict[str, Any]]
    next_page: int | None = None


@dataclass(frozen=True)
class ReportQuery:
    cycle: str | None = None
    country: str | None = None
    objective: int | None = None
    status: str | None = None
    q: str | None = None
    limit: int = DEFAULT_LIMIT
    page: int = 1


def _as_known(value: str | None, known: Iterable[str]) -> str | None:
    """`value` spelt as the known code it matches whatever the case, else as given (refused later)."""
    if value is None:
        return None
    return {code.lower(): code for code in known}.get(value.lower(), value)


def _single(params: Sequence[tuple[str, str]], allowed: Sequence[str]) -> dict[str, str]:
    """The parameters as a dict; unknown or repeated names are refused, empty values count as absent."""
    values: dict[str, str] = {}
    for name, value in params:
        if name not in allowed:
            known = ", ".join(allowed) if allowed else "none"
            raise BadParameter(name, f"unknown parameter (this endpoint takes: {known})")
        if name in values:
            raise BadParameter(name, "given more than once; give it once")
        values[name] = value
    return {name: value.strip() for name, value in values.items() if value.strip()}


def _whole(name: str, value: str | None, default: int, low: int, high: int | None) -> int:
    if value is None:
        return default
    if not value.isdigit():
        raise BadParameter(name, f"must be a whole number, not {value[:40]!r}")
    number = int(value)
    if number < low or (high is not None and number > high):
        raise BadParameter(name, f"must be between {low} and {high}" if high else f"must be {low} or more")
    return number


def parse_report_query(
    params: Sequence[tuple[str, str]], *, cycles: set[str], countries: set[str], statuses: Sequence[str]
) -> ReportQuery:
    """The filters of /api/v1/reports, each checked: known codes, numbers in range."""
    values = _single(params, REPORT_PARAMETERS)
    cycle, country, status, q = (values.get(name) for name in ("cycle", "country", "status", "q"))
    # Codes in any case, as the country's: a cycle id or status key is looked up whatever its case.
    cycle, status = (_as_known(value, known) for value, known in ((cycle, cycles), (status, statuses)))
    if cycle is not None and cycle not in cycles:
        raise BadParameter("cycle", f"unknown cycle {cycle[:40]!r}; known: {', '.join(sorted(cycles))}")
    if country is not None:
        country = country.upper()
        if country not in countries:
            raise BadParameter("country", f"unknown country code {country[:40]!r}; give an ISO 3166-1 alpha-3 code")
    if status is not None and status not in statuses:
        raise BadParameter("status", f"unknown status {status[:40]!r}; known: {', '.join(statuses)}")
    if q is not None and len(q) > MAX_QUERY_LENGTH:
        raise BadParameter("q", f"at most {MAX_QUERY_LENGTH} characters")
    return ReportQuery(
        cycle=cycle,
        country=country,
        objective=_whole("objective", values.get("objective"), 0, 1, OBJECTIVE_COUNT) or None,
        status=status,
        q=q,
        limit=_whole("limit", values.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT),
        page=_whole("page", values.get("page"), 1, 1, None),
    )


def _whole_list(data: list[dict[str, Any]], params: Sequence[tuple[str, str]]) -> Page:
    _single(params, ())
    return Page(data)


def objectives(session: Session, ref: Reference, scope: ReadScope, params: Sequence[tuple[str, str]]) -> Page:
    """GET /api/v1/objectives: the export's `objectives` table (reference data: the same for every reader)."""
    return _whole_list(export.objective_records(ref), params)


def countries(session: Session, ref: Reference, scope: ReadScope, params: Sequence[tuple[str, str]]) -> Page:
    """GET /api/v1/countries: the export's `countries` table."""
    return _whole_list(export.country_records(session, ref), params)


def cycles(session: Session, ref: Reference, scope: ReadScope, params: Sequence[tuple[str, str]]) -> Page:
    """GET /api/v1/cycles: the export's `cycles` table."""
    return _whole_list(export.cycle_records(session), params)


def _known(session: Session) -> tuple[set[str], set[str]]:
    cycle_ids = set(session.scalars(select(models.Cycle.id)))
    country_codes = set(session.scalars(select(models.Country.iso3)))
    return cycle_ids, country_codes


def reports(session: Session, ref: Reference, scope: ReadScope, params: Sequence[tuple[str, str]]) -> Page:
    """GET /api/v1/reports: one page of the reports `scope` may read, filtered; with q, in search rank order."""
    cycle_ids, country_codes = _known(session)
    query = parse_report_query(
        params, cycles=cycle_ids, countries=country_codes, statuses=[s.key for s in ref.statuses]
    )
    offset = (query.page - 1) * query.limit
    filters = {"cycle": query.cycle, "country": query.country, "objective": query.objective, "status": query.status}
    if query.q is not None:
        data = _ranked_records(session, scope, query, offset + query.limit + 1, filters)[offset:]
    else:
        data = export.report_records(session, scope, limit=query.limit + 1, offset=offset, **filters)
    more = len(data) > query.limit
    return Page(data[: query.limit], query.page + 1 if more else None)


def _ranked_records(
    session: Session, scope: ReadScope, query: ReportQuery, wanted: int, filters: dict[str, Any]
) -> list[dict[str, Any]]:
    """The first `wanted` reports matching `query.q` (the search page's full-text search), best first.

    The search ranks one hit per report and field; a report counts once, at its best hit. Hits are read
    in growing chunks until enough reports pass the other filters (in SQL) or the hits run out.
    """
    ranked: list[dict[str, Any]] = []
    seen: set[int] = set()
    chunk, hit_offset = wanted * len(search.FIELDS), 0
    while len(ranked) < wanted:
        result = search.search_reports(
            session, scope, query.q or "", cycle=query.cycle, objective=query.objective, limit=chunk, offset=hit_offset
        )
        new = [int(i) for i in dict.fromkeys(result.rows["report_id"]) if int(i) not in seen]
        seen.update(new)
        if new:
            found = export.report_records(session, scope, report_ids=new, **filters)
            by_key = {(r["cycle"], r["country"], r["objective"]): r for r in found}
            keys = result.rows.drop_duplicates("report_id")[["report_id", "cycle", "country", "objective"]]
            for report_id, cycle, country, objective in keys.itertuples(index=False):
                if int(report_id) in new and (cycle, country, int(objective)) in by_key:
                    ranked.append(by_key[(cycle, country, int(objective))])
        hit_offset += chunk
        if hit_offset >= result.total:
            break
        chunk *= 2
    return ranked[:wanted]


ENDPOINTS = {"objectives": objectives, "countries": countries, "cycles": cycles, "reports": reports}
