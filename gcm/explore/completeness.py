"""Reads for the map: how much each country of a group reported in a cycle, counted in SQL."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from gcm.permissions import ReadScope
from gcm.queries import (
    NOT_REPORTED,
    counted_members,
    of_cycle,
    of_group,
    reports_per_member,
    rows_of,
    status_matrix,
    unchanged_by_text,
)
from gcm.reference import OBJECTIVE_COUNT


@of_cycle()
@of_group()
@unchanged_by_text
def completeness_by_country(session: Session, cycle_id: str, group: str | None, scope: ReadScope) -> pd.DataFrame:
    """One row per member country: objectives reported in the cycle (that the scope may read), out of all 23 (the
    reference data holds every objective and no other: `reference.OBJECTIVE_COUNT`).

    Columns: country (ISO3), reported, objectives, share (reported / objectives, 0 to 1). A country whose
    report awaits validation is left out, as on the overview (`queries.counted_members`).
    """
    rows = rows_of(session, reports_per_member(cycle_id, group, scope, counted=True))
    reported = [int(count) for _, count in rows]
    return pd.DataFrame(  # built from lists: a column set at a time cost more than the read
        {
            "country": [str(country) for country, _ in rows],
            "reported": reported,
            "objectives": OBJECTIVE_COUNT,
            "share": [count / OBJECTIVE_COUNT for count in reported],
        }
    )


@of_cycle()
@of_group()
@unchanged_by_text
def objective_status_by_country(
    session: Session, cycle_id: str, group: str | None, objective: int, scope: ReadScope
) -> pd.DataFrame:
    """One row per member country: its status for one objective in the cycle, or `not_reported`.

    Columns: country (ISO3), status, national_priority.
    """
    counted = counted_members(group, scope, cycle_id)  # as `completeness_by_country`
    members = pd.DataFrame({"country": list(session.scalars(select(counted.c.iso3)))})
    matrix = status_matrix(session, cycle_id, group, scope)
    chosen = matrix[matrix["objective"] == objective][["country", "status", "national_priority"]]
    frame = members.merge(chosen, on="country", how="left")
    frame["status"] = frame["status"].fillna(NOT_REPORTED)
    frame["national_priority"] = frame["national_priority"].fillna(False).astype(bool)
    return frame.sort_values("country").reset_index(drop=True)
