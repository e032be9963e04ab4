"""A delegate works offline: downloads the template, fills it in a spreadsheet, uploads it, sees one
conflict in the preview (every row counted), applies it, sees what was saved in place of the
preview, and the report and its history show the change."""

import io
import subprocess
import sys

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from gcm.bootstrap import prepare_database, reference_for
from gcm.config import ROOT, load_config
from gcm.db import dispose_engines, write_session
from gcm.i18n import t
from gcm.permissions import Actor
from gcm.services import ReportInput, save_objective_report
from gcm.workbook import plan
from gcm.workbook.layout import FIELDS, FIRST_ROW
from tests.e2e.conftest import PASSWORD, choose, settle, sign_in

pytestmark = pytest.mark.e2e
CYCLE = "imrf2026"  # the open cycle


def _save_as_colleague(server, monkeypatch, objective: int, text: str, version: int | None) -> None:
    """Another member of Panama's delegation saves through the service, as the app would."""
    monkeypatch.setenv("GCM_DATABASE_URL", server.database_url)
    engine = prepare_database(load_config())
    try:
        with write_session(engine) as session:
            save_objective_report(
                session, reference_for(str(ROOT / "data")), Actor(name="pan-colega", role="delegate", country="PAN"),
                country="PAN", cycle_id=CYCLE, objective=objective,
                data=ReportInput(status="planning", progress=text), expected_version=version,
            )  # fmt: skip
    finally:
        dispose_engines()


def test_template_round_trip_with_a_conflict(new_page, server, monkeypatch, tmp_path) -> None:
    env = {"GCM_DATABASE_URL": server.database_url, "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "-m", "gcm", "user", "add", "pan", "--role", "delegate", "--country", "PAN"],
        env=env, cwd=ROOT, check=True, capture_output=True, input=PASSWORD, text=True, timeout=120,
    )  # fmt: skip
    _save_as_colleague(server, monkeypatch, 3, "Primera versión del objetivo 3.", None)

    page = new_page("es-ES")
    sign_in(page, server, "pan", next_path="/country_report")
    page.get_by_text(t("es", "workbook.title")).click()
    settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name=t("es", "workbook.download")).click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))

    _save_as_colleague(server, monkeypatch, 3, "La colega guardó otra versión.", 1)  # after the download

    sheet = workbook[t("es", "workbook.sheet.report")]
    status, progress = FIELDS.index("status") + 1, FIELDS.index("progress") + 1
    row3, row7 = FIRST_ROW + 2, FIRST_ROW + 6  # objectives 3 and 7
    sheet.cell(row3, progress, "Texto del libro para el objetivo 3.")
    sheet.cell(row7, status, sheet.cell(row3, status).value)  # the same status word, as chosen from the list
    sheet.cell(row7, progress, "Avance escrito sin conexión para el objetivo 7.")
    filled = tmp_path / "panama.xlsx"
    workbook.save(filled)

    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(filled))
    settle(page)
    summary = {"new": 1, "changed": 0, "conflict": 1, "unchanged": 0, "empty": 21}
    page.get_by_text(plan.summary_text("es", summary)).wait_for()
    apply = page.get_by_role("button", name=t("es", "workbook.apply"))
    apply.click()
    settle(page)
    page.get_by_text(t("es", "workbook.applied", count=1, objectives="7")).wait_for()
    page.get_by_text(t("es", "workbook.skipped", objectives="3", n=1)).wait_for()
    expect(apply).to_have_count(0)  # the same import is not offered again
    expect(page.get_by_text(t("es", "workbook.preview_title"))).to_have_count(0)

    page.reload()  # the report page and the history of objective 7 show the import
    settle(page)
    choose(page, "Objetivo", "7 · " + ref_short(7) + " — Mesa redonda 4")
    progress = page.get_by_role("textbox", name="Avances", exact=True)
    expect(progress).to_have_value("Avance escrito sin conexión para el objetivo 7.")  # set just after the run
    page.get_by_text(t("es", "history.title", n=1)).click()
    settle(page)
    page.get_by_text(t("es", "history.import")).first.wait_for()


def ref_short(number: int) -> str:
    return reference_for(str(ROOT / "data")).objective(number).short.get("es")
