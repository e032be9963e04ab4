"""Accounts, passwords (Argon2id), sign-in sessions, and the audit log of sign-ins and refusals."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Row, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gcm import models, permissions
from gcm.errors import DomainError, ValidationError
from gcm.permissions import ROLES, SYSTEM, Actor
from gcm.read_marks import of_one_country

MIN_PASSWORD = 10
MAX_PASSWORD = 256
_USERNAME = re.compile(r"^[A-Za-z0-9._@-]{2,64}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()  # Argon2id with the library's recommended parameters
# A real hash to verify against when the account does not exist, so timing does not reveal it.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class SignInResult:
    """`token` for the cookie, or None: wrong credentials, disabled account, or throttled.

    A refusal is returned, not raised, so that the caller commits its audit event.
    """

    token: str | None
    throttled: bool = False


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    email: str | None
    role: str
    country: str | None
    is_active: bool


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def audit(
    session: Session,
    kind: str,
    username: str = "",
    address: str = "",
    detail: str = "",
    *,
    country: str | None = None,
    cycle_id: str | None = None,
) -> None:
    """Append an audit event (in the caller's transaction); report events name their country and cycle."""
    session.add(models.AuditEvent(**audit_values(kind, username, address, detail, country=country, cycle_id=cycle_id)))


def audit_values(
    kind: str,
    username: str = "",
    address: str = "",
    detail: str = "",
    *,
    country: str | None = None,
    cycle_id: str | None = None,
    at: dt.datetime | None = None,
) -> dict:
    """The columns of an audit event, cut to the log's limits (for `audit`, or an insert of its own)."""
    return {
        "at": at or _now(),
        "kind": kind,
        "username": username[:64],
        "address": address[:64],
        "detail": detail[:2000],
        "country_iso3": country,
        "cycle_id": cycle_id,
    }


def _password_errors(password: str) -> list[DomainError]:
    if len(password) < MIN_PASSWORD:
        return [DomainError("password_too_short", "password", limit=MIN_PASSWORD)]
    if len(password) > MAX_PASSWORD:
        return [DomainError("too_long", "password", limit=MAX_PASSWORD, length=len(password))]
    return []


def _check_password(password: str) -> None:
    if errors := _password_errors(password):
        raise ValidationError(errors)


def _check_unique(session: Session, username: str, email: str | None) -> None:
    """User names are unique without regard to case; e-mail addresses are unique (stored in lower case)."""
    account = models.UserAccount
    errors = []
    if session.scalar(select(account.id).where(func.lower(account.username) == username.lower())) is not None:
        errors.append(DomainError("already_exists", "username", value=username))
    if email and session.scalar(select(account.id).where(account.email == email)) is not None:
        errors.append(DomainError("already_exists", "email", value=email))
    if errors:
        raise ValidationError(errors)


def _user(session: Session, username: str) -> models.UserAccount:
    row = session.scalars(
        select(models.UserAccount).where(func.lower(models.UserAccount.username) == username.lower())
    ).one_or_none()
    if row is None:
        raise ValidationError([DomainError("unknown_value", "username", value=username)])
    return row


def add_user(
    session: Session,
    actor: Actor,
    *,
    username: str,
    role: str,
    country: str | None,
    password: str | None,
    email: str | None = None,
) -> UserInfo:
    """Create an account. Delegates need a country; other roles must not have one."""
    permissions.check_admin(actor)
    errors: list[DomainError] = []
    if not _USERNAME.match(username or ""):
        errors.append(DomainError("bad_username", "username"))
    elif username.lower() == SYSTEM.name:  # the audit log's name for the command line and the demo
        errors.append(DomainError("reserved_username", "username", value=username))
    if not role:
        errors.append(DomainError("required", "role"))
    elif role not in ROLES:
        errors.append(DomainError("unknown_value", "role", value=role))
    if role == "delegate" and not country:
        errors.append(DomainError("required", "country"))
    if role != "delegate" and country:
        errors.append(DomainError("country_only_for_delegates", "country"))
    if country and session.get(models.Country, country) is None:
        errors.append(DomainError("unknown_value", "country", value=country))
    if email and not _EMAIL.match(email):
        errors.append(DomainError("bad_email", "email", value=email))
    if password is None and not email:
        errors.append(DomainError("required", "password"))
    if password is not None:
        errors += _password_errors(password)
    if errors:  # every problem of the form at once
        raise ValidationError(errors)
    row = models.UserAccount(
        username=username,
        email=email.lower() if email else None,
        role=role,
        country_iso3=country,
        password_hash=_hasher.hash(password) if password is not None else None,
        is_active=True,
        created_at=_now(),
    )
    _check_unique(session, username, row.email)
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent add of the same name or e-mail
        _check_unique(session, username, row.email)
        raise ValidationError([DomainError("already_exists", "username", value=username)]) from exc
    audit(session, "user_added", actor.name, detail=f"{username} ({role}{', ' + country if country else ''})")
    return _info(row)


def set_password(session: Session, actor: Actor, *, username: str, password: str) -> None:
    """Set a new password; every open session of the account is signed out."""
    permissions.check_admin(actor)
    _check_password(password)
    row = _user(session, username)
    row.password_hash = _hasher.hash(password)
    _revoke_all(session, row.id)
    audit(session, "password_set", actor.name, detail=username)


def disable_user(session: Session, actor: Actor, *, username: str) -> None:
    """Disable an account and sign it out everywhere; its history stays."""
    permissions.check_admin(actor)
    row = _user(session, username)
    row.is_active = False
    _revoke_all(session, row.id)
    audit(session, "user_disabled", actor.name, detail=username)


def list_users(session: Session, actor: Actor) -> list[UserInfo]:
    permissions.check_admin(actor)
    rows = session.scalars(select(models.UserAccount).order_by(models.UserAccount.username))
    return [_info(r) for r in rows]


def admin_exists(session: Session) -> bool:
    stmt = (
        select(func.count())
        .select_from(models.UserAccount)
        .where(models.UserAccount.role == "admin", models.UserAccount.is_active.is_(True))
    )
    return bool(session.scalar(stmt))


def _info(row: models.UserAccount) -> UserInfo:
    return UserInfo(row.id, row.username, row.email, row.role, row.country_iso3, row.is_active)


def _revoke_all(session: Session, user_id: int) -> None:
    session.execute(
        update(models.AuthSession)
        .where(models.AuthSession.user_id == user_id, models.AuthSession.revoked_at.is_(None))
        .values(revoked_at=_now())
    )


@dataclass(frozen=True)
class Throttle:
    """How sign-in failures slow further attempts down (never a hard lock).

    Failures are counted per (account, address) and per address within `window`. The first
    `free_failures` of either cost nothing; after that each further attempt must wait twice as long
    as the one before (1 s, 2 s, 4 s … at most `max_wait`) since the last counted failure. An
    attempt refused while waiting is audited but not counted, so it never extends the wait, and a
    correct password from an address with no failures is never refused.
    """

    free_failures: int = 5
    window: dt.timedelta = dt.timedelta(minutes=15)
    first_wait: dt.timedelta = dt.timedelta(seconds=1)
    max_wait: dt.timedelta = dt.timedelta(minutes=15)

    def wait(self, failures: int) -> dt.timedelta:
        """The wait after the last failure, given how many failures were counted."""
        if failures < self.free_failures:
            return dt.timedelta(0)
        return min(self.first_wait * 2 ** min(failures - self.free_failures, 20), self.max_wait)


FAILED = "sign_in_failed"
THROTTLED = "throttled"
BAD_CREDENTIALS = "bad credentials or disabled account"


def _failures(session: Session, since: dt.datetime, address: str, username: str | None) -> tuple[int, dt.datetime]:
    """Counted failures (not throttled refusals) from `address` (and for `username`), and the latest one's time."""
    e = models.AuditEvent
    stmt = select(func.count(), func.max(e.at)).where(
        e.kind == FAILED, e.at >= since, e.address == address[:64], e.detail != THROTTLED
    )
    if username is not None:
        stmt = stmt.where(func.lower(e.username) == username[:64].lower())
    count, last = session.execute(stmt).one()
    return count or 0, _utc(last) if last else since


def _serialise(session: Session, address: str) -> None:
    """Make concurrent attempts from one address take turns, so parallel guesses cannot pass the count.

    SQLite write transactions already take the database's write lock up front (BEGIN IMMEDIATE);
    PostgreSQL takes a transaction-scoped advisory lock keyed on the address.
    """
    if session.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"sign-in:{address}".encode()).digest()[:8], "big", signed=True)
        session.execute(select(func.pg_advisory_xact_lock(key)))


