"""Every service as every role, for its own and for another country: the whole allow/deny matrix."""

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from gcm import models, queries, workflow
from gcm.db import read_session, write_session
from gcm.errors import DomainError, PermissionDenied
from gcm.permissions import PUBLIC, SYSTEM, Actor, read_scope
from gcm.reference import Reference
from gcm.services import ReportInput, save_objective_report
from gcm.unit import perform

ADMIN = Actor(name="sec", role="admin", user_id=1)
MEX = Actor(name="mex", role="delegate", country="MEX", user_id=2)
GTM = Actor(name="gtm", role="delegate", country="GTM", user_id=3)
ANALYST = Actor(name="ana", role="analyst", user_id=4)
ROLES = {"admin": ADMIN, "delegate_own": MEX, "delegate_other": GTM, "analyst": ANALYST, "public": PUBLIC}


def _save(session, ref, actor, country="MEX"):
    return save_objective_report(
        session,
        ref,
        actor,
        country=country,
        cycle_id="imrf2026",
        objective=3,
        data=ReportInput(status="planning"),
        expected_version=None,
    )


def _run(engine, actor, action):
    try:
        with write_session(engine) as session:
            action(session)
        return "allow"
    except PermissionDenied:
        return "deny"


EDIT = {"admin": "deny", "delegate_own": "allow", "delegate_other": "deny", "analyst": "deny", "public": "deny"}
REVIEW = {"admin": "allow", "delegate_own": "deny", "delegate_other": "deny", "analyst": "deny", "public": "deny"}


@pytest.mark.parametrize("role", list(ROLES))
def test_edit_report_matrix(engine: Engine, ref: Reference, role: str) -> None:
    assert _run(engine, ROLES[role], lambda s: _save(s, ref, ROLES[role])) == EDIT[role]


@pytest.mark.parametrize("role", list(ROLES))
def test_submit_matrix(engine: Engine, ref: Reference, role: str) -> None:
    with write_session(engine) as session:
        _save(session, ref, MEX)
    result = _run(
        engine,
        ROLES[role],
        lambda s: workflow.submit_country_report(s, ROLES[role], country="MEX", cycle_id="imrf2026"),
    )
    assert result == EDIT[role]


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("decision", ["validate", "return"])
def test_review_matrix(engine: Engine, ref: Reference, role: str, decision: str) -> None:
    with write_session(engine) as session:
        _save(session, ref, MEX)
        workflow.submit_country_report(session, MEX, country="MEX", cycle_id="imrf2026")
    actor = ROLES[role]

    def review(session):
        if decision == "validate":
            workflow.validate_country_report(session, actor, country="MEX", cycle_id="imrf2026")
        else:
            workflow.return_country_report(
                session, actor, country="MEX", cycle_id="imrf2026", comment="Falta el objetivo 5"
            )

    assert _run(engine, actor, review) == REVIEW[role]


@pytest.mark.parametrize("role", list(ROLES))
def test_cycle_admin_matrix(engine: Engine, role: str) -> None:
    actor = ROLES[role]
    result = _run(
        engine,
        actor,
        lambda s: workflow.update_cycle(s, actor, cycle_id="imrf2026", is_open=True, is_locked=True, deadline=None),
    )
    assert result == REVIEW[role]


def test_read_matrix(engine: Engine, ref: Reference) -> None:
    with write_session(engine) as session:
        _save(session, ref, MEX)  # MEX: draft
        _save(session, ref, GTM, "GTM")
        workflow.submit_country_report(session, GTM, country="GTM", cycle_id="imrf2026")  # GTM: submitted
        _save(session, ref, Actor(name="pan", role="delegate", country="PAN"), "PAN")
        workflow.submit_country_report(
            session, Actor(name="pan", role="delegate", country="PAN"), country="PAN", cycle_id="imrf2026"
        )
        workflow.validate_country_report(session, ADMIN, country="PAN", cycle_id="imrf2026")  # PAN: validated
    expected = {
        "admin": {"MEX", "GTM", "PAN"},
        "delegate_own": {"MEX", "GTM", "PAN"},  # its own draft, others' submitted and validated
        "delegate_other": {"GTM", "PAN"},
        "analyst": {"GTM", "PAN"},
        "public": {"PAN"},
    }
    with read_session(engine) as session:
        for role, actor in ROLES.items():
            scope = read_scope(actor)
            seen = set(queries.status_matrix(session, "imrf2026", "CRM", scope)["country"])
            assert seen == expected[role], role
            counts = queries.status_by_section(session, "imrf2026", "CRM", scope)
            assert counts.loc[counts["status"] != "not_reported", "count"].sum() == len(expected[role])
            assert (queries.get_report(session, "MEX", "imrf2026", 3, scope) is not None) == ("MEX" in expected[role])
        assert (
            set(queries.status_matrix(session, "imrf2026", "CRM", read_scope(PUBLIC, public_view=False))["country"])
            == set()
        )


def test_widget_values_are_not_trusted(engine: Engine, ref: Reference) -> None:
    """A delegate who forges another country or cycle id in a request is refused by the service."""
    for country in ("GTM", "XXX"):
        with pytest.raises(DomainError), write_session(engine) as session:
            _save(session, ref, MEX, country)


