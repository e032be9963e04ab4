"""A save's writes on PostgreSQL as one statement.

A save of a report writes its row, appends its revision and its audit event, and moves the data revision's
counters and its country's. Sent one by one, that is four round trips, each costing the app about 0.1 ms of CPU
and PostgreSQL about 0.07 ms besides the statement's own work (BENCHMARKS.md, section 3, "one statement"). Here
they are one statement: the report's write is a data-modifying CTE, and every other write reads it, so that where
the report's write wrote nothing (another save moved its version first) nothing else is written either.

The tags, written only when they change, are written after it by statements of their own (a tag deleted and the
same tag inserted in one statement would meet in the same snapshot). SQLite has no data-modifying CTE: there the
save runs its statements in turn, which cost no round trip (`gcm.services`).
"""

from __future__ import annotations

import functools

from sqlalchemy import (
    BindParameter,
    Select,
    Table,
    bindparam,
    exists,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql

from gcm import models, revision_counters

_REPORT = models.ObjectiveReport.__table__
_REVISION_LOG = models.ReportRevision.__table__
_AUDIT = models.AuditEvent.__table__
_DATA_REVISION = models.DataRevision.__table__

# The values of each table are bound under names of their own (SQLAlchemy keeps a column's own name for the values
# of an INSERT's or UPDATE's own columns): w_ the report's columns, r_ its revision's, a_ its audit event's.
REPORT, REVISION, AUDIT = "w_", "r_", "a_"
REVISION_COLUMNS = ("version", "action", "at", "by", "changes", "snapshot")
AUDIT_COLUMNS = ("at", "kind", "username", "address", "detail", "country_iso3", "cycle_id")


def _bound(table: Table, prefix: str, names: tuple[str, ...]) -> list[BindParameter]:
    return [bindparam(prefix + name, type_=table.c[name].type) for name in names]


@functools.cache  # a few dozen sets of columns and flags in use; evicted statements would stay in driver_sql's
def write_statement(columns: tuple[str, ...], new: bool, audit: bool, counters: tuple[str, ...]) -> Select:
    """The statement that writes a report's `columns` (bound as `w_<column>`), as a new row (`new`) or over the
    row `b_id` at version `b_version`; appends its revision (`r_<column>`) and, with `audit`, its audit event
    (`a_<column>`); adds one to `counters` (`gcm.revision_counters`) of the data revision's row `slot` and of the
    country `country` in the cycle `cycle` in that slot. Its one row: the report's id (None where
    the report's write wrote nothing) and how many data revision rows it moved."""
    values = dict(zip(columns, _bound(_REPORT, REPORT, columns), strict=True))
    if new:
        report_write = insert(_REPORT).values(values)
    else:
        report_write = (
            update(_REPORT)
            .where(_REPORT.c.id == bindparam("b_id"), _REPORT.c.version == bindparam("b_version"))
            .values(values)
        )
    written = report_write.returning(_REPORT.c.id).cte("written")
    logged = insert(_REVISION_LOG).from_select(
        ["report_id", *REVISION_COLUMNS], select(written.c.id, *_bound(_REVISION_LOG, REVISION, REVISION_COLUMNS))
    )
    parts = [logged.cte("logged")]
    if audit:
        event = select(*_bound(_AUDIT, AUDIT, AUDIT_COLUMNS)).select_from(written)
        parts.append(insert(_AUDIT).from_select(list(AUDIT_COLUMNS), event).cte("audited"))
    parts.append(revision_counters.country_bump(postgresql, counters, written).cte("country_counted"))
    counted = (
        revision_counters.data_revision_bump(counters)
        .where(exists(select(written.c.id)))
        .returning(_DATA_REVISION.c.id)
        .cte("counted")
    )
    return select(
        select(written.c.id).scalar_subquery().label("report_id"),
        select(func.count()).select_from(counted).scalar_subquery().label("counted"),
    ).add_cte(*parts)
