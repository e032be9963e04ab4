"""Accounts, passwords (Argon2id), sign-in sessions, and the audit log of sign-ins and refusals."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gcm import models, permissions
from gcm.errors import DomainError, ValidationError
from gcm.permissions import ROLES, Actor

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


def audit(session: Session, kind: str, username: str = "", address: str = "", detail: str = "") -> None:
    """Append an audit event (in the caller's transaction)."""
    session.add(
        models.AuditEvent(at=_now(), kind=kind, username=username[:64], address=address[:64], detail=detail[:2000])
    )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError([DomainError("password_too_short", "password", limit=MIN_PASSWORD)])
    if len(password) > MAX_PASSWORD:
        raise ValidationError([DomainError("too_long", "password", limit=MAX_PASSWORD, length=len(password))])


def _user(session: Session, username: str) -> models.UserAccount:
    row = session.scalars(select(models.UserAccount).where(models.UserAccount.username == username)).one_or_none()
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
    if role not in ROLES:
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
    if errors:
        raise ValidationError(errors)
    if password is not None:
        _check_password(password)
    row = models.UserAccount(
        username=username,
        email=email.lower() if email else None,
        role=role,
        country_iso3=country,
        password_hash=_hasher.hash(password) if password is not None else None,
        is_active=True,
        created_at=_now(),
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
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


def recent_failures(session: Session, username: str, address: str, window: dt.timedelta) -> int:
    """Failed sign-ins for this account or from this address within `window`."""
    since = _now() - window
    stmt = (
        select(func.count())
        .select_from(models.AuditEvent)
        .where(
            models.AuditEvent.kind == "sign_in_failed",
            models.AuditEvent.at >= since,
            or_(models.AuditEvent.username == username[:64], models.AuditEvent.address == address[:64]),
        )
    )
    return session.scalar(stmt) or 0


def sign_in(
    session: Session,
    *,
    username: str,
    password: str,
    address: str,
    lifetime: dt.timedelta,
    max_failures: int = 5,
    window: dt.timedelta = dt.timedelta(minutes=15),
) -> SignInResult:
    """Check the credentials and open a session; the result holds the random token for the cookie.

    After `max_failures` failures within `window` for the account or the address, further
    attempts are refused without checking the password. Every attempt is audited.
    """
    username = (username or "").strip()[:64]
    if recent_failures(session, username, address, window) >= max_failures:
        audit(session, "sign_in_failed", username, address, "throttled")
        return SignInResult(None, throttled=True)
    row = session.scalars(select(models.UserAccount).where(models.UserAccount.username == username)).one_or_none()
    try:
        _hasher.verify(row.password_hash if row and row.password_hash else _DUMMY_HASH, password or "")
        ok = row is not None and row.is_active and row.password_hash is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        audit(session, "sign_in_failed", username, address, "bad credentials or disabled account")
        return SignInResult(None)
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
    token = secrets.token_urlsafe(32)
    now = _now()
    session.add(
        models.AuthSession(token_hash=token_hash(token), user_id=row.id, created_at=now, expires_at=now + lifetime)
    )
    audit(session, "sign_in", username, address)
    return SignInResult(token)


def sign_out(session: Session, token: str, address: str = "") -> None:
    row = session.scalars(
        select(models.AuthSession).where(models.AuthSession.token_hash == token_hash(token))
    ).one_or_none()
    if row is not None and row.revoked_at is None:
        row.revoked_at = _now()
        user = session.get(models.UserAccount, row.user_id)
        audit(session, "sign_out", user.username if user else "", address)


def actor_for_token(session: Session, token: str) -> Actor | None:
    """The account behind a session cookie, if the session is valid, unexpired and the account active."""
    stmt = (
        select(models.UserAccount, models.AuthSession)
        .join(models.AuthSession, models.AuthSession.user_id == models.UserAccount.id)
        .where(models.AuthSession.token_hash == token_hash(token), models.AuthSession.revoked_at.is_(None))
    )
    found = session.execute(stmt).one_or_none()
    if found is None:
        return None
    user, auth = found
    if not user.is_active or _utc(auth.expires_at) <= _now():
        return None
    return Actor(name=user.username, role=user.role, country=user.country_iso3, user_id=user.id)


def actor_for_email(session: Session, email: str) -> Actor | None:
    """Single sign-on: the active account whose e-mail matches the identity provider's."""
    user = session.scalars(
        select(models.UserAccount).where(func.lower(models.UserAccount.email) == (email or "").lower())
    ).one_or_none()
    if user is None or not user.is_active:
        return None
    return Actor(name=user.username, role=user.role, country=user.country_iso3, user_id=user.id)


def audit_events(session: Session, actor: Actor, limit: int = 500) -> list[dict]:
    """The newest audit events (administrators only)."""
    permissions.check_admin(actor)
    rows = session.scalars(
        select(models.AuditEvent).order_by(models.AuditEvent.at.desc(), models.AuditEvent.id.desc()).limit(limit)
    )
    return [
        {"at": _utc(r.at), "kind": r.kind, "username": r.username, "address": r.address, "detail": r.detail}
        for r in rows
    ]
