"""Core statements run straight on the driver's cursor: the few statements of the hottest write path, a save.

`Connection.execute` does much work per statement besides the driver's: it builds an execution context, works
out the parameters through the compiled statement, wraps the cursor in a result and dispatches events. On a save
of a report that was about 0.12 ms for each of its five or six statements: most of a save's CPU on SQLite and a
quarter of the app's on PostgreSQL (BENCHMARKS.md, section 3). Here a statement is compiled once for each dialect
(and set of columns given) by SQLAlchemy's compiler, with SQLAlchemy's own conversions of each parameter and of
each result column, and each execution only puts the parameters in the driver's form and runs the SQL on the
connection's driver cursor, in the connection's transaction.

A statement SQLAlchemy would add work to (Python-side column defaults, parameters expanded or written into the
SQL when run, a RETURNING clause, escaped parameter names) is run through `Connection.execute` as usual. A
failure goes through the connection's own error handling. Statement events (`before_cursor_execute`) and the
engine's echo do not see the statements run here; nothing in the app listens for them.
"""

from __future__ import annotations

import functools
import threading
from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql import Executable
from sqlalchemy.sql.dml import UpdateBase


@dataclass(frozen=True)
class _Prepared:
    sql: str
    order: tuple[str, ...] | None  # the parameters' order for a positional driver (SQLite's "?"); None: by name
    values: Callable[[Mapping[str, Any]], dict[str, Any]]  # every parameter's value, constants filled in
    conversions: tuple[tuple[str, Callable[[Any], Any]], ...]  # parameter → SQLAlchemy's conversion for the driver
    row: type | None  # a query's rows: a named tuple of its result columns
    readers: tuple[Callable[[Any], Any] | None, ...]  # each result column's conversion from the driver's value


@dataclass(frozen=True)
class Outcome:
    """What a statement run here gives back: how many rows it changed, and a query's rows (named tuples, read by
    column name as SQLAlchemy's rows are)."""

    rowcount: int
    rows: tuple[Any, ...] = ()

    def first(self) -> Any:
        return self.rows[0] if self.rows else None


# By the statement's and the dialect's identities and the names of the parameters given: (the statement and the
# dialect, kept so that their identities stay their own, and how to run it, or None where `Connection.execute` runs
# it). The save's statements are module constants, and on PostgreSQL one statement for each set of columns and flags
# a save writes (`gcm.save_statement`, each built once and kept): a few dozen entries a process.
_prepared: dict[tuple[int, int, frozenset[str]], tuple[Executable, Any, _Prepared | None]] = {}
_lock = threading.Lock()


def run(connection: Connection, statement: Executable, parameters: Mapping[str, Any]) -> Outcome | Any:
    """`statement` with `parameters` on `connection`'s driver cursor, in its transaction (begun here if none is, as
    `Connection.execute` would): an `Outcome`. Where it cannot be run so (see the module), `connection.execute`'s
    result, which answers the same questions. A failure is raised as `Connection.execute` raises it (a lost
    connection invalidated, a driver's error wrapped: an `IntegrityError` stays one)."""
    prepared = _prepared_for(connection, statement, frozenset(parameters))
    if prepared is None:
        return connection.execute(statement, dict(parameters))
    if not connection.in_transaction():
        connection.begin()
    cursor, bound = None, parameters
    try:
        values = prepared.values(parameters)
        for name, convert in prepared.conversions:
            values[name] = convert(values[name])
        bound = values if prepared.order is None else tuple(values[name] for name in prepared.order)
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(prepared.sql, bound)
        if prepared.row is None:
            return Outcome(cursor.rowcount)
        readers = prepared.readers
        rows = tuple(
            prepared.row(*(v if read is None else read(v) for v, read in zip(row, readers, strict=True)))
            for row in cursor.fetchall()
        )
        return Outcome(cursor.rowcount, rows)
    except Exception as error:
        connection._handle_dbapi_exception(error, prepared.sql, bound, cursor, None)
        raise  # not reached: the line above raises
    finally:
        if cursor is not None:
            cursor.close()


def _prepared_for(connection: Connection, statement: Executable, names: frozenset[str]) -> _Prepared | None:
    dialect = connection.dialect
    key = (id(statement), id(dialect), names)
    kept = _prepared.get(key)
    if kept is None or kept[0] is not statement or kept[1] is not dialect:
        kept = (statement, dialect, _prepare(statement, dialect, names))
        with _lock:
            _prepared[key] = kept
    return kept[2]


def _prepare(statement: Executable, dialect: Any, names: frozenset[str]) -> _Prepared | None:
    """`statement` compiled for `dialect`, given parameters `names`; None where SQLAlchemy would add work of its
    own when running it."""
    columns_given = sorted(names) if isinstance(statement, UpdateBase) else None  # an INSERT's or UPDATE's columns
    compiled = statement.compile(dialect=dialect, column_keys=columns_given)
    constants = {compiled.bind_names[bind] for bind in compiled.literal_execute_params}
    if (
        compiled.insert_prefetch
        or compiled.update_prefetch
        or compiled.post_compile_params
        or compiled.escaped_bind_names
        or getattr(compiled, "effective_returning", None)
        or constants & names  # a value written into the SQL that the caller gives: written in when run
    ):
        return None
    sql, order = compiled.string, compiled.positiontup
    if constants:  # values SQLAlchemy writes into the SQL when run, the statement's own: written in once here
        expanded = compiled._process_parameters_for_postcompile(compiled.construct_params(_check=False))
        sql, order = expanded.statement, expanded.positiontup
    conversions = tuple((name, convert) for name, convert in compiled._bind_processors.items() if callable(convert))
    columns = compiled._result_columns if getattr(statement, "is_select", False) else []
    return _Prepared(
        sql=sql,
        order=tuple(order) if compiled.positional and order is not None else None,
        values=compiled.construct_params,
        conversions=conversions,
        row=_row_type(tuple(column.keyname for column in columns)) if columns else None,
        readers=tuple(column.type._cached_result_processor(dialect, None) for column in columns),
    )


@functools.cache
def _row_type(columns: tuple[str, ...]) -> type:
    return namedtuple("Row", columns)  # type: ignore[misc]
