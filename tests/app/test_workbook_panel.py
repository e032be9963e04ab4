"""The workbook panel in a Streamlit session: download, upload, problems table, preview with a
conflict checkbox, Apply, then what was saved instead of the same Apply; in both languages;
read-only for those who may not edit."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from gcm.bootstrap import reference_for
from gcm.config import ROOT, load_config
from gcm.db import read_session, write_session
from gcm.i18n import t
from gcm.permissions import Actor
from gcm.services import ReportInput, save_objective_report
from gcm.ui.context import engine
from gcm.ui.downloads import XLSX_MIME
from gcm.ui.widgets import inert
from gcm.ui.workbook_panel import PANEL_KEY
from gcm.workbook import plan, template

PAGE = str(ROOT / "tests" / "app" / "workbook_page.py")
DELEGATE = Actor(name="mex", role="delegate", country="MEX")
ANALYST = Actor(name="ana", role="analyst")


def _open(actor: Actor, lang: str) -> AppTest:
    """The panel, opened: closed, it draws nothing but its title."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["test_actor"] = actor
    at.session_state["test_lang"] = lang
    at.run()
    assert [e.label for e in at.expander] == [t(lang, "workbook.title")] and not at.get("download_button")
    at.session_state[PANEL_KEY] = True  # the reader opens it
    return at.run()


def _save(objective: int, actor: Actor, progress: str, version: int | None) -> None:
    ref = reference_for(str(load_config().reference_dir))
    with write_session(engine()) as session:
        save_objective_report(
            session,
            ref,
            actor,
            country="MEX",
            cycle_id="imrf2026",
            objective=objective,
            data=ReportInput(status="planning", progress=progress),
            expected_version=version,
        )


def _template(lang: str) -> bytes:
    ref = reference_for(str(load_config().reference_dir))
    with read_session(engine()) as session:
        return template.build_template(session, ref, DELEGATE, "MEX", "imrf2026", lang)


def _edited(data: bytes, cells: dict[str, str]) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[workbook.sheetnames[0]]
    for cell, value in cells.items():
        sheet[cell] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _filled(lang: str) -> bytes:
    _save(1, DELEGATE, "Texto inicial.", None)
    _save(2, DELEGATE, "Otro texto.", None)
    data = _template(lang)
    _save(2, Actor(name="mex-2", role="delegate", country="MEX"), "Guardado por la colega.", 1)
    return _edited(data, {"F2": "Texto inicial ampliado.", "F3": "Texto del libro."})


