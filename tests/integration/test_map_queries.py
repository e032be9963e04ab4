"""The map's reads: completeness and one objective's status per country, within the reader's scope."""

from sqlalchemy import Engine

from gcm import workflow
from gcm.db import read_session, write_session
from gcm.explore.completeness import completeness_by_country, objective_status_by_country
from gcm.permissions import SYSTEM, ReadScope
from gcm.reference import Reference
from gcm.services import ReportInput, save_objective_report

EVERYTHING = ReadScope(states=None)
PUBLIC = ReadScope(states=("validated",))


def _report(engine: Engine, ref: Reference, country: str, objective: int, status: str) -> None:
    with write_session(engine) as session:
        save_objective_report(
            session,
            ref,
            SYSTEM,
            country=country,
            cycle_id="imrf2026",
            objective=objective,
            data=ReportInput(status=status, national_priority=objective == 3),
            expected_version=None,
        )


def test_completeness_counts_readable_reports_per_member(engine: Engine, ref: Reference) -> None:
    for objective in (1, 2, 3):
        _report(engine, ref, "MEX", objective, "advanced")
    _report(engine, ref, "GTM", 3, "planning")
    _report(engine, ref, "ARG", 1, "full")  # not a CRM member
    with write_session(engine) as session:
        workflow.submit_country_report(session, SYSTEM, country="MEX", cycle_id="imrf2026")
        workflow.validate_country_report(session, SYSTEM, country="MEX", cycle_id="imrf2026")
    with read_session(engine) as session:
        everything = completeness_by_country(session, "imrf2026", "CRM", EVERYTHING).set_index("country")
        public = completeness_by_country(session, "imrf2026", "CRM", PUBLIC).set_index("country")
        world = completeness_by_country(session, "imrf2026", None, EVERYTHING)
    assert len(everything) == 11 and "ARG" not in everything.index
    assert everything.loc["MEX", "reported"] == 3 and everything.loc["GTM", "reported"] == 1
    assert everything.loc["MEX", "objectives"] == 23
    assert abs(everything.loc["MEX", "share"] - 3 / 23) < 1e-9
    assert everything.loc["CRI", "reported"] == 0
    assert public.loc["MEX", "reported"] == 3 and public.loc["GTM", "reported"] == 0  # GTM is a draft
    assert len(world) == len(ref.countries)


def test_objective_status_lists_every_member(engine: Engine, ref: Reference) -> None:
    _report(engine, ref, "MEX", 3, "advanced")
    _report(engine, ref, "GTM", 4, "planning")
    with read_session(engine) as session:
        frame = objective_status_by_country(session, "imrf2026", "CRM", 3, EVERYTHING).set_index("country")
        public = objective_status_by_country(session, "imrf2026", "CRM", 3, PUBLIC)
    assert len(frame) == 11
    assert frame.loc["MEX", "status"] == "advanced" and bool(frame.loc["MEX", "national_priority"])
    assert frame.loc["GTM", "status"] == "not_reported"  # reported another objective only
    assert set(public["status"]) == {"not_reported"}
