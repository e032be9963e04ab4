"""Every change writes an append-only revision; an earlier version can be restored."""

from sqlalchemy import Engine

from gcm import queries
from gcm.db import read_session, write_session
from gcm.permissions import Actor
from gcm.reference import Reference
from gcm.services import ReportInput, restore_revision, save_objective_report

MEX = Actor(name="mex", role="delegate", country="MEX")


def _save(engine: Engine, ref: Reference, data: ReportInput, version: int | None):
    with write_session(engine) as session:
        return save_objective_report(
            session, ref, MEX, country="MEX", cycle_id="imrf2026", objective=9, data=data, expected_version=version
        )


def test_each_change_is_a_revision_with_old_and_new_values(engine: Engine, ref: Reference) -> None:
    first = _save(engine, ref, ReportInput(status="planning", progress="Primera versión", principles=("a",)), None)
    second = _save(engine, ref, ReportInput(status="initial", progress="Segunda versión", principles=("a",)), 1)
    unchanged = _save(engine, ref, ReportInput(status="initial", progress="Segunda versión", principles=("a",)), 2)
    assert (first.version, second.version, unchanged.version) == (1, 2, 2)
    with read_session(engine) as session:
        history = queries.report_history(session, first.id)
    assert [(h["version"], h["action"], h["by"]) for h in history] == [(2, "edit", "mex"), (1, "create", "mex")]
    assert history[0]["changes"] == {
        "status": ["planning", "initial"],
        "progress": ["Primera versión", "Segunda versión"],
    }
    assert history[1]["snapshot"]["progress"] == "Primera versión"


def test_restore_writes_a_new_revision_and_deletes_nothing(engine: Engine, ref: Reference) -> None:
    first = _save(
        engine, ref, ReportInput(status="planning", progress="Original", challenge_categories=("funding",)), None
    )
    _save(engine, ref, ReportInput(status="full", progress="Reescrito"), 1)
    with read_session(engine) as session:
        oldest = queries.report_history(session, first.id)[-1]
    with write_session(engine) as session:
        restored = restore_revision(session, ref, MEX, revision_id=oldest["id"], expected_version=2)
    assert restored.version == 3
    with read_session(engine) as session:
        report = queries.get_report(session, "MEX", "imrf2026", 9, queries.EVERYTHING)
        history = queries.report_history(session, first.id)
    assert (report["status"], report["progress"], report["challenge_categories"]) == (
        "planning",
        "Original",
        ["funding"],
    )
    assert [h["action"] for h in history] == ["restore", "edit", "create"]
