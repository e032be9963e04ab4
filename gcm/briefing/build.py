"""Building the briefing pack in any of its formats: one entry point for the app and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from gcm.briefing.html import render_html
from gcm.briefing.model import briefing_model
from gcm.briefing.pdf import render_pdf
from gcm.briefing.pptx import render_pptx
from gcm.i18n import t
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
    order: list[str] | None = None,
) -> bytes:
    """The briefing pack of a cycle and group as file contents: the model computed once, then rendered.
    pptx and pdf need Chromium (`ChromiumMissing` otherwise)."""
    report = progress or (lambda share, text: None)
    model = briefing_model(session, ref, lang, cycle_id, group, scope, order)

    def rendering(share: float, text: str) -> None:
        report(min(share, 0.99) if share < 1 else 1.0, text or t(lang, "briefing.done"))

    if fmt == "pptx":
        return render_pptx(ref, model, rendering)
    if fmt == "pdf":
        return render_pdf(ref, model, rendering)
    return render_html(ref, model, progress=rendering).encode("utf-8")
