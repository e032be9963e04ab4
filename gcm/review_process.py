"""Figures of how regional review processes were organised: shipped as data, recorded by the secretariat."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from gcm import models, permissions
from gcm.errors import DomainError, ValidationError
from gcm.permissions import Actor
from gcm.reference import ReferenceDataError, Text
from gcm.services import bump_revision, clean_text

KINDS = ("stage", "group", "audience")
FILE = "data/review_process.yaml"


@dataclass(frozen=True)
class Figure:
    kind: str
    key: str
    label: Text
    value: int
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class ReviewEvent:
    id: str
    name: Text
    start: dt.date
    end: dt.date
    figures: tuple[Figure, ...]


def _text(raw: Any, entry: str, field: str) -> Text:
    if not isinstance(raw, dict) or not all(
        isinstance(raw.get(lang), str) and raw[lang].strip() for lang in ("en", "es")
    ):
        raise ReferenceDataError(FILE, entry, f"missing translation: '{field}' needs 'en' and 'es' texts")
    return Text(en=raw["en"], es=raw["es"])


def load_events(directory: Path) -> tuple[ReviewEvent, ...]:
    """Read and validate data/review_process.yaml."""
    doc = yaml.safe_load((directory / "review_process.yaml").read_text(encoding="utf-8"))
    events = []
    for raw in doc.get("events", []):
        entry = f"event {raw.get('id')}"
        figures = []
        for figure in raw.get("figures", []):
            fentry = f"{entry}, figure {figure.get('key')}"
            if figure.get("kind") not in KINDS:
                raise ReferenceDataError(FILE, fentry, f"'kind' must be one of {', '.join(KINDS)}")
            if not isinstance(figure.get("value"), int) or figure["value"] < 0:
                raise ReferenceDataError(FILE, fentry, "'value' must be a whole number, 0 or more")
            figures.append(
                Figure(
                    figure["kind"],
                    str(figure["key"]),
                    _text(figure.get("label"), fentry, "label"),
                    figure["value"],
                    figure.get("start"),
                    figure.get("end"),
                )
            )
        keys = [(f.kind, f.key) for f in figures]
        if len(keys) != len(set(keys)):
            raise ReferenceDataError(FILE, entry, "duplicate figure key")
        events.append(
            ReviewEvent(str(raw["id"]), _text(raw.get("name"), entry, "name"), raw["start"], raw["end"], tuple(figures))
        )
    return tuple(events)


def _write_event(session: Session, event: ReviewEvent) -> None:
    row = session.get(models.ReviewEvent, event.id)
    if row is None:
        session.add(
            models.ReviewEvent(
                id=event.id, name_en=event.name.en, name_es=event.name.es, start=event.start, end=event.end
            )
        )
    else:
        row.name_en, row.name_es, row.start, row.end = event.name.en, event.name.es, event.start, event.end
        for figure in session.scalars(select(models.ReviewFigure).where(models.ReviewFigure.event_id == event.id)):
            session.delete(figure)
    session.flush()
    session.add_all(
        models.ReviewFigure(
            event_id=event.id,
            kind=f.kind,
            key=f.key,
            label_en=f.label.en,
            label_es=f.label.es,
            value=f.value,
            start=f.start,
            end=f.end,
            position=i,
        )
        for i, f in enumerate(event.figures)
    )


def sync_events(session: Session, events: tuple[ReviewEvent, ...]) -> None:
    """Insert the shipped events that the database does not have yet (recorded ones are never overwritten)."""
    for event in events:
        if session.get(models.ReviewEvent, event.id) is None:
            _write_event(session, event)


def record_event(session: Session, actor: Actor, event: ReviewEvent) -> None:
    """The secretariat records (or corrects) a review event and its figures."""
    permissions.check_admin(actor)
    errors = []
    if not clean_text(event.id) or not clean_text(event.name.en) or not clean_text(event.name.es):
        errors.append(DomainError("required", "event"))
    if event.end < event.start:
        errors.append(DomainError("end_before_start", "event"))
    if any(f.value < 0 for f in event.figures):
        errors.append(DomainError("negative_figure", "event"))
    if errors:
        raise ValidationError(errors)
    _write_event(session, event)
    bump_revision(session)


def review_events(session: Session) -> pd.DataFrame:
    stmt = select(
        models.ReviewEvent.id,
        models.ReviewEvent.name_en,
        models.ReviewEvent.name_es,
        models.ReviewEvent.start,
        models.ReviewEvent.end,
    ).order_by(models.ReviewEvent.start)
    return pd.DataFrame(session.execute(stmt).all(), columns=["id", "name_en", "name_es", "start", "end"])


def review_figures(session: Session, event_id: str) -> pd.DataFrame:
    f = models.ReviewFigure
    stmt = (
        select(f.kind, f.key, f.label_en, f.label_es, f.value, f.start, f.end)
        .where(f.event_id == event_id)
        .order_by(f.position)
    )
    return pd.DataFrame(
        session.execute(stmt).all(), columns=["kind", "key", "label_en", "label_es", "value", "start", "end"]
    )
