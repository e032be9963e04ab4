"""Settings of the server process as a whole, applied when the process first loads app.py (the ASGI server
imports it at start-up, before any session; a test process, when a test first runs or imports it)."""

from __future__ import annotations

import gc
import importlib
import threading

# Python collects its youngest objects every 700 allocations by default. A page run allocates tens of
# thousands (frames, figures, Streamlit's messages), nearly all freed by reference counting at once, so most
# of those collections find nothing; every tenth of them also walks the older objects, and now and then all
# of them: the modules (about 190,000 objects) and the cached reads and figures. Measured on five heavy pages
# at global scale, 100 runs each after a delegate's save: the collector took 11–14 % of the time, with
# pauses of up to 0.3–0.5 s; with the modules frozen and this threshold, 3–4 % and at most 22–54 ms (warm
# runs: 1.3 % and at most 11 ms). A threshold of 10,000 saved no more and made the rare pauses longer.
YOUNG_THRESHOLD = 3_000
# What every page imports: loaded before the freeze, so that their modules are frozen too.
PAGE_IMPORTS = ("pandas", "plotly.graph_objects", "sqlalchemy.orm", "gcm.charts", "gcm.ui.context", "gcm.ui.widgets")
_settled = False
_lock = threading.Lock()


def settle_garbage_collector() -> None:
    """Once per process: import what every page imports, collect, then freeze what exists (the modules of
    Streamlit, pandas, Plotly, SQLAlchemy and the app: objects that live as long as the process), so that a
    full collection no longer walks them; and collect the youngest objects less often (`YOUNG_THRESHOLD`)."""
    global _settled
    if _settled:
        return
    with _lock:
        if _settled:
            return
        for name in PAGE_IMPORTS:
            importlib.import_module(name)
        gc.collect()  # what is garbage now must not be frozen with the rest
        gc.freeze()
        gc.set_threshold(YOUNG_THRESHOLD)
        _settled = True
