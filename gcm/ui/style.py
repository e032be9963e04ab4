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
}}
/* A button's label wraps where its column is narrow (a phone, a tablet with the sidebar open) instead of ending
   in "…" ("Preparar el paquete informativo (HTML, funciona s…", "Download ever…" for all three formats). */
:is(.stButton, .stDownloadButton, .stFormSubmitButton) button .stMarkdownEllipsis p {{
  white-space: normal;
  text-overflow: clip;
}}
:is(.stButton, .stDownloadButton, .stFormSubmitButton) button {{
  height: auto;
}}
/* A link in the page (not the sidebar's menu) wraps too: "Qué cambió: Revisión Regional de América Latina y el C"
   hid which cycles it compares. */
[data-testid="stMain"] [data-testid="stPageLink"] a :is(span:has(> [data-testid="stMarkdownContainer"]),
  [data-testid="stMarkdownContainer"], [data-testid="stMarkdownContainer"] p) {{
  white-space: normal;
}}
/* A collapsed sidebar is off screen: its links leave the tab order (a presenter tabbing to the slide's buttons
   went through 17 of them) and what a screen reader reads. */
[data-testid="stSidebar"][data-collapsed="true"] {{
  visibility: hidden;
}}
/* The frame that declares the page's language (below) shows nothing: no space, no tab stop, not read. */
[data-testid="stElementContainer"]:has(> iframe[srcdoc*="gcm-document-language"]) {{
  display: none;
}}
</style>"""

# Streamlit scrolls its main area, not the document: with nothing focused (the page's body), the arrow keys, the
# space bar, Home and End scrolled nothing, and a presenter could not reach the bottom of a slide taller than the
# screen. They scroll the main area, as they would a page; a focused control keeps its keys.
KEYBOARD_SCROLL = """(() => {
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const focused = document.activeElement;
    if (focused && focused !== document.body && focused !== document.documentElement) return;
    const main = document.querySelector('[data-testid="stMain"]');
    if (!main) return;
    const screen = main.clientHeight * 0.9;
    const by = {
      ArrowDown: 40, ArrowUp: -40, " ": event.shiftKey ? -screen : screen,
      Home: -main.scrollHeight, End: main.scrollHeight,
    }[event.key];
    if (by === undefined) return;
    event.preventDefault();
    main.scrollBy({top: by});
  });
})();"""

# A step that asks to confirm (a container whose key ends in STEP_KEY: "Send the country report now" / "Cancel")
# appears in place of the button that opened it, and Streamlit leaves the keyboard's focus on the page's body: the
# next Tab went past the step's buttons. The step takes the focus when it appears (not its buttons: Enter must not
# send), so that Tab reaches them next and a screen reader reads the step.
STEP_KEY = "__step"
FOCUS_NEW_STEP = """(() => {
  const steps = '[class*="st-key-"][class*="{step}"]';
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        const step = node.matches(steps) ? node : node.querySelector(steps);
        if (step && !step.contains(document.activeElement)) {
          step.tabIndex = -1;
          step.focus();
        }
      }
    }
  }).observe(document.body, {childList: true, subtree: true});
})();""".replace("{step}", STEP_KEY)

# Streamlit's index.html says lang="en" and offers no setting for it; scripts in st.html do not run.
# st.iframe of an HTML string is same-origin (srcdoc, sandbox allow-same-origin allow-scripts), so it may set
# the lang attribute of the page that holds it: screen readers then read Spanish text as Spanish. The same frame
# adds, once per page load, the script that puts Streamlit's and Plotly's English words in Spanish while the page
# says lang="es" (`gcm.ui.chrome`), the one that lets the keyboard scroll the page (KEYBOARD_SCROLL) and the one
# that gives a confirmation step the focus (FOCUS_NEW_STEP): scripts added to the page itself, so they live as long
# as the page does.
LANG_SCRIPT = """<script id='gcm-document-language'>
const page = window.parent.document;
page.documentElement.lang = '%(lang)s';
for (const [id, text] of %(scripts)s) {
  if (!page.getElementById(id)) {
    const script = page.createElement('script');
    script.id = id;
    script.textContent = text;
    page.head.appendChild(script);
  }
}
</script>"""


@lru_cache(maxsize=len(LANGUAGES))
def language_frame(lang: str) -> str:
    """The frame's HTML for a page in `lang` (one of LANGUAGES: nothing else reaches the script)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    scripts = [
        ["gcm-chrome-words", chrome_script()],
        ["gcm-keyboard-scroll", KEYBOARD_SCROLL],
        ["gcm-focus-new-step", FOCUS_NEW_STEP],
    ]
    return LANG_SCRIPT % {"lang": lang, "scripts": json.dumps(scripts).replace("</", "<\\/")}


def apply_app_style(lang: str) -> None:
    """Add the app-wide style sheet to this run's page and declare the page's language as `lang`."""
    st.html(APP_CSS)  # a `<style>` block alone takes no space on the page
    st.iframe(language_frame(lang), height=1, tab_index=-1)
