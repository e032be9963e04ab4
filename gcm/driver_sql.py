"""Core statements run straight on the driver's cursor: the few statements of the hottest write path, a save.

`Connection.execute` does much work per statement besides the driver's: it builds an execution context, works
out the parameters through the compiled statement, wraps the cursor in a result and dispatches events. On a save
of a report that was about 0.12 ms for each of its five or six statements: most of a save's CPU on SQLite and a
quarter of the app's on PostgreSQL (BENCHMARKS.md, section 3). Here a statement is compiled once for each dialect
(and set of columns given) by SQLAlchemy's compiler, with SQLAlchemy's own conversions of each parameter and of
each result column, and each execution only puts the parameters in the driver's form and runs the SQL on the
connection's driver cursor, in the connection's transaction.

A statement SQLAlchemy would add work to (Python-side column defaults, parameters expanded when run, a RETURNING
clause, escaped parameter names) is run through `Connection.execute` as usual. Statement events
(`before_cursor_execute`) do not see the statements run here; nothing in the app listens for them.
"""

from __future__ import annotations

import functools
import threading
from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, exc
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


# By the statement's identity, dialect and the names of the parameters given: (the statement, kept so that its
# identity stays its own, and how to run it, or None where `Connection.execute` runs it).
_prepared: dict[tuple[int, str, frozenset[str]], tuple[Executable, _Prepared | None]] = {}
_lock = threading.Lock()


def run(connection: Connection, statement: Executable, parameters: Mapping[str, Any]) -> Outcome | Any:
    """`statement` with `parameters` on `connection`'s driver cursor, in its transaction: an `Outcome`. Where it
    cannot be run so (see the module), `connection.execute`'s result, which answers the same questions."""
    prepared = _prepared_for(connection, statement, frozenset(parameters))
    if prepared is None:
        return connection.execute(statement, dict(parameters))
    values = prepared.values(parameters)
    for name, convert in prepared.conversions:
        values[name] = convert(values[name])
    bound = values if prepared.order is None else tuple(values[name] for name in prepared.order)
    driver = connection.dialect.loaded_dbapi
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        try:
            cursor.execute(prepared.sql, bound)
        except driver.Error as error:  # raised as SQLAlchemy raises it (an IntegrityError stays one)
            raise exc.DBAPIError.instance(
                prepared.sql, bound, error, driver.Error, dialect=connection.dialect
            ) from error
        if prepared.row is None:
            return Outcome(cursor.rowcount)
        readers = prepared.readers
        rows = tuple(
            prepared.row(*(v if read is None else read(v) for v, read in zip(row, readers, strict=True)))
            for row in cursor.fetchall()
        )
        return Outcome(cursor.rowcount, rows)
    finally:
        cursor.close()


def _prepared_for(connection: Connection, statement: Executable, names: frozenset[str]) -> _Prepared | None:
    key = (id(statement), connection.dialect.name, names)
    kept = _prepared.get(key)
    if kept is None or kept[0] is not statement:
        kept = (statement, _prepare(statement, connection, names))
        with _lock:
            _prepared[key] = kept
    return kept[1]


def _prepare(statement: Executable, connection: Connection, names: frozenset[str]) -> _Prepared | None:
    """`statement` compiled for the connection's dialect, given parameters `names`; None where SQLAlchemy would
    add work of its own when running it."""
    dialect = connection.dialect
    compiled = statement.compile(
        dialect=dialect, column_keys=sorted(names) if isinstance(statement, UpdateBase) else None
    )
    if (
        compiled.insert_prefetch
        or compiled.update_prefetch
        or compiled.post_compile_params
        or compiled.escaped_bind_names
        or getattr(compiled, "effective_returning", None)
    ):
        return None
    sql, order = compiled.string, compiled.positiontup
    if compiled.literal_execute_params:  # constants SQLAlchemy writes into the SQL when run: written in once here
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
