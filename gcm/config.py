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
)


@dataclass(frozen=True)
class Config:
    database_url: str
    reference_dir: Path
    default_language: str
    default_group: str


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
    )
