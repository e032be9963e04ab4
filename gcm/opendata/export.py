"""The open-data export (JSON, CSV, XLSX). Its schema is a public contract, documented in README.md.

One function computes each table's records (`report_records` for the reports, in SQL, for a
reader's scope); every output renders them: the CLI file, the Open data page's downloads and the
JSON API. The same data and scope always give the same bytes, whoever builds them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.packaging.core import DocumentProperties
from openpyxl.xml.functions import tostring
from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.orm import Session

from gcm import models, queries
from gcm.opendata.tables import csv_bytes, xlsx_bytes
from gcm.permissions import ReadScope
from gcm.reference import Reference

FORMATS = ("json", "csv", "xlsx")
MIME_TYPES = {
    "json": "application/json",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EVERYTHING = ReadScope(states=None)  # every report, drafts included (the CLI's --all)
VALIDATED_ONLY = ReadScope(states=("validated",))  # the CLI's default (open data), and the public's scope
REPORT_COLUMNS = (
    "country",
    "cycle",
    "objective",
    "status",
    "progress",
    "challenges",
    "priorities",
    "good_practice",
    "principles",
    "challenge_categories",
    "priority_categories",
    "national_priority",
    "evidence_links",
    "is_demo",
    "updated_by",
    "updated_at",
    "version",
    "report_state",
)
LIST_COLUMNS = ("principles", "challenge_categories", "priority_categories", "evidence_links")
TAG_COLUMNS = models.TAG_FIELDS
R = models.ObjectiveReport
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _report_conditions(
    scope: ReadScope,
    cycle: str | None,
    country: str | None,
    objective: int | None,
    status: str | None,
    report_ids: Sequence[int] | None,
) -> list[Any]:
    conditions: list[Any] = []
    if scope.states is not None:  # the country report's workflow state decides, cycle by cycle
        readable = func.coalesce(models.Submission.state, literal("draft")).in_(scope.states or ())
        if scope.own_country:
            readable = or_(readable, R.country_iso3 == scope.own_country)
        conditions.append(readable)
    for column, value in ((R.cycle_id, cycle), (R.country_iso3, country), (R.objective, objective), (R.status, status)):
        if value is not None:
            conditions.append(column == value)
    if report_ids is not None:
        conditions.append(R.id.in_(list(report_ids)))
    return conditions


def _from_reports(stmt: Any, scope: ReadScope) -> Any:
    s = models.Submission
    return stmt.outerjoin(s, and_(s.country_iso3 == R.country_iso3, s.cycle_id == R.cycle_id))


@queries.unchanged_by_text  # a count: a save of a report's text alone leaves it as it was
def report_count(
    session: Session,
    scope: ReadScope,
    *,
    cycle: str | None = None,
    country: str | None = None,
    objective: int | None = None,
    status: str | None = None,
) -> int:
    """How many reports `report_records` would return without paging."""
    stmt = _from_reports(select(func.count()).select_from(R), scope)
    stmt = stmt.where(*_report_conditions(scope, cycle, country, objective, status, None))
    return int(session.scalar(stmt) or 0)


def report_records(
    session: Session,
    scope: ReadScope,
    *,
    cycle: str | None = None,
    country: str | None = None,
    objective: int | None = None,
    status: str | None = None,
    report_ids: Sequence[int] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """The reports `scope` may read, filtered, ordered by cycle, country and objective, one page of them.

    Each record has exactly the fields of the export's `reports` (REPORT_COLUMNS): tag lists sorted by
    key, `updated_at` as ISO 8601 text. Filtering, order and paging run in SQL, and the tags of just
    this page come in one more query.
    """
    conditions = _report_conditions(scope, cycle, country, objective, status, report_ids)
    order = (R.cycle_id, R.country_iso3, R.objective)
    columns = (
        R.id,
        R.country_iso3,
        R.cycle_id,
        R.objective,
        R.status,
        R.progress,
        R.challenges,
        R.priorities,
        R.good_practice,
        R.national_priority,
        R.evidence_links,
        R.is_demo,
        R.updated_by,
        R.updated_at,
        R.version,
        func.coalesce(models.Submission.state, literal("draft")).label("report_state"),
    )
    stmt = _from_reports(select(*columns), scope).where(*conditions).order_by(*order).offset(offset or None)
    page_ids = _from_reports(select(R.id), scope).where(*conditions).order_by(*order).offset(offset or None)
    if limit is not None:
        stmt, page_ids = stmt.limit(limit), page_ids.limit(limit)
    rows = session.execute(stmt).all()
    if not rows:
        return []
    tags: dict[int, dict[str, list[str]]] = {}
    tag = models.ReportTag
    # The page's ids as a subquery, not a list of parameters: a whole-database page stays one statement.
    tag_stmt = (
        select(tag.report_id, tag.kind, tag.key)
        .where(tag.report_id.in_(select(page_ids.subquery().c.id)))
        .order_by(tag.report_id, tag.key)
    )
    for report_id, kind, key in session.execute(tag_stmt):
        if kind in TAG_COLUMNS:
            tags.setdefault(report_id, {}).setdefault(TAG_COLUMNS[kind], []).append(key)
    records = []
    for row in rows:
        updated_at = queries.as_utc(row.updated_at)
        own = tags.get(row.id, {})
        records.append(
            {
                "country": row.country_iso3,
                "cycle": row.cycle_id,
                "objective": row.objective,
                "status": row.status,
                "progress": row.progress,
                "challenges": row.challenges,
                "priorities": row.priorities,
                "good_practice": row.good_practice,
                "principles": own.get("principles", []),
                "challenge_categories": own.get("challenge_categories", []),
                "priority_categories": own.get("priority_categories", []),
                "national_priority": bool(row.national_priority),
                "evidence_links": list(row.evidence_links or []),
                "is_demo": bool(row.is_demo),
                "updated_by": row.updated_by,
                "updated_at": updated_at.isoformat() if updated_at is not None else None,
                "version": row.version,
                "report_state": row.report_state,
            }
        )
    return records


def reports_table(session: Session, scope: ReadScope) -> pd.DataFrame:
    """The reports `scope` may read as a table (REPORT_COLUMNS), list fields as lists."""
    return pd.DataFrame(report_records(session, scope), columns=list(REPORT_COLUMNS))


def objective_records(ref: Reference) -> list[dict[str, Any]]:
    """The 23 objectives: official titles, short titles, IMRF 2022 round table, Hub id."""
    return [
        {
            "number": o.number,
            "title_en": o.title.en,
            "title_es": o.title.es,
            "short_en": o.short.en,
            "short_es": o.short.es,
            "round_table": ref.round_table_of(o.number),
            "hub_id": o.hub_id,
        }
        for o in ref.objectives
    ]


def principle_records(ref: Reference) -> list[dict[str, Any]]:
    """The 10 guiding principles."""
    return [{"key": p.key, "name_en": p.name.en, "name_es": p.name.es} for p in ref.principles]


def country_records(session: Session, ref: Reference) -> list[dict[str, Any]]:
    """The countries of the reference data in its order, then any country only the database holds."""
    known = {c.iso3 for c in ref.countries}
    records = [
        {"iso3": c.iso3, "name_en": c.name.en, "name_es": c.name.es, "groups": list(c.groups)} for c in ref.countries
    ]
    m = models.CountryMembership
    stmt = (
        select(models.Country.iso3, models.Country.name_en, models.Country.name_es, m.group_key)
        .outerjoin(m, m.country_iso3 == models.Country.iso3)
        .where(models.Country.iso3.not_in(known))
        .order_by(models.Country.iso3, m.group_key)
    )
    extra: dict[str, dict[str, Any]] = {}
    for iso3, name_en, name_es, group in session.execute(stmt):
        entry = extra.setdefault(iso3, {"iso3": iso3, "name_en": name_en, "name_es": name_es, "groups": []})
        if group is not None:
            entry["groups"].append(group)
    return records + list(extra.values())


def cycle_records(session: Session) -> list[dict[str, Any]]:
    """The reporting cycles, oldest first, with their grouping and state."""
    frame = queries.cycles(session).sort_values("start")
    return [
        {
            "id": r.id,
            "name_en": r.name_en,
            "name_es": r.name_es,
            "start": r.start.isoformat(),
            "end": r.end.isoformat(),
            "grouping": r.grouping,
            "grouping_confirmed": bool(r.grouping_confirmed),
            "is_open": bool(r.is_open),
        }
        for r in frame.itertuples()
    ]


def grouping_records(session: Session, ref: Reference) -> list[dict[str, Any]]:
    """Each grouping of objectives with its sections as the database holds them."""
    result = []
    for grouping in ref.groupings:
        rows = queries.sections(session, grouping.id)
        sections = [
            {
                "number": int(n),
                "title_en": g["title_en"].iloc[0],
                "title_es": g["title_es"].iloc[0],
                "objectives": [int(o) for o in g["objective"]],
            }
            for n, g in rows.groupby("section")
        ]
        result.append(
            {
                "id": grouping.id,
                "name_en": grouping.name.en,
                "name_es": grouping.name.es,
                "provisional": grouping.provisional,
                "sections": sections,
            }
        )
    return result


def export_document(session: Session, ref: Reference, scope: ReadScope) -> dict[str, Any]:
    """The whole open-data document as plain JSON-ready values."""
    return {
        "objectives": objective_records(ref),
        "principles": principle_records(ref),
        "groupings": grouping_records(session, ref),
        "countries": country_records(session, ref),
        "cycles": cycle_records(session),
        "reports": report_records(session, scope),
    }


def flat_reports(records: list[dict[str, Any]]) -> pd.DataFrame:
    """The reports as one flat table: list fields joined with `; ` (evidence links with a line break)."""
    flat = pd.DataFrame(records, columns=list(REPORT_COLUMNS))
    for column in LIST_COLUMNS:
        separator = "\n" if column == "evidence_links" else "; "
        flat[column] = flat[column].map(separator.join)
    return flat


def _reproducible_xlsx(data: bytes, stamp: dt.datetime) -> bytes:
    """The workbook with fixed file times and document dates, so the same data gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = tostring(DocumentProperties(creator="openpyxl", created=stamp, modified=stamp).to_tree())
            target.writestr(zipfile.ZipInfo(info.filename, _ZIP_EPOCH), content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _data_time(records: list[dict[str, Any]]) -> dt.datetime:
    """The latest change among the records (UTC, naive), the date a workbook of them carries."""
    times = [dt.datetime.fromisoformat(r["updated_at"]) for r in records if r["updated_at"]]
    latest = max(times, default=dt.datetime(*_ZIP_EPOCH, tzinfo=dt.UTC))
    return latest.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)


def export_bytes(session: Session, ref: Reference, fmt: str, scope: ReadScope) -> bytes:
    """The export in `fmt` (json, csv or xlsx) of what `scope` may read: the CLI's file and the page's download.

    CSV: UTF-8 with a byte-order mark, cells that a spreadsheet would run as a formula prefixed with `'`.
    XLSX: one sheet `reports`, every text cell stored as text.
    """
    if fmt == "json":
        return json.dumps(export_document(session, ref, scope), ensure_ascii=False, indent=2).encode("utf-8")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format: {fmt}")
    records = report_records(session, scope)
    if fmt == "csv":
        return csv_bytes(flat_reports(records))
    return _reproducible_xlsx(xlsx_bytes(flat_reports(records), sheet_title="reports"), _data_time(records))


def write_export(session: Session, ref: Reference, fmt: str, path: Path, scope: ReadScope) -> int:
    """Write `export_bytes` to `path`; return the number of reports written."""
    path.write_bytes(export_bytes(session, ref, fmt, scope))
    return report_count(session, scope)
