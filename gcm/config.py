"""Settings, declared as data (name, default, help) and read from the environment.

A test fails when a setting here is not documented in README.md.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "GCM_DATABASE_URL",
        f"sqlite:///{ROOT / 'instance' / 'gcm.sqlite'}",
        "SQLAlchemy database URL. Default: an SQLite file under instance/ (git-ignored), created and "
        "migrated on first run. PostgreSQL: postgresql+psycopg://user:password@host:5432/dbname",
    ),
    Setting(
        "GCM_DATABASE_CONNECTIONS",
        "8",
        "PostgreSQL only: connections each app process keeps open, and no more at once. N processes keep up to "
        "N × this many, which PostgreSQL's max_connections must allow; four to eight per core of PostgreSQL's "
        "machine in all is where a room saving at once was fastest (BENCHMARKS.md, section 3).",
    ),
    Setting("GCM_REFERENCE_DIR", str(ROOT / "data"), "Folder with the reference data YAML files."),
    Setting(
        "GCM_DEFAULT_LANGUAGE", "es", "Language used when neither the user nor the browser chooses one (es or en)."
    ),
    Setting("GCM_DEFAULT_GROUP", "CRM", "Country group shown first on the home page and in the regional overview."),
    Setting("GCM_SESSION_HOURS", "12", "How long a sign-in lasts, in hours (it survives page reloads)."),
    Setting(
        "GCM_PUBLIC_VIEW",
        "on",
        "on: visitors who are not signed in see validated reports; off: they see only the sign-in page.",
    ),
    Setting(
        "GCM_SIGNIN_MAX_FAILURES",
        "5",
        "Failed sign-ins from one address (or for one account from one address) within 15 minutes that cost "
        "nothing; after them each attempt from there must wait 1 s, 2 s, 4 s … (at most 15 minutes). "
        "Never a hard lock: a correct password from another address always works.",
    ),
    Setting(
        "GCM_TRUSTED_PROXIES",
        "",
        "Comma-separated addresses or networks (e.g. 127.0.0.1,10.0.0.0/8) of reverse proxies whose "
        "X-Forwarded-For header gives the client address. Empty: the connection's address is used.",
    ),
    Setting(
        "GCM_COOKIE_SECURE",
        "auto",
        "Secure flag of the session cookie: auto (when the request is HTTPS or X-Forwarded-Proto says https), "
        "always (TLS ends at a proxy that does not say so), never (local development over plain HTTP).",
    ),
)


@dataclass(frozen=True)
class Config:
    database_url: str
    database_connections: int
    reference_dir: Path
    default_language: str
    default_group: str
    session_hours: float
    public_view: bool
    signin_max_failures: int
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
    cookie_secure: str

    @property
    def default_members(self) -> str | None:
        """The default group as the reads take it: None (every country) when it is ALL."""
        return None if self.default_group == "ALL" else self.default_group


def _default(name: str) -> str:
    return next(s.default for s in SETTINGS if s.name == name)


def _value(given: dict[str, str | None], name: str) -> str:
    """The setting's value among `given` (the environment's values), or its default when unset or empty."""
    return given.get(name) or _default(name)


def load_config() -> Config:
    """The settings as the environment gives them now (a change to the environment shows on the next call).

    Pages ask for it a score of times a run: the settings are parsed once per set of values."""
    return _config_of(tuple(os.environ.get(setting.name) for setting in SETTINGS))


@lru_cache(maxsize=8)
def _config_of(values: tuple[str | None, ...]) -> Config:
    """The settings parsed from the environment's values of every setting, in the order of SETTINGS."""
    given = dict(zip((setting.name for setting in SETTINGS), values, strict=True))
    language = _value(given, "GCM_DEFAULT_LANGUAGE")
    return Config(
        database_url=_value(given, "GCM_DATABASE_URL"),
        database_connections=_number(given, "GCM_DATABASE_CONNECTIONS", int),
        reference_dir=Path(_value(given, "GCM_REFERENCE_DIR")),
        default_language=language if language in ("es", "en") else "es",
        default_group=_value(given, "GCM_DEFAULT_GROUP"),
        session_hours=_number(given, "GCM_SESSION_HOURS", float),
        public_view=_value(given, "GCM_PUBLIC_VIEW").strip().lower() not in ("off", "0", "false", "no"),
        signin_max_failures=_number(given, "GCM_SIGNIN_MAX_FAILURES", int),
        trusted_proxies=_networks(_value(given, "GCM_TRUSTED_PROXIES")),
        cookie_secure=_choice(given, "GCM_COOKIE_SECURE", ("auto", "always", "never")),
    )


def _networks(value: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Addresses or networks separated by commas; a malformed entry stops start-up with its name."""
    networks = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ValueError(f"GCM_TRUSTED_PROXIES: '{item}' is not an address or network") from exc
    return tuple(networks)


def _choice(given: dict[str, str | None], name: str, allowed: tuple[str, ...]) -> str:
    value = _value(given, name).strip().lower()
    if value not in allowed:
        raise ValueError(f"{name}: '{value}' is not one of {', '.join(allowed)}")
    return value


def _number(given: dict[str, str | None], name: str, kind: type) -> float | int:
    """A positive number from the environment; an invalid value falls back to the default."""
    try:
        value = kind(_value(given, name))
    except ValueError:
        value = 0
    return value if value > 0 else kind(_default(name))
