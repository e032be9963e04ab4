"""Streamlit's and Plotly's own English words, in Spanish on a Spanish page.

Neither library translates what it draws around the app's content: the labels a screen reader reads ("Help for
Locked", "Collapse sidebar", "day, Deadline"), the chart toolbar's tooltips ("Download plot as a PNG"), the
"Skip to main content" link and an empty date field's "yyyy". The words are in the catalogues
(locales/*/chrome.yaml); a small script, added once to the page by `gcm.ui.style`, replaces each English text
with its Spanish one while the page says lang="es", and puts the English back when the reader switches to
English. It changes attributes and the text of two known elements only (never HTML), and only texts that are
exactly one of the catalogue's, or one of its patterns around the rest of the text, which it keeps as it is.
"""

from __future__ import annotations

import json
from functools import lru_cache

from gcm.i18n import catalogue

LABEL = "{label}"

_SCRIPT = """(() => {
  const words = %(words)s;
  const attributes = ["aria-label", "placeholder", "title", "data-title", "aria-valuetext"];
  const texts = '[data-testid="stSkipToContent"], [role="spinbutton"][data-placeholder="true"]';
  const selector = attributes.map((a) => `[${a}]`).join(",") + "," + texts;
  const root = document.documentElement;
  const changed = new WeakMap();  // element -> {attribute or "#text": [english, spanish]}

  function spanish(value) {
    if (Object.prototype.hasOwnProperty.call(words.exact, value)) return words.exact[value];
    for (const [before, after, esBefore, esAfter] of words.patterns) {
      if (value.length > before.length + after.length && value.startsWith(before) && value.endsWith(after)) {
        const rest = value.slice(before.length, value.length - after.length);
        return esBefore + (spanish(rest) ?? rest) + esAfter;
      }
    }
    return null;
  }

  let shown = 0;  // texts now in Spanish: on an English page with none, there is nothing to do

  function put(element, key, current, set) {
    const done = changed.get(element) || {};
    const record = done[key];
    if (record && current === record[1]) {
      if (root.lang !== "es") { set(record[0]); delete done[key]; shown -= 1; }
      return;
    }
    if (root.lang !== "es") return;
    const said = spanish(current);
    if (said === null || said === current) return;
    done[key] = [current, said];
    changed.set(element, done);
    shown += 1;
    set(said);
  }

  function visit(element) {
    for (const name of attributes) {
      const value = element.getAttribute(name);
      if (value) put(element, name, value, (v) => element.setAttribute(name, v));
    }
    if (element.matches(texts) && element.childNodes.length === 1 && element.firstChild.nodeType === 3) {
      const node = element.firstChild;
      put(element, "#text", node.nodeValue, (v) => { node.nodeValue = v; });
    }
  }

  // A chart's drawing (SVG: thousands of nodes at a time) holds none of these words; its toolbar is HTML.
  const drawn = (node) => node.nodeType !== 1 || node instanceof SVGElement;

  function scan(node) {
    if (drawn(node)) return;
    visit(node);
    node.querySelectorAll(selector).forEach(visit);
  }

  new MutationObserver((records) => {
    if (root.lang !== "es" && shown === 0) return;
    for (const record of records) {
      const target = record.target;
      if (record.type === "childList") {
        record.addedNodes.forEach(scan);
        if (!drawn(target) && target.matches(texts)) visit(target);
      } else if (record.type === "attributes") {
        if (target === root) scan(document.body); else if (!drawn(target)) visit(target);
      } else if (target.parentElement && target.parentElement.matches(texts)) {
        visit(target.parentElement);
      }
    }
  }).observe(root, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: [...attributes, "lang"],
  });
  scan(document.body);
})();"""


@lru_cache(maxsize=1)
def chrome_words() -> dict[str, object]:
    """{"exact": {english: spanish}, "patterns": [[before, after, spanish before, spanish after]]}: every
    `chrome.*` string of the catalogues; a pattern's `{label}` is the rest of the text."""
    english, spanish = catalogue("en"), catalogue("es")
    exact: dict[str, str] = {}
    patterns: list[list[str]] = []
    for key in sorted(k for k in english if k.startswith("chrome.")):
        if LABEL in english[key]:
            patterns.append([*english[key].split(LABEL, 1), *spanish[key].split(LABEL, 1)])
        else:
            exact[english[key]] = spanish[key]
    return {"exact": exact, "patterns": patterns}


@lru_cache(maxsize=1)
def chrome_script() -> str:
    """The script's text, safe inside a `<script>` element (no `</` in it)."""
    words = json.dumps(chrome_words(), ensure_ascii=False).replace("</", "<\\/")
    return _SCRIPT % {"words": words}
