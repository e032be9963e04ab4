"""The regional declaration: compiled from validated priorities, edited by the secretariat with every
version kept, adopted (then frozen), downloaded as Markdown or Word.

The text is a small, safe subset of Markdown: `## ` and `### ` headings, `- ` paragraphs of a list,
and plain paragraphs. It is never rendered as HTML.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd
from docx import Document
from sqlalchemy import select
from sqlalchemy.orm import Session

from gcm import models, permissions, queries
from gcm.accounts import audit
from gcm.errors import ConflictError, DomainError, ValidationError
from gcm.i18n import t
from gcm.permissions import Actor, ReadScope
from gcm.reference import Reference
from gcm.services import bump_revision, clean_text

MAX_BODY = 60_000
VALIDATED = ReadScope(states=("validated",))


def raised_priorities(session: Session, cycle_id: str, group: str | None) -> pd.DataFrame:
    """The group's validated reports of the cycle that state priorities (objective, priorities, country)."""
    texts = []
    for country in sorted(set(queries.member_countries(session, group))):
        rows = queries.country_texts(session, country, cycle_id, VALIDATED)
        rows["country"] = country
        texts.append(rows)
    if not texts:
        return pd.DataFrame(columns=["objective", "priorities", "country"])
    every = pd.concat(texts, ignore_index=True)
    return every[every["priorities"].fillna("").str.len() > 0]


def compile_draft(
    session: Session,
    ref: Reference,
    lang: str,
    cycle_id: str,
    group: str | None,
    raised: pd.DataFrame | None = None,
) -> str:
    """One section per round table; one paragraph per objective that countries prioritised, quoting
    their validated priorities and naming the objective and the countries that raised them (`raised`:
    `raised_priorities` of the same cycle and group, where the caller has read it already)."""
    cycle = queries.cycles(session).set_index("id").loc[cycle_id]
    sections = queries.sections(session, cycle["grouping"])
    priorities = raised_priorities(session, cycle_id, group) if raised is None else raised
    names = {c.iso3: c.name.get(lang) for c in ref.countries}
    lines = [
        f"## {t(lang, 'declaration.heading', cycle=cycle[f'name_{lang}'])}",
        "",
        t(lang, "declaration.preamble"),
        "",
    ]
    for _, rows in sections.groupby("section"):
        lines += [f"### {rows[f'title_{lang}'].iloc[0]}", ""]
        paragraphs = []
        for objective in rows["objective"]:
            raised = priorities[priorities["objective"] == objective]
            if raised.empty:
                continue
            # One line per paragraph: a country's line breaks must not start a heading of their own.
            quoted = "; ".join(dict.fromkeys(" ".join(clean_text(p).split()).rstrip(".") for p in raised["priorities"]))
            who = ", ".join(sorted(names[c] for c in raised["country"].unique()))
            short = ref.objective(int(objective)).short.get(lang)
            paragraphs.append(
                f"- {t(lang, 'common.objective_n', n=int(objective))} ({short}): {quoted}. "
                f"[{t(lang, 'declaration.raised_by', countries=who)}]"
            )
        lines += paragraphs or [t(lang, "flow.no_priorities")]
        lines.append("")
    return "\n".join(lines).strip() + "\n"


def _declaration(session: Session, cycle_id: str) -> models.Declaration:
    row = session.get(models.Declaration, cycle_id)
    if row is None:
        if session.get(models.Cycle, cycle_id) is None:
            raise ValidationError([DomainError("unknown_value", "cycle", value=cycle_id)])
        row = models.Declaration(cycle_id=cycle_id, current_version=0, adopted_version=None)
        session.add(row)
        session.flush()
    return row


def save_declaration(session: Session, actor: Actor, *, cycle_id: str, body: str, expected_version: int) -> int:
    """Save a new version of the text (the secretariat only; refused once adopted or if someone saved since)."""
    permissions.check_admin(actor)
    row = _declaration(session, cycle_id)
    if row.adopted_version is not None:
        raise DomainError("declaration_adopted", None, version=row.adopted_version)
    if row.current_version != expected_version:
        raise ConflictError(row.current_version)
    text = clean_text(body)
    if not text:
        raise ValidationError([DomainError("required", "declaration")])
    if len(text) > MAX_BODY:
        raise ValidationError([DomainError("too_long", "declaration", limit=MAX_BODY, length=len(text))])
    row.current_version += 1
    session.add(
        models.DeclarationVersion(
            cycle_id=cycle_id, version=row.current_version, body=text, at=dt.datetime.now(dt.UTC), by=actor.name
        )
    )
    audit(session, "declaration_saved", actor.name, detail=f"version {row.current_version}", cycle_id=cycle_id)
    bump_revision(session)
    return row.current_version


def adopt_declaration(session: Session, actor: Actor, *, cycle_id: str, version: int) -> None:
    """Mark a version adopted: the declaration is frozen from then on."""
    permissions.check_admin(actor)
    row = _declaration(session, cycle_id)
    if row.adopted_version is not None:
        raise DomainError("declaration_adopted", None, version=row.adopted_version)
    if not 1 <= version <= row.current_version:
        raise ValidationError([DomainError("unknown_value", "declaration", value=version)])
    row.adopted_version = version
    audit(session, "declaration_adopted", actor.name, detail=f"version {version}", cycle_id=cycle_id)
    bump_revision(session)


def declaration_state(session: Session, cycle_id: str) -> dict[str, Any]:
    """The current and adopted versions and every saved version, newest first."""
    row = session.get(models.Declaration, cycle_id)
    v = models.DeclarationVersion
    versions = session.execute(
        select(v.version, v.body, v.at, v.by).where(v.cycle_id == cycle_id).order_by(v.version.desc())
    ).all()
    return {
        "current_version": row.current_version if row else 0,
        "adopted_version": row.adopted_version if row else None,
        "versions": [{"version": n, "body": b, "at": queries.as_utc(a), "by": by} for n, b, a, by in versions],
    }


def blocks(body: str) -> list[tuple[str, str]]:
    """The text as (kind, text) blocks: `heading1`, `heading2`, `item` or `paragraph`; every renderer
    (the page's preview, Word) draws these, never the text as markup."""
    out = []
    for line in body.splitlines():
        if line.startswith("## "):
            out.append(("heading1", line[3:].strip()))
        elif line.startswith("### "):
            out.append(("heading2", line[4:].strip()))
        elif line.startswith("- "):
            out.append(("item", line[2:].strip()))
        elif line.strip():
            out.append(("paragraph", line.strip()))
    return out


def to_docx(body: str) -> bytes:
    """The declaration as a Word document: headings, list paragraphs and paragraphs, as plain runs."""
    document = Document()
    for kind, text in blocks(body):
        if kind == "heading1":
            document.add_heading(text, level=1)
        elif kind == "heading2":
            document.add_heading(text, level=2)
        elif kind == "item":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