def retry_after(session: Session, username: str, address: str, throttle: Throttle) -> dt.timedelta:
    """How long this address (and this account from it) must still wait before a password is checked."""
    since = _now() - throttle.window
    counted = [_failures(session, since, address, who) for who in (username, None)]
    now = _now()  # read after the counts: the transaction may have waited for the write lock
    return max([dt.timedelta(0), *(last + throttle.wait(n) - now for n, last in counted if throttle.wait(n))])


def sign_in(
    session: Session,
    *,
    username: str,
    password: str,
    address: str,
    lifetime: dt.timedelta,
    throttle: Throttle | None = None,
) -> SignInResult:
    """Check the credentials and open a session; the result holds the random token for the cookie.

    While the address, or the account from this address, must still wait (see `Throttle`), the
    attempt is refused without checking the password. Every attempt is audited.
    """
    throttle = throttle or Throttle()
    username = (username or "").strip()[:64]
    _serialise(session, address)
    if retry_after(session, username, address, throttle) > dt.timedelta(0):
        audit(session, FAILED, username, address, THROTTLED)
        return SignInResult(None, throttled=True)
    row = session.scalars(
        select(models.UserAccount).where(func.lower(models.UserAccount.username) == username.lower())
    ).one_or_none()
    try:
        _hasher.verify(row.password_hash if row and row.password_hash else _DUMMY_HASH, password or "")
        ok = row is not None and row.is_active and row.password_hash is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        audit(session, FAILED, username, address, BAD_CREDENTIALS)
        return SignInResult(None)
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
    token = secrets.token_urlsafe(32)
    now = _now()
    session.add(
        models.AuthSession(token_hash=token_hash(token), user_id=row.id, created_at=now, expires_at=now + lifetime)
    )
    audit(session, "sign_in", row.username, address)
    return SignInResult(token)


