"""The explorer's figures: selectable traces, "not reported" in words, escaped hover, selection to cell."""

from dataclasses import replace

import pandas as pd
import pytest

from gcm.explore import coverage_chart
from gcm.explore.coverage_chart import Cell, selected_cell
from gcm.i18n import t
from gcm.queries import NOT_REPORTED
from gcm.reference import Country, Reference, Text

SECTIONS = pd.DataFrame(
    [(1, "RT 1", "MR 1", n) for n in (2, 5, 6, 12, 18)] + [(2, "RT 2", "MR 2", n) for n in (4, 8, 9, 10, 11, 13, 21)],
    columns=["section", "title_en", "title_es", "objective"],
)


def _cells(countries: list[str]) -> pd.DataFrame:
    rows = []
    for c in countries:
        for n in range(1, 24):
            status = "advanced" if (c, n) == (countries[0], 8) else NOT_REPORTED
            rows.append((c, n, status, (c, n) == (countries[0], 8), status != NOT_REPORTED or n == 2))
    return pd.DataFrame(rows, columns=["country", "objective", "status", "national_priority", "matches"])


@pytest.mark.parametrize("lang", ["es", "en"])
def test_status_matrix_has_a_legend_entry_per_status_and_one_for_not_reported(ref: Reference, lang: str) -> None:
    fig = coverage_chart.status_matrix_figure(ref, lang, _cells(["MEX", "GTM"]), ["GTM", "MEX"], SECTIONS, False, 8)
    names = [trace.name for trace in fig.data]
    assert [s.label.get(lang) for s in ref.statuses] == names[: len(ref.statuses)]
    not_reported = fig.data[names.index(t(lang, "status.not_reported"))]
    assert not_reported.marker.symbol == "square-x-open" and not_reported.showlegend
    assert all(t(lang, "status.not_reported") in h for h in not_reported.hovertext)
    assert all(trace.type == "scatter" for trace in fig.data)  # a heatmap sends no selection events
    assert fig.layout.clickmode == "event+select"
    assert [a.text for a in fig.layout.annotations] == [t(lang, "explorer.round_table_short", n=n) for n in (1, 2)]
    assert list(fig.layout.yaxis.categoryarray) == ["Guatemala", ref.country("MEX").name.get(lang)]
    advanced = fig.data[names.index(ref.status("advanced").label.get(lang))]
    assert list(advanced.customdata[0]) == ["MEX", "8"]
    assert list(fig.layout.xaxis.ticktext[:5]) == ["2", "5", "6", "12", "18"]


def test_cells_outside_the_filters_have_their_own_entry(ref: Reference) -> None:
    fig = coverage_chart.status_matrix_figure(ref, "en", _cells(["MEX"]), ["MEX"], SECTIONS, True, narrows=True)
    outside = next(tr for tr in fig.data if tr.name == t("en", "explorer.outside_filters"))
    assert len(outside.x) == 21  # every cell but objective 8 (advanced) and 2 (matching)
    assert fig.layout.annotations[0].text == "Area 1*"


def test_hover_and_labels_are_escaped(ref: Reference) -> None:
    evil = Country("MEX", Text(en="<b onmouseover=x>Mex</b>", es="<script>"), ("CRM",))
    tampered = replace(ref, countries=tuple(evil if c.iso3 == "MEX" else c for c in ref.countries))
    fig = coverage_chart.status_matrix_figure(tampered, "en", _cells(["MEX"]), ["MEX"], SECTIONS, False)
    hovers = [h for trace in fig.data if trace.hovertext for h in trace.hovertext]
    assert hovers and all("<b onmouseover" not in h and "&lt;b onmouseover=x&gt;" in h for h in hovers)
    counts = pd.DataFrame([("MEX", "a", 3)], columns=["country", "key", "count"])
    labels = {"a": "<i>People</i>", "b": "B"}
    fig = coverage_chart.counts_matrix_figure(tampered, "en", counts, ["MEX"], labels)
    assert fig.data[0].type == "scatter" and list(fig.data[0].text) == ["3"]
    assert list(fig.layout.xaxis.categoryarray) == ["&lt;i&gt;People&lt;/i&gt;", "B"]
    assert "<i>" not in fig.data[0].hovertext[0]


def test_height_grows_with_the_countries(ref: Reference) -> None:
    few = coverage_chart.status_matrix_figure(ref, "en", _cells(["MEX"]), ["MEX"], SECTIONS, False)
    iso3 = [c.iso3 for c in ref.countries]
    many = coverage_chart.status_matrix_figure(ref, "en", _cells(iso3), iso3, SECTIONS, False)
    assert many.layout.height - few.layout.height == coverage_chart.ROW_HEIGHT * (len(iso3) - 3)


def test_objective_axis_follows_the_grouping_and_keeps_every_objective() -> None:
    order, bands = coverage_chart.objective_axis(SECTIONS)
    assert order[:12] == [2, 5, 6, 12, 18, 4, 8, 9, 10, 11, 13, 21] and sorted(order) == list(range(1, 24))
    assert bands == [(1, 0, 4), (2, 5, 11)]


def test_selected_cell_reads_the_last_point() -> None:
    event = {"points": [{"customdata": ["MEX", "8"]}, {"curve_number": 2, "customdata": ["GTM", "funding"]}]}
    assert selected_cell(event) == Cell("GTM", "funding")
    assert selected_cell({"points": []}) is None
    assert selected_cell(None) is None
    assert selected_cell({"points": [{"x": 1}]}) is None  # a point without cell data (never trusted)
    assert selected_cell({"points": [{"customdata": ["MEX", {"a": 1}]}]}) is None


def test_round_tables_are_shaded_bands_with_titles_and_the_focus_is_framed(ref: Reference) -> None:
    fig = coverage_chart.status_matrix_figure(ref, "en", _cells(["MEX"]), ["MEX"], SECTIONS, False, 8)
    _, bands = coverage_chart.objective_axis(SECTIONS)
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert len(rects) == (len(bands) + 1) // 2 + 1  # every other band shaded, and the focus frame
    assert len(lines) == len(bands) - 1  # a dotted line between two round tables
    assert all(s.yref == "paper" and (s.y0, s.y1) == (0, 1) for s in fig.layout.shapes)
    assert [a.text for a in fig.layout.annotations] == [
        coverage_chart.section_short("en", number, False) for number, _, _ in bands
    ]
    framed = rects[-1]
    assert framed.layer == "above" and framed.x1 - framed.x0 == 1
