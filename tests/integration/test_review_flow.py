"""The review flow's reads and writes: one definition of "reported", guarded resubmission, the audit of
every workflow event, the review summary and the changes since the previous submission."""

import datetime as dt

import pytest
from sqlalchemy import Engine

from gcm import accounts, declaration, queries, workflow
from gcm.accounts import AuditFilter
from gcm.db import read_session, write_session
from gcm.errors import DomainError, ValidationError
from gcm.permissions import SYSTEM, Actor, ReadScope
from gcm.reference import Reference
from gcm.services import ReportInput, restore_revision, save_objective_report
from gcm.submission_changes import changes_since_submission

CYCLE = "imrf2026"
DELEGATES = {c: Actor(name=f"del-{c.lower()}", role="delegate", country=c) for c in ("MEX", "GTM", "PAN", "CRI")}
ADMIN = Actor(name="sec", role="admin")
PUBLIC = ReadScope(states=("validated",))
ANALYST = ReadScope(states=("submitted", "validated"))


def _save(engine: Engine, ref: Reference, country: str, objective: int, text: str = "Avance", **values) -> None:
    with write_session(engine) as session:
        current = queries.get_report(session, country, CYCLE, objective, queries.EVERYTHING)
        save_objective_report(
            session,
            ref,
            DELEGATES[country],
            country=country,
            cycle_id=CYCLE,
            objective=objective,
            data=ReportInput(**{"status": "planning", "progress": text, **values}),
            expected_version=current["version"] if current else None,
        )


def _do(engine: Engine, action) -> object:
    with write_session(engine) as session:
        return action(session)


def _setup(engine: Engine, ref: Reference) -> None:
    """MEX validated, GTM submitted, PAN a draft, CRI nothing."""
    for country in ("MEX", "GTM", "PAN"):
        _save(engine, ref, country, 3)
    for country in ("MEX", "GTM"):
        _do(engine, lambda s, c=country: workflow.submit_country_report(s, DELEGATES[c], country=c, cycle_id=CYCLE))
    _do(engine, lambda s: workflow.validate_country_report(s, ADMIN, country="MEX", cycle_id=CYCLE))


def test_one_definition_of_reported_for_each_reader(engine: Engine, ref: Reference) -> None:
    _setup(engine, ref)
    with read_session(engine) as session:
        public = queries.country_standing(session, CYCLE, "CRM", PUBLIC).set_index("country")["standing"]
        analyst = queries.country_standing(session, CYCLE, "CRM", ANALYST).set_index("country")["standing"]
        admin = queries.headline(session, CYCLE, "CRM", queries.EVERYTHING)
        public_headline = queries.headline(session, CYCLE, "CRM", PUBLIC)
    assert (public["MEX"], public["GTM"], public["PAN"], public["CRI"]) == (
        "validated",
        "awaiting_validation",
        "in_preparation",
        "not_reported",
    )
    assert analyst["GTM"] == "submitted"
    assert public_headline["countries_reporting"] == 1 and public_headline["awaiting_validation"] == 1
    assert public_headline["not_reported"] == 8 and public_headline["reports"] == 1
    assert admin["countries_reporting"] == 2 and admin["submitted"] == 1 and admin["in_preparation"] == 1


def test_default_cycle_opens_on_reports_this_reader_may_see(engine: Engine, ref: Reference) -> None:
    _save(engine, ref, "PAN", 3)  # a draft in the new cycle must not move anyone's default
    with write_session(engine) as session:
        save_objective_report(
            session,
            ref,
            SYSTEM,
            country="GTM",
            cycle_id="imrf2022",
            objective=1,
            data=ReportInput(status="full"),
            expected_version=None,
        )
    _do(engine, lambda s: s.merge(_submission("GTM", "imrf2022", "validated")))
    with read_session(engine) as session:
        assert queries.latest_reported_cycle_id(session, "CRM", PUBLIC) == "imrf2022"
        assert queries.latest_reported_cycle_id(session, "CSM", PUBLIC) == CYCLE  # nothing: the current cycle
    _setup(engine, ref)
    with read_session(engine) as session:
        assert queries.latest_reported_cycle_id(session, "CRM", PUBLIC) == CYCLE


def _submission(country: str, cycle_id: str, state: str):
    from gcm import models

    return models.Submission(
        country_iso3=country,
        cycle_id=cycle_id,
        state=state,
        comment="",
        updated_by="t",
        updated_at=dt.datetime.now(dt.UTC),
    )


