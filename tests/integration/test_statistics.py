"""Planner statistics: refreshed after bulk loads and when the reports outgrow them, so hot queries stay fast."""

from sqlalchemy import Engine, event, text

from gcm import findings, queries, synth
from gcm.bootstrap import _analyzed_reports, refresh_statistics
from gcm.config import ROOT
from gcm.db import read_session, write_session
from gcm.permissions import SYSTEM
from gcm.reference import Reference


def test_empty_database_is_not_analysed_and_a_bulk_load_is(engine: Engine, ref: Reference) -> None:
    with write_session(engine) as session:
        assert refresh_statistics(session) is False  # nothing to describe yet
    with write_session(engine) as session:
        synth.load_synth(session, ref, ROOT / "data", countries=12, cycles=4, seed=1)
    with read_session(engine) as session:
        described = _analyzed_reports(session)
        assert described is not None and described > 0
    with write_session(engine) as session:
        assert refresh_statistics(session) is False  # up to date: nothing to do at the next start


def _plan(engine: Engine, session, cycle_id: str) -> list[str]:
    seen: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        findings.round_table_counts(session, cycle_id, None, findings.findings_scope(SYSTEM, False))
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    statement, parameters = seen[-1]
    return [row[3] for row in session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]


def test_category_counts_start_from_the_cycle_not_from_every_tag(sqlite_engine: Engine, ref: Reference) -> None:
    """The challenge and priority categories of the counts by round table (the last part of their UNION ALL)
    are found from the cycle's reports in their covering index, then each report's tags by key: not by
    reading every tag of every cycle first."""
    with write_session(sqlite_engine) as session:
        synth.load_synth(session, ref, ROOT / "data", countries=40, cycles=6, seed=1)
    with read_session(sqlite_engine) as session:
        cycle_id = queries.latest_reported_cycle_id(session, None, findings.findings_scope(SYSTEM, False))
        plan = _plan(sqlite_engine, session, cycle_id)
    categories = plan[len(plan) - plan[::-1].index("UNION ALL") :]
    reports = [i for i, step in enumerate(categories) if "objective_report USING COVERING INDEX" in step]
    tags = [i for i, step in enumerate(categories) if "report_tag" in step]
    assert reports and tags and reports[0] < tags[0], categories
    assert "ix_report_tag_kind_key" not in categories[tags[0]], categories


def test_growth_past_the_statistics_triggers_a_refresh(sqlite_engine: Engine, ref: Reference) -> None:
    with write_session(sqlite_engine) as session:
        synth.load_synth(session, ref, ROOT / "data", countries=12, cycles=4, seed=1)
    with write_session(sqlite_engine) as session:  # statistics that describe far fewer reports than there are
        session.execute(text("UPDATE sqlite_stat1 SET stat = '10 1' WHERE tbl = 'objective_report'"))
    with write_session(sqlite_engine) as session:
        assert refresh_statistics(session) is True
    with read_session(sqlite_engine) as session:
        assert _analyzed_reports(session) > 10
