"""The audit log in a real browser: its download, now built only when a button is pressed (a deferred download,
outside the page's run), holds the whole log (up to its limit) in the reader's language, while the page shows
one page of events. What the deferral saves is measured in BENCHMARKS.md; this test guards the file."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gcm import models, services
from gcm.db import create_db_engine, read_session, write_session
from gcm.i18n import t
from gcm.ui.audit_view import COLUMNS
from tests.e2e.conftest import settle, sign_in

pytestmark = pytest.mark.e2e

SAVES = 120  # more than the page's 50 events


def _saves_in_the_log(database_url: str) -> None:
    engine = create_db_engine(database_url)
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    with write_session(engine) as session:
        session.add_all(
            models.AuditEvent(
                at=start + dt.timedelta(minutes=n),
                kind="report_saved",
                username="mex",
                detail=f"objective 3 v{n + 2}: progress",
                country_iso3="MEX",
                cycle_id="imrf2022",
            )
            for n in range(SAVES)
        )
        services.bump_revision(session)
    engine.dispose()


def _events_in_the_log(database_url: str, **only: str) -> int:
    engine = create_db_engine(database_url)
    with read_session(engine) as session:
        count = session.scalar(select(func.count()).select_from(models.AuditEvent).filter_by(**only))
    engine.dispose()
    return int(count or 0)


def test_the_audit_download_holds_the_whole_log_in_the_readers_language(new_page, server) -> None:
    _saves_in_the_log(server.database_url)
    page = new_page("es-ES")
    sign_in(page, server, "sec", "es")
    page.goto(f"{server.url}/audit?lang=es")
    settle(page)
    total = _events_in_the_log(server.database_url)
    # Other tests on this server (in whatever order the run gives them) may have saved Mexico's reports too.
    saved = _events_in_the_log(server.database_url, kind="report_saved", username="mex")
    page.get_by_text(t("es", "flow.showing", first=1, last=50, total=total)).wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name=t("es", "download.csv")).click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == [t("es", f"audit.column.{c}") for c in COLUMNS]
    assert len(rows) - 1 == total > SAVES
    saves = [row for row in rows[1:] if row[1] == t("es", "audit.kind.report_saved") and row[2] == "mex"]
    assert len(saves) == saved >= SAVES and {row[3] for row in saves} == {"México"}
    assert saves[0][0] > saves[-1][0]  # newest first
