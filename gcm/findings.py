"""Regional findings for the live session: what countries prioritise, their most cited challenge and
priority categories, quotations attributed to countries, and the rehearsal switch."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from gcm import models, permissions
from gcm.permissions import Actor, ReadScope
from gcm.queries import R, group_members, readable
from gcm.services import bump_revision

REHEARSAL = "rehearsal_drafts"
QUOTE_LENGTH = 280


def rehearsal_on(session: Session) -> bool:
    """Whether the secretariat switched on drafts for a rehearsal."""
    row = session.get(models.AppSetting, REHEARSAL)
    return row is not None and row.value == "on"


def set_rehearsal(session: Session, actor: Actor, on: bool) -> None:
    permissions.check_admin(actor)
    row = session.get(models.AppSetting, REHEARSAL)
    if row is None:
        session.add(models.AppSetting(key=REHEARSAL, value="on" if on else "off"))
    else:
        row.value = "on" if on else "off"
    bump_revision(session)


def findings_scope(actor: Actor, rehearsal: bool, public_view: bool = True) -> ReadScope:
    """Findings count submitted and validated reports (validated only for the public); during a
    rehearsal the secretariat's views count drafts too."""
    if rehearsal and actor.is_admin:
        return ReadScope(states=None)
    if actor.role == "public":
        return ReadScope(states=("validated",) if public_view else ())
    return ReadScope(states=("submitted", "validated"))


def _base(cycle_id: str, group: str | None, scope: ReadScope, statuses: tuple[str, ...] | None):
    """Reports of the group in the cycle that the scope reads, with their section in the cycle's grouping."""
    members = group_members(group)
    so, gs = models.SectionObjective, models.GroupingSection
    grouping = select(models.Cycle.grouping_id).where(models.Cycle.id == cycle_id).scalar_subquery()
    conditions = [R.cycle_id == cycle_id, readable(scope, cycle_id)]
    if statuses:
        conditions.append(R.status.in_(statuses))
    return members, so, gs, grouping, conditions


