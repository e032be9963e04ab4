"""The secretariat's one-screen review of a country report, and tables of workflow states and statuses
drawn with words and colours (shared by the Country report and Submissions pages)."""

from __future__ import annotations

import threading
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler
from pandas.io.formats.style_render import maybe_convert_css_to_tuples

from gcm import declaration
from gcm.audit_detail import describe
from gcm.charts import ink_on
from gcm.db import read_session
from gcm.i18n import t
from gcm.permissions import ReadScope
from gcm.reference import Reference
from gcm.submission_changes import changes_since_submission
from gcm.ui.context import engine, read, reference
from gcm.ui.widgets import column_width, cycle_names, inert, lazy_expander, page_number

ROW, HEADER = 35, 38
STATE_COLORS = {
    "not_started": "#f0f0f0",
    "draft": "#fff4cc",
    "submitted": "#d6e4f5",
    "returned": "#f9d9c4",
    "validated": "#d4ecd5",
}


def table_height(rows: int) -> int:
    """Exactly the rows' height: no blank rows under a table."""
    return HEADER + ROW * max(rows, 1) + 2


def status_colors(ref: Reference, lang: str, short: bool = False) -> dict[str, str]:
    """Status word (its short label with `short`) → CSS of its cell (the scale's colour, with the text colour that
    contrasts more)."""
    css = {}
    for status in ref.statuses:
        text = ink_on(status.color)
        css[(status.short if short else status.label).get(lang)] = f"background-color: {status.color}; color: {text}"
    css[t(lang, "status.not_reported")] = "color: #555"
    return css


def state_colors(lang: str) -> dict[str, str]:
    from gcm.ui.workflow_panel import state_words

    return {state_words(lang, s): f"background-color: {c}; color: #111" for s, c in STATE_COLORS.items()}


def _cell_rules(
    frame: pd.DataFrame, colors: dict[str, str], columns: list[str], cells: dict[str, list[Any]] | None = None
) -> list[dict[str, Any]]:
    """The colour rules of `frame`'s cells in `columns` (`colors` by each cell's text; none for a text it does not
    name), as pandas' Styler translates them for Streamlit: one rule per CSS, naming its cells ("row3_col2") in the
    order pandas walks them (row by row). Worked out over plain lists (`cells`: the frame's columns as the lists it
    was built from, where the caller has them): pandas' own `apply`, `_compute` and `_translate` took 20–25 ms for
    the Submissions page's two tables of 40 rows after each save."""
    positions = sorted(frame.columns.get_loc(name) for name in columns)  # a name the frame lacks: KeyError
    pairs = {css: tuple(maybe_convert_css_to_tuples(css)) for css in set(colors.values()) if css}  # as pandas reads CSS
    if cells is None:  # read back from the frame at once: column by column costs pandas 2.5× as much
        values = frame.to_numpy(dtype=object)
        texts = [values[:, c].tolist() for c in positions]
    else:
        texts = [cells[frame.columns[c]] for c in positions]
    rules: dict[tuple[tuple[str, str], ...], list[str]] = {}  # in the order pandas first meets each
    for r in range(len(frame)):
        for c, column in zip(positions, texts, strict=True):
            css = colors.get(column[r], "")
            if css:
                rules.setdefault(pairs[css], []).append(f"row{r}_col{c}")
    return [{"props": list(props), "selectors": selectors} for props, selectors in rules.items()]


def styled(
    frame: pd.DataFrame,
    colors: dict[str, str],
    columns: list[str],
    name: str,
    cells: dict[str, list[Any]] | None = None,
) -> Styler:
    """`frame` with each cell of `columns` coloured by its text, for `st.dataframe`; `cells`, where given, holds
    the frame's columns as the lists it was built from (reading them back from the frame costs more).

    `name` (unique on the page) names the table's styles. pandas gives every Styler a random one, which made
    each rerun's table a new message that Streamlit sent again (172 kB a rerun on the global submissions
    page); with a fixed name an unchanged table is sent once and then referred to.

    `st.dataframe` has pandas compute a Styler's styles and translate every cell on each draw (`_compute` and
    `_translate(False, False)`, private methods Streamlit calls), and reads three things of the translation: the
    table's styles (none here), each cell's colour rule, and each cell's shown text where it differs from its
    value. Here every cell is shown as it is (texts, whole numbers: no column of fractions, which pandas would
    round; a missing value shows as an empty cell rather than pandas' "None" or "nan"), so the translation is the
    colour rules alone, worked out once (`_cell_rules`) and given to every draw in every session: the Styler is
    kept in a cache with its table. pandas' own rendering (`to_html`) still computes and translates as pandas
    does. The methods are replaced on the object, not in a subclass: Streamlit recognises a Styler by its exact
    class.
    """
    fractions = [c for c, kind in frame.dtypes.items() if kind.kind in "fc"]  # float, complex
    if fractions and len(frame):  # an empty column is a float one to pandas
        raise ValueError(f"styled() shows every cell as it is; pandas would round the fractions of {fractions}")
    styler = frame.style.set_uuid(name).apply(_cell_colors, colors=colors, axis=None, subset=columns)
    for_streamlit = {"table_styles": [], "cellstyle": _cell_rules(frame, colors, columns, cells), "body": []}
    lock, compute, translate = threading.Lock(), styler._compute, styler._translate

    def translate_for(*args: Any, **kwargs: Any) -> Any:
        if args == (False, False) and not kwargs:  # st.dataframe's call (sparse index, sparse columns)
            return for_streamlit
        with lock:  # pandas' own rendering: its styles computed first, as pandas does
            compute()
            return translate(*args, **kwargs)

    styler._compute = lambda: styler  # type: ignore[method-assign]  # nothing to compute for Streamlit
    styler._translate = translate_for  # type: ignore[method-assign]
    return styler