def sign_out(session: Session, token: str, address: str = "") -> None:
    row = session.scalars(
        select(models.AuthSession).where(models.AuthSession.token_hash == token_hash(token))
    ).one_or_none()
    if row is not None and row.revoked_at is None:
        row.revoked_at = _now()
        user = session.get(models.UserAccount, row.user_id)
        audit(session, "sign_out", user.username if user else "", address)


# Who a request is: asked on every run of every page, so only the columns an Actor needs are read (no ORM
# objects), from a session or a bare connection.
_ACTOR_COLUMNS = (
    models.UserAccount.username,
    models.UserAccount.role,
    models.UserAccount.country_iso3,
    models.UserAccount.id,
    models.UserAccount.is_active,
)


def _actor(row: Row | None) -> Actor | None:
    if row is None or not row.is_active:
        return None
    return Actor(name=row.username, role=row.role, country=row.country_iso3, user_id=row.id)


# The sign-in check of every page run: statements built once (`queries.kept_statement` says why).
_BY_TOKEN = (
    select(*_ACTOR_COLUMNS, models.AuthSession.expires_at)
    .join(models.AuthSession, models.AuthSession.user_id == models.UserAccount.id)
    .where(models.AuthSession.token_hash == bindparam("token_hash"), models.AuthSession.revoked_at.is_(None))
)
_BY_EMAIL = select(*_ACTOR_COLUMNS).where(func.lower(models.UserAccount.email) == bindparam("email"))


def actor_for_token(db: Session | Connection, token: str) -> Actor | None:
    """The account behind a session cookie, if the session is valid, unexpired and the account active."""
    row = db.execute(_BY_TOKEN, {"token_hash": token_hash(token)}).one_or_none()
    if row is None or _utc(row.expires_at) <= _now():
        return None
    return _actor(row)


def actor_for_email(db: Session | Connection, email: str) -> Actor | None:
    """Single sign-on: the active account whose e-mail matches the identity provider's."""
    return _actor(db.execute(_BY_EMAIL, {"email": (email or "").lower()}).one_or_none())


