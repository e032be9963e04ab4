"""The counters a write moves, and the statements that move them: the data revision's (`models.DataRevision`) and
a country's in a cycle (`models.CountryRevision`), each in the slot of the writer's connection.

A save of a draft (or of a report returned for revision) leaves `published`: readers who do not see drafts read
nothing it changed, so their cached reads stay (see gcm.ui.context). A save that changes only narrative text leaves
`tallied` too. No save of a real report and no workflow step moves `setup`. Every other write moves all four. A
write of one country's reporting also moves that country's counters of the same kinds but `setup`, which a country
has not. Used by a write's own statements (`gcm.services._bump`) and by a save's one statement on PostgreSQL
(`gcm.save_statement`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CTE, Insert, Update, bindparam, literal_column, select, update

from gcm import models

COUNTERS = ("revision", "tallied", "published", "setup")  # each implies the ones before it
LEVELS = tuple(COUNTERS[:n] for n in range(1, len(COUNTERS) + 1))  # every set of counters a write may move
COUNTRY_COUNTERS = ("revision", "published", "tallied")  # a country's, in the column order of its table
_DATA_REVISION = models.DataRevision.__table__
_COUNTRY_REVISION = models.CountryRevision.__table__
_COUNTRY_KEY = ("country_iso3", "cycle_id", "slot")


def moved(published: bool, tallied: bool = True, setup: bool = False) -> tuple[str, ...]:
    """The counters a write moves: `setup` moves all four, `published` implies `tallied`, and every write moves
    `revision`."""
    return LEVELS[3 if setup else 2 if published else 1 if tallied else 0]


def data_revision_bump(counters: tuple[str, ...]) -> Update:
    """Adds one to `counters` of the data revision's row `slot` (bind: slot)."""
    return (
        update(_DATA_REVISION)
        .where(_DATA_REVISION.c.id == bindparam("slot"))
        .values({name: _DATA_REVISION.c[name] + 1 for name in counters})
    )


def country_bump(dialect: Any, counters: tuple[str, ...], written: CTE | None = None) -> Insert:
    """An upsert (`dialect`'s) that adds one to `counters` (`setup` aside) of a country's row of a cycle in a slot,
    made by the country's first write there (binds: country, cycle, slot); with `written`, only where that CTE
    has a row."""
    first = {name: int(name in counters) for name in COUNTRY_COUNTERS}
    if written is None:
        stmt = dialect.insert(_COUNTRY_REVISION).values(
            country_iso3=bindparam("country"), cycle_id=bindparam("cycle"), slot=bindparam("slot"), **first
        )
    else:
        keys = (
            bindparam(name, type_=_COUNTRY_REVISION.c[column].type)
            for name, column in zip(("country", "cycle", "slot"), _COUNTRY_KEY, strict=True)
        )
        row = select(*keys, *(literal_column(str(value)) for value in first.values())).select_from(written)
        stmt = dialect.insert(_COUNTRY_REVISION).from_select([*_COUNTRY_KEY, *first], row)
    return stmt.on_conflict_do_update(
        index_elements=list(_COUNTRY_KEY),
        set_={name: _COUNTRY_REVISION.c[name] + 1 for name in COUNTRY_COUNTERS if name in counters},
    )
