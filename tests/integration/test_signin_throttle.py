"""Sign-in throttling slows a guesser down without ever locking the owner out (SQLite and PostgreSQL)."""

import datetime as dt
import threading

import pytest
from sqlalchemy import Engine, func, select

from gcm import accounts, models
from gcm.db import read_session, write_session
from gcm.permissions import SYSTEM

HOUR = dt.timedelta(hours=1)
PASSWORD = "correct horse battery"
WRONG = "wrong password!"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    """A clock the test moves by hand: accounts._now() returns now[0]."""
    now = [dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)]
    monkeypatch.setattr(accounts, "_now", lambda: now[0])
    return now


@pytest.fixture
def owner(engine: Engine) -> Engine:
    with write_session(engine) as session:
        accounts.add_user(session, SYSTEM, username="ana", role="delegate", country="CRI", password=PASSWORD)
    return engine


def attempt(engine: Engine, password: str, address: str, username: str = "ana", **throttle) -> accounts.SignInResult:
    with write_session(engine) as session:
        return accounts.sign_in(
            session,
            username=username,
            password=password,
            address=address,
            lifetime=HOUR,
            throttle=accounts.Throttle(**throttle),
        )


def test_failures_from_many_addresses_never_lock_the_owner_out(owner: Engine, clock) -> None:
    for i in range(8):
        assert attempt(owner, WRONG, f"203.0.113.{i + 1}").token is None
    assert attempt(owner, PASSWORD, "198.51.100.9").token is not None


def test_an_address_waits_longer_after_each_failure_past_the_free_ones(owner: Engine, clock) -> None:
    for _ in range(5):
        assert not attempt(owner, WRONG, "203.0.113.5").throttled
    refused = attempt(owner, PASSWORD, "203.0.113.5")
    assert refused.token is None and refused.throttled  # must wait 1 s: the password is not even checked
    clock[0] += dt.timedelta(seconds=1)
    assert not attempt(owner, WRONG, "203.0.113.5").throttled  # the 6th failure: now 2 s
    clock[0] += dt.timedelta(seconds=1)
    assert attempt(owner, PASSWORD, "203.0.113.5").throttled
    clock[0] += dt.timedelta(seconds=1)
    assert attempt(owner, PASSWORD, "203.0.113.5").token is not None


def test_attempts_refused_while_waiting_do_not_extend_the_wait(owner: Engine, clock) -> None:
    for _ in range(5):
        attempt(owner, WRONG, "203.0.113.5")
    for _ in range(50):  # hammering while throttled
        assert attempt(owner, WRONG, "203.0.113.5").throttled
    clock[0] += dt.timedelta(seconds=1)
    assert attempt(owner, PASSWORD, "203.0.113.5").token is not None


def test_one_address_guessing_many_accounts_is_slowed_for_all_of_them(owner: Engine, clock) -> None:
    for i in range(5):
        attempt(owner, WRONG, "203.0.113.7", username=f"user{i}")
    assert attempt(owner, PASSWORD, "203.0.113.7").throttled
    assert attempt(owner, PASSWORD, "192.0.2.1").token is not None


def test_the_wait_never_exceeds_the_maximum_and_failures_expire(owner: Engine, clock) -> None:
    throttle = accounts.Throttle()
    assert throttle.wait(4) == dt.timedelta(0)
    assert throttle.wait(5) == dt.timedelta(seconds=1)
    assert throttle.wait(8) == dt.timedelta(seconds=8)
    assert throttle.wait(60) == throttle.max_wait
    for _ in range(5):
        attempt(owner, WRONG, "203.0.113.5")
    clock[0] += dt.timedelta(minutes=16)  # outside the window: counted failures are gone
    assert attempt(owner, PASSWORD, "203.0.113.5").token is not None


def test_usernames_are_matched_without_regard_to_case(owner: Engine, clock) -> None:
    assert attempt(owner, PASSWORD, "192.0.2.1", username="ANA").token is not None


def test_parallel_guesses_from_one_address_cannot_pass_the_limit(owner: Engine) -> None:
    """20 guesses at the same instant: exactly the free ones are checked, the rest wait (race-free)."""
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def guess() -> None:
        try:
            barrier.wait()
            attempt(owner, WRONG, "203.0.113.99", free_failures=5, first_wait=HOUR)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with read_session(owner) as session:
        checked = session.scalar(
            select(func.count()).where(
                models.AuditEvent.kind == "sign_in_failed", models.AuditEvent.detail != accounts.THROTTLED
            )
        )
        refused = session.scalar(
            select(func.count()).where(
                models.AuditEvent.kind == "sign_in_failed", models.AuditEvent.detail == accounts.THROTTLED
            )
        )
    assert (checked, refused) == (5, 15)
