"""The briefing model as a PDF: the HTML document with chart images drawn at their printed size, printed
by headless Chromium (A4, a header and page numbers on every page, contents linked from the first)."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from gcm.briefing.html import image_figures, render_html
from gcm.briefing.images import image_renderer, require_chromium
from gcm.briefing.model import Briefing
from gcm.reference import Reference


def html_to_pdf(html: str, timeout: float = 120) -> bytes:
    """Print an HTML document to PDF with headless Chromium; nothing is fetched from another host."""
    path = require_chromium()
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "briefing.html", Path(folder) / "briefing.pdf"
        source.write_text(html, encoding="utf-8")
        subprocess.run(
            [
                path,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={folder}/profile",
                "--virtual-time-budget=15000",
                "--no-pdf-header-footer",
                f"--print-to-pdf={target}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        return target.read_bytes()


def render_pdf(ref: Reference, model: Briefing, progress: Callable[[float, str], None] | None = None) -> bytes:
    """The briefing pack as a PDF: every chart an image on one page, every section from a new page."""
    report = progress or (lambda share, text: None)
    with image_renderer() as render:
        html = render_html(
            ref, model, image_figures(render), progress=lambda share, text: report(share * 0.8, text), paged=True
        )
    pdf = html_to_pdf(html)
    report(1.0, "")
    return pdf