def test_refusals_are_audited(engine: Engine, ref: Reference) -> None:
    with pytest.raises(PermissionDenied):
        perform(engine, GTM, lambda s: _save(s, ref, GTM, "MEX"), what="save MEX/imrf2026/3", address="10.0.0.9")
    with read_session(engine) as session:
        event = session.scalars(select(models.AuditEvent).where(models.AuditEvent.kind == "permission_denied")).one()
    assert (event.username, event.address) == ("gtm", "10.0.0.9")
    assert "save MEX/imrf2026/3" in event.detail


def test_workflow_locks_editing_until_returned(engine: Engine, ref: Reference) -> None:
    with write_session(engine) as session:
        saved = _save(session, ref, MEX)
        workflow.submit_country_report(session, MEX, country="MEX", cycle_id="imrf2026")
    with pytest.raises(DomainError) as info, write_session(engine) as session:
        save_objective_report(
            session,
            ref,
            MEX,
            country="MEX",
            cycle_id="imrf2026",
            objective=3,
            data=ReportInput(status="full"),
            expected_version=saved.version,
        )
    assert info.value.code == "report_not_editable"
    with write_session(engine) as session:
        workflow.return_country_report(
            session, ADMIN, country="MEX", cycle_id="imrf2026", comment="Complete el objetivo 5"
        )
    with read_session(engine) as session:
        assert queries.submission(session, "MEX", "imrf2026")["comment"] == "Complete el objetivo 5"
    with write_session(engine) as session:
        save_objective_report(
            session,
            ref,
            MEX,
            country="MEX",
            cycle_id="imrf2026",
            objective=3,
            data=ReportInput(status="full"),
            expected_version=saved.version,
        )
        workflow.submit_country_report(session, MEX, country="MEX", cycle_id="imrf2026")
        workflow.validate_country_report(session, ADMIN, country="MEX", cycle_id="imrf2026")
    with read_session(engine) as session:
        assert queries.submission(session, "MEX", "imrf2026")["state"] == "validated"


def test_return_needs_a_comment(engine: Engine, ref: Reference) -> None:
    with write_session(engine) as session:
        _save(session, ref, MEX)
        workflow.submit_country_report(session, MEX, country="MEX", cycle_id="imrf2026")
    with pytest.raises(DomainError) as info, write_session(engine) as session:
        workflow.return_country_report(session, ADMIN, country="MEX", cycle_id="imrf2026", comment="  ")
    assert info.value.field == "comment"


def test_deadline_and_lock_stop_edits_until_reopened(engine: Engine, ref: Reference) -> None:
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    with write_session(engine) as session:
        workflow.update_cycle(session, ADMIN, cycle_id="imrf2026", is_open=True, is_locked=False, deadline=yesterday)
    with pytest.raises(DomainError) as info, write_session(engine) as session:
        _save(session, ref, MEX)
    assert info.value.code == "cycle_closed"
    with write_session(engine) as session:
        workflow.update_cycle(session, ADMIN, cycle_id="imrf2026", is_open=True, is_locked=True, deadline=None)
    with pytest.raises(DomainError), write_session(engine) as session:
        _save(session, ref, MEX)
    with write_session(engine) as session:
        workflow.update_cycle(session, SYSTEM, cycle_id="imrf2026", is_open=True, is_locked=False, deadline=None)
        _save(session, ref, MEX)


def test_nothing_to_submit(engine: Engine) -> None:
    with pytest.raises(DomainError) as info, write_session(engine) as session:
        workflow.submit_country_report(session, MEX, country="MEX", cycle_id="imrf2026")
    assert info.value.code == "nothing_to_submit"


def test_secretariat_defines_a_cycles_grouping(engine: Engine) -> None:
    placement = {n: (1 if n <= 12 else 2) for n in range(1, 24)}
    for actor in (MEX, ANALYST):
        with pytest.raises(PermissionDenied), write_session(engine) as session:
            workflow.set_grouping_sections(
                session, actor, grouping_id="lac2021", placement=placement, provisional=False
            )
    with pytest.raises(DomainError) as info, write_session(engine) as session:
        workflow.set_grouping_sections(session, ADMIN, grouping_id="lac2021", placement={1: 1}, provisional=False)
    assert {e.code for e in info.value.errors} == {"unplaced_objective"}
    with write_session(engine) as session:
        workflow.set_grouping_sections(session, ADMIN, grouping_id="lac2021", placement=placement, provisional=False)
        workflow.set_cycle_grouping(session, ADMIN, cycle_id="imrf2026", grouping_id="lac2021", confirmed=True)
    with read_session(engine) as session:
        sections = queries.sections(session, "lac2021")
        cycle = queries.cycles(session).set_index("id").loc["imrf2026"]
    assert sections.groupby("section")["objective"].count().to_dict() == {1: 12, 2: 11}
    assert (cycle["grouping"], bool(cycle["grouping_confirmed"]), bool(cycle["provisional"])) == (
        "lac2021",
        True,
        False,
    )
