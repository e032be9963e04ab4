"""The choropleth: shipped geometry only, no base layer to fetch, locations match, text escaped."""

import json
from urllib.parse import unquote

import pandas as pd
import pytest

from gcm.explore import map_chart
from gcm.i18n import t
from gcm.reference import Reference

BASE_LAYERS = ("showcoastlines", "showland", "showcountries", "showframe", "showocean", "showlakes", "showrivers")


def _share_frame() -> pd.DataFrame:
    return pd.DataFrame({"country": ["MEX", "GTM", "CRI"], "reported": [23, 5, 0], "objectives": [23, 23, 23]}).assign(
        share=lambda f: f["reported"] / f["objectives"]
    )


def _status_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "country": ["MEX", "GTM", "CRI", "PAN"],
            "status": ["advanced", "advanced", "planning", "not_reported"],
            "national_priority": [True, False, False, False],
        }
    )


@pytest.mark.parametrize("kind", ["share", "status"])
def test_no_base_layer_is_drawn_and_bounds_fit_the_countries(ref: Reference, kind: str) -> None:
    frame = _share_frame() if kind == "share" else _status_frame()
    fig = map_chart.choropleth_figure(ref, "es", frame, kind, kind=kind)
    geo = fig.layout.geo
    assert geo.visible is False
    assert all(getattr(geo, layer) is False for layer in BASE_LAYERS)
    assert geo.fitbounds == "locations"
    for trace in fig.data:
        assert trace.type == "choropleth" and trace.featureidkey == "id"
        assert trace.locationmode in (None, "geojson-id")
        assert [f["id"] for f in trace.geojson["features"]] == list(trace.locations)  # only its own shapes
    assert sorted(c for trace in fig.data for c in trace.locations) == sorted(frame["country"])


def test_share_map_greys_countries_with_no_report_under_a_label(ref: Reference) -> None:
    fig = map_chart.choropleth_figure(ref, "en", _share_frame(), "share", kind="share")
    scale, grey = fig.data
    assert list(scale.locations) == ["MEX", "GTM"] and list(scale.z) == [100.0, 21.7]
    assert (scale.zmin, scale.zmax) == (0, 100)
    assert list(grey.locations) == ["CRI"] and grey.name == t("en", "status.not_reported")
    assert grey.showlegend and grey.colorscale[0][1] == map_chart.NOT_REPORTED_COLOR
    assert "5 of 23" in scale.hovertext[1]


def test_status_map_uses_the_reference_colours_and_words(ref: Reference) -> None:
    fig = map_chart.choropleth_figure(ref, "es", _status_frame(), "status", kind="status")
    by_name = {trace.name: trace for trace in fig.data}
    advanced = by_name[ref.status("advanced").label.es]
    assert list(advanced.locations) == ["MEX", "GTM"]
    assert advanced.colorscale[0][1] == ref.status("advanced").color
    assert advanced.showlegend and not advanced.showscale
    assert ref.status("advanced").label.es in advanced.hovertext[0]
    assert list(by_name[t("es", "status.not_reported")].locations) == ["PAN"]


def test_hover_text_is_escaped(ref: Reference, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Reference, "country_name", lambda self, iso3, lang: "<img src=x onerror=alert(1)>")
    fig = map_chart.choropleth_figure(ref, "en", _status_frame(), "status", kind="status")
    hover = " ".join(text for trace in fig.data for text in trace.hovertext)
    assert "<img" not in hover and "&lt;img src=x onerror=alert(1)&gt;" in hover


def test_plotly_config_never_points_at_a_host() -> None:
    config = map_chart.PLOTLY_CONFIG
    assert config["displaylogo"] is False
    url = config["topojsonURL"]
    assert url.startswith("data:application/json,") and url.endswith("#")
    # Plotly appends "/<scope>_<resolution>m.json": it lands in the fragment, after an empty topology.
    topology = json.loads(unquote(url.removeprefix("data:application/json,").removesuffix("#")))
    assert topology["type"] == "Topology" and topology["arcs"] == []
    assert all(layer["geometries"] == [] for layer in topology["objects"].values())


def test_summaries_and_tables(ref: Reference) -> None:
    share = _share_frame()
    text = map_chart.completeness_summary(ref, "es", share, "CRM")
    assert text.startswith("CRM: 2 de 3") and "México" in text
    assert "Ninguno" in map_chart.completeness_summary(ref, "es", share.assign(reported=0), "CRM")
    table = map_chart.completeness_table(ref, "en", share)
    assert list(table.columns) == ["Country", "ISO3", t("en", "map.reported_column"), t("en", "map.share_column")]
    assert list(table["Country"]) == ["Costa Rica", "Guatemala", "Mexico"]  # by name, not by code
    assert table.iloc[2].tolist() == ["Mexico", "MEX", 23, 100.0]
    status = _status_frame()
    assert "«Implementación avanzada» (2 países)" in map_chart.status_summary(ref, "es", status, 4)
    table = map_chart.status_table(ref, "es", status)
    assert list(table["País"]) == ["Costa Rica", "Guatemala", "México", "Panamá"]
    assert table.iloc[3].tolist() == ["Panamá", "PAN", t("es", "status.not_reported"), False]
    assert ref.sort_name("MEX", "es") == "mexico" and ref.sort_name("AAA", "es") == "aaa"  # accents folded
    unknown = share.iloc[:1].assign(country="AAA")  # a code neither the data files nor the database name
    assert list(map_chart.completeness_table(ref, "es", pd.concat([share, unknown]))["País"]) == [
        "AAA",
        "Costa Rica",
        "Guatemala",
        "México",
    ]


def test_unknown_kind_is_refused(ref: Reference) -> None:
    with pytest.raises(ValueError, match="unknown map kind"):
        map_chart.choropleth_figure(ref, "en", _share_frame(), "share", kind="pie")


def test_a_map_carries_the_shipped_shapes_without_copying_them_and_they_stay_as_shipped(ref: Reference) -> None:
    """Plotly deep-copies what a figure is given: the shapes of 193 countries took 17 ms a map to copy. The figure
    holds the features read once per process, and drawing it (its JSON, as Streamlit sends it) changes none."""
    from gcm.explore.geometry import all_features

    shipped = all_features()
    before = json.dumps(shipped["MEX"], sort_keys=True)
    fig = map_chart.choropleth_figure(ref, "es", _status_frame(), "status", kind="status")
    features = [f for trace in fig._data for f in trace["geojson"]["features"]]
    assert any(f is shipped["MEX"] for f in features)
    fig.to_plotly_json()
    assert json.dumps(shipped["MEX"], sort_keys=True) == before
