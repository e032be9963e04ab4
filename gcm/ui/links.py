"""Links between the analysts' pages, and choices kept in the URL so that a view can be bookmarked."""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence
from typing import Any

import streamlit as st

from gcm.i18n import t
from gcm.reference import Objective
from gcm.ui.context import reference
from gcm.ui.url_params import set_url_param

OBJECTIVE_PAGE = "pages/objective.py"
COUNTRY_PAGE = "pages/country_profile.py"
ONEPAGER_PAGE = "pages/country_onepager.py"
COMPARE_PAGE = "pages/compare.py"


@functools.lru_cache(maxsize=256)
def _made_page(page_class: type, path: str, title: str | None, icon: str | None, default: bool) -> st.Page:
    # Keyed on the class too: a test that stands in for st.Page gets its own entries.
    return page_class(path, title=title, icon=icon, default=default)


def app_page(path: str, title: str | None = None, icon: str | None = None, default: bool = False) -> st.Page:
    """`st.Page(path, ...)`, made once per process and handed out as a copy.

    Making one resolves its file on disk (about 50 µs); the router lists up to 19 pages on every run and the
    profile pages draw 40 links. A copy, because `st.navigation` marks the page it is about to run.
    """
    return copy.copy(_made_page(st.Page, path, title, icon, default))


def _linked(path: str) -> st.Page:
    """The page a link points to (a page link only reads it, so no copy is needed)."""
    return _made_page(st.Page, path, None, None, False)


def hub_url(objective: Objective) -> str:
    """The objective's page of practices on the Migration Network Hub (its taxonomy id, data/objectives.yaml)."""
    return f"https://migrationnetwork.un.org/hub?gcm_objectives={objective.hub_id}"


def _params(lang: str, **values: Any) -> dict[str, str]:
    return {"lang": lang} | {k: str(v) for k, v in values.items() if v is not None}


def objective_link(lang: str, number: int, cycle: str | None = None, label: str | None = None) -> None:
    """A link to the objective's profile page (optionally in one cycle)."""
    text = label or f"{number}. {reference().objective(number).short.get(lang)}"
    st.page_link(
        _linked(OBJECTIVE_PAGE),
        label=text,
        icon=":material/flag:",
        query_params=_params(lang, objective=number, cycle=cycle),
    )


def country_link(lang: str, iso3: str, cycle: str | None = None, label: str | None = None) -> None:
    """A link to the country's profile page (optionally with a cycle)."""
    text = label or reference().country(iso3).name.get(lang)
    st.page_link(
        _linked(COUNTRY_PAGE),
        label=text,
        icon=":material/public:",
        query_params=_params(lang, country=iso3, cycle=cycle),
    )


def onepager_link(lang: str, iso3: str, cycle: str, label: str) -> None:
    """A link to the country's one-pager for a cycle."""
    st.page_link(
        _linked(ONEPAGER_PAGE),
        label=label,
        icon=":material/article:",
        query_params=_params(lang, country=iso3, cycle=cycle),
    )


def compare_link(lang: str, label: str, **choices: Any) -> None:
    """A link to the cycle comparison with its choices (a, b, group, country, objective)."""
    st.page_link(
        _linked(COMPARE_PAGE), label=label, icon=":material/compare_arrows:", query_params=_params(lang, **choices)
    )


def from_url(param: str, key: str, options: Sequence[Any], default: Any) -> None:
    """Before the widget `key` is drawn: take its value from the URL when the URL brings a new one
    (a link or a bookmark), else keep the user's choice, else `default`."""
    by_text = {str(o): o for o in options}
    wanted = st.query_params.get(param)
    if wanted in by_text and (key not in st.session_state or wanted != st.session_state.get(f"{key}__url")):
        st.session_state[key] = by_text[wanted]
    elif key not in st.session_state or st.session_state[key] not in options:
        st.session_state[key] = default


def to_url(param: str, key: str, value: Any) -> None:
    """Put the chosen value in the URL (and remember it, so a later URL change is recognised)."""
    set_url_param(param, str(value))
    st.session_state[f"{key}__url"] = str(value)


def url_select(
    param: str, key: str, label: str, options: Sequence[Any], default: Any, format_func: Any = str, where: Any = st
) -> Any:
    """A select box whose choice lives in the URL query parameter `param` as well."""
    from_url(param, key, options, default)
    value = where.selectbox(label, list(options), key=key, format_func=format_func)
    to_url(param, key, value)
    return value


def group_select(lang: str, key: str, where: Any = st) -> str | None:
    """The country group (URL parameter `group`); None for all countries."""
    from gcm.config import load_config

    ref = reference()
    groups = [g.key for g in ref.groups] + ["ALL"]
    names = {g.key: g.name.get(lang) for g in ref.groups} | {"ALL": t(lang, "overview.all_countries")}
    default = load_config().default_group
    chosen = url_select(
        "group",
        key,
        t(lang, "overview.group"),
        groups,
        default if default in groups else groups[0],
        names.__getitem__,
        where,
    )
    return None if chosen == "ALL" else chosen