AUDIT_COLUMNS = ("at", "kind", "username", "country", "cycle", "detail", "address")


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page asks for: each field narrows the events (None or empty: no condition)."""

    country: str | None = None
    cycle_id: str | None = None
    username: str | None = None
    kinds: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None

    @property
    def narrows(self) -> bool:
        """Whether any field narrows the log (an empty page then means no match, not an empty log)."""
        return self != AuditFilter()


def _audit_conditions(where: AuditFilter) -> list:
    e = models.AuditEvent
    conditions = []
    if where.country:
        conditions.append(e.country_iso3 == where.country)
    if where.cycle_id:
        conditions.append(e.cycle_id == where.cycle_id)
    if where.username:
        conditions.append(e.username == where.username)
    if where.kinds:
        conditions.append(e.kind.in_(where.kinds))
    if where.since:
        conditions.append(e.at >= dt.datetime.combine(where.since, dt.time(), dt.UTC))
    if where.until:
        conditions.append(e.at < dt.datetime.combine(where.until + dt.timedelta(days=1), dt.time(), dt.UTC))
    return conditions


def audit_events(
    session: Session, actor: Actor, where: AuditFilter = AuditFilter(), limit: int = 500, offset: int = 0
) -> list[dict]:
    """Audit events matching `where`, newest first, one page of `limit` from `offset` (administrators only)."""
    permissions.check_admin(actor)
    e = models.AuditEvent
    rows = session.execute(
        select(e.at, e.kind, e.username, e.country_iso3, e.cycle_id, e.detail, e.address)
        .where(*_audit_conditions(where))
        .order_by(e.at.desc(), e.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [
        {
            "at": _utc(at),
            "kind": kind,
            "username": username,
            "country": country or "",
            "cycle": cycle or "",
            "detail": detail,
            "address": address,
        }
        for at, kind, username, country, cycle, detail, address in rows
    ]


def audit_count(session: Session, actor: Actor, where: AuditFilter = AuditFilter()) -> int:
    """How many audit events match `where` (administrators only)."""
    permissions.check_admin(actor)
    stmt = select(func.count()).select_from(models.AuditEvent).where(*_audit_conditions(where))
    return session.scalar(stmt) or 0


_AUDIT_MARK = select(func.count(), func.max(models.AuditEvent.id))


def audit_mark(session: Session, actor: Actor) -> tuple[int, int]:
    """How many events the audit log holds and its newest event's id (administrators only): one cheap read that
    moves whenever the log changes, so what the audit page read of it can be kept until then. Events are only ever
    added, but on PostgreSQL one may be committed after an event with a higher id: the count moves with it."""
    permissions.check_admin(actor)
    count, newest = session.connection().execute(_AUDIT_MARK).one()
    return int(count), int(newest or 0)


def audit_people(session: Session, actor: Actor) -> list[str]:
    """Every name that appears in the audit log, for the page's filter (administrators only)."""
    permissions.check_admin(actor)
    e = models.AuditEvent
    return list(session.scalars(select(e.username).where(e.username != "").distinct().order_by(e.username)))


@of_one_country()
def report_events(session: Session, country: str, cycle_id: str, limit: int = 200, offset: int = 0) -> list[dict]:
    """The workflow events of one country report, newest first, `limit` from `offset` (its history panel; names
    and times only)."""
    e = models.AuditEvent
    rows = session.execute(
        select(e.at, e.kind, e.username, e.detail)
        .where(e.country_iso3 == country, e.cycle_id == cycle_id)
        .order_by(e.at.desc(), e.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [{"at": _utc(at), "kind": kind, "username": who, "detail": detail} for at, kind, who, detail in rows]


_EVENT_COUNT = (
    select(func.count())
    .select_from(models.AuditEvent)
    .where(models.AuditEvent.country_iso3 == bindparam("country"), models.AuditEvent.cycle_id == bindparam("cycle_id"))
)


@of_one_country()
def report_event_count(session: Session, country: str, cycle_id: str) -> int:
    """How many workflow events one country report has (its statement built once: the delegate's page reads it
    again after every save of its country)."""
    return session.connection().execute(_EVENT_COUNT, {"country": country, "cycle_id": cycle_id}).scalar() or 0
