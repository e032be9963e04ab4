"""Search reports: full text over every narrative field, ranked, matched words in bold; the search lives in the URL."""

import math

import pandas as pd
import streamlit as st

from gcm.explore.search import FIELDS, excerpt_text, run_search
from gcm.i18n import t
from gcm.ui.auth import actor, scope_for, scope_note
from gcm.ui.context import language, page_header, read, reference
from gcm.ui.downloads import download_buttons
from gcm.ui.url_params import set_url_param
from gcm.ui.widgets import cycle_names, grouping_notice, inert

PER_PAGE = 20
DOWNLOAD_LIMIT = 1000
PARAMS = ("q", "cycle", "group", "objective", "section", "field")  # URL key -> widget key search__<key>

lang = language()
ref = reference()
scope = scope_for(actor())
cycles = read("cycles")
cycle_label = cycle_names(lang, cycles, short=True)
country_names = {c.iso3: c.name.get(lang) for c in ref.countries}
options = {
    "cycle": ["", *cycles["id"]],
    "group": ["", *(g.key for g in ref.groups)],
    "objective": [0, *(o.number for o in ref.objectives)],
    "field": ["", *FIELDS],
}

# A bookmarked URL sets the widgets once per session; afterwards the widgets write the URL.
for name in PARAMS:
    key, raw = f"search__{name}", st.query_params.get(name, "")
    if key in st.session_state or name == "section":
        continue
    value = int(raw) if name == "objective" and raw.isdigit() else raw
    st.session_state[key] = value if name == "q" else value if value in options[name] else options[name][0]

page_header(lang, "search.title", "search.intro")
st.caption(scope_note(lang, scope))
query = st.text_input(t(lang, "search.query"), key="search__q", placeholder=t(lang, "search.query_placeholder"))
cols = st.columns(5)
cycle = cols[0].selectbox(
    t(lang, "common.cycle"),
    options["cycle"],
    key="search__cycle",
    format_func=lambda c: cycle_label.get(c) or t(lang, "search.all_cycles"),
)
groups = {g.key: g.name.get(lang) for g in ref.groups}
group = cols[1].selectbox(
    t(lang, "overview.group"),
    options["group"],
    key="search__group",
    format_func=lambda g: groups.get(g) or t(lang, "overview.all_countries"),
)
objective = cols[2].selectbox(
    t(lang, "common.objective"),
    options["objective"],
    key="search__objective",
    format_func=lambda n: f"{n}. {ref.objective(n).short.get(lang)}" if n else t(lang, "search.all_objectives"),
)
section = 0
if cycle:
    row = cycles.set_index("id").loc[cycle]
    sections = read("sections", row["grouping"]).drop_duplicates("section")
    titles = dict(zip(sections["section"], sections[f"title_{lang}"], strict=True))
    if "search__section" not in st.session_state:
        raw = st.query_params.get("section", "")
        st.session_state["search__section"] = int(raw) if raw.isdigit() and int(raw) in titles else 0
    elif st.session_state["search__section"] not in titles:
        st.session_state["search__section"] = 0
    section = cols[3].selectbox(
        t(lang, "common.section"),
        [0, *titles],
        key="search__section",
        format_func=lambda n: titles.get(n) or t(lang, "search.all_sections"),
    )
else:  # in line with the other filters: every section, until a cycle says which sections there are
    cols[3].selectbox(  # not disabled: Streamlit greys a disabled box's label below legible contrast
        t(lang, "common.section"),
        [0],
        format_func=lambda _: t(lang, "search.all_sections"),
        help=t(lang, "search.section_needs_cycle"),
        key="search__section_off",
    )
field = cols[4].selectbox(
    t(lang, "search.field"),
    options["field"],
    key="search__field",
    format_func=lambda f: t(lang, f"field.{f}") if f else t(lang, "search.all_fields"),
)
if cycle:
    grouping_notice(lang, row)

chosen = {"q": query.strip(), "cycle": cycle, "group": group, "objective": objective, "section": section}
chosen["field"] = field
for name, value in chosen.items():
    set_url_param(name, str(value) if value else None)
if st.session_state.get("search__signature") != chosen:  # a new search starts on its first page
    st.session_state["search__signature"] = chosen
    st.session_state["search__page"] = 1


def _turn(step: int) -> None:
    st.session_state["search__page"] += step


args = (scope, chosen["q"], lang, cycle or None, group or None, objective or None, section or None, field or None)


def _head(row: pd.Series) -> str:
    return t(
        lang,
        "search.result_head",
        country=country_names.get(row["country"], row["country"]),
        cycle=cycle_label.get(row["cycle"], row["cycle"]),
        number=row["objective"],
        title=ref.objective(int(row["objective"])).short.get(lang),
        field=t(lang, f"field.{row['field']}"),
    )


def _results() -> None:
    page = st.session_state["search__page"]
    result = read(run_search, *args, PER_PAGE, (page - 1) * PER_PAGE)
    if result.added_terms:
        st.caption(t(lang, "search.added", terms=inert("; ".join(result.added_terms))))
    if result.total == 0:
        st.info(t(lang, "search.empty", query=inert(chosen["q"])), icon=":material/search_off:")
        return
    st.subheader(t(lang, "search.count_one") if result.total == 1 else t(lang, "search.count", total=result.total))
    for _, row in result.rows.iterrows():
        with st.container(border=True):
            st.markdown(f"**{inert(_head(row))}**")
            st.markdown("".join(f"**{inert(text)}**" if hit else inert(text) for text, hit in row["excerpt"]))
    pages = max(1, math.ceil(result.total / PER_PAGE))
    nav = st.columns([1, 2, 1])
    nav[0].button(t(lang, "search.previous"), key="search__previous", on_click=_turn, args=(-1,), disabled=page <= 1)
    nav[1].caption(t(lang, "search.page", page=page, pages=pages))
    nav[2].button(t(lang, "search.next"), key="search__next", on_click=_turn, args=(1,), disabled=page >= pages)
    everything = read(run_search, *args, DOWNLOAD_LIMIT, 0).rows
    table = pd.DataFrame(
        {
            t(lang, "common.country"): [country_names.get(c, c) for c in everything["country"]],
            t(lang, "common.cycle"): [cycle_label.get(c, c) for c in everything["cycle"]],
            t(lang, "common.objective"): everything["objective"],
            t(lang, "common.title"): [ref.objective(int(n)).short.get(lang) for n in everything["objective"]],
            t(lang, "search.field"): [t(lang, f"field.{f}") for f in everything["field"]],
            t(lang, "search.excerpt"): [excerpt_text(e) for e in everything["excerpt"]],
        }
    )
    st.caption(t(lang, "search.download_note", limit=DOWNLOAD_LIMIT))
    download_buttons(lang, table, t(lang, "search.file_name"), "search__download")


if chosen["q"]:
    _results()
else:
    st.info(t(lang, "search.prompt"), icon=":material/search:")
