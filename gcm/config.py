"""Settings, declared as data (name, default, help) and read from the environment.

A test fails when a setting here is not documented in README.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
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
        "Failed sign-ins per account or address within 15 minutes before further attempts are refused.",
    ),
)


@dataclass(frozen=True)
class Config:
    database_url: str
    reference_dir: Path
    default_language: str
    default_group: str
    session_hours: float
    public_view: bool
    signin_max_failures: int


def _value(name: str) -> str:
    setting = next(s for s in SETTINGS if s.name == name)
    return os.environ.get(name) or setting.default


def load_config() -> Config:
    """Read the settings from the environment (each call reads it afresh)."""
    language = _value("GCM_DEFAULT_LANGUAGE")
    return Config(
        database_url=_value("GCM_DATABASE_URL"),
        reference_dir=Path(_value("GCM_REFERENCE_DIR")),
        default_language=language if language in ("es", "en") else "es",
        default_group=_value("GCM_DEFAULT_GROUP"),
        session_hours=_number("GCM_SESSION_HOURS", float),
        public_view=_value("GCM_PUBLIC_VIEW").strip().lower() not in ("off", "0", "false", "no"),
        signin_max_failures=_number("GCM_SIGNIN_MAX_FAILURES", int),
    )


def _number(name: str, kind: type) -> float | int:
    """A positive number from the environment; an invalid value falls back to the default."""
    try:
        value = kind(_value(name))
    except ValueError:
        value = 0
    return value if value > 0 else kind(next(s.default for s in SETTINGS if s.name == name))
