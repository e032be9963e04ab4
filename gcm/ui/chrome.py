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
# Patterns whose `{label}` is Streamlit's own text (a date field's label and its parts, a date), translated in
# turn; in every other pattern it may be user text (a chosen option, a typed name), kept as it is.
NESTED = frozenset(
    f"chrome.{name}"
    for name in (
        "date_day",
        "date_month",
        "date_year",
        "start_date",
        "end_date",
        "selected_date",
        "today",
        "last_date",
        "first_date",
        "choose_date_range_of",
        "choose_date_of",
    )
)

_SCRIPT = """(() => {
  const words = %(words)s;
  const attributes = ["aria-label", "placeholder", "data-title", "aria-valuetext"];
  const selector = attributes.map((a) => `[${a}]`).join(",");
  // Where user text or the app's own text is shown, or a chart is drawn: never changed. The app's Markdown and
  // code, st.text, st.table, a select box's options (each has a key; its "No results" has none), a
  // multiselect's chosen values (tags), a table's cells and the copy of them a screen reader reads, a chart's
  // drawing. Streamlit's own words inside them are the exceptions: the drop zone's button label, drawn as
  // Markdown ("Upload"), and the labels of a tag's remove button ("Remove {label}", whose rest, the option, is
  // kept as it is) and of a heading's link ("Link to heading").
  const kept = [
    '[data-testid="stMarkdownContainer"]', '[data-testid="stText"]', "code", "pre", "textarea", "svg", "table",
    '[role="option"][data-key]', '[role="grid"]', "[data-tag]",
  ].join(",");
  const ownText = '[data-testid="stFileUploaderDropzone"] [data-testid="stMarkdownContainer"]';
  const ownAttributes = '[data-tag] > button, [data-testid="stHeaderActionElements"] a';
  // A date is read as one only in the date picker (a dialog) or inside a pattern that holds one.
  const picker = '[role="dialog"]';
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

  // A pattern's rest is kept as it is (it may be user text: "Remove {label}" of a chosen option), except in the
  // patterns whose rest is Streamlit's own (a field's label and its words, or a date): those are "nested".
  function spanish(value, dates) {
    if (Object.prototype.hasOwnProperty.call(words.exact, value)) return words.exact[value];
    for (const [before, after, esBefore, esAfter, nested] of words.patterns) {
      if (value.length > before.length + after.length && value.startsWith(before) && value.endsWith(after)) {
        const rest = value.slice(before.length, value.length - after.length);
        return esBefore + ((nested && spanish(rest, true)) || rest) + esAfter;
      }
    }
    return dates ? spanishDate(value) : null;
  }

  function put(owner, key, current, dates, set) {
    const done = changed.get(owner) || {};
    const record = done[key];
    if (record && current === record[1]) {
      if (root.lang !== "es") { set(record[0]); delete done[key]; shown -= 1; }
      return;
    }
    if (root.lang !== "es") return;
    const text = current.trim();
    const said = text && spanish(text, dates);
    if (!said || said === text) return;
    const at = current.indexOf(text);  // the spaces around a text node's words stay
    const spaced = current.slice(0, at) + said + current.slice(at + text.length);
    if (!record) shown += 1;
    done[key] = [current, spaced];
    changed.set(owner, done);
    set(spaced);
  }

  function visit(element) {
    if (element.closest(kept) && !element.matches(ownAttributes)) return;
    const dates = !!element.closest(picker);
    for (const name of attributes) {
      const value = element.getAttribute(name);
      if (value) put(element, name, value, dates, (v) => element.setAttribute(name, v));
    }
  }

  function visitText(node) {
    const parent = node.parentElement;
    if (!parent || (parent.closest(kept) && !parent.closest(ownText))) return;
    put(node, "#text", node.nodeValue, !!parent.closest(picker), (v) => { node.nodeValue = v; });
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
    - "patterns": [before, after, spanish before, spanish after, nested] for each with it (`{label}` is the
      rest, translated in turn only where `nested`: see NESTED);
    - "months" and "weekdays": [english, spanish] pairs, and "dates": the Spanish forms of a date
      (`chrome_date.*`), for the dates the date picker writes in English.
    """
    english, spanish = catalogue("en"), catalogue("es")
    exact: dict[str, str] = {}
    patterns: list[list[str]] = []
    for key in sorted(k for k in english if k.startswith("chrome.")):
        if LABEL in english[key]:
            patterns.append([*english[key].split(LABEL, 1), *spanish[key].split(LABEL, 1), key in NESTED])
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
