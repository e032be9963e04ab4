"""The workbook panel in a Streamlit session: download, upload, problems table, preview with a
conflict checkbox, Apply; in both languages; read-only for those who may not edit."""

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
from gcm.workbook import template

PAGE = str(ROOT / "tests" / "app" / "workbook_page.py")
DELEGATE = Actor(name="mex", role="delegate", country="MEX")
ANALYST = Actor(name="ana", role="analyst")


def _open(actor: Actor, lang: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["test_actor"] = actor
    at.session_state["test_lang"] = lang
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


def _filled(lang: str) -> bytes:
    _save(1, DELEGATE, "Texto inicial.", None)
    _save(2, DELEGATE, "Otro texto.", None)
    workbook = load_workbook(io.BytesIO(_template(lang)))
    _save(2, Actor(name="mex-2", role="delegate", country="MEX"), "Guardado por la colega.", 1)
    sheet = workbook[workbook.sheetnames[0]]
    sheet["F2"] = "Texto inicial ampliado."
    sheet["F3"] = "Texto del libro."
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


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
    assert at.caption[-1].value == t(lang, "workbook.will_write", count=1)
    at.checkbox(key="workbook__overwrite__2").check().run()
    assert at.caption[-1].value == t(lang, "workbook.will_write", count=2)
    at.button(key="workbook__apply").click().run()
    assert not at.exception
    assert at.success[0].value == t(lang, "workbook.applied", count=2, objectives="1, 2")
    with read_session(engine()) as session:
        from gcm import queries

        one = queries.get_report(session, "MEX", "imrf2026", 1, queries.EVERYTHING)
        two = queries.get_report(session, "MEX", "imrf2026", 2, queries.EVERYTHING)
        history = queries.report_history(session, two["id"])
    assert one["progress"] == "Texto inicial ampliado." and two["progress"] == "Texto del libro."
    assert [h["action"] for h in history] == ["import", "edit", "create"]


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
    problems = at.dataframe[0].value
    assert list(problems[t(lang, "workbook.col_row")]) == ["2", "3"]
    assert list(problems[t(lang, "workbook.col_value")]) == ["???", "=1+1"]
    assert not at.button  # no Apply while the workbook has problems
    at.file_uploader(key="workbook__upload").set_value(("x.xlsx", b"not a workbook", XLSX_MIME)).run()
    assert at.dataframe[0].value[t(lang, "workbook.col_why")][0] == t(lang, "workbook.problem.not_workbook")


def test_analyst_may_download_but_not_upload() -> None:
    at = _open(ANALYST, "en")
    assert not at.exception
    assert len(at.get("download_button")) == 1
    assert not at.get("file_uploader")
    assert at.caption[-1].value == t("en", "workbook.read_only")
