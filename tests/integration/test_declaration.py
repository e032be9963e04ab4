"""The declaration draft round-trips through compile, edit, versions, adopt and download."""

import io

import pytest
from docx import Document
from sqlalchemy import Engine

from gcm import declaration, demo
from gcm.db import read_session, write_session
from gcm.errors import ConflictError, DomainError, PermissionDenied
from gcm.permissions import Actor
from gcm.reference import Reference

ADMIN = Actor(name="sec", role="admin")


def test_round_trip(engine: Engine, ref: Reference) -> None:
    with write_session(engine) as session:
        demo.load_demo(session, ref)
    with read_session(engine) as session:
        draft = declaration.compile_draft(session, ref, "es", "imrf2022", "CRM")
    assert draft.startswith("## Declaración de la Conferencia Regional sobre Migración")
    assert [line for line in draft.splitlines() if line.startswith("### ")] == [
        f"### Mesa redonda {n}" for n in range(1, 5)
    ]
    paragraphs = [line for line in draft.splitlines() if line.startswith("- ")]
    assert paragraphs and all("Objetivo " in p and "[planteado por: " in p for p in paragraphs)
    with write_session(engine) as session:
        assert declaration.save_declaration(session, ADMIN, cycle_id="imrf2022", body=draft, expected_version=0) == 1
    edited = draft + "\nPárrafo final acordado por la sala.\n"
    with write_session(engine) as session:
        assert declaration.save_declaration(session, ADMIN, cycle_id="imrf2022", body=edited, expected_version=1) == 2
    with pytest.raises(ConflictError), write_session(engine) as session:
        declaration.save_declaration(session, ADMIN, cycle_id="imrf2022", body="stale", expected_version=1)
    with pytest.raises(PermissionDenied), write_session(engine) as session:
        declaration.adopt_declaration(
            session, Actor(name="d", role="delegate", country="MEX"), cycle_id="imrf2022", version=2
        )
    with write_session(engine) as session:
        declaration.adopt_declaration(session, ADMIN, cycle_id="imrf2022", version=2)
    with pytest.raises(DomainError) as info, write_session(engine) as session:
        declaration.save_declaration(session, ADMIN, cycle_id="imrf2022", body="late change", expected_version=2)
    assert info.value.code == "declaration_adopted"
    with read_session(engine) as session:
        state = declaration.declaration_state(session, "imrf2022")
    assert (state["current_version"], state["adopted_version"]) == (2, 2)
    assert [v["version"] for v in state["versions"]] == [2, 1]  # every version kept
    document = Document(io.BytesIO(declaration.to_docx(state["versions"][0]["body"])))
    texts = [p.text for p in document.paragraphs]
    assert "Mesa redonda 1" in texts and "Párrafo final acordado por la sala." in texts
