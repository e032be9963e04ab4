"""The Submissions page's two tables (state of every country's report by cycle, and status by objective
for one cycle), each built from its reads once (`gcm.ui.context.built`): links, labels and the colour of
every cell are computed here, not on every rerun."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
from pandas.io.formats.style import Styler

from gcm.i18n import t
from gcm.queries import matrix_cells, unchanged_by_reports
from gcm.ui.context import reference
from gcm.ui.review import STATE_COLORS, state_colors, status_colors, styled
from gcm.ui.widgets import column_width, cycle_names
from gcm.ui.workflow_panel import STATE_ICONS, state_words


@dataclass(frozen=True)
class CyclesTable:
    """The state of each country's report in every cycle."""

    table: pd.DataFrame  # country link, then a link per cycle (oldest first) showing the report's state
    styled: Styler  # the same, each state cell coloured (`review.styled`: styles worked out once)
    name_width: int  # the country column (of both tables): as wide as the longest name on the page
    cycle_name: str  # the cycle shown, in a sentence: its full name


@dataclass(frozen=True)
class ObjectivesTable:
    """The workflow state and the status of each objective of each country's report in one cycle."""

    table: pd.DataFrame  # country link, workflow state, then the status of each objective
    styled: Styler
    widths: dict[str, int]  # the state's and each objective's column: as wide as its longest text


def short_state(lang: str, state: str) -> str:
    return f"{STATE_ICONS.get(state, '')} {t(lang, f'state.{state}')}"


def review_link(lang: str, country: str, cycle_id: str, text: str) -> str:
    """The Country report in review mode; the text after # is what the cell shows."""
    return f"/country_report?{_review_query(lang, country, cycle_id)}#{text}"


@functools.lru_cache(maxsize=8192)
def _review_query(lang: str, country: str, cycle_id: str) -> str:
    """A review link's query (the tables make one per cell, about 400 a page: encoding them was 10 ms)."""
    return urlencode({"country": country, "cycle": cycle_id, "mode": "review", "lang": lang})


@unchanged_by_reports  # the reference data, which no draft save changes
def countries_by_name(lang: str) -> list[str]:
    """Every country, in the order of its name in `lang` (the rows of both tables)."""
    ref = reference()
    return ref.by_name((c.iso3 for c in ref.countries), lang)


def _status_columns(lang: str, matrix: pd.DataFrame, order: list[str]) -> dict[int, list[str]]:
    """Each objective's column of the status grid, a cell per country of `order`: the status's short label (23
    columns side by side, each a word wide), or "·" where
    the country has no report (or none with a status); worked out over plain lists: a pivot mapped cell by cell
    through pandas took 10–13 ms for a page of 40 countries, this 1.0–1.5 ms."""
    ref = reference()
    labels = {s.key: s.short.get(lang) for s in ref.statuses}
    unknown = t(lang, "status.not_reported")
    cells = matrix_cells(matrix)
    columns = {}
    for objective in ref.objectives:
        statuses = (cells.get((country, objective.number), (None, False))[0] for country in order)
        columns[objective.number] = [labels.get(s, unknown) if isinstance(s, str) else "·" for s in statuses]
    return columns


def cycles_table(
    lang: str, cycle_id: str, states: pd.DataFrame, cycles: pd.DataFrame, countries: tuple[str, ...]
) -> CyclesTable:
    """The table of `countries` (the page of rows shown, in that order) by cycle, from their `queries.submissions`
    rows of every cycle (`states`) and the cycles. Built with `gcm.ui.context.built` from those two reads only: a
    status change, which changes neither, leaves it in place (`context._built_alone`)."""
    ref = reference()
    cycles = cycles.iloc[::-1]  # oldest first, left to right
    names = cycle_names(lang, cycles, short=True)
    country_names = {c: ref.country(c).name.get(lang) for c in countries}
    state_of = _states_of(states)
    columns = {t(lang, "common.country"): [review_link(lang, c, cycle_id, country_names[c]) for c in countries]}
    for cid in cycles["id"]:
        columns[names[cid]] = [review_link(lang, c, cid, short_state(lang, state_of[c, cid])) for c in countries]
    table = pd.DataFrame(columns)  # one frame built from lists: a column added at a time cost 0.4 ms each
    colors = {short_state(lang, s): css for s, css in zip(STATE_COLORS, state_colors(lang).values(), strict=True)}
    shown = {text for name in names.values() for text in columns[name]}
    cell_colors = {text: colors.get(text.rsplit("#", 1)[1], "") for text in shown}
    return CyclesTable(
        table=table,
        styled=styled(table, cell_colors, list(names.values()), "submissions_by_cycle", columns),
        name_width=column_width(list(country_names.values())),
        cycle_name=cycle_names(lang, cycles)[cycle_id],
    )


def objectives_table(
    lang: str, cycle_id: str, states: pd.DataFrame, matrix: pd.DataFrame, countries: tuple[str, ...]
) -> ObjectivesTable:
    """The status grid of `countries` (the page of rows shown, in that order) in the cycle, from their
    `queries.submissions` rows (`states`) and their `queries.status_matrix`."""
    ref = reference()
    names = {c: ref.country(c).name.get(lang) for c in countries}
    state_of = _states_of(states)
    country_col, state_col = t(lang, "common.country"), t(lang, "workflow.state")
    grid_columns = {state_col: [state_words(lang, state_of[c, cycle_id]) for c in countries]} | {
        str(number): column for number, column in _status_columns(lang, matrix, list(countries)).items()
    }
    columns = {country_col: [review_link(lang, c, cycle_id, names[c]) for c in countries]} | grid_columns
    grid = pd.DataFrame(columns)
    colors = status_colors(ref, lang, short=True) | state_colors(lang)
    return ObjectivesTable(
        table=grid,
        styled=styled(grid, colors, list(grid_columns), "submissions_by_objective", columns),
        widths={  # a status is a word or two; the state is a phrase
            name: column_width([name, *texts], **({} if name == state_col else {"least": 40, "most": 140}))
            for name, texts in grid_columns.items()
        },
    )


def _states_of(rows: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(country, cycle) → workflow state, from `queries.submissions` rows."""
    pairs = zip(rows["country"].tolist(), rows["cycle"].tolist(), strict=True)
    return dict(zip(pairs, rows["state"].tolist(), strict=True))