def _captions(at: AppTest) -> list[str]:
    return [caption.value for caption in at.caption]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_upload_preview_conflict_and_apply(lang: str) -> None:
    data = _filled(lang)
    at = _open(DELEGATE, lang)
    assert not at.exception
    assert at.get("download_button")[0].proto.label == t(lang, "workbook.download")
    at.file_uploader(key="workbook__upload").set_value(("informe.xlsx", data, XLSX_MIME)).run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    kinds = dict(zip(table[t(lang, "workbook.col_objective")], table[t(lang, "workbook.col_change")], strict=True))
    assert kinds[1] == t(lang, "workbook.kind.changed") and kinds[2] == t(lang, "workbook.kind.conflict")
    # Every one of the 23 rows is counted: the 21 left blank say so.
    summary = {"new": 0, "changed": 1, "conflict": 1, "unchanged": 0, "empty": 21}
    assert plan.summary_text(lang, summary) in _captions(at)
    assert at.caption[-1].value == t(lang, "workbook.will_write", count=1)
    at.checkbox(key="workbook__overwrite__2").check().run()
    assert at.caption[-1].value == t(lang, "workbook.will_write", count=2)
    at.button(key="workbook__apply").click().run()
    assert not at.exception and not at.error
    # What was saved, and no second Apply of the same preview (it would only say "unchanged").
    assert [s.value for s in at.success] == [t(lang, "workbook.applied", count=2, objectives="1, 2")]
    assert not at.button and not at.dataframe and not at.checkbox
    assert _captions(at)[-1] == t(lang, "workbook.upload_another")
    at.run()  # a rerun keeps saying so
    assert at.success[0].value == t(lang, "workbook.applied", count=2, objectives="1, 2") and not at.button
    with read_session(engine()) as session:
        from gcm import queries

        one = queries.get_report(session, "MEX", "imrf2026", 1, queries.EVERYTHING)
        two = queries.get_report(session, "MEX", "imrf2026", 2, queries.EVERYTHING)
        history = queries.report_history(session, two["id"])
    assert one["progress"] == "Texto inicial ampliado." and two["progress"] == "Texto del libro."
    assert [h["action"] for h in history] == ["import", "edit", "create"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_after_apply_another_file_gets_its_own_preview(lang: str) -> None:
    _save(1, DELEGATE, "Texto inicial.", None)
    first = _edited(_template(lang), {"F2": "Primera edición.", "D4": "planning", "F4": "Texto nuevo del objetivo 3."})
    at = _open(DELEGATE, lang)
    at.file_uploader(key="workbook__upload").set_value(("uno.xlsx", first, XLSX_MIME)).run()
    summary = {"new": 1, "changed": 1, "conflict": 0, "unchanged": 0, "empty": 21}
    assert plan.summary_text(lang, summary) in _captions(at)
    at.button(key="workbook__apply").click().run()
    assert at.success[0].value == t(lang, "workbook.applied", count=2, objectives="1, 3")
    second = _edited(_template(lang), {"D5": "planning", "F5": "Texto nuevo del objetivo 4."})
    at.file_uploader(key="workbook__upload").set_value(("dos.xlsx", second, XLSX_MIME)).run()
    assert not at.exception and not at.success
    summary = {"new": 1, "changed": 0, "conflict": 0, "unchanged": 2, "empty": 20}
    assert plan.summary_text(lang, summary) in _captions(at)
    assert at.button(key="workbook__apply").proto.disabled is False
    # The first file again, after removing it: a fresh preview, now with nothing left to import.
    at.file_uploader(key="workbook__upload").set_value(None).run()
    at.file_uploader(key="workbook__upload").set_value(("uno.xlsx", first, XLSX_MIME)).run()
    assert at.button(key="workbook__apply").proto.disabled is True
    assert at.caption[-1].value == t(lang, "workbook.nothing_to_apply")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_problems_listed_as_a_table(lang: str) -> None:
    workbook = load_workbook(io.BytesIO(_template(lang)))
    sheet = workbook[workbook.sheetnames[0]]
    sheet["D2"], sheet["G3"], sheet["D3"] = "???", "=1+1", "Planning"
    out = io.BytesIO()
    workbook.save(out)
    at = _open(DELEGATE, lang)
    at.file_uploader(key="workbook__upload").set_value(("x.xlsx", out.getvalue(), XLSX_MIME)).run()
    assert at.error[0].value == t(lang, "workbook.problems_title", count=2)
    problems = at.table[0].value  # a table, so each reason is shown in full
    assert list(problems[t(lang, "workbook.col_row")]) == ["2", "3"]
    # the table's cells are Markdown: the workbook's text goes in inert ("=1+1" shows as typed, "+" escaped)
    assert list(problems[t(lang, "workbook.col_value")]) == [inert("???"), inert("=1+1")]
    assert not at.button  # no Apply while the workbook has problems
    at.file_uploader(key="workbook__upload").set_value(("x.xlsx", b"not a workbook", XLSX_MIME)).run()
    assert at.table[0].value[t(lang, "workbook.col_why")][0] == inert(t(lang, "workbook.problem.not_workbook"))


def test_analyst_may_download_but_not_upload() -> None:
    at = _open(ANALYST, "en")
    assert not at.exception
    assert len(at.get("download_button")) == 1
    assert not at.get("file_uploader")
    assert at.caption[-1].value == t("en", "workbook.read_only")


def test_closing_the_panel_lets_go_of_a_file_not_applied() -> None:
    at = _open(DELEGATE, "en")
    at.file_uploader(key="workbook__upload").set_value(("informe.xlsx", _filled("en"), XLSX_MIME)).run()
    assert at.button(key="workbook__apply")
    at.session_state[PANEL_KEY] = False
    at.run()
    assert not at.get("file_uploader") and not at.button
    at.session_state[PANEL_KEY] = True
    at.run()
    assert at.get("file_uploader") and not at.button  # opened again: ready for a file, with no stale preview
