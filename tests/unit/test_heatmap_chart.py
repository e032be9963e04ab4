"""The overview's heatmap: what a cell's hover says (its country, its objective's title, its status, a priority),
its axis of objective numbers, and country names shown inert."""

import json

import pandas as pd
import pytest

from gcm import charts
from gcm.i18n import t
from gcm.reference import Country, Reference, Text

MATRIX = pd.DataFrame(
    {
        "country": ["CRI", "CRI", "MEX"],
        "objective": [1, 3, 1],
        "status": ["planning", "full", "initial"],
        "national_priority": [False, True, False],
    }
)


def _hover(trace: dict, row: int, column: int) -> str:
    """A cell's hover as Plotly.js writes it from the trace's template."""
    said = trace["hovertemplate"].removesuffix("<extra></extra>")
    values = {"y": trace["y"][row], "x": trace["x"][column], "customdata": trace["customdata"][row][column]}
    for name, value in values.items():
        said = said.replace(f"%{{{name}}}", value)
    assert "%{" not in said, said
    return said


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_cell_says_its_country_objective_status_and_priority(ref: Reference, lang: str) -> None:
    spec = json.loads(charts.status_heatmap_figure(ref, lang, MATRIX, ["CRI", "MEX"]).to_json())
    trace = spec["data"][0]
    costa_rica, mexico = ref.country("CRI").name.get(lang), ref.country("MEX").name.get(lang)
    assert trace["y"] == [costa_rica, mexico]
    objective = f"{t(lang, 'common.objective_n', n=3)}: {ref.objective(3).short.get(lang)}"
    priority = f"★ {t(lang, 'field.national_priority')}"
    full = ref.status("full").label.get(lang)
    assert _hover(trace, 0, 2) == f"{costa_rica}<br>{objective}<br>{full}<br>{priority}"
    assert trace["text"][0][2] == "★"
    not_reported = t(lang, "status.not_reported")
    assert _hover(trace, 1, 2).endswith(f"<br>{not_reported}")
    planning = ref.status("planning").label.get(lang)
    assert _hover(trace, 0, 0).endswith(f"<br>{planning}") and priority not in _hover(trace, 0, 0)
    axis = spec["layout"]["xaxis"]  # each column named by its title, shown by its number
    assert axis["tickvals"] == trace["x"] and axis["ticktext"] == [str(n) for n in range(1, 24)]


def test_a_country_name_is_shown_inert(ref: Reference) -> None:
    hostile = Country("ZZH", Text("<b onmouseover=x>Hostile", "<b onmouseover=x>Hostil"), ())
    ref = ref.with_countries((hostile,))
    matrix = pd.DataFrame({"country": ["ZZH"], "objective": [2], "status": ["planning"], "national_priority": [False]})
    trace = json.loads(charts.status_heatmap_figure(ref, "en", matrix, ["ZZH"]).to_json())["data"][0]
    assert trace["y"] == ["&lt;b onmouseover=x&gt;Hostile"]
    assert _hover(trace, 0, 1).startswith("&lt;b onmouseover=x&gt;Hostile<br>") and "<b onmouseover" not in _hover(
        trace, 0, 1
    )
