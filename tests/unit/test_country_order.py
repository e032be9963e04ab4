"""Lists of countries are ordered by name with accents and case folded, the same way on every page: the pages of
the overview's heatmap and the explorer's matrix, the heatmap's rows and its data table, the Submissions page."""

import json

import pandas as pd

from gcm import charts, insights
from gcm.reference import Country, Reference, Text

# Ordered by their raw names, "Turkmenistán" would come before "Türkiye" and "ecuador" after "Zambia".
EXTRA = (
    Country("TUR", Text("Türkiye", "Türkiye"), ()),
    Country("TKM", Text("Turkmenistan", "Turkmenistán"), ()),
    Country("ZMB", Text("Zambia", "Zambia"), ()),
    Country("ZZE", Text("ecuador (lower case)", "ecuador (minúsculas)"), ()),
)
CODES = ["TKM", "TUR", "ZMB", "ZZE"]


def test_names_are_ordered_with_accents_and_case_folded(ref: Reference) -> None:
    ref = ref.with_countries(EXTRA)
    assert sorted(CODES, key=lambda c: ref.sort_name(c, "es")) == ["ZZE", "TUR", "TKM", "ZMB"]
    matrix = pd.DataFrame(
        {"country": CODES, "objective": [1, 1, 1, 1], "status": ["planning"] * 4, "national_priority": [False] * 4}
    )
    figure = charts.status_heatmap_figure(ref, "es", matrix, CODES)
    rows = json.loads(figure.to_json())["data"][0]["y"]
    assert rows == ["ecuador (minúsculas)", "Türkiye", "Turkmenistán", "Zambia"]
    assert list(insights.heatmap_table(ref, "es", matrix, CODES).index) == rows  # the table under it, in its order