def _cell_colors(cells: pd.DataFrame, colors: dict[str, str]) -> pd.DataFrame:
    """The CSS of each cell of `cells` (`colors` by its text; none for a text it does not name), for pandas' own
    rendering of a `styled` table."""
    css = [[colors.get(value, "") for value in row] for row in cells.to_numpy(dtype=object).tolist()]
    return pd.DataFrame(css, index=cells.index, columns=cells.columns, dtype=object)


def summary_column_config(lang: str, table: pd.DataFrame) -> dict[str, Any]:
    """Column widths of the review summary (`review_summary`'s table): the objective (pinned, so that a row
    keeps its name while the table scrolls sideways), status, ★ and round table as wide as their texts, and
    each narrative column wide enough to read a first line (Streamlit's "large"): shared out evenly, they were
    cut to a few words."""
    objective, status, star, *narratives, section = table.columns
    texts = {name: [str(v) for v in table[name]] + [name] for name in (objective, status, section)}
    return {
        objective: st.column_config.TextColumn(pinned=True, width=column_width(texts[objective], most=240)),
        status: st.column_config.TextColumn(width=column_width(texts[status], least=90)),
        star: st.column_config.TextColumn(width=40, help=t(lang, "field.national_priority")),
        **{name: st.column_config.TextColumn(width="large") for name in narratives},
        section: st.column_config.TextColumn(width=column_width(texts[section], least=90)),
    }


def change_lines(ref: Reference, lang: str, changes: list[dict[str, Any]]) -> list[str]:
    """One Markdown list item per changed objective (as `submission_changes.changes_since_submission` lists
    them): its number and name, whether it is new, the fields changed, who changed it last and when. Every
    text from the data is inert; only the list marker and the bold name are markup."""
    lines = []
    for change in changes:
        n = change["objective"]
        key = "flow.change_new" if change["new"] else "flow.change"
        text = t(
            lang,
            key,
            objective=inert(f"{n}. {ref.objective(n).short.get(lang)}"),
            fields=inert(", ".join(t(lang, f"field.{f}") for f in change["fields"])),
            by=inert(change["by"]),
            when=change["at"].strftime("%Y-%m-%d %H:%M UTC"),
        )
        lines.append(f"- {text}")
    return lines


def review_summary(ref: Reference, lang: str, country: str, cycle_id: str, scope: ReadScope, provisional: bool) -> None:
    """Every objective with its status and the first line of each field, then what changed since the last
    submission."""
    summary = read("report_summary", country, cycle_id, scope)
    prefix = "report.area_prefix" if provisional else "flow.rt_short"
    labels = {s.key: s.label.get(lang) for s in ref.statuses} | {"not_reported": t(lang, "status.not_reported")}
    objective, status = t(lang, "common.objective"), t(lang, "field.status")
    table = pd.DataFrame(
        {
            objective: [f"{int(n)}. {ref.objective(int(n)).short.get(lang)}" for n in summary["objective"]],
            status: summary["status"].map(labels),
            "★": summary["national_priority"].map({True: "★", False: ""}),
            **{t(lang, f"field.{f}"): summary[f] for f in ("progress", "challenges", "priorities")},
            # last: the narrative columns come first into view, next to the objective and its status
            t(lang, "common.section"): [t(lang, prefix, n=int(n)) for n in summary["section"]],
        }
    )
    st.dataframe(
        styled(table, status_colors(ref, lang), [status], "review_summary"),
        hide_index=True,
        width="stretch",
        height=table_height(len(table)),
        column_config=summary_column_config(lang, table),
        key="review__summary",
    )
    changes = read(changes_since_submission, country, cycle_id)
    if changes["since"] is None:
        st.caption(t(lang, "flow.first_submission"))
        return
    when = changes["since"].strftime("%Y-%m-%d %H:%M UTC")
    if not changes["changes"]:
        st.caption(t(lang, "flow.no_changes", when=when))
        return
    with st.container(key="review__changes"):
        st.markdown(f"**{t(lang, 'flow.changes', when=when)}**")
        st.markdown("\n".join(change_lines(ref, lang, changes["changes"])))