def category_counts(
    session: Session,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    kind: str,
    statuses: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """How many reports cite each challenge (or priority) category, per section."""
    members, so, gs, grouping, conditions = _base(cycle_id, group, scope, statuses)
    tag = models.ReportTag
    stmt = (
        select(gs.number, tag.key, func.count())
        .select_from(R)
        .join(members, members.c.iso3 == R.country_iso3)
        .join(tag, (tag.report_id == R.id) & (tag.kind == kind))
        .join(so, (so.objective == R.objective) & (so.grouping_id == grouping))
        .join(gs, gs.id == so.section_id)
        .where(*conditions)
        .group_by(gs.number, tag.key)
        .order_by(gs.number, func.count().desc(), tag.key)
    )
    return pd.DataFrame(session.execute(stmt).all(), columns=["section", "category", "count"])


def priority_countries(
    session: Session, cycle_id: str, group: str | None, scope: ReadScope, statuses: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Which countries treat each objective as a national priority."""
    members, _, _, _, conditions = _base(cycle_id, group, scope, statuses)
    stmt = (
        select(R.objective, R.country_iso3)
        .join(members, members.c.iso3 == R.country_iso3)
        .where(*conditions, R.national_priority.is_(True))
        .order_by(R.objective, R.country_iso3)
    )
    return pd.DataFrame(session.execute(stmt).all(), columns=["objective", "country"])


def quotations(
    session: Session,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    per_section: int = 3,
    statuses: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Selected quotations from countries' challenges and priorities, attributed to the country.

    Per section and field, national priorities first, then the most detailed texts; one quotation
    per country and field, so that the room hears several countries.
    """
    members, so, gs, grouping, conditions = _base(cycle_id, group, scope, statuses)
    frames = []
    for field in ("challenges", "priorities"):
        column = getattr(R, field)
        stmt = (
            select(
                gs.number,
                R.objective,
                R.country_iso3,
                literal(field),
                func.substr(column, 1, QUOTE_LENGTH),
                R.national_priority,
                func.length(column),
            )
            .join(members, members.c.iso3 == R.country_iso3)
            .join(so, (so.objective == R.objective) & (so.grouping_id == grouping))
            .join(gs, gs.id == so.section_id)
            .where(*conditions, func.length(column) > 0)
        )
        frames.append(
            pd.DataFrame(
                session.execute(stmt).all(),
                columns=["section", "objective", "country", "field", "text", "priority", "length"],
            )
        )
    return pick_quotations(pd.concat(frames, ignore_index=True), per_section)


def pick_quotations(rows: pd.DataFrame, per_section: int) -> pd.DataFrame:
    """From candidate texts (section, objective, country, field, text, priority, length): per section and
    field, national priorities first, then the most detailed; one per country and field."""
    if rows.empty:
        return rows.drop(columns=["priority", "length"])
    rows = rows.sort_values(
        ["section", "field", "priority", "length", "country"], ascending=[True, True, False, False, True]
    )
    rows = rows.drop_duplicates(["section", "field", "country"]).drop_duplicates(["section", "field", "text"])
    rows = rows.groupby(["section", "field"], sort=True).head(per_section)
    return rows.drop(columns=["priority", "length"]).reset_index(drop=True)


def good_practices(
    session: Session, cycle_id: str, group: str | None, scope: ReadScope, limit: int = 8
) -> pd.DataFrame:
    """Good practices countries shared, attributed to the country and objective."""
    members, _, _, _, conditions = _base(cycle_id, group, scope, None)
    stmt = (
        select(R.objective, R.country_iso3, func.substr(R.good_practice, 1, QUOTE_LENGTH))
        .join(members, members.c.iso3 == R.country_iso3)
        .where(*conditions, func.length(R.good_practice) > 0)
        .order_by(R.country_iso3, R.objective)
    )
    rows = pd.DataFrame(session.execute(stmt).all(), columns=["objective", "country", "text"])
    return pick_practices(rows, limit)


def pick_practices(rows: pd.DataFrame, limit: int) -> pd.DataFrame:
    """One good practice per country (rows in country, objective order), no repeated text."""
    return rows.drop_duplicates(["country"]).drop_duplicates(["text"]).head(limit).reset_index(drop=True)


BRIEFING_COLUMNS = [
    "section",
    "country",
    "objective",
    "status",
    "national_priority",
    "progress",
    "challenges",
    "priorities",
    "good_practice",
]


def briefing_reports(session: Session, cycle_id: str, group: str | None, scope: ReadScope) -> pd.DataFrame:
    """Every report of the group in the cycle that the scope reads, with its section and full texts: the
    one read of narrative behind the briefing model (countries' pages, quotations, good practices)."""
    members, so, gs, grouping, conditions = _base(cycle_id, group, scope, None)
    stmt = (
        select(
            gs.number,
            R.country_iso3,
            R.objective,
            R.status,
            R.national_priority,
            R.progress,
            R.challenges,
            R.priorities,
            R.good_practice,
        )
        .join(members, members.c.iso3 == R.country_iso3)
        .join(so, (so.objective == R.objective) & (so.grouping_id == grouping))
        .join(gs, gs.id == so.section_id)
        .where(*conditions)
        .order_by(R.country_iso3, R.objective)
    )
    frame = pd.DataFrame(session.execute(stmt).all(), columns=BRIEFING_COLUMNS)
    for field in ("progress", "challenges", "priorities", "good_practice"):
        frame[field] = frame[field].fillna("").astype(str)
    frame["national_priority"] = frame["national_priority"].fillna(False).astype(bool)
    return frame


HIGHLIGHT_FIELDS = ("progress", "challenges", "priorities")


def country_highlights(session: Session, country: str, cycle_id: str, scope: ReadScope, per_field: int = 3) -> dict:
    """What a country summary shows: the status of each reported objective, the national priority
    objectives, and per field the texts to quote (national priorities first, then objective order)."""
    from gcm import queries

    statuses = queries.country_statuses(session, country, cycle_id, scope).set_index("objective")["status"].to_dict()
    texts = queries.country_texts(session, country, cycle_id, scope)
    ordered = texts.sort_values(["national_priority", "objective"], ascending=[False, True])
    return {
        "statuses": {int(k): v for k, v in statuses.items()},
        "priorities": sorted(int(o) for o in texts.loc[texts["national_priority"], "objective"]),
        "top": {
            field: [
                (int(r.objective), getattr(r, field))
                for r in ordered[ordered[field].str.len() > 0].head(per_field).itertuples()
            ]
            for field in HIGHLIGHT_FIELDS
        },
    }
