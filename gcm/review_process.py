"""Figures of how regional review processes were organised: shipped as data, recorded by the secretariat."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from gcm import models, permissions
from gcm.errors import DomainError, ValidationError
from gcm.permissions import Actor
from gcm.queries import frame_of, unchanged_by_reports
from gcm.reference import ReferenceDataError, Text, _Entries, _entry_name, read_yaml
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


def _optional_date(e: _Entries, raw: dict, entry: str, field: str) -> dt.date | None:
    return None if raw.get(field) is None else e.date(raw[field], entry, field)


def _figure(e: _Entries, raw: Any, entry: str, position: int) -> Figure:
    fentry = f"{entry}, {_entry_name('figure', raw, 'key', position)}"
    e.mapping(raw, fentry, {"kind", "key", "label", "value"}, {"start", "end"})
    if raw["kind"] not in KINDS:
        raise e.fail(fentry, f"'kind' must be one of {', '.join(KINDS)}")
    if not isinstance(raw["value"], int) or isinstance(raw["value"], bool) or raw["value"] < 0:
        raise e.fail(fentry, "'value' must be a whole number, 0 or more")
    return Figure(
        raw["kind"],
        str(raw["key"]),
        _text(raw["label"], fentry, "label"),
        raw["value"],
        _optional_date(e, raw, fentry, "start"),
        _optional_date(e, raw, fentry, "end"),
    )


def load_events(directory: Path) -> tuple[ReviewEvent, ...]:
    """Read and validate data/review_process.yaml; any problem names the file, the entry and the field."""
    e = _Entries(FILE)
    doc = read_yaml(directory, "review_process")
    e.mapping(doc, "(file)", {"events"})
    events = []
    for i, raw in enumerate(e.list_of(doc, "events"), start=1):
        entry = _entry_name("event", raw, "id", i)
        e.mapping(raw, entry, {"id", "name", "start", "end", "figures"})
        if not isinstance(raw["figures"], list):
            raise e.fail(entry, "'figures' must be a list")
        figures = [_figure(e, figure, entry, j) for j, figure in enumerate(raw["figures"], start=1)]
        keys = [(f.kind, f.key) for f in figures]
        if len(keys) != len(set(keys)):
            raise e.fail(entry, "duplicate figure key")
        start, end = e.date(raw["start"], entry, "start"), e.date(raw["end"], entry, "end")
        events.append(ReviewEvent(str(raw["id"]), _text(raw["name"], entry, "name"), start, end, tuple(figures)))
    e.unique([ev.id for ev in events], "event")
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


@unchanged_by_reports
def review_events(session: Session) -> pd.DataFrame:
    stmt = select(
        models.ReviewEvent.id,
        models.ReviewEvent.name_en,
        models.ReviewEvent.name_es,
        models.ReviewEvent.start,
        models.ReviewEvent.end,
    ).order_by(models.ReviewEvent.start)
    return frame_of(session, stmt, ["id", "name_en", "name_es", "start", "end"])


@unchanged_by_reports
def review_figures(session: Session, event_id: str) -> pd.DataFrame:
    f = models.ReviewFigure
    stmt = (
        select(f.kind, f.key, f.label_en, f.label_es, f.value, f.start, f.end)
        .where(f.event_id == event_id)
        .order_by(f.position)
    )
    return frame_of(session, stmt, ["kind", "key", "label_en", "label_es", "value", "start", "end"])
