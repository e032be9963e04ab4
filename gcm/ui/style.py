"""The app's one style sheet, added on every run by the router (`app.py`).

Streamlit's theme (`.streamlit/config.toml`) sets the colours; what the theme cannot express lives
here, and only that: a visible keyboard focus indicator on every control (WCAG 2.4.7), the page's
language (WCAG 3.1.1), and no English key name on a Spanish page. Streamlit's own focus styles leave
the sidebar's page links, page links in the main area, radio buttons and select boxes with no outline
or a 1 px border change that is hard to see on a projector; its index.html always says lang="en".
"""

from __future__ import annotations

import json
from functools import lru_cache

import streamlit as st

from gcm.i18n import LANGUAGES
from gcm.ui.chrome import chrome_script

NARROW_SCREEN = 700  # CSS px: below it a chart is drawn LEAST_CHART_WIDTH wide and scrolled
LEAST_CHART_WIDTH = 640
FOCUS_COLOR = "#0b5ea8"  # the theme's primaryColor: 6.6:1 on white, 6.2:1 on the sidebar's #f8f8f7

# Only the :focus-visible state is styled (keyboard focus), so pointer users see no change.
# Inputs that Streamlit hides visually (radio buttons, check boxes) or wraps (select boxes, text
# fields) get the ring on the visible box that holds them.
APP_CSS = f"""<style>
a:focus-visible, button:focus-visible, summary:focus-visible, [role="button"]:focus-visible,
[role="tab"]:focus-visible, [role="switch"]:focus-visible, [role="slider"]:focus-visible,
[tabindex="0"]:focus-visible {{
  outline: 3px solid {FOCUS_COLOR} !important;
  outline-offset: 2px !important;
}}
label:has(input:focus-visible),
[data-baseweb="select"] > div:has(input:focus-visible),
[data-baseweb="input"]:has(input:focus-visible),
[data-baseweb="base-input"]:has(textarea:focus-visible),
[data-baseweb="textarea"]:has(textarea:focus-visible) {{
  outline: 3px solid {FOCUS_COLOR} !important;
  outline-offset: 2px !important;
}}
/* Streamlit names a button's shortcut key in English ("PageDown"); a Spanish page names it in its own
   caption ("Av Pág") instead. */
html[lang="es"] button kbd[aria-label^="Shortcut"] {{
  display: none;
}}
/* On a phone a chart keeps a legible width (its legend, colour bar and labels beside the plot) and the reader
   scrolls it sideways, rather than squeezing it to the screen. Streamlit draws a chart as wide as the frame
   around it. */
@media (max-width: {NARROW_SCREEN}px) {{
  [data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"]) {{
    overflow-x: auto;
  }}
  [data-testid="stFullScreenFrame"]:has(> [data-testid="stPlotlyChart"]) {{
    min-width: {LEAST_CHART_WIDTH}px;
  }}
  /* A button's label wraps instead of ending in "…" ("Preparar el paquete informativo (HTML, funciona s…"). */
  :is(.stButton, .stDownloadButton, .stFormSubmitButton) button .stMarkdownEllipsis p {{
    white-space: normal;
    text-overflow: clip;
  }}
  :is(.stButton, .stDownloadButton, .stFormSubmitButton) button {{
    height: auto;
    text-align: left;
  }}
}}
/* The frame that declares the page's language (below) shows nothing: no space, no tab stop, not read. */
[data-testid="stElementContainer"]:has(> iframe[srcdoc*="gcm-document-language"]) {{
  display: none;
}}
</style>"""

# Streamlit's index.html says lang="en" and offers no setting for it; scripts in st.html do not run.
# st.iframe of an HTML string is same-origin (srcdoc, sandbox allow-same-origin allow-scripts), so it may set
# the lang attribute of the page that holds it: screen readers then read Spanish text as Spanish. The same frame
# adds, once per page load, the script that puts Streamlit's and Plotly's English words in Spanish while the page
# says lang="es" (`gcm.ui.chrome`): a script added to the page itself, so it lives as long as the page does.
LANG_SCRIPT = """<script id='gcm-document-language'>
const page = window.parent.document;
page.documentElement.lang = '%(lang)s';
if (!page.getElementById('gcm-chrome-words')) {
  const script = page.createElement('script');
  script.id = 'gcm-chrome-words';
  script.textContent = %(chrome)s;
  page.head.appendChild(script);
}
</script>"""


@lru_cache(maxsize=len(LANGUAGES))
def language_frame(lang: str) -> str:
    """The frame's HTML for a page in `lang` (one of LANGUAGES: nothing else reaches the script)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    chrome = json.dumps(chrome_script()).replace("</", "<\\/")
    return LANG_SCRIPT % {"lang": lang, "chrome": chrome}


def apply_app_style(lang: str) -> None:
    """Add the app-wide style sheet to this run's page and declare the page's language as `lang`."""
    st.html(APP_CSS)  # a `<style>` block alone takes no space on the page
    st.iframe(language_frame(lang), height=1, tab_index=-1)