def test_resubmitting_a_returned_report_unchanged_asks_first(engine: Engine, ref: Reference) -> None:
    _save(engine, ref, "CRI", 3)
    cri = DELEGATES["CRI"]
    _do(engine, lambda s: workflow.submit_country_report(s, cri, country="CRI", cycle_id=CYCLE))
    with pytest.raises(ValidationError):
        _do(engine, lambda s: workflow.return_country_report(s, ADMIN, country="CRI", cycle_id=CYCLE, comment=" "))
    _do(
        engine,
        lambda s: workflow.return_country_report(
            s, ADMIN, country="CRI", cycle_id=CYCLE, comment="Falta el 5", objectives=(5, 7)
        ),
    )
    with read_session(engine) as session:
        assert workflow.unchanged_since_return(session, "CRI", CYCLE)
        assert queries.submission(session, "CRI", CYCLE)["flagged"] == [5, 7]
    with pytest.raises(DomainError) as refused:
        _do(engine, lambda s: workflow.submit_country_report(s, cri, country="CRI", cycle_id=CYCLE))
    assert refused.value.code == "unchanged_resubmit"
    _do(engine, lambda s: workflow.submit_country_report(s, cri, country="CRI", cycle_id=CYCLE, confirm_unchanged=True))
    _do(engine, lambda s: workflow.return_country_report(s, ADMIN, country="CRI", cycle_id=CYCLE, comment="Otra vez"))
    _save(engine, ref, "CRI", 5, "Nuevo")
    with read_session(engine) as session:
        assert not workflow.unchanged_since_return(session, "CRI", CYCLE)
        changes = changes_since_submission(session, "CRI", CYCLE)
    assert [c["objective"] for c in changes["changes"]] == [5] and changes["since"] is not None
    _do(engine, lambda s: workflow.submit_country_report(s, cri, country="CRI", cycle_id=CYCLE))
    with read_session(engine) as session:
        assert [c["objective"] for c in changes_since_submission(session, "CRI", CYCLE)["changes"]] == [5]


def test_every_workflow_step_moves_its_countrys_revision_and_no_other(engine: Engine, ref: Reference) -> None:
    _save(engine, ref, "PAN", 3)

    def revisions() -> dict[str, tuple[int, int, int]]:
        with read_session(engine) as session:
            return {c: queries.country_revisions(session, c) for c in DELEGATES}

    steps = (
        lambda s: workflow.submit_country_report(s, DELEGATES["PAN"], country="PAN", cycle_id=CYCLE),
        lambda s: workflow.return_country_report(s, ADMIN, country="PAN", cycle_id=CYCLE, comment="Falta evidencia"),
        lambda s: workflow.submit_country_report(
            s, DELEGATES["PAN"], country="PAN", cycle_id=CYCLE, confirm_unchanged=True
        ),
        lambda s: workflow.validate_country_report(s, ADMIN, country="PAN", cycle_id=CYCLE),
    )
    for step in steps:
        before = revisions()
        _do(engine, step)
        assert revisions() == before | {"PAN": tuple(n + 1 for n in before["PAN"])}  # every counter


def test_every_workflow_event_is_audited_with_its_report(engine: Engine, ref: Reference) -> None:
    _setup(engine, ref)
    _save(engine, ref, "PAN", 3, "Segundo")
    with read_session(engine) as session:
        first = queries.report_history(session, queries.get_report(session, "PAN", CYCLE, 3, queries.EVERYTHING)["id"])[
            -1
        ]
    _do(engine, lambda s: restore_revision(s, ref, DELEGATES["PAN"], revision_id=first["id"], expected_version=2))
    _do(engine, lambda s: workflow.update_cycle(s, ADMIN, cycle_id=CYCLE, is_open=True, is_locked=True, deadline=None))
    _do(engine, lambda s: declaration.save_declaration(s, ADMIN, cycle_id=CYCLE, body="## Texto", expected_version=0))
    _do(engine, lambda s: declaration.adopt_declaration(s, ADMIN, cycle_id=CYCLE, version=1))
    with read_session(engine) as session:
        kinds = {e["kind"] for e in accounts.audit_events(session, ADMIN)}
        mex = accounts.audit_events(session, ADMIN, AuditFilter(country="MEX", cycle_id=CYCLE))
        page = accounts.audit_events(session, ADMIN, AuditFilter(kinds=("report_saved",)), limit=2, offset=2)
        count = accounts.audit_count(session, ADMIN, AuditFilter(kinds=("report_saved",)))
        people = accounts.audit_people(session, ADMIN)
        today = accounts.audit_count(session, ADMIN, AuditFilter(since=dt.date.today(), until=dt.date.today()))
        yesterday = accounts.audit_count(session, ADMIN, AuditFilter(until=dt.date.today() - dt.timedelta(days=2)))
        history = accounts.report_events(session, "PAN", CYCLE)
    assert {
        "report_saved",
        "report_submitted",
        "report_validated",
        "report_restored",
        "cycle_locked",
        "declaration_saved",
        "declaration_adopted",
    } <= kinds
    assert [e["kind"] for e in mex] == ["report_validated", "report_submitted", "report_saved"]
    assert mex[0]["username"] == "sec" and mex[1]["username"] == "del-mex"
    assert count == 4 and len(page) == 2
    assert {"sec", "del-mex", "del-pan"} <= set(people)
    assert today >= 9 and yesterday == 0
    assert [e["kind"] for e in history] == ["report_restored", "report_saved", "report_saved"]
    with read_session(engine) as session, pytest.raises(DomainError):
        accounts.audit_events(session, DELEGATES["MEX"])


