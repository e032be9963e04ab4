"""Accounts, Argon2id passwords, sign-in sessions, throttling and the audit log."""

import datetime as dt

import pytest
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session

from gcm import accounts, models
from gcm.db import read_session, write_session
from gcm.errors import PermissionDenied, ValidationError
from gcm.permissions import SYSTEM, Actor

HOUR = dt.timedelta(hours=1)
PASSWORD = "correct horse battery"


@pytest.fixture
def delegate(engine: Engine) -> Engine:
    with write_session(engine) as session:
        accounts.add_user(
            session, SYSTEM, username="ana", role="delegate", country="CRI", password=PASSWORD, email="Ana@Example.org"
        )
    return engine


class Refused(Exception):
    pass


def _sign_in(engine: Engine, password: str = PASSWORD, username: str = "ana", address: str = "127.0.0.1") -> str:
    with write_session(engine) as session:
        result = accounts.sign_in(session, username=username, password=password, address=address, lifetime=HOUR)
    if result.token is None:
        raise Refused(result.throttled)
    return result.token


def test_password_is_stored_as_argon2id(delegate: Engine) -> None:
    with read_session(delegate) as session:
        row = session.scalars(select(models.UserAccount)).one()
    assert row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash


def test_sign_in_gives_a_token_whose_hash_only_is_stored(delegate: Engine) -> None:
    token = _sign_in(delegate)
    with read_session(delegate) as session:
        stored = session.scalars(select(models.AuthSession.token_hash)).one()
        actor = accounts.actor_for_token(session, token)
    assert stored == accounts.token_hash(token) and token not in stored
    assert actor == Actor(name="ana", role="delegate", country="CRI", user_id=actor.user_id)


@pytest.mark.parametrize(("username", "password"), [("ana", "wrong password!"), ("nobody", PASSWORD)])
def test_wrong_credentials_are_refused_and_audited(delegate: Engine, username: str, password: str) -> None:
    with pytest.raises(Refused):
        _sign_in(delegate, password, username)
    with read_session(delegate) as session:
        events = accounts.audit_events(session, SYSTEM)
    assert events[0]["kind"] == "sign_in_failed" and events[0]["username"] == username


def test_repeated_failures_are_throttled_even_with_the_right_password(delegate: Engine) -> None:
    for _ in range(5):
        with pytest.raises(Refused):
            _sign_in(delegate, "wrong password!")
    with pytest.raises(Refused) as info:
        _sign_in(delegate)
    assert info.value.args[0] is True
    # Another address and account are not affected.
    with write_session(delegate) as session:
        accounts.add_user(session, SYSTEM, username="luis", role="analyst", country=None, password=PASSWORD)
    assert _sign_in(delegate, username="luis", address="10.1.1.1")


def test_sign_out_password_change_and_disable_end_sessions(delegate: Engine) -> None:
    new_password = "another long secret"
    steps = (
        ("sign_out", PASSWORD, lambda s, token: accounts.sign_out(s, token)),
        ("passwd", PASSWORD, lambda s, token: accounts.set_password(s, SYSTEM, username="ana", password=new_password)),
        ("disable", new_password, lambda s, token: accounts.disable_user(s, SYSTEM, username="ana")),
    )
    for name, password, end in steps:
        token = _sign_in(delegate, password)
        with write_session(delegate) as session:
            end(session, token)
        with read_session(delegate) as session:
            assert accounts.actor_for_token(session, token) is None, name
    with pytest.raises(Refused):
        _sign_in(delegate, new_password)  # disabled


def test_expired_session_is_refused(delegate: Engine) -> None:
    with write_session(delegate) as session:
        token = accounts.sign_in(session, username="ana", password=PASSWORD, address="x", lifetime=-HOUR).token
    with read_session(delegate) as session:
        assert accounts.actor_for_token(session, token) is None
        assert accounts.actor_for_token(session, "forged-token") is None


def test_single_sign_on_matches_accounts_by_email(delegate: Engine) -> None:
    with read_session(delegate) as session:
        assert accounts.actor_for_email(session, "ana@example.ORG").name == "ana"
        assert accounts.actor_for_email(session, "stranger@example.org") is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"username": "a b", "role": "analyst", "country": None, "password": PASSWORD}, "username"),
        ({"username": "x1", "role": "king", "country": None, "password": PASSWORD}, "role"),
        ({"username": "x2", "role": "delegate", "country": None, "password": PASSWORD}, "country"),
        ({"username": "x3", "role": "analyst", "country": "MEX", "password": PASSWORD}, "country"),
        ({"username": "x4", "role": "delegate", "country": "ZZZ", "password": PASSWORD}, "country"),
        ({"username": "x5", "role": "analyst", "country": None, "password": "short"}, "password"),
        ({"username": "ana", "role": "analyst", "country": None, "password": PASSWORD}, "username"),
    ],
)
def test_add_user_validation(delegate: Engine, kwargs: dict, field: str) -> None:
    with pytest.raises(ValidationError) as info, write_session(delegate) as session:
        accounts.add_user(session, SYSTEM, **kwargs)
    assert info.value.errors[0].field == field


