"""Streamlit's and Plotly's own English words, in Spanish on a Spanish page.

Neither library translates what it draws around the app's content: the labels a screen reader reads ("Help for
Locked", "Collapse sidebar", "day, Deadline"), the chart toolbar's tooltips ("Download plot as a PNG"), the
"Skip to main content" link, a file drop zone, a select box's "No results", a table's search, the date picker's
months and its "Past Week". The words are in the catalogues (locales/*/chrome.yaml); a small script, added once
to the page by `gcm.ui.style`, replaces each English text with its Spanish one while the page says lang="es",
and puts the English back when the reader switches to English.

It changes attribute values and text nodes only (never HTML), and only texts that are exactly one of the
catalogue's words, one of its patterns around the rest of the text (kept as it is, or itself translated), or a
date as the date picker writes it. Text inside the app's own Markdown and code (where user text is shown) and
inside a chart's drawing is never touched.
"""

from __future__ import annotations

import json
from functools import lru_cache

from gcm.i18n import catalogue

LABEL = "{label}"

_SCRIPT = """(() => {
  const words = %(words)s;
  const attributes = ["aria-label", "placeholder", "title", "data-title", "aria-valuetext"];
  const selector = attributes.map((a) => `[${a}]`).join(",");
  // Where user text is shown (the app's Markdown, code) or a chart is drawn: never changed. Streamlit draws its
  // own file drop zone's button label as Markdown too ("Upload"): the one place its Markdown holds its words.
  const kept = '[data-testid="stMarkdownContainer"], code, pre, textarea, svg';
  const ownMarkdown = '[data-testid="stFileUploaderDropzone"] [data-testid="stMarkdownContainer"]';
  const root = document.documentElement;
  const changed = new WeakMap();  // element or text node -> {attribute or "#text": [english, spanish]}
  let shown = 0;  // texts now in Spanish: on an English page with none, there is nothing to do

  const month = Object.fromEntries(words.months);
  const weekday = Object.fromEntries(words.weekdays);
  const months = words.months.map((m) => m[0]).join("|");
  const weekdays = words.weekdays.map((d) => d[0]).join("|");
  const fullDate = new RegExp(`^(?:(${weekdays}), )?(${months}) (\\\\d{1,2}), (\\\\d{1,4})$`);
  const monthYear = new RegExp(`^(${months}) (\\\\d{4})$`);
  const monthValue = new RegExp(`^(\\\\d{1,2}) – (${months})$`);
  const fill = (template, values) => template.replace(/{(\\w+)}/g, (_, name) => values[name]);

  function spanishDate(value) {
    let m = fullDate.exec(value);
    if (m) {
      const day = fill(words.dates.day, {day: m[3], month: month[m[2]], year: m[4]});
      return m[1] ? `${weekday[m[1]]}, ${day}` : day;
    }
    m = monthYear.exec(value);
    if (m) return fill(words.dates.month, {month: month[m[1]], year: m[2]});
    m = monthValue.exec(value);
    return m ? `${m[1]} – ${month[m[2]]}` : null;
  }

  function spanish(value) {
    if (Object.prototype.hasOwnProperty.call(words.exact, value)) return words.exact[value];
    for (const [before, after, esBefore, esAfter] of words.patterns) {
      if (value.length > before.length + after.length && value.startsWith(before) && value.endsWith(after)) {
        const rest = value.slice(before.length, value.length - after.length);
        return esBefore + (spanish(rest) ?? rest) + esAfter;
      }
    }
    return spanishDate(value);
  }

  function put(owner, key, current, set) {
    const done = changed.get(owner) || {};
    const record = done[key];
    if (record && current === record[1]) {
      if (root.lang !== "es") { set(record[0]); delete done[key]; shown -= 1; }
      return;
    }
    if (root.lang !== "es") return;
    const text = current.trim();
    const said = text && spanish(text);
    if (!said || said === text) return;
    const spaced = current.replace(text, said);  // the spaces around a text node's words stay
    done[key] = [current, spaced];
    changed.set(owner, done);
    shown += 1;
    set(spaced);
  }

  function visit(element) {
    for (const name of attributes) {
      const value = element.getAttribute(name);
      if (value) put(element, name, value, (v) => element.setAttribute(name, v));
    }
  }

  function visitText(node) {
    const parent = node.parentElement;
    if (!parent || (parent.closest(kept) && !parent.closest(ownMarkdown))) return;
    put(node, "#text", node.nodeValue, (v) => { node.nodeValue = v; });
  }

  function scan(node) {
    if (node.nodeType === 3) { visitText(node); return; }
    if (node.nodeType !== 1 || node instanceof SVGElement) return;
    visit(node);
    node.querySelectorAll(selector).forEach((e) => { if (!(e instanceof SVGElement)) visit(e); });
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) visitText(walker.currentNode);
  }

  new MutationObserver((records) => {
    if (root.lang !== "es" && shown === 0) return;
    for (const record of records) {
      const target = record.target;
      if (record.type === "childList") record.addedNodes.forEach(scan);
      else if (record.type === "attributes") {
        if (target === root) scan(document.body); else if (!(target instanceof SVGElement)) visit(target);
      } else visitText(target);
    }
  }).observe(root, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: [...attributes, "lang"],
  });
  scan(document.body);
})();"""


@lru_cache(maxsize=1)
def chrome_words() -> dict[str, object]:
    """What the page's script needs, from the catalogues:

    - "exact": {english: spanish} for every `chrome.*` string without `{label}`;
    - "patterns": [before, after, spanish before, spanish after] for each with it (`{label}` is the rest);
    - "months" and "weekdays": [english, spanish] pairs, and "dates": the Spanish forms of a date
      (`chrome_date.*`), for the dates the date picker writes in English.
    """
    english, spanish = catalogue("en"), catalogue("es")
    exact: dict[str, str] = {}
    patterns: list[list[str]] = []
    for key in sorted(k for k in english if k.startswith("chrome.")):
        if LABEL in english[key]:
            patterns.append([*english[key].split(LABEL, 1), *spanish[key].split(LABEL, 1)])
        else:
            exact[english[key]] = spanish[key]
    return {
        "exact": exact,
        "patterns": patterns,
        "months": [[english[f"chrome.month_{n}"], spanish[f"chrome.month_{n}"]] for n in range(1, 13)],
        "weekdays": [[english[f"chrome.weekday_{n}"], spanish[f"chrome.weekday_{n}"]] for n in range(1, 8)],
        "dates": {"day": spanish["chrome_date.day"], "month": spanish["chrome_date.month"]},
    }


@lru_cache(maxsize=1)
def chrome_script() -> str:
    """The script's text, safe inside a `<script>` element (no `</` in it)."""
    words = json.dumps(chrome_words(), ensure_ascii=False).replace("</", "<\\/")
    return _SCRIPT % {"words": words}
