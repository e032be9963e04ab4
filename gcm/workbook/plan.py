"""The preview of an upload against what is saved now, and applying it through the form's save service.

Per objective: `new` (nothing saved yet), `changed` (with a word diff of each text), `unchanged`
(nothing to write: the row equals what is saved, or the delegate did not touch it), `empty`, or
`conflict` (someone saved the entry since the template was made, and the row was edited too: it
is written only if the delegate chooses so for that row). Applying writes every chosen row in
the caller's transaction, through `services.save_objective_report` (same validation and
permission checks as the form), each with a revision marked "import": all rows or none.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from gcm import models, permissions, queries, services
from gcm.errors import ConflictError, DomainError
from gcm.i18n import t
from gcm.permissions import Actor
from gcm.reference import Reference
from gcm.workbook import layout
from gcm.workbook.layout import TEXT_FIELDS
from gcm.workbook.reader import Upload
from gcm.workbook.template import saved_entries

IMPORT_ACTION = "import"
KINDS = ("new", "changed", "conflict", "unchanged", "empty")
_WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """The difference of two texts word by word: segments ("same" | "removed" | "added", text)."""
    before, after = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("same", "".join(before[a1:a2])))
            continue
        if a2 > a1:
            segments.append(("removed", "".join(before[a1:a2])))
        if b2 > b1:
            segments.append(("added", "".join(after[b1:b2])))
    return tuple(segments)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any
    segments: tuple[tuple[str, str], ...] = ()  # word diff, for text fields


@dataclass(frozen=True)
class PreviewRow:
    objective: int
    kind: str
    saved_version: int | None  # what is saved now
    template_version: int | None  # what the template was made from
    changes: tuple[FieldChange, ...] = ()
    newer_saved: bool = False  # saved since the template was made (for a conflict, or an untouched row: kept)


@dataclass(frozen=True)
class Preview:
    country: str
    cycle_id: str
    rows: tuple[PreviewRow, ...]

    def count(self, kind: str) -> int:
        return sum(row.kind == kind for row in self.rows)

    @property
    def conflicts(self) -> tuple[int, ...]:
        return tuple(row.objective for row in self.rows if row.kind == "conflict")

    def to_write(self, overwrite: Iterable[int] = ()) -> tuple[PreviewRow, ...]:
        chosen = set(overwrite)
        wanted = ("new", "changed")
        return tuple(r for r in self.rows if r.kind in wanted or (r.kind == "conflict" and r.objective in chosen))


def summary(shown: Preview) -> dict[str, int]:
    """How many of the upload's rows fall in each kind, in `KINDS` order: every row is counted once."""
    return {kind: shown.count(kind) for kind in KINDS}


def summary_text(lang: str, counts: dict[str, int]) -> str:
    """The summary in words, as the page and the command line both show it: the rows, then each kind found."""
    rows = t(lang, "workbook.summary.rows", n=sum(counts.values()))
    parts = [t(lang, f"workbook.summary.{kind}", n=n) for kind, n in counts.items() if n]
    return t(lang, "workbook.summary.line", rows=rows, parts=", ".join(parts)) if parts else f"{rows}."


@dataclass(frozen=True)
class ImportResult:
    written: tuple[tuple[int, int], ...]  # (objective, new version)
    skipped_conflicts: tuple[int, ...]


def _changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[FieldChange, ...]:
    changes = []
    for name in layout.FIELDS[3:]:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        segments = word_diff(old or "", new or "") if name in TEXT_FIELDS else ()
        changes.append(FieldChange(name, old, new, segments))
    return tuple(changes)


def check_may_import(session: Session, actor: Actor, country: str, cycle_id: str, day: dt.date | None = None) -> None:
    """The form's permission check for this country and cycle on `day` (today by default; raises `DomainError`)."""
    cycle = session.get(models.Cycle, cycle_id)
    if cycle is None:
        raise DomainError("unknown_value", "cycle", value=cycle_id)
    state = services.submission_state(session, country, cycle_id)
    permissions.check_edit(actor, country, services.cycle_window(cycle), state, day or services.today())


@queries.unchanged_by_text  # the cycle's window and the country report's workflow state
def may_import(session: Session, actor: Actor, country: str, cycle_id: str, day: dt.date) -> bool:
    """Whether to offer the upload on `day` (a read for pages, which pass today's date so that the offer is read
    again once a deadline has passed; `apply_import` checks again)."""
    try:
        check_may_import(session, actor, country, cycle_id, day)
    except DomainError:
        return False
    return True


def preview(session: Session, actor: Actor, upload: Upload) -> Preview:
    """Compare a problem-free upload with what is saved now. Only someone who may edit the
    report sees it (so a preview never shows drafts its viewer may not read)."""
    check_may_import(session, actor, upload.country, upload.cycle_id)
    saved = saved_entries(session, upload.country, upload.cycle_id, permissions.ReadScope(states=None))
    rows = []
    for row in sorted(upload.rows, key=lambda r: r.objective):
        current = saved.get(row.objective)
        now_values = current["values"] if current else layout.EMPTY
        now_version = current["version"] if current else None
        newer = now_version != row.template_version
        if not row.edited or row.values == now_values:
            kind = "empty" if row.values == layout.EMPTY and current is None else "unchanged"
            kept_newer = newer and row.values != now_values  # untouched row; someone saved since
            rows.append(PreviewRow(row.objective, kind, now_version, row.template_version, (), kept_newer))
            continue
        kind = "conflict" if newer else ("new" if current is None else "changed")
        changes = _changes(now_values, row.values)
        rows.append(PreviewRow(row.objective, kind, now_version, row.template_version, changes, newer))
    return Preview(upload.country, upload.cycle_id, tuple(rows))


def apply_import(
    session: Session,
    ref: Reference,
    actor: Actor,
    upload: Upload,
    shown: Preview,
    overwrite: Iterable[int] = (),
) -> ImportResult:
    """Write the previewed rows in the caller's transaction: all or none.

    Each row is saved with the version the preview showed as expected, so an entry saved by
    anyone after the preview stops the whole import (`DomainError("changed_since_preview")`).
    Conflicts are written only for the objectives in `overwrite`.
    """
    if not upload.ok:
        raise DomainError("workbook_has_problems", None, count=len(upload.problems))
    check_may_import(session, actor, upload.country, upload.cycle_id)
    by_objective = {row.objective: row for row in upload.rows}
    written = []
    for row in shown.to_write(overwrite):
        try:
            saved = services.save_objective_report(
                session,
                ref,
                actor,
                country=upload.country,
                cycle_id=upload.cycle_id,
                objective=row.objective,
                data=by_objective[row.objective].data,
                expected_version=row.saved_version,
                action=IMPORT_ACTION,
            )
        except ConflictError as exc:
            raise DomainError("changed_since_preview", "objective", objective=row.objective) from exc
        written.append((row.objective, saved.version))
    chosen = set(overwrite)
    skipped = tuple(o for o in shown.conflicts if o not in chosen)
    return ImportResult(tuple(written), skipped)
