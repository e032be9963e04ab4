"""What changed in a country report since its previous submission: the read behind the review's list of
changed objectives (the secretariat's review mode)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gcm import models
from gcm.queries import REPORTED_STATES, as_utc
from gcm.read_marks import of_one_country
from gcm.services import FORM_FIELDS


def _in_form_order(fields: set[str]) -> list[str]:
    """`fields` in the form's order; a field the form does not know (yet) goes last, by name."""
    return [f for f in FORM_FIELDS if f in fields] + sorted(fields - set(FORM_FIELDS))


def _has_content(value: object) -> bool:
    """Whether a stored value says something: not empty text, not an empty list, not an unticked box."""
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


def previous_submission(session: Session, country: str, cycle_id: str) -> dt.datetime | None:
    """When the report was last handed in before its current state: the submission before the latest one
    while the report is submitted or validated, else the latest one; None when there is none."""
    e = models.AuditEvent
    submitted_at = list(
        session.scalars(
            select(e.at)
            .where(e.country_iso3 == country, e.cycle_id == cycle_id, e.kind == "report_submitted")
            .order_by(e.at.desc())
            .limit(2)
        )
    )
    state = session.scalar(
        select(models.Submission.state).where(
            models.Submission.country_iso3 == country, models.Submission.cycle_id == cycle_id
        )
    )
    previous = submitted_at[1:2] if state in REPORTED_STATES else submitted_at[:1]
    return as_utc(previous[0]) if previous else None


@of_one_country()
def changes_since_submission(session: Session, country: str, cycle_id: str) -> dict[str, Any]:
    """The objectives whose values differ from what the previous submission held.

    `since` is that submission's time (None when the report was never submitted before). `changes` holds one
    entry per objective, in objective-number order: `objective`; `new`, True when the objective had no entry
    at that submission; `fields`, in the form's order, the fields whose value differs from the one submitted
    then, or for a new objective the fields with content; `by` and `at` of its latest change. An objective
    edited and then put back as it was is not listed: what the reviewer saw then is what is there now.
    """
    since = previous_submission(session, country, cycle_id)
    if since is None:
        return {"since": None, "changes": []}
    rev, report = models.ReportRevision, models.ObjectiveReport
    changed = (
        select(rev.report_id)
        .join(report, report.id == rev.report_id)
        .where(report.country_iso3 == country, report.cycle_id == cycle_id, rev.at > since)
    )
    rows = session.execute(
        select(report.objective, rev.version, rev.at, rev.by, rev.snapshot)
        .join(rev, rev.report_id == report.id)
        .where(report.id.in_(changed))
        .order_by(report.objective, rev.version)
    ).all()
    submitted: dict[int, dict] = {}  # per objective, its values at the previous submission
    latest: dict[int, tuple[dt.datetime, str, dict]] = {}
    for objective, _version, at, by, snapshot in rows:
        at = as_utc(at)
        if at <= since:
            submitted[objective] = snapshot
        latest[objective] = (at, by, snapshot)
    changes = []
    for objective, (at, by, now) in sorted(latest.items()):
        before = submitted.get(objective)
        if before is None:
            fields = {name for name, value in now.items() if _has_content(value)}
        else:
            fields = {
                name
                for name in set(now) | set(before)
                if now.get(name) != before.get(name) and (_has_content(now.get(name)) or _has_content(before.get(name)))
            }
        if fields:
            changes.append(
                {"objective": objective, "new": before is None, "fields": _in_form_order(fields), "by": by, "at": at}
            )
    return {"since": since, "changes": changes}
