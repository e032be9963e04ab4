"""Chart images for the deck and the PDF: kaleido drawing Plotly figures through Debian's Chromium,
offline (plotly.js from the installed package, no MathJax), each figure at the size it is shown."""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import plotly.graph_objects as go

PX_PER_INCH = 96  # CSS pixels; a figure of W×H px shown in a W/96 × H/96 in box is drawn at its size
SCALE = 2  # device pixels per CSS pixel in the images, sharp when projected or printed


class ChromiumMissing(RuntimeError):
    """Chart images need a Chromium (Debian's package `chromium`) on this machine."""


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("GCM_CHROMIUM"),
        os.environ.get("BROWSER_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def require_chromium() -> str:
    path = chromium_path()
    if path is None:
        raise ChromiumMissing("Chromium not found: install Debian's package 'chromium' or set GCM_CHROMIUM")
    return path


Renderer = Callable[[go.Figure, int, int], bytes]


@contextmanager
def image_renderer() -> Iterator[Renderer]:
    """One Chromium kept alive for all the images of a pack (about 0.2 s an image after a 3 s start).
    The renderer takes a figure and the width and height (CSS px) of the box that shows it."""
    import kaleido

    os.environ["BROWSER_PATH"] = require_chromium()
    # The server's page gets plotly.js from the plotly package and no MathJax, so nothing is fetched.
    # Options go to the server, not to each call: per-call options are what kaleido warns it ignores.
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)

    def render(figure: go.Figure, width: int, height: int) -> bytes:
        figure = go.Figure(figure).update_layout(width=width, height=height)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)
            return kaleido.calc_fig_sync(
                figure.to_plotly_json(), opts=dict(format="png", width=width, height=height, scale=SCALE)
            )

    try:
        yield render
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
