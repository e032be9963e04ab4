"""Small drawing helpers shared by several pages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import quote, urlsplit

import pandas as pd
import streamlit as st

from gcm.i18n import t
from gcm.reference import Grouping, Reference


@contextmanager
def lazy_expander(label: str, key: str, icon: str | None = None) -> Iterator[bool]:
    """An expander whose content the caller builds only while it is open: yields whether it is.

    Opening or closing it reruns the page (Streamlit's lazy expander), and it stays as the reader left it on later
    runs, also when its label changes (another language, a count in it that moved on). A closed expander costs
    nothing: Streamlit otherwise builds, sends and draws a closed expander's content on every run.
    """
    with st.expander(label, expanded=_opens_expanded(label, key), key=key, icon=icon, on_change="rerun") as box:
        yield bool(box.open)


def _opens_expanded(label: str, key: str) -> bool:
    """Whether the expander `key` is drawn open: as it was, when its label has just changed.

    Streamlit identifies an expander by its label and `expanded` as well as its key, so a new label (the other
    language, a new count) makes a new, closed expander. `expanded` is chosen once per label (keeping the
    expander the same one while the label stays) and, on a change, carries over whether it was open. A reader
    who comes back from another page finds it closed, as every expander is (Streamlit forgot its state on leaving).
    """
    chosen = f"{key}_expanded"
    if key not in st.session_state:  # the first run of this page since the reader came to it
        expanded = False
    else:
        seen_label, expanded = st.session_state.get(chosen, (label, False))
        if seen_label != label:
            expanded = bool(st.session_state[key])  # the expander of the previous run, under its old label
    st.session_state[chosen] = (label, expanded)
    return expanded


def data_table(
    lang: str,
    key: str,
    table: pd.DataFrame | Callable[[], pd.DataFrame],
    hide_index: bool = False,
    below: Callable[[pd.DataFrame], None] | None = None,
) -> None:
    """A chart's data as a table, in a `lazy_expander` under the chart: built and sent only once the reader opens
    it (a table in a closed expander was still converted on every run and drawn by the browser on opening: 0.4 s
    of the global overview's first load). `table` may be a function that builds it; `below(table)` draws what goes
    under it (e.g. downloads).
    """
    with lazy_expander(t(lang, "overview.data_table"), f"{key}__table") as shown:
        if shown:
            frame = table() if callable(table) else table
            st.dataframe(frame, hide_index=hide_index, width="stretch")
            if below is not None:
                below(frame)


def cycle_caption(lang: str, cycle: pd.Series) -> None:
    """Dates, state and grouping caveats of a cycle (a row of `queries.cycles`)."""
    state = t(lang, "cycle.open" if cycle["is_open"] else "cycle.closed")
    st.caption(t(lang, "cycle.caption", start=cycle["start"].isoformat(), end=cycle["end"].isoformat(), state=state))
    grouping_notice(lang, cycle)


def grouping_notice(lang: str, cycle: pd.Series) -> None:
    """Say so whenever the grouping shown is provisional or not confirmed for this cycle."""
    if cycle["provisional"]:
        st.warning(t(lang, "cycle.provisional_grouping"), icon=":material/warning:")
    elif not cycle["grouping_confirmed"]:
        st.info(t(lang, "cycle.unconfirmed_grouping"), icon=":material/info:")


def objectives_by_section_table(ref: Reference, lang: str, grouping: Grouping) -> pd.DataFrame:
    """One row per objective: its section, number, official title."""
    rows = [
        {
            t(lang, "common.section"): section.title.get(lang),
            t(lang, "common.objective"): number,
            t(lang, "common.title"): ref.objective(number).title.get(lang),
        }
        for section in grouping.sections
        for number in section.objectives
    ]
    return pd.DataFrame(rows)


# How a date field reads and takes a date: day first in Spanish, as dates are written there; in English the
# ISO order the app's tables and logs show. Streamlit's default (YYYY/MM/DD) is neither.
DATE_FORMATS = {"es": "DD/MM/YYYY", "en": "YYYY-MM-DD"}


def date_format(lang: str) -> str:
    """`st.date_input`'s `format` for `lang`."""
    return DATE_FORMATS.get(lang, DATE_FORMATS["en"])


def cycle_names(lang: str, cycles: pd.DataFrame, *, short: bool = False) -> dict[str, str]:
    """Each cycle's name by id (rows of `queries.cycles`); `short` where room is tight: it keeps the year."""
    return dict(zip(cycles["id"], cycles[f"{'short' if short else 'name'}_{lang}"], strict=True))


def cycle_selector(lang: str, cycles: pd.DataFrame, default: str, key: str, *, short: bool = False) -> str:
    """A select box of cycles (rows of `queries.cycles`), returning the chosen id; `short` names (as
    `cycle_names`) in a box that shares its row with two or more others."""
    ids = list(cycles["id"])
    names = cycle_names(lang, cycles, short=short)
    return st.selectbox(t(lang, "common.cycle"), ids, index=ids.index(default), key=key, format_func=names.__getitem__)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


# Streamlit's Markdown turns a bare address into a link whatever is escaped in it (GFM autolink literals:
# "scheme://", "www." and e-mail addresses): an invisible word joiner (U+2060) after "://", "www" and "@" keeps
# the text as typed on screen, and unclickable.
_JOINER = "\u2060"
_AUTOLINKS = (
    (re.compile(r"\\:(?=//)"), "\\:" + _JOINER),
    (re.compile(r"(?i)(?<![a-z0-9])(www)(?=\\\.)"), r"\1" + _JOINER),  # also after "_": Markdown's rule
    (re.compile("@"), "@" + _JOINER),
)


def inert(text: str) -> str:
    """User text made safe for st.markdown/st.caption: every markup character is escaped, and no address in
    it becomes a link."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    for pattern, replacement in _AUTOLINKS:
        escaped = pattern.sub(replacement, escaped)
    return escaped


def web_link(address: str) -> str:
    """Markdown for a saved evidence link: a link whose label is the address as typed (inert) and whose
    target is the address with every character Markdown or a browser could read otherwise percent-encoded;
    anything but an http(s) address with a host is shown as inert text only."""
    parts = urlsplit(address)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return inert(address)
    target = quote(address, safe=":/?#@!$&'*+,;=%~-._").replace("(", "%28").replace(")", "%29")
    return f"[{inert(address)}]({target})"


def group_selector(lang: str, ref: Reference, key: str) -> str | None:
    """A select box of country groups (or all countries); returns the group key, None for all."""
    from gcm.config import load_config

    groups = [g.key for g in ref.groups] + ["ALL"]
    names = {g.key: g.name.get(lang) for g in ref.groups} | {"ALL": t(lang, "overview.all_countries")}
    default = load_config().default_group
    chosen = st.selectbox(
        t(lang, "overview.group"),
        groups,
        key=key,
        format_func=names.__getitem__,
        index=groups.index(default) if default in groups else 0,
    )
    return None if chosen == "ALL" else chosen


def column_width(texts: list[str], *, least: int = 120, most: int = 320) -> int:
    """Pixels for a table column to show the longest of `texts` whole (at the app's 14 px table font, about
    7.5 px a character, with the cell's padding), between `least` and `most`: Streamlit's "medium" column
    cuts a country such as "Bolivia (Estado Plurinacional de)"."""
    longest = max((len(text) for text in texts), default=0)
    return max(least, min(most, round(longest * 7.5) + 28))


PAGE_SIZE = 40  # countries per page where a table or matrix of every country would not be legible


def page_number(
    lang: str, total: int, key: str, size: int, label_key: str = "common.page", hint_key: str | None = None
) -> int:
    """The chosen page (from 1) of `total` items shown `size` at a time; the chooser (each page named by the
    items it holds, "11–20 de 170") appears only when they do not fit on one, under `hint_key` when given."""
    pages = max(1, -(-total // size))
    if st.session_state.get(key, 1) > pages:
        st.session_state[key] = 1
    if pages > 1:
        if hint_key:
            st.caption(t(lang, hint_key, total=total, size=size))
        st.selectbox(
            t(lang, label_key),
            list(range(1, pages + 1)),
            key=key,
            format_func=lambda p: t(
                lang, "common.page_option", first=(p - 1) * size + 1, last=min(p * size, total), total=total
            ),
        )
    return int(st.session_state.get(key, 1))


def page_of(
    lang: str, countries: list[str], key: str, size: int = PAGE_SIZE, hint_key: str = "common.paged"
) -> list[str]:
    """The countries on the chosen page; a page chooser appears only when they do not fit on one.

    `hint_key` is the sentence above the chooser (a page with a group filter can point at it)."""
    number = page_number(lang, len(countries), key, size, hint_key=hint_key)
    return countries[(number - 1) * size : number * size]
