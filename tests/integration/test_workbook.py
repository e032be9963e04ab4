"""The offline workbook round trip on a real database (SQLite file; PostgreSQL when configured):
template out, a delegate's edits, every problem at once, preview with a conflict, apply all or
none through the form's save service; hostile files refused with nothing written; permissions."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, func, select

from gcm import accounts, models, queries, workflow
from gcm.cli import main
from gcm.db import read_session, write_session
from gcm.errors import DomainError, PermissionDenied
from gcm.i18n import t
from gcm.permissions import SYSTEM, Actor
from gcm.reference import Reference
from gcm.services import ReportInput, save_objective_report, today
from gcm.unit import perform
from gcm.workbook import plan, reader, template

CYCLE = "imrf2026"
DELEGATE = Actor(name="mex", role="delegate", country="MEX")
COLLEAGUE = Actor(name="mex-2", role="delegate", country="MEX")
OTHER_COUNTRY = Actor(name="cri", role="delegate", country="CRI")


def _save(engine: Engine, ref: Reference, actor: Actor, objective: int, data: ReportInput, version: int | None) -> int:
    with write_session(engine) as session:
        return save_objective_report(
            session, ref, actor, country="MEX", cycle_id=CYCLE, objective=objective, data=data, expected_version=version
        ).version


def _build(engine: Engine, ref: Reference, actor: Actor = DELEGATE, country: str = "MEX", cycle: str = CYCLE) -> bytes:
    with read_session(engine) as session:
        return template.build_template(session, ref, actor, country, cycle, "es")


def _edit(data: bytes, change: Callable) -> bytes:
    """Open the workbook as a spreadsheet program would, change it, save it."""
    workbook = load_workbook(io.BytesIO(data))
    change(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _counts(engine: Engine) -> tuple[int, int]:
    with read_session(engine) as session:
        return (
            session.scalar(select(func.count()).select_from(models.ObjectiveReport)),
            session.scalar(select(func.count()).select_from(models.ReportRevision)),
        )


def _report(engine: Engine, objective: int) -> dict:
    with read_session(engine) as session:
        return queries.get_report(session, "MEX", CYCLE, objective, queries.EVERYTHING)


def _history(engine: Engine, objective: int) -> list[tuple[int, str, str]]:
    with read_session(engine) as session:
        report = queries.get_report(session, "MEX", CYCLE, objective, queries.EVERYTHING)
        return [(h["version"], h["action"], h["by"]) for h in queries.report_history(session, report["id"])]


@pytest.fixture
def started(engine: Engine, ref: Reference) -> Engine:
    """Three saved entries, then a template, then a colleague saves objective 2 (the conflict to be)."""
    _save(engine, ref, DELEGATE, 1, ReportInput(status="planning", progress="Se creó una mesa de trabajo."), None)
    _save(engine, ref, DELEGATE, 2, ReportInput(status="initial", progress="Primer borrador."), None)
    _save(engine, ref, DELEGATE, 3, ReportInput(status="advanced", principles=("a", "f")), None)
    return engine


def _delegate_edits(workbook) -> None:
    sheet = workbook["Informe"]
    sheet["F2"] = "Se creó una mesa de trabajo interinstitucional con la cancillería."  # objective 1: changed
    sheet["F3"] = "Texto del libro para el objetivo 2."  # objective 2: conflict (colleague saved meanwhile)
    sheet["D6"] = "Implementación avanzada"  # objective 5: new
    sheet["E6"] = "Sí"
    sheet["F6"] = "=Ventanilla única"  # looks like a formula, typed as text: stays text
    sheet["F6"].data_type = "s"
    sheet["J6"] = "Derechos humanos; Perspectiva de género"
    sheet["K6"] = "Financiamiento"
    sheet["M6"] = "https://example.org/ley\nhttps://example.org/decreto"


def test_round_trip_preview_conflict_and_apply(started: Engine, ref: Reference) -> None:
    data = _build(started, ref)
    _save(started, ref, COLLEAGUE, 2, ReportInput(status="initial", progress="Versión de la colega."), 1)
    upload = reader.read_upload(_edit(data, _delegate_edits), ref, "es", "MEX", CYCLE)
    assert upload.problems == ()
    with read_session(started) as session:
        shown = plan.preview(session, DELEGATE, upload)
    kinds = {row.objective: row.kind for row in shown.rows}
    assert (kinds[1], kinds[2], kinds[3], kinds[4], kinds[5]) == ("changed", "conflict", "unchanged", "empty", "new")
    assert shown.conflicts == (2,)
    # Every row counted once: the 19 objectives left blank are "empty", not forgotten.
    assert plan.summary(shown) == {"new": 1, "changed": 1, "conflict": 1, "unchanged": 1, "empty": 19}
    one = next(row for row in shown.rows if row.objective == 1)
    assert [c.field for c in one.changes] == ["progress"]
    assert one.changes[0].segments == (
        ("same", "Se creó una mesa de "),
        ("removed", "trabajo."),
        ("added", "trabajo interinstitucional con la cancillería."),
    )
    before = _counts(started)
    with write_session(started) as session:
        result = plan.apply_import(session, ref, DELEGATE, upload, shown)
    assert result.written == ((1, 2), (5, 1)) and result.skipped_conflicts == (2,)
    assert _counts(started) == (before[0] + 1, before[1] + 2)
    assert _report(started, 1)["progress"] == "Se creó una mesa de trabajo interinstitucional con la cancillería."
    new = _report(started, 5)
    assert (new["status"], new["national_priority"], new["progress"]) == ("advanced", True, "=Ventanilla única")
    assert (new["principles"], new["challenge_categories"]) == (["f", "g"], ["funding"])
    assert new["evidence_links"] == ["https://example.org/ley", "https://example.org/decreto"]
    assert _report(started, 2)["progress"] == "Versión de la colega."  # the conflict was kept
    assert _history(started, 1) == [(2, "import", "mex"), (1, "create", "mex")]
    assert _history(started, 5) == [(1, "import", "mex")]
    assert _history(started, 2) == [(2, "edit", "mex-2"), (1, "create", "mex")]
    assert _history(started, 3) == [(1, "create", "mex")]
    with read_session(started) as session:
        revision = queries.report_history(session, _report(started, 1)["id"])[0]
    assert revision["changes"] == {
        "progress": [
            "Se creó una mesa de trabajo.",
            "Se creó una mesa de trabajo interinstitucional con la cancillería.",
        ]
    }


def test_conflict_overwritten_only_when_chosen_and_all_or_none(started: Engine, ref: Reference) -> None:
    data = _build(started, ref)
    _save(started, ref, COLLEAGUE, 2, ReportInput(status="initial", progress="Versión de la colega."), 1)
    upload = reader.read_upload(_edit(data, _delegate_edits), ref, "es", "MEX", CYCLE)
    with read_session(started) as session:
        shown = plan.preview(session, DELEGATE, upload)
    # Someone saves objective 5 after the preview: the whole import stops, nothing is written.
    _save(started, ref, COLLEAGUE, 5, ReportInput(status="planning"), None)
    before = _counts(started)
    with pytest.raises(DomainError) as info:
        perform(started, DELEGATE, lambda s: plan.apply_import(s, ref, DELEGATE, upload, shown, [2]), what="import")
    assert info.value.code == "changed_since_preview" and info.value.params["objective"] == 5
    assert _counts(started) == before
    assert _report(started, 1)["version"] == 1 and _report(started, 2)["progress"] == "Versión de la colega."
    # A fresh preview: objective 5 is now a conflict too; overwrite 2 only.
    with read_session(started) as session:
        shown = plan.preview(session, DELEGATE, upload)
    assert shown.conflicts == (2, 5)
    with write_session(started) as session:
        result = plan.apply_import(session, ref, DELEGATE, upload, shown, overwrite=[2])
    assert result.written == ((1, 2), (2, 3)) and result.skipped_conflicts == (5,)
    assert _report(started, 2)["progress"] == "Texto del libro para el objetivo 2."
    assert _history(started, 2)[0] == (3, "import", "mex")
    assert _report(started, 5)["status"] == "planning"


def test_untouched_row_never_reverts_a_newer_save(started: Engine, ref: Reference) -> None:
    data = _build(started, ref)
    _save(started, ref, COLLEAGUE, 3, ReportInput(status="full"), 1)
    upload = reader.read_upload(data, ref, "en", "MEX", CYCLE)
    with read_session(started) as session:
        shown = plan.preview(session, DELEGATE, upload)
    three = next(row for row in shown.rows if row.objective == 3)
    assert (three.kind, three.newer_saved) == ("unchanged", True)
    assert shown.to_write() == ()


def test_every_row_problem_listed_at_once_in_the_users_language(started: Engine, ref: Reference) -> None:
    def broken(workbook) -> None:
        sheet = workbook["Informe"]
        sheet["F2"] = "x" * 5001  # too long for "progress made"
        sheet["D4"] = "Casi listo"  # not a status
        sheet["J4"] = "Derechos humanos; Otra cosa"  # one unknown value among known ones
        sheet["M4"] = "ftp://example.org"
        sheet["E5"] = "Quizás"
        sheet["F5"] = "texto sin estado"  # status missing
        sheet["G7"] = "=1+1"  # a formula
        sheet["D7"] = "Planning"

    upload = reader.read_upload(_edit(_build(started, ref), broken), ref, "en", "MEX", CYCLE)
    found = {(p.row, p.code, p.column.split(" ")[0]) for p in upload.problems}
    assert found == {
        (2, "too_long", "F"),
        (4, "unknown_value", "D"),
        (4, "unknown_value", "J"),
        (4, "bad_link", "M"),
        (5, "yes_no", "E"),
        (5, "required", "D"),
        (7, "formula", "G"),
    }
    formula = next(p for p in upload.problems if p.code == "formula")
    assert "G7" in formula.why and formula.value == "=1+1"
    assert next(p for p in upload.problems if p.code == "too_long").why.startswith("Progress made: 5001 characters")
    assert {p.value for p in upload.problems if p.code == "unknown_value"} == {"Casi listo", "Otra cosa"}
    spanish = reader.read_upload(_edit(_build(started, ref), broken), ref, "es", "MEX", CYCLE)
    assert any("caracteres" in p.why for p in spanish.problems)


def _zip_with(data: bytes, extra: dict[str, bytes], replace: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, (replace or {}).get(item.filename, source.read(item.filename)))
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()


def _content_types_xlsm(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml")
    xlsm = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    assert xlsm != types
    return _zip_with(data, {}, {"[Content_Types].xml": xlsm})


def _with_dtd(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        sheet = source.read("xl/worksheets/sheet1.xml")
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    body = sheet.split(b"?>", 1)[1] if sheet.startswith(b"<?xml") else sheet
    return _zip_with(data, {}, {"xl/worksheets/sheet1.xml": laughs + body})


def _set_meta(row: int, value: object) -> Callable:
    def change(workbook) -> None:
        workbook["gcm_meta"].cell(row=row, column=2, value=value)

    return change


def _too_many_rows(workbook) -> None:
    sheet = workbook["Informe"]
    sheet["A25"], sheet["D25"] = 24, "En planificación"


def _formula(workbook) -> None:
    workbook["Informe"]["F2"] = '=HYPERLINK("http://evil.example","clic")'


HOSTILE: dict[str, tuple[Callable[[bytes, bytes], bytes], str]] = {
    "random bytes": (lambda mex, cri: os.urandom(4096), "not_workbook"),
    "csv renamed .xlsx": (lambda mex, cri: b"objective,status\n1,planning\n", "not_workbook"),
    "empty file": (lambda mex, cri: b"", "not_workbook"),
    "another country's workbook": (lambda mex, cri: cri, "wrong_country"),
    "renamed sheet": (
        lambda mex, cri: _edit(mex, lambda wb: setattr(wb["Informe"], "title", "Hoja1")),
        "missing_sheet",
    ),
    "deleted sheet": (lambda mex, cri: _edit(mex, lambda wb: wb.remove(wb["Instrucciones"])), "missing_sheet"),
    "hidden sheet deleted": (lambda mex, cri: _edit(mex, lambda wb: wb.remove(wb["gcm_meta"])), "not_template"),
    "other template version": (lambda mex, cri: _edit(mex, _set_meta(2, 99)), "wrong_version"),
    "formula in a cell": (lambda mex, cri: _edit(mex, _formula), "formula"),
    "over 2 MB": (lambda mex, cri: mex + os.urandom(2 * 1024 * 1024), "too_big"),
    "more rows than objectives": (lambda mex, cri: _edit(mex, _too_many_rows), "too_many_rows"),
    "text too long": (lambda mex, cri: _edit(mex, lambda wb: wb["Informe"].cell(2, 6, "é" * 5001)), "too_long"),
    "zip bomb": (lambda mex, cri: _zip_with(mex, {"xl/media/image1.bin": b"\0" * (30 * 1024 * 1024)}), "zip_bomb"),
    "macros inside": (lambda mex, cri: _zip_with(mex, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}), "macros"),
    "xlsm content type": (lambda mex, cri: _content_types_xlsm(mex), "macros"),
    "DTD (billion laughs)": (lambda mex, cri: _with_dtd(mex), "not_workbook"),
}


def test_hostile_files_refused_with_a_clear_message_and_nothing_written(started: Engine, ref: Reference) -> None:
    mex, cri = _build(started, ref), _build(started, ref, SYSTEM, country="CRI")
    other_cycle = _build(started, ref, SYSTEM, cycle="imrf2022")
    docx = _zip_with(b"PK\x05\x06" + b"\0" * 18, {"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"})
    cases = {name: (build(mex, cri), code) for name, (build, code) in HOSTILE.items()}
    cases["another cycle's workbook"] = (other_cycle, "wrong_cycle")
    cases["a word document renamed .xlsx"] = (docx, "not_workbook")
    before = _counts(started)
    for name, (data, code) in cases.items():
        upload = reader.read_upload(data, ref, "en", "MEX", CYCLE)
        assert [p.code for p in upload.problems][:1] == [code], name
        assert all(p.why and not p.why.startswith("workbook.") for p in upload.problems), name
        shown = plan.Preview("MEX", CYCLE, ())
        with pytest.raises(DomainError) as info:
            perform(started, DELEGATE, lambda s, u=upload, p=shown: plan.apply_import(s, ref, DELEGATE, u, p), what="x")
        assert info.value.code == "workbook_has_problems", name
    assert _counts(started) == before


def test_formula_problem_names_the_cell(started: Engine, ref: Reference) -> None:
    upload = reader.read_upload(_edit(_build(started, ref), _formula), ref, "es", "MEX", CYCLE)
    (problem,) = upload.problems
    assert (problem.row, problem.column.split(" ")[0], problem.code) == (2, "F", "formula")
    assert "F2" in problem.why and problem.value.startswith("=HYPERLINK")


def _edited_upload(engine: Engine, ref: Reference) -> reader.Upload:
    data = _edit(_build(engine, ref), lambda wb: wb["Informe"].cell(2, 6, "Nuevo texto"))
    return reader.read_upload(data, ref, "es", "MEX", CYCLE)


def test_other_countrys_delegate_is_refused(started: Engine, ref: Reference) -> None:
    upload = _edited_upload(started, ref)
    with read_session(started) as session, pytest.raises(PermissionDenied):
        plan.preview(session, OTHER_COUNTRY, upload)
    with read_session(started) as session:
        shown = plan.preview(session, DELEGATE, upload)
    before = _counts(started)
    with pytest.raises(PermissionDenied):
        perform(started, OTHER_COUNTRY, lambda s: plan.apply_import(s, ref, OTHER_COUNTRY, upload, shown), what="x")
    assert _counts(started) == before


@pytest.mark.parametrize("change", ["closed", "submitted"])
def test_closed_cycle_and_submitted_report_are_refused(started: Engine, ref: Reference, change: str) -> None:
    upload = _edited_upload(started, ref)
    with read_session(started) as session:
        shown = plan.preview(session, DELEGATE, upload)  # made while the import was allowed
    with write_session(started) as session:
        if change == "closed":
            workflow.update_cycle(session, SYSTEM, cycle_id=CYCLE, is_open=False, is_locked=False, deadline=None)
        else:
            workflow.submit_country_report(session, DELEGATE, country="MEX", cycle_id=CYCLE)
    before = _counts(started)
    with pytest.raises(DomainError) as info:
        perform(started, DELEGATE, lambda s: plan.apply_import(s, ref, DELEGATE, upload, shown), what="x")
    assert info.value.code == ("cycle_closed" if change == "closed" else "report_not_editable")
    with read_session(started) as session:
        assert plan.may_import(session, DELEGATE, "MEX", CYCLE, today()) is False
    assert _counts(started) == before


# The command line ---------------------------------------------------------------------------


def test_the_upload_is_offered_until_the_deadline_day_ends(started: Engine) -> None:
    """Pages cache the offer with the day it was read for: the day after the deadline it is not offered, even
    though no save has happened since (a save of text alone leaves the offer cached)."""
    deadline = today()
    with write_session(started) as session:
        workflow.update_cycle(session, SYSTEM, cycle_id=CYCLE, is_open=True, is_locked=False, deadline=deadline)
    with read_session(started) as session:
        assert plan.may_import(session, DELEGATE, "MEX", CYCLE, deadline) is True
        assert plan.may_import(session, DELEGATE, "MEX", CYCLE, deadline + dt.timedelta(days=1)) is False


@pytest.fixture
def cli_db(started: Engine) -> Engine:
    with write_session(started) as session:
        for name, country in (("mex", "MEX"), ("cri", "CRI")):
            accounts.add_user(
                session, SYSTEM, username=name, role="delegate", country=country, password="a long password"
            )
    return started


def test_cli_template_and_import(cli_db: Engine, ref: Reference, tmp_path: Path, capsys) -> None:
    path = tmp_path / "mex.xlsx"
    assert main(["template", "--country", "MEX", "--cycle", CYCLE, "--lang", "en", "-o", str(path)]) == 0
    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == "Report" and workbook["Report"]["F2"].value == "Se creó una mesa de trabajo."
    workbook["Report"]["F2"] = "Edited offline."
    workbook["Report"]["D6"] = "Planning"
    workbook.save(path)
    capsys.readouterr()
    before = _counts(cli_db)
    assert main(["import-template", str(path), "--as", "mex"]) == 0
    out = capsys.readouterr().out
    assert "objective 1: changed: progress" in out and "objective 5: new" in out and "Nothing was written" in out
    # The page's summary, word for word (2 and 3 were saved before the template: unchanged).
    summary = plan.summary_text("en", {"new": 1, "changed": 1, "conflict": 0, "unchanged": 2, "empty": 19})
    assert f"MEX {CYCLE}: {summary}\n" in out
    assert summary == (
        "23 rows in the workbook: 1 new, 1 changed, 2 unchanged, 19 empty (objectives not reported: nothing is saved)."
    )
    assert _counts(cli_db) == before
    assert main(["import-template", str(path), "--as", "cri", "--apply"]) == 1
    assert "only change the report of your own country" in capsys.readouterr().err
    assert _counts(cli_db) == before
    assert main(["import-template", str(path), "--as", "mex", "--apply"]) == 0
    assert t("en", "workbook.applied", count=2, objectives="1, 5") in capsys.readouterr().out
    assert _history(cli_db, 1)[0] == (2, "import", "mex")


def test_cli_system_import_says_so_and_bad_files_exit_1(cli_db: Engine, ref: Reference, tmp_path: Path, capsys) -> None:
    path = tmp_path / "mex.xlsx"
    path.write_bytes(_edit(_build(cli_db, ref), lambda wb: wb["Informe"].cell(2, 6, "Por el sistema")))
    assert main(["import-template", str(path), "--apply"]) == 0
    captured = capsys.readouterr()
    assert "Acting as the system" in captured.err
    assert "Import applied: 1 objective saved (1). Its history shows it as imported from a workbook." in captured.out
    assert _history(cli_db, 1)[0] == (2, "import", "system")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_edit(_build(cli_db, ref), lambda wb: (wb["Informe"].cell(2, 6, "x" * 5001), _formula_g(wb))))
    before = _counts(cli_db)
    assert main(["import-template", str(bad), "--as", "mex", "--apply"]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("Error: row 2, column ") for line in lines)
    (tmp_path / "notes.xlsx").write_bytes(b"objective,status\n")
    assert main(["import-template", str(tmp_path / "notes.xlsx")]) == 1
    assert "not an Excel workbook" in capsys.readouterr().err
    assert _counts(cli_db) == before


def _formula_g(workbook) -> None:
    workbook["Informe"]["G2"] = "=SUM(1,2)"


def test_another_countrys_or_cycles_workbook_is_named_in_the_readers_language(started: Engine, ref: Reference) -> None:
    """ "Este libro se creó para el país Costa Rica, no para México": names, not ISO codes or cycle ids."""
    cri = _build(started, ref, SYSTEM, country="CRI")
    (problem,) = reader.read_upload(cri, ref, "es", "MEX", CYCLE).problems
    assert problem.why == t("es", "workbook.problem.wrong_country", found="Costa Rica", expected="México")
    other_cycle = _build(started, ref, SYSTEM, cycle="imrf2022")
    (problem,) = reader.read_upload(other_cycle, ref, "en", "MEX", CYCLE).problems
    assert problem.why == t(
        "en",
        "workbook.problem.wrong_cycle",
        found=ref.cycle("imrf2022").name.get("en"),
        expected=ref.cycle(CYCLE).name.get("en"),
    )


def test_a_date_a_spreadsheet_stored_in_a_text_cell_reads_as_the_date_typed(started: Engine, ref: Reference) -> None:
    """A delegate types 1/3/2025 in a text column; the spreadsheet stores a date, which is read as 2025-03-01,
    not "2025-03-01 00:00:00"; a time where the cell has one."""

    def dates(workbook) -> None:
        workbook["Informe"].cell(2, 6, dt.datetime(2025, 3, 1))
        workbook["Informe"].cell(3, 6, dt.datetime(2025, 3, 1, 9, 30))

    upload = reader.read_upload(_edit(_build(started, ref), dates), ref, "es", "MEX", CYCLE)
    assert not upload.problems
    texts = {row.row: row.data.progress for row in upload.rows}
    assert (texts[2], texts[3]) == ("2025-03-01", "2025-03-01 09:30")
