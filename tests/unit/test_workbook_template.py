"""The template's structure: sheets, 23 rows in the user's language, dropdowns, protection, the very hidden sheet."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from gcm.db import read_session, write_session
from gcm.i18n import t
from gcm.permissions import Actor
from gcm.reference import Reference
from gcm.services import TEXT_LIMITS, ReportInput, save_objective_report
from gcm.workbook import layout, template

DELEGATE = Actor(name="mex", role="delegate", country="MEX")


def _workbook(engine: Engine, ref: Reference, lang: str, actor: Actor = DELEGATE):
    with read_session(engine) as session:
        data = template.build_template(session, ref, actor, "MEX", "imrf2026", lang)
    return load_workbook(io.BytesIO(data))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_sheets_rows_and_language(sqlite_engine: Engine, ref: Reference, lang: str) -> None:
    workbook = _workbook(sqlite_engine, ref, lang)
    names = layout.sheet_names(lang)
    assert workbook.sheetnames == [names["report"], names["instructions"], names["values"], "gcm_meta"]
    assert [s.sheet_state for s in workbook] == ["visible", "visible", "visible", "veryHidden"]
    sheet = workbook[names["report"]]
    assert [c.value for c in sheet[1]] == [layout.header(lang, f) for f in layout.FIELDS]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 23
    assert [r[0] for r in rows] == list(range(1, 24))
    assert [r[1] for r in rows] == [ref.objective(n).title.get(lang) for n in range(1, 24)]
    sections = {n: ref.grouping("imrf2022").section_of(n).title.get(lang) for n in range(1, 24)}
    assert [r[2] for r in rows] == [sections[n] for n in range(1, 24)]  # the cycle's grouping: IMRF 2022
    instructions = workbook[names["instructions"]]
    assert ("Informe de avances" if lang == "es" else "Progress report") in instructions["A1"].value


def test_dropdowns_of_the_allowed_values(sqlite_engine: Engine, ref: Reference) -> None:
    workbook = _workbook(sqlite_engine, ref, "es")
    sheet, values = workbook["Informe"], workbook["Valores permitidos"]
    rules = {str(rule.sqref): rule for rule in sheet.data_validations.dataValidation}
    status = rules["D2:D24"]
    assert status.type == "list" and status.showErrorMessage and status.errorStyle in (None, "stop")
    assert status.formula1 == "='Valores permitidos'!$A$2:$A$6"
    assert [values.cell(r, 1).value for r in range(2, 7)] == [s.label.es for s in ref.statuses]
    assert rules["E2:E24"].formula1 == "='Valores permitidos'!$B$2:$B$3"
    assert [values["B2"].value, values["B3"].value] == ["Sí", "No"]
    for letter in ("J", "K", "L"):  # several values may be typed: the check informs, the upload validates each
        rule = rules[f"{letter}2:{letter}24"]
        assert rule.type == "list" and rule.errorStyle == "information" and ";" in rule.error
    assert [values.cell(r, 3).value for r in range(2, 12)] == [p.name.es for p in ref.principles]
    assert [values.cell(r, 4).value for r in range(2, 12)] == [c.label.es for c in ref.categories]
    progress = rules["F2:F24"]
    assert (progress.type, progress.formula1) == ("textLength", str(TEXT_LIMITS["progress"]))


def test_key_columns_locked_input_columns_open(sqlite_engine: Engine, ref: Reference) -> None:
    workbook = _workbook(sqlite_engine, ref, "en")
    sheet = workbook["Report"]
    assert sheet.protection.sheet and workbook.security.lockStructure
    for row in (2, 24):
        assert sheet.cell(row, 1).protection.locked and sheet.cell(row, 2).protection.locked
        assert sheet.cell(row, 3).protection.locked
        assert not any(sheet.cell(row, c).protection.locked for c in range(4, 14))


def test_prefilled_entries_and_hidden_versions(sqlite_engine: Engine, ref: Reference) -> None:
    with write_session(sqlite_engine) as session:
        save_objective_report(
            session,
            ref,
            DELEGATE,
            country="MEX",
            cycle_id="imrf2026",
            objective=4,
            data=ReportInput(
                status="full",
                progress='=HYPERLINK("http://evil")',
                principles=("f", "a"),
                national_priority=True,
                evidence_links=("https://a.org", "https://b.org"),
            ),
            expected_version=None,
        )
    workbook = _workbook(sqlite_engine, ref, "en")
    row = workbook["Report"][5]
    assert [c.value for c in row[3:6]] == ["Fully implemented", "Yes", '=HYPERLINK("http://evil")']
    assert row[5].data_type == "s"  # text, never a formula
    assert row[9].value == "People-centred; Human rights" and row[12].value == "https://a.org\nhttps://b.org"
    meta = {r[0]: r[1:] for r in workbook["gcm_meta"].iter_rows(values_only=True)}
    assert meta["kind"][0] == layout.KIND and meta["template_version"][0] == layout.TEMPLATE_VERSION
    assert (meta["country"][0], meta["cycle"][0], meta["lang"][0]) == ("MEX", "imrf2026", "en")
    assert meta[4][0] == 1 and meta[3][0] is None
    # A delegate of another country may not read the MEX draft: nothing pre-filled, no version.
    other = _workbook(sqlite_engine, ref, "en", Actor(name="cri", role="delegate", country="CRI"))
    assert other["Report"]["D5"].value is None
    assert {r[0]: r[1] for r in other["gcm_meta"].iter_rows(values_only=True)}[4] is None


def test_word_diff_segments() -> None:
    from gcm.workbook.plan import word_diff

    assert word_diff("la ley fue aprobada", "la nueva ley fue aprobada") == (
        ("same", "la"),
        ("added", " nueva"),
        ("same", " ley fue aprobada"),
    )
    assert word_diff("", "") == ()


def test_instructions_and_prompts_use_the_forms_words(sqlite_engine: Engine, ref: Reference) -> None:
    for lang, wrong in (("es", "Enlaces de evidencia"), ("en", "Enlaces")):
        workbook = _workbook(sqlite_engine, ref, lang)
        instructions = workbook[layout.sheet_names(lang)["instructions"]]
        text = "\n".join(str(row[0]) for row in instructions.iter_rows(values_only=True) if row[0])
        for field in ("status", "national_priority", "progress", "good_practice", "principles", "evidence_links"):
            assert t(lang, f"field.{field}") in text  # the label the report form shows
        assert wrong not in text
        sheet = workbook[layout.sheet_names(lang)["report"]]
        prompts = {str(rule.sqref)[0]: rule.prompt for rule in sheet.data_validations.dataValidation}
        assert prompts["F"].startswith(t(lang, "field.progress") + " (")
        assert prompts["J"].startswith(t(lang, "field.principles") + ":")


@pytest.mark.parametrize(
    ("lang", "counts", "expected"),
    [
        (
            "es",
            {"new": 2, "changed": 1, "conflict": 0, "unchanged": 0, "empty": 20},
            "23 filas en el libro: 2 nuevas, 1 modificada, 20 vacías (objetivos sin informar: no se guarda nada).",
        ),
        (
            "en",
            {"new": 2, "changed": 1, "conflict": 0, "unchanged": 0, "empty": 20},
            "23 rows in the workbook: 2 new, 1 changed, 20 empty (objectives not reported: nothing is saved).",
        ),
        (
            "es",
            {"new": 1, "changed": 2, "conflict": 1, "unchanged": 18, "empty": 1},
            "23 filas en el libro: 1 nueva, 2 modificadas, 1 en conflicto, 18 sin cambios,"
            " 1 vacía (objetivo sin informar: no se guarda nada).",
        ),
        (
            "en",
            {"new": 0, "changed": 0, "conflict": 2, "unchanged": 21, "empty": 0},
            "23 rows in the workbook: 2 in conflict, 21 unchanged.",
        ),
        (
            "es",
            {"new": 0, "changed": 0, "conflict": 0, "unchanged": 1, "empty": 0},
            "1 fila en el libro: 1 sin cambios.",
        ),
        ("en", {kind: 0 for kind in ("new", "changed", "conflict", "unchanged", "empty")}, "0 rows."),
    ],
)
def test_preview_summary_counts_every_row_in_words(lang: str, counts: dict[str, int], expected: str) -> None:
    from gcm.workbook.plan import summary_text

    assert summary_text(lang, counts) == expected
