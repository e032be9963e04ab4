"""The Open data page's file downloads, built on click: the same bytes as `python -m gcm export`."""

from __future__ import annotations

from urllib.parse import urlsplit

from gcm.db import read_session
from gcm.opendata.export import export_bytes
from gcm.permissions import ReadScope
from gcm.ui.context import engine, reference


def export_file(fmt: str, scope: ReadScope) -> bytes:
    """The export in `fmt` of what `scope` may read (no Streamlit call: it runs when the button is clicked)."""
    with read_session(engine()) as session:
        return export_bytes(session, reference(), fmt, scope)


def origin(url: str | None) -> str:
    """`scheme://host[:port]` of the page's address, for absolute API addresses; empty when unknown."""
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""
