"""Drawing helpers of the coverage explorer: the view kept in the URL, the filters, the opened report.

The view (cycle, grouping, group, matrix, filters, opened cell, page) lives in widget keys
seeded from `st.query_params` when the page opens, and written back to the URL whenever it changes
(`set_url_param`), so a bookmarked address opens the same view in a new session.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from gcm.charts import status_label, status_order
from gcm.config import load_config
from gcm.explore.coverage import MODES, Filters, tag_labels
from gcm.i18n import t
from gcm.reference import Reference
from gcm.ui import widgets
from gcm.ui.url_params import set_url_param
from gcm.ui.widgets import cycle_names, grouping_notice, inert, web_link

PAGE_SIZE = 40
CELL_KEY = "explorer__cell"  # plain session key: "ISO3-column" of the opened cell
PICK_KEY = "explorer__last_pick"  # the last chart selection acted on, so a rerun does not reopen a closed report
WIDGETS = {  # URL parameter: widget key
    "cycle": "explorer__cycle",
    "grouping": "explorer__grouping",
    "group": "explorer__group",
    "mode": "explorer__mode",
    "status": "explorer__status",
    "category": "explorer__category",
    "priority": "explorer__priority",
    "objective": "explorer__objective",
    "page": "explorer__page",
}


@dataclass(frozen=True)
class Options:
    """What the URL may name: the valid values of each parameter."""

    cycles: tuple[str, ...]
    groupings: tuple[str, ...]
    groups: tuple[str, ...]
    statuses: tuple[str, ...]
    categories: tuple[str, ...]
    default_cycle: str
    default_group: str
    countries: frozenset[str]  # the rows a cell may name ("ISO3-column")
    columns: dict[str, frozenset[str]]  # by mode: the columns a cell may name


def options_for(ref: Reference, cycles: pd.DataFrame, groupings: pd.DataFrame, default_cycle: str) -> Options:
    groups = (*(g.key for g in ref.groups), "ALL")
    default_group = load_config().default_group
    return Options(
        cycles=tuple(cycles["id"]),
        groupings=("", *groupings["id"]),
        groups=groups,
        statuses=tuple(status_order(ref)),
        categories=("", *(c.key for c in ref.categories)),
        default_cycle=default_cycle,
        default_group=default_group if default_group in groups else groups[0],
        countries=frozenset(c.iso3 for c in ref.countries),
        columns={mode: frozenset(_columns(ref, mode)) for mode in MODES},
    )


def _columns(ref: Reference, mode: str) -> list[str]:
    return [str(o.number) for o in ref.objectives] if mode == "objectives" else list(tag_labels(ref, "en", mode))


def parse_params(params: Mapping[str, str], options: Options) -> tuple[dict[str, object], list[str]]:
    """Widget values from URL parameters, with defaults; also the names of the parameters not understood."""
    values: dict[str, object] = {
        "cycle": options.default_cycle,
        "grouping": "",
        "group": options.default_group,
        "mode": MODES[0],
        "status": [],
        "category": "",
        "priority": False,
        "objective": 0,
        "page": 1,
    }
    bad: list[str] = []
    choices = {
        "cycle": options.cycles,
        "grouping": options.groupings,
        "group": options.groups,
        "mode": MODES,
        "category": options.categories,
    }
    for name, raw in params.items():
        if name not in WIDGETS and name != "cell":
            continue
        value = str(raw)
        if name in choices and value in choices[name]:
            values[name] = value
        elif name == "status" and value and all(s in options.statuses for s in value.split(",")):
            values[name] = [s for s in options.statuses if s in value.split(",")]
        elif name == "priority" and value in ("0", "1"):
            values[name] = value == "1"
        elif (
            name in ("objective", "page")
            and value.isdigit()
            and 1 <= int(value) <= (23 if name == "objective" else 999)
        ):
            values[name] = int(value)
        elif name == "cell":
            values[name] = value  # checked below, against the matrix of the mode chosen
        else:
            bad.append(name)
    country, _, column = str(values.get("cell", "")).partition("-")
    if "cell" in values and (country not in options.countries or column not in options.columns[str(values["mode"])]):
        del values["cell"]  # a country or a column the matrix does not have: said, not silently left closed
        bad.append("cell")
    return values, bad


def seed_from_url(options: Options) -> list[str]:
    """Set each filter not in the session yet from the URL; returns the parameters ignored.

    Only missing keys are seeded (a widget that was not drawn in the last run loses its key),
    so a value the reader just chose is never overwritten by the URL of the run before.
    """
    fresh = WIDGETS["cycle"] not in st.session_state
    values, bad = parse_params(dict(st.query_params), options)
    for name, key in WIDGETS.items():
        if key not in st.session_state:
            st.session_state[key] = values[name]
    if fresh:
        st.session_state[CELL_KEY] = values.get("cell")
        st.session_state[PICK_KEY] = None
    return bad if fresh else []


def filters() -> Filters:
    s = st.session_state
    return Filters(
        statuses=tuple(s[WIDGETS["status"]]),
        category=s[WIDGETS["category"]] or None,
        priority_only=bool(s[WIDGETS["priority"]]),
        objective=s[WIDGETS["objective"]] or None,
    )


def write_url() -> None:
    """The URL reflects the view: the main choices always, the filters only when set."""
    s = st.session_state
    wanted = {
        "cycle": s[WIDGETS["cycle"]],
        "grouping": s[WIDGETS["grouping"]] or None,
        "group": s[WIDGETS["group"]],
        "mode": s[WIDGETS["mode"]],
        "status": ",".join(s[WIDGETS["status"]]) or None,
        "category": s[WIDGETS["category"]] or None,
        "priority": "1" if s[WIDGETS["priority"]] else None,
        "objective": str(s[WIDGETS["objective"]]) if s[WIDGETS["objective"]] else None,
        "page": str(s[WIDGETS["page"]]) if s[WIDGETS["page"]] > 1 else None,
        "cell": s.get(CELL_KEY) or None,
    }
    for name, value in wanted.items():
        set_url_param(name, value)


def _close_cell() -> None:
    st.session_state[CELL_KEY] = None


def filter_widgets(lang: str, ref: Reference, options: Options, cycles: pd.DataFrame, groupings: pd.DataFrame) -> None:
    """The filters, in two rows; their values are read back from the session with `filters()`."""
    cycle_label = cycle_names(lang, cycles, short=True)
    cycle_grouping = dict(zip(cycles["id"], cycles["grouping"], strict=True))
    grouping_names = {
        key: t(lang, "explorer.grouping_provisional", name=name) if provisional else name
        for key, name, provisional in zip(
            groupings["id"], groupings[f"name_{lang}"], groupings["provisional"], strict=True
        )
    }
    own = grouping_names.get(cycle_grouping.get(st.session_state[WIDGETS["cycle"]]), "")
    group_names = {g.key: g.key.replace("_", " ") for g in ref.groups} | {"ALL": t(lang, "overview.all_countries")}
    first = st.columns([2, 2, 3, 4])  # cycles go by their short names; the grouping's name is long
    first[0].selectbox(t(lang, "common.cycle"), options.cycles, key=WIDGETS["cycle"], format_func=cycle_label.get)
    first[1].selectbox(t(lang, "overview.group"), options.groups, key=WIDGETS["group"], format_func=group_names.get)
    first[2].selectbox(
        t(lang, "explorer.mode"),
        MODES,
        key=WIDGETS["mode"],
        format_func=lambda m: t(lang, f"explorer.mode_{m}"),
        on_change=_close_cell,
    )
    first[3].selectbox(
        t(lang, "explorer.grouping"),
        options.groupings,
        key=WIDGETS["grouping"],
        format_func=lambda g: grouping_names[g] if g else t(lang, "explorer.grouping_cycle", name=own),
    )
    second = st.columns([2.5, 3, 2.5, 3])  # room for the category's long label and the toggle's
    second[0].multiselect(
        t(lang, "explorer.status_filter"),
        options.statuses,
        select_all=False,  # Streamlit's "Select all" is in English only
        key=WIDGETS["status"],
        format_func=lambda k: status_label(ref, lang, k),
        help=t(lang, "explorer.status_filter_help"),
        placeholder=t(lang, "explorer.any_status"),  # nothing chosen shows every status
    )
    labels = tag_labels(ref, lang, "challenges")
    second[1].selectbox(
        t(lang, "explorer.category_filter"),
        options.categories,
        key=WIDGETS["category"],
        format_func=lambda k: labels[k] if k else t(lang, "explorer.any_category"),
    )
    second[2].selectbox(
        t(lang, "explorer.objective_filter"),
        list(range(24)),
        key=WIDGETS["objective"],
        format_func=lambda n: f"{n}. {ref.objective(n).short.get(lang)}" if n else t(lang, "explorer.no_objective"),
    )
    second[3].toggle(t(lang, "explorer.priority_filter"), key=WIDGETS["priority"])


def grouping_in_use(cycles: pd.DataFrame, groupings: pd.DataFrame, lang: str) -> tuple[str, bool]:
    """The grouping that orders the objective axis, and whether it is provisional; says so when it is."""
    cycle = cycles.loc[cycles["id"] == st.session_state[WIDGETS["cycle"]]].iloc[0]
    chosen = st.session_state[WIDGETS["grouping"]] or str(cycle["grouping"])
    provisional = bool(dict(zip(groupings["id"], groupings["provisional"], strict=True))[chosen])
    if chosen == cycle["grouping"]:
        grouping_notice(lang, cycle)
    elif provisional:
        st.warning(t(lang, "cycle.provisional_grouping"), icon=":material/warning:")
    return chosen, provisional


def page_of(lang: str, countries: list[str]) -> list[str]:
    """The countries on the chosen page of the matrix (the page is kept in the URL)."""
    return widgets.page_of(lang, countries, WIDGETS["page"], PAGE_SIZE, "common.paged_matrix")


def pick(cell: object) -> None:
    """Open the cell the reader just selected in the chart (a selection already acted on is ignored)."""
    if cell is not None and cell != st.session_state.get(PICK_KEY):
        st.session_state[CELL_KEY] = f"{cell.country}-{cell.column}"
    st.session_state[PICK_KEY] = cell


def opened_cell(mode: str, ref: Reference) -> tuple[str, str] | None:
    """The opened cell (country, column), if it names a known country and a column of this matrix."""
    raw = st.session_state.get(CELL_KEY)
    if not raw or "-" not in raw:
        return None
    country, column = raw.split("-", 1)
    if country not in {c.iso3 for c in ref.countries}:
        return None
    valid = [str(n) for n in range(1, 24)] if mode == "objectives" else list(tag_labels(ref, "en", mode))
    return (country, column) if column in valid else None


def _labels(ref: Reference, lang: str, mode: str, keys: list[str]) -> str:
    labels = tag_labels(ref, lang, mode)
    return "; ".join(labels.get(k, k) for k in keys) or "—"


def report_panel(ref: Reference, lang: str, detail: dict | None, country: str, objective: int, cycle: str) -> None:
    """One report's full text, every user-written part inert; or why there is nothing to show."""
    name = ref.country(country).name.get(lang)
    with st.container(border=True, key="explorer__report"):
        st.subheader(t(lang, "explorer.report_heading", country=name, n=objective))
        st.markdown(f"**{inert(ref.objective(objective).title.get(lang))}**")
        if detail is None:
            st.info(t(lang, "explorer.not_readable", country=name, n=objective, cycle=cycle), icon=":material/info:")
        else:
            priority = f" · ★ {t(lang, 'field.national_priority')}" if detail["national_priority"] else ""
            st.markdown(f"{t(lang, 'field.status')}: **{inert(status_label(ref, lang, detail['status']))}**{priority}")
            for field in ("progress", "challenges", "priorities", "good_practice"):
                st.markdown(f"**{t(lang, f'field.{field}')}**")
                st.markdown(inert(detail[field]) if detail[field].strip() else "—")
            st.markdown(
                f"**{t(lang, 'field.principles')}:** {inert(_labels(ref, lang, 'principles', detail['principles']))}"
            )
            for field, mode in (("challenge_categories", "challenges"), ("priority_categories", "priorities")):
                st.markdown(f"**{t(lang, f'field.{field}')}:** {inert(_labels(ref, lang, mode, detail[field]))}")
            if detail["evidence_links"]:
                st.markdown(f"**{t(lang, 'field.evidence_links')}**")
                for link in detail["evidence_links"]:  # saved links are checked http(s) addresses
                    st.markdown(web_link(str(link)))
        left, right = st.columns(2)
        left.page_link(
            "pages/objective.py",
            label=t(lang, "explorer.open_objective", n=objective),
            icon=":material/flag:",
            query_params={"objective": str(objective), "cycle": st.session_state[WIDGETS["cycle"]], "lang": lang},
        )
        right.button(t(lang, "explorer.close"), key="explorer__close", on_click=_close_cell, icon=":material/close:")


def tagged_panel(ref: Reference, lang: str, rows: pd.DataFrame, country: str, mode: str, key: str) -> None:
    """A counts cell opened: the objectives of that country's reports carrying the tag."""
    name = ref.country(country).name.get(lang)
    tag = tag_labels(ref, lang, mode).get(key, key)
    with st.container(border=True, key="explorer__tagged"):
        st.subheader(f"{name} · {tag}")
        if rows.empty:
            st.info(t(lang, "explorer.tagged_none", country=name, tag=tag), icon=":material/info:")
        else:
            table = pd.DataFrame(
                {
                    t(lang, "common.objective"): [
                        f"{int(n)}. {ref.objective(int(n)).title.get(lang)}" for n in rows["objective"]
                    ],
                    t(lang, "field.status"): [status_label(ref, lang, s) for s in rows["status"]],
                }
            )
            st.dataframe(table, hide_index=True, width="stretch")
        st.button(t(lang, "explorer.close"), key="explorer__close", on_click=_close_cell, icon=":material/close:")


def group_label(lang: str, group: str) -> str:
    return t(lang, "overview.all_countries") if group == "ALL" else group.replace("_", " ")
