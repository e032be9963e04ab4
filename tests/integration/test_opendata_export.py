"""The open-data export: one records function (filters, paging, scope), the same bytes for the CLI and the page."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select, update

from gcm import demo, models, queries
from gcm.config import ROOT
from gcm.db import read_session, write_session
from gcm.opendata import export
from gcm.permissions import PUBLIC, SYSTEM, Actor, read_scope
from gcm.reference import Reference
from gcm.services import ReportInput, save_objective_report
from gcm.ui.opendata_files import export_file

HOSTILE = {  # field: text a spreadsheet would run as a formula
    "progress": "=1+1",
    "challenges": "+1 fórmula",
    "priorities": "-2 prioridad",
    "good_practice": "\r@SUM(A1)",
    "updated_by": "\tcuenta",
}
DELEGATE = Actor(name="cri", role="delegate", country="CRI")


@pytest.fixture
def loaded(engine: Engine, ref: Reference) -> Engine:
    """The demo data, plus a draft of Costa Rica in IMRF 2026 whose texts start like formulas."""
    with write_session(engine) as session:
        demo.load_demo(session, ref)
        saved = save_objective_report(
            session,
            ref,
            SYSTEM,
            country="CRI",
            cycle_id="imrf2026",
            objective=3,
            data=ReportInput(status="planning", principles=("j", "a"), challenge_categories=("funding",)),
            expected_version=None,
        )
    with write_session(engine) as session:  # as imported data could hold them: written past the form's cleaning
        values = HOSTILE | models.text_lengths(HOSTILE)  # a Core update keeps the stored lengths itself
        session.execute(update(models.ObjectiveReport).where(models.ObjectiveReport.id == saved.id).values(**values))
    return engine


def _all(engine: Engine, scope, **filters) -> list[dict]:
    with read_session(engine) as session:
        return export.report_records(session, scope, **filters)


def test_records_have_exactly_the_export_fields_in_order(loaded: Engine) -> None:
    records = _all(loaded, export.EVERYTHING)
    with read_session(loaded) as session:
        assert len(records) == sum(queries.report_counts(session).values())
    assert all(tuple(r) == export.REPORT_COLUMNS for r in records)
    keys = [(r["cycle"], r["country"], r["objective"]) for r in records]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    draft = next(r for r in records if (r["country"], r["cycle"], r["objective"]) == ("CRI", "imrf2026", 3))
    assert draft["principles"] == ["a", "j"] and draft["challenge_categories"] == ["funding"]
    assert draft["priority_categories"] == [] and draft["evidence_links"] == []
    assert draft["updated_at"].endswith("+00:00") and isinstance(draft["version"], int)
    assert draft["national_priority"] is False and draft["is_demo"] is False


@pytest.mark.parametrize(
    "filters",
    [
        {"cycle": "lac2021"},
        {"country": "MEX"},
        {"objective": 7},
        {"status": "full"},
        {"cycle": "imrf2022", "country": "CRI", "objective": 5},
        {"cycle": "nothing"},
    ],
)
def test_filters_run_in_sql_and_agree_with_the_whole_table(loaded: Engine, filters: dict) -> None:
    everything = _all(loaded, export.EVERYTHING)
    expected = [r for r in everything if all(r[k] == v for k, v in filters.items())]
    assert _all(loaded, export.EVERYTHING, **filters) == expected
    with read_session(loaded) as session:
        assert export.report_count(session, export.EVERYTHING, **filters) == len(expected)


def test_pages_follow_each_other_and_carry_their_own_tags(loaded: Engine) -> None:
    everything = _all(loaded, export.EVERYTHING)
    pages = [_all(loaded, export.EVERYTHING, limit=50, offset=offset) for offset in range(0, 400, 50)]
    assert [len(p) for p in pages] == [50] * 6 + [40, 0]
    assert [r for page in pages for r in page] == everything
    assert (
        _all(loaded, export.EVERYTHING, cycle="imrf2022", limit=3, offset=2)
        == [r for r in everything if r["cycle"] == "imrf2022"][2:5]
    )


def test_report_ids_select_those_reports(loaded: Engine) -> None:
    with read_session(loaded) as session:
        ids = session.scalars(
            select(models.ObjectiveReport.id).where(models.ObjectiveReport.country_iso3 == "PAN").limit(4)
        ).all()
        chosen = export.report_records(session, export.EVERYTHING, report_ids=ids)
        assert len(chosen) == 4 and {r["country"] for r in chosen} == {"PAN"}
        assert export.report_records(session, export.EVERYTHING, report_ids=ids, status="no_such") == []


def test_scope_decides_which_reports_are_records(loaded: Engine) -> None:
    with read_session(loaded) as session:
        states = queries.submissions(session)
    validated = set(zip(*[states.loc[states["state"] == "validated", c] for c in ("country", "cycle")], strict=True))
    public = _all(loaded, read_scope(PUBLIC))
    assert public == _all(loaded, export.VALIDATED_ONLY)
    assert public and all((r["country"], r["cycle"]) in validated for r in public)
    assert len(public) == sum((r["country"], r["cycle"]) in validated for r in _all(loaded, export.EVERYTHING))
    analyst = _all(loaded, read_scope(Actor(name="ana", role="analyst")))
    delegate = _all(loaded, read_scope(DELEGATE))
    draft = ("CRI", "imrf2026", 3)
    assert draft not in {(r["country"], r["cycle"], r["objective"]) for r in analyst}
    assert draft in {(r["country"], r["cycle"], r["objective"]) for r in delegate}
    assert len(delegate) == len(analyst) + 1
    assert _all(loaded, read_scope(PUBLIC, public_view=False)) == []


def _cli_export(url: str, fmt: str, path: Path, *extra: str) -> None:
    env = {"PATH": "/usr/bin:/bin", "GCM_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "gcm", "export", "--format", fmt, "-o", str(path), *extra],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_the_page_download_is_byte_identical_to_the_cli_file(
    loaded: Engine, db_url: str, tmp_path: Path, fmt: str
) -> None:
    _cli_export(db_url, fmt, tmp_path / f"all.{fmt}", "--all")
    _cli_export(db_url, fmt, tmp_path / f"validated.{fmt}")  # the open-data default: validated reports only
    assert export_file(fmt, export.EVERYTHING) == (tmp_path / f"all.{fmt}").read_bytes()
    assert export_file(fmt, read_scope(PUBLIC)) == (tmp_path / f"validated.{fmt}").read_bytes()
    assert export_file(fmt, export.EVERYTHING) != export_file(fmt, read_scope(PUBLIC))


def test_json_export_is_the_document_of_the_records(loaded: Engine, ref: Reference) -> None:
    document = json.loads(export_file("json", read_scope(PUBLIC)))
    assert set(document) == {"objectives", "principles", "groupings", "countries", "cycles", "reports"}
    assert document["reports"] == _all(loaded, read_scope(PUBLIC))
    assert [c["iso3"] for c in document["countries"]] == [c.iso3 for c in ref.countries]


def test_csv_neutralises_formulas_and_xlsx_keeps_them_as_text(loaded: Engine) -> None:
    rows = list(csv.DictReader(io.StringIO(export_file("csv", export.EVERYTHING).decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == list(export.REPORT_COLUMNS)
    row = next(r for r in rows if (r["country"], r["cycle"], r["objective"]) == ("CRI", "imrf2026", "3"))
    for field, value in HOSTILE.items():
        assert row[field] == "'" + value, field
    assert row["principles"] == "a; j" and row["national_priority"] == "False"
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for v in r.values())
    sheet = load_workbook(io.BytesIO(export_file("xlsx", export.EVERYTHING))).active
    assert sheet.title == "reports"
    header = [c.value for c in sheet[1]]
    cells = next(
        dict(zip(header, line, strict=True))
        for line in sheet.iter_rows(min_row=2)
        if (line[0].value, line[1].value, line[2].value) == ("CRI", "imrf2026", 3)
    )
    for field, value in HOSTILE.items():
        assert cells[field].data_type == "s" and cells[field].value == value, field


def test_xlsx_is_the_same_bytes_for_the_same_data(loaded: Engine) -> None:
    first = export_file("xlsx", export.EVERYTHING)
    with read_session(loaded) as session:
        latest = max(r["updated_at"] for r in export.report_records(session, export.EVERYTHING))
    assert export_file("xlsx", export.EVERYTHING) == first
    properties = load_workbook(io.BytesIO(first)).properties
    assert properties.modified.isoformat()[:19] == latest[:19]


def test_the_cli_export_holds_validated_reports_only_unless_asked_for_all(
    loaded: Engine, db_url: str, tmp_path: Path
) -> None:
    _cli_export(db_url, "json", tmp_path / "open.json")
    _cli_export(db_url, "json", tmp_path / "all.json", "--all")
    open_data = json.loads((tmp_path / "open.json").read_text(encoding="utf-8"))["reports"]
    everything = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))["reports"]
    assert open_data and {r["report_state"] for r in open_data} == {"validated"}
    assert {r["report_state"] for r in everything} > {"validated"}  # the file says which rows are not validated
