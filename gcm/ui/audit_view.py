"""The audit log as the secretariat reads it: events in the reader's language, for the page's table and for the
log's download."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from gcm import accounts
from gcm.accounts import AuditFilter
from gcm.audit_detail import actor_name, describe
from gcm.i18n import catalogue, t
from gcm.permissions import Actor
from gcm.reference import Reference
from gcm.ui.context import read_now
from gcm.ui.widgets import column_width

COLUMNS = ("at", "kind", "username", "country", "cycle", "address", "detail")
# The most events one download holds (the newest); the page shows them a page at a time.
EXPORT_LIMIT = 20_000


def audit_table(lang: str, ref: Reference, cycle_names: dict[str, str], events: list[dict]) -> pd.DataFrame:
    """`events` (`accounts.audit_events`) with each value as the reader should see it, under headings in `lang`."""
    kinds = catalogue(lang)
    frame = pd.DataFrame(
        {
            "at": [e["at"].strftime("%Y-%m-%d %H:%M:%S UTC") for e in events],
            "kind": [
                t(lang, f"audit.kind.{e['kind']}") if f"audit.kind.{e['kind']}" in kinds else e["kind"] for e in events
            ],
            "username": [actor_name(lang, e["username"], e["kind"]) for e in events],
            "country": [ref.country(e["country"]).name.get(lang) if e["country"] else "" for e in events],
            "cycle": [cycle_names.get(e["cycle"], e["cycle"]) for e in events],
            "address": [e["address"] for e in events],
            "detail": [describe(lang, ref, e["kind"], e["detail"]) for e in events],
        },
        columns=list(COLUMNS),
    )
    frame.columns = [t(lang, f"audit.column.{c}") for c in COLUMNS]
    return frame


@dataclass(frozen=True)
class ShownEvents:
    """A page of the log as the page shows it: the table, and the widths of its who and cycle columns, sized to
    their longest text on this page so that neither is cut ("sistema (línea de órdenes)" whole)."""

    table: pd.DataFrame
    who_width: int
    cycle_width: int


def shown_events(lang: str, ref: Reference, cycle_names: dict[str, str], events: list[dict]) -> ShownEvents:
    """`audit_table` of a page of `events`, with its columns' widths."""
    table = audit_table(lang, ref, cycle_names, events)
    return ShownEvents(
        table,
        column_width([table.columns[2], *table.iloc[:, 2]], least=90, most=240),
        column_width([table.columns[4], *table.iloc[:, 4]], least=70, most=200),
    )


def export_table(
    lang: str, ref: Reference, cycle_names: dict[str, str], actor: Actor, where: AuditFilter
) -> pd.DataFrame:
    """The newest EXPORT_LIMIT events matching `where`, as `audit_table` shows them: read when the reader asks for
    the file (a download's deferred data), not on every run of the page, which shows one page of events."""
    return audit_table(lang, ref, cycle_names, read_now(accounts.audit_events, actor, where, EXPORT_LIMIT, 0))