def test_review_summary_and_completeness(engine: Engine, ref: Reference) -> None:
    _save(engine, ref, "GTM", 3, "Primera línea\nsegunda línea")
    _save(engine, ref, "GTM", 13)
    with read_session(engine) as session:
        summary = queries.report_summary(session, "GTM", CYCLE, queries.EVERYTHING)
        completeness = queries.completeness_summary(session, "GTM", CYCLE, queries.EVERYTHING)
        hidden = queries.report_summary(session, "GTM", CYCLE, PUBLIC)
    assert list(summary["objective"]) == list(range(1, 24))
    row = summary.set_index("objective").loc[3]
    assert (row["status"], row["progress"], row["section"]) == ("planning", "Primera línea", 4)
    assert summary.set_index("objective").loc[1, "status"] == queries.NOT_REPORTED
    assert completeness["reported"] == 2 and completeness["total"] == 23
    assert 3 not in completeness["missing"] and len(completeness["missing"]) == 21
    assert sum(s["done"] for s in completeness["sections"]) == 2
    assert (hidden["status"] == queries.NOT_REPORTED).all()  # a draft is not the public's to read


def test_changes_since_the_previous_submission_in_objective_and_form_order(engine: Engine, ref: Reference) -> None:
    """What the reviewer reads: one entry per objective in number order, the fields changed in the form's order,
    a new objective said to be new with only its filled fields, an edit put back as it was not listed."""
    cri = DELEGATES["CRI"]
    for n in (1, 2, 3):
        _save(engine, ref, "CRI", n, f"Avance {n}", challenges="Desafío")
    _do(engine, lambda s: workflow.submit_country_report(s, cri, country="CRI", cycle_id=CYCLE))
    with read_session(engine) as session:
        assert changes_since_submission(session, "CRI", CYCLE) == {"since": None, "changes": []}
    _do(engine, lambda s: workflow.return_country_report(s, ADMIN, country="CRI", cycle_id=CYCLE, comment="Revise"))
    # saved newest first in the reverse of the expected order: the list must not follow the time of the saves
    _save(engine, ref, "CRI", 3, "Avance 3", challenges="Desafío", priorities="Nueva", national_priority=True)
    _save(engine, ref, "CRI", 7, "Nuevo", good_practice="Buena práctica", status="initial")
    _save(engine, ref, "CRI", 1, "Avance 1 corregido", challenges="Desafío")
    _save(engine, ref, "CRI", 2, "Otra cosa", challenges="Desafío", status="full")
    _save(engine, ref, "CRI", 2, "Avance 2", challenges="Desafío")  # put back as it was submitted
    _do(engine, lambda s: workflow.submit_country_report(s, cri, country="CRI", cycle_id=CYCLE))
    with read_session(engine) as session:
        changes = changes_since_submission(session, "CRI", CYCLE)
    assert changes["since"] is not None
    assert [(c["objective"], c["new"], c["fields"]) for c in changes["changes"]] == [
        (1, False, ["progress"]),
        (3, False, ["national_priority", "priorities"]),
        (7, True, ["status", "progress", "good_practice"]),  # not the empty fields of a new objective
    ]
    assert {c["by"] for c in changes["changes"]} == {"del-cri"}
    assert all(c["at"] > changes["since"] for c in changes["changes"])
