"""The open-data export (JSON, CSV, XLSX). Its schema is a public contract, documented in README.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from sqlalchemy.orm import Session

from gcm import queries
from gcm.reference import Reference

FORMATS = ("json", "csv", "xlsx")
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
)
LIST_COLUMNS = ("principles", "challenge_categories", "priority_categories", "evidence_links")


def reports_table(session: Session, validated_only: bool = False) -> pd.DataFrame:
    """Every report (or only validated ones), one row each, list fields as lists, times as ISO 8601 text."""
    frame = queries.all_reports(session)
    if validated_only:
        states = queries.submissions(session)
        validated = set(
            zip(*[states.loc[states["state"] == "validated", c] for c in ("country", "cycle")], strict=True)
        )
        frame = frame[[(c, cy) in validated for c, cy in zip(frame["country"], frame["cycle"], strict=True)]]
    frame["updated_at"] = frame["updated_at"].map(lambda v: v.isoformat() if v is not None else None)
    return frame.loc[:, list(REPORT_COLUMNS)]


def _cycles(session: Session) -> list[dict[str, Any]]:
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


def _groupings(session: Session, ref: Reference) -> list[dict[str, Any]]:
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


def export_document(session: Session, ref: Reference, validated_only: bool = False) -> dict[str, Any]:
    """The whole open-data document as plain JSON-ready values."""
    reports = reports_table(session, validated_only)
    return {
        "objectives": [
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
        ],
        "principles": [{"key": p.key, "name_en": p.name.en, "name_es": p.name.es} for p in ref.principles],
        "groupings": _groupings(session, ref),
        "countries": [
            {"iso3": c.iso3, "name_en": c.name.en, "name_es": c.name.es, "groups": list(c.groups)}
            for c in ref.countries
        ],
        "cycles": _cycles(session),
        "reports": json.loads(reports.to_json(orient="records", force_ascii=False)),
    }


def _flat(reports: pd.DataFrame) -> pd.DataFrame:
    flat = reports.copy()
    for column in LIST_COLUMNS:
        separator = "\n" if column == "evidence_links" else "; "
        flat[column] = flat[column].map(separator.join)
    return flat


def write_export(session: Session, ref: Reference, fmt: str, path: Path, validated_only: bool = False) -> int:
    """Write the export in `fmt` to `path`; return the number of reports written."""
    if fmt == "json":
        document = export_document(session, ref, validated_only)
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        return len(document["reports"])
    reports = _flat(reports_table(session, validated_only))
    if fmt == "csv":
        reports.to_csv(path, index=False, encoding="utf-8")
    elif fmt == "xlsx":
        _write_xlsx(reports, path)
    else:
        raise ValueError(f"unknown format: {fmt}")
    return len(reports)


def _write_xlsx(reports: pd.DataFrame, path: Path) -> None:
    # Written cell by cell so that text is always stored as text: a report that starts with
    # "=" must never become a spreadsheet formula.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "reports"
    sheet.append(list(reports.columns))
    for row in reports.itertuples(index=False):
        sheet.append([None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    workbook.save(path)