EVENTS_PAGE = 10


def report_events(lang: str, country: str, cycle_id: str) -> None:
    """The workflow events of this country report (saves, submissions, returns, validations, restores)."""
    total = read("report_event_count", country, cycle_id)
    with lazy_expander(
        t(lang, "flow.events", n=total), f"report__events__{country}__{cycle_id}", ":material/history:"
    ) as shown:
        if not shown:  # read and drawn once the reader opens it
            return
        if not total:
            st.caption(t(lang, "audit.empty"))
        # A page at a time: every save is an event.
        page = page_number(
            lang, total, f"report__events_page__{country}__{cycle_id}", EVENTS_PAGE, label_key="flow.events_page"
        )
        for event in read("report_events", country, cycle_id, EVENTS_PAGE, (page - 1) * EVENTS_PAGE):
            kind = t(lang, f"audit.kind.{event['kind']}")
            when = event["at"].strftime("%Y-%m-%d %H:%M UTC")
            said = describe(lang, reference(), event["kind"], event["detail"])  # in the reader's language
            detail = f" · {said}" if said else ""
            st.markdown(inert(f"{when} · {kind} · {event['username']}{detail}"))


def default_cycle(lang: str, cycles: pd.DataFrame, group: str | None, scope: ReadScope, note: Any) -> str:
    """The latest cycle with reports this reader may see for the group; says so in `note` (a place below the
    filters, so that the filters stay in one row: an `st.empty()`) when that is not the current one."""
    chosen = read("latest_reported_cycle_id", group, scope)
    current = read("current_cycle_id")
    if chosen != current:
        names = cycle_names(lang, cycles)
        note.caption(t(lang, "flow.current_empty", current=names[current], shown=names[chosen]))
    return chosen


def awaiting_note(
    lang: str,
    ref: Reference,
    cycle_id: str,
    group: str | None,
    scope: ReadScope,
    countries: list[str],
    cycle_name: str | None = None,
) -> list[str]:
    """Say which countries' reports await validation (not "not reported"), and leave them out of the
    country × objective charts, whose empty cells would read as "not reported". `cycle_name` where a page
    compares cycles and says it for each."""
    awaiting = set(read("awaiting_validation", cycle_id, group, scope))
    waiting = [c for c in countries if c in awaiting]
    if waiting:
        names = ", ".join(sorted(ref.country(c).name.get(lang) for c in waiting))
        said = (
            t(lang, "flow.awaiting_list_in", n=len(waiting), countries=names, cycle=cycle_name)
            if cycle_name
            else t(lang, "flow.awaiting_list", n=len(waiting), countries=names)
        )
        st.info(said, icon=":material/pending_actions:")
    return [c for c in countries if c not in waiting]


def counted_countries(
    lang: str, ref: Reference, cycle_id: str, group: str | None, scope: ReadScope, members: list[str]
) -> list[str]:
    """`awaiting_note` for a page that draws only the counted countries: when every member's report awaits
    validation the note says all there is, and the page's run ends there (inside the page: navigation has run)."""
    countries = awaiting_note(lang, ref, cycle_id, group, scope, members)
    if members and not countries:
        st.stop()
    return countries


def draw_declaration(body: str) -> None:
    """The declaration rendered: headings, list items and paragraphs, every text made inert first."""
    from gcm.declaration import blocks

    for kind, text in blocks(body):
        if kind == "heading1":
            st.markdown(f"### {inert(text)}")
        elif kind == "heading2":
            st.markdown(f"#### {inert(text)}")
        elif kind == "item":
            st.markdown(f"- {inert(text)}")
        else:
            st.markdown(inert(text))


def compile_declaration(ref: Reference, lang: str, cycle_id: str, group: str | None) -> tuple[str, int]:
    """A fresh draft of the declaration from the validated priorities (read at the moment of the click), and
    how many validated reports it quotes."""
    with read_session(engine()) as session:
        raised = declaration.raised_priorities(session, cycle_id, group)
        return declaration.compile_draft(session, ref, lang, cycle_id, group, raised), len(raised)