def test_only_admins_manage_users(delegate: Engine) -> None:
    with pytest.raises(PermissionDenied), write_session(delegate) as session:
        accounts.add_user(
            session,
            Actor(name="ana", role="delegate", country="CRI"),
            username="evil",
            role="admin",
            country=None,
            password=PASSWORD,
        )
    with read_session(delegate) as session:
        assert not accounts.admin_exists(session)
        assert [u.username for u in accounts.list_users(session, SYSTEM)] == ["ana"]


def test_user_names_are_unique_without_regard_to_case(delegate: Engine) -> None:
    with write_session(delegate) as session, pytest.raises(ValidationError) as info:
        accounts.add_user(session, SYSTEM, username="ANA", role="analyst", country=None, password=PASSWORD)
    assert [(e.code, e.field) for e in info.value.errors] == [("already_exists", "username")]


def test_a_duplicate_email_is_reported_as_such(delegate: Engine) -> None:
    with write_session(delegate) as session, pytest.raises(ValidationError) as info:
        accounts.add_user(
            session, SYSTEM, username="otra", role="analyst", country=None, password=PASSWORD, email="ana@example.org"
        )
    assert [(e.code, e.field) for e in info.value.errors] == [("already_exists", "email")]


def test_the_migration_names_accounts_that_differ_only_in_case(db_url: str) -> None:
    from alembic import command
    from sqlalchemy import text

    from gcm.db import alembic_config, create_db_engine

    engine = create_db_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0006")
    with engine.begin() as conn:
        for name in ("admin", "Admin", "luis"):
            conn.execute(
                text(
                    "INSERT INTO user_account (username, role, is_active, created_at) "
                    "VALUES (:n, 'admin', true, '2026-01-01')"
                ),
                {"n": name},
            )
    with pytest.raises(RuntimeError, match="differ only in case: Admin, admin"), engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0007")
    engine.dispose()


@pytest.mark.parametrize("name", ["system", "System"])
def test_no_account_takes_the_name_the_audit_log_gives_the_command_line(engine: Engine, name: str) -> None:
    with pytest.raises(ValidationError) as refused, write_session(engine) as session:
        accounts.add_user(session, SYSTEM, username=name, role="analyst", country=None, password=PASSWORD)
    assert [(e.code, e.field) for e in refused.value.errors] == [("reserved_username", "username")]
    with read_session(engine) as session:
        assert not [u for u in accounts.list_users(session, SYSTEM) if u.username.lower() == "system"]


def test_a_role_must_be_chosen(engine: Engine) -> None:
    with pytest.raises(ValidationError) as refused, write_session(engine) as session:
        accounts.add_user(session, SYSTEM, username="nueva", role="", country=None, password=PASSWORD)
    assert [(e.code, e.field) for e in refused.value.errors] == [("required", "role")]


def test_a_new_account_form_is_told_every_problem_at_once(engine: Engine) -> None:
    """No role and a short password: both named in one answer, not the password only after the role is fixed."""
    with pytest.raises(ValidationError) as refused, write_session(engine) as session:
        accounts.add_user(session, SYSTEM, username="nueva", role="", country=None, password="corta")
    assert [(e.code, e.field) for e in refused.value.errors] == [
        ("required", "role"),
        ("password_too_short", "password"),
    ]


def _mark(engine: Engine) -> tuple[int, int]:
    with read_session(engine) as session:
        return accounts.audit_mark(session, Actor(name="sec", role="admin"))


def test_the_audit_logs_mark_moves_with_every_event_and_only_then(engine: Engine) -> None:
    before = _mark(engine)
    assert _mark(engine) == before  # nothing added: the audit page keeps what it read
    with write_session(engine) as session:
        accounts.audit(session, "sign_in", "ana")
    after = _mark(engine)
    assert after[0] == before[0] + 1 and after[1] > before[1]
    with pytest.raises(PermissionDenied), read_session(engine) as session:
        accounts.audit_mark(session, Actor(name="ana", role="delegate", country="CRI"))


def test_the_audit_logs_mark_moves_with_an_event_committed_after_a_newer_one(postgres_url: str) -> None:
    """On PostgreSQL an event may take its id before another and commit after it: the newest id stays, the count
    moves, and so the audit page reads the log again."""
    engine = create_engine(postgres_url)
    models.Base.metadata.create_all(engine)
    try:
        with Session(engine) as first:
            accounts.audit(first, "sign_in", "first")
            first.flush()  # its id taken, not committed
            with write_session(engine) as second:
                accounts.audit(second, "sign_in", "second")
            seen = _mark(engine)
            first.commit()
        assert _mark(engine) == (seen[0] + 1, seen[1])
    finally:
        engine.dispose()
