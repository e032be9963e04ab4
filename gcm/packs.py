"""Building the briefing pack in any of its formats: one entry point for the app and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from gcm import briefing, deck, queries
from gcm.permissions import ReadScope
from gcm.reference import Reference


@dataclass(frozen=True)
class PackFormat:
    extension: str
    mime: str


FORMATS = {
    "html": PackFormat("html", "text/html"),
    "pptx": PackFormat("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "pdf": PackFormat("pdf", "application/pdf"),
}


def build_pack(
    session: Session,
    ref: Reference,
    lang: str,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    fmt: str,
    progress: Callable[[float, str], None] | None = None,
) -> bytes:
    """The briefing pack of a cycle and group as file contents. pptx and pdf need Chromium
    (`deck.ChromiumMissing` otherwise)."""
    countries = briefing.presentation_order(queries.member_countries(session, group))
    if fmt == "pptx":
        return deck.briefing_pptx(session, ref, lang, cycle_id, group, scope, countries, progress)
    html = briefing.briefing_html(session, ref, lang, cycle_id, group, scope, countries, progress)
    return deck.html_to_pdf(html) if fmt == "pdf" else html.encode("utf-8")
