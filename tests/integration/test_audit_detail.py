"""The audit log's detail reads in the reader's language for every event the services write."""

import datetime as dt

import pytest
from sqlalchemy import Engine

from gcm import accounts, declaration, workflow
from gcm.audit_detail import describe
from gcm.db import read_session, write_session
from gcm.errors import PermissionDenied
from gcm.permissions import Actor
from gcm.reference import Reference
from gcm.services import ReportInput, save_objective_report
from gcm.unit import perform

CYCLE = "imrf2026"
ADMIN = Actor(name="sec", role="admin")
DELEGATE = Actor(name="del-pan", role="delegate", country="PAN")


def _do(engine: Engine, action) -> None:
    with write_session(engine) as session:
        action(session)


def _every_kind_of_event(engine: Engine, ref: Reference) -> None:
    def save(session, version: int | None, country: str = "PAN", progress: str = "Avance") -> None:
        save_objective_report(
            session,
            ref,
            DELEGATE,
            country=country,
            cycle_id=CYCLE,
            objective=3,
            data=ReportInput(status="planning", progress=progress, challenge_categories=("funding",)),
            expected_version=version,
        )

    _do(engine, lambda s: save(s, None))
    _do(engine, lambda s: workflow.submit_country_report(s, DELEGATE, country="PAN", cycle_id=CYCLE))
    _do(
        engine,
        lambda s: workflow.return_country_report(
            s, ADMIN, country="PAN", cycle_id=CYCLE, comment="Complete el <b>objetivo</b> 5", objectives=(5, 7)
        ),
    )
    _do(engine, lambda s: save(s, 1, progress="Avance revisado"))
    deadline = dt.date(2026, 3, 1)
    _do(engine, lambda s: workflow.update_cycle(s, ADMIN, cycle_id=CYCLE, is_open=True, is_locked=True, deadline=None))
    _do(
        engine,
        lambda s: workflow.update_cycle(s, ADMIN, cycle_id=CYCLE, is_open=True, is_locked=False, deadline=deadline),
    )
    _do(
        engine, lambda s: workflow.set_cycle_grouping(s, ADMIN, cycle_id=CYCLE, grouping_id="imrf2022", confirmed=False)
    )
    _do(engine, lambda s: declaration.save_declaration(s, ADMIN, cycle_id=CYCLE, body="## Texto", expected_version=0))
    _do(engine, lambda s: declaration.adopt_declaration(s, ADMIN, cycle_id=CYCLE, version=1))
    _do(
        engine,
        lambda s: accounts.add_user(
            s, ADMIN, username="ana", role="delegate", country="CRI", password="correct horse battery"
        ),
    )
    _do(
        engine,
        lambda s: accounts.add_user(
            s, ADMIN, username="luis", role="analyst", country=None, password="correct horse battery"
        ),
    )
    with pytest.raises(PermissionDenied):
        perform(engine, DELEGATE, lambda s: save(s, None, "CRI"), what="save CRI/imrf2026/3")
    _do(
        engine,
        lambda s: accounts.sign_in(
            s, username="ana", password="wrong", address="10.0.0.1", lifetime=dt.timedelta(hours=1)
        ),
    )


def _events(engine: Engine) -> list[dict]:
    with read_session(engine) as session:
        return accounts.audit_events(session, ADMIN)


def test_every_detail_the_services_write_is_said_in_both_languages(sqlite_engine: Engine, ref: Reference) -> None:
    _every_kind_of_event(sqlite_engine, ref)
    events = _events(sqlite_engine)
    # newest last, so each kind keeps its latest event
    described = {
        (e["kind"], lang): describe(lang, ref, e["kind"], e["detail"])
        for e in reversed(events)
        for lang in ("es", "en")
    }
    assert {
        "report_saved",
        "report_submitted",
        "report_returned",
        "cycle_locked",
        "cycle_deadline",
        "cycle_grouping",
        "declaration_saved",
        "declaration_adopted",
        "user_added",
        "permission_denied",
        "sign_in_failed",
    } <= {kind for kind, _ in described}
    for e in events:  # every stored line is recognised: none is shown as stored in Spanish
        assert describe("es", ref, e["kind"], e["detail"]) != e["detail"] or not e["detail"], e
    es = {kind: text for (kind, lang), text in described.items() if lang == "es"}
    en = {kind: text for (kind, lang), text in described.items() if lang == "en"}
    assert es["report_saved"] == "objetivo 3, versión 2: Avances"
    assert en["report_saved"] == "objective 3, version 2: Progress made"
    assert es["report_submitted"] == "1 de 23 objetivos con informe"
    assert es["report_returned"] == "Complete el <b>objetivo</b> 5 [objetivos señalados: 5, 7]"
    assert en["report_returned"] == "Complete el <b>objetivo</b> 5 [objectives flagged: 5, 7]"
    assert es["cycle_locked"] == "sin plazo" and en["cycle_deadline"] == "deadline: 2026-03-01"
    assert es["declaration_adopted"] == "versión 1"
    assert "(sin confirmar)" in es["cycle_grouping"] and "confirmed=" not in es["cycle_grouping"]
    assert es["sign_in_failed"].startswith("usuario o contraseña incorrectos")
    assert (
        es["permission_denied"]
        == "Solo puede modificar el informe de su propio país; este es CRI. (acción: save CRI/imrf2026/3)"
    )
    users = {describe("es", ref, e["kind"], e["detail"]) for e in events if e["kind"] == "user_added"}
    assert users == {"ana (delegación de país, Costa Rica)", "luis (analista)"}


def test_a_line_in_an_unknown_form_is_shown_as_stored(ref: Reference) -> None:
    assert (
        describe("es", ref, "report_saved", "guardado por una versión anterior") == "guardado por una versión anterior"
    )
    assert describe("en", ref, "sign_in", None) == ""
    assert describe("es", ref, "permission_denied", "save x: no_such_code {'a': 1}") == "save x: no_such_code {'a': 1}"
    assert describe("es", ref, "sign_in_failed", accounts.THROTTLED).startswith("demasiados intentos")
