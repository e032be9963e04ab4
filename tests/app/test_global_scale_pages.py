"""Every page with every country in one group, beyond the countries of data/countries.yaml.

`python -m gcm synth` adds UN member states that the reference data does not list; the pages name
countries through the reference data, so it must include the database's countries too (the
group-wide pages failed with KeyError / StopIteration / IndexError when it did not).
"""

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from gcm import models, synth
from gcm.bootstrap import ready_engine, reference_for
from gcm.config import ROOT, load_config
from gcm.db import read_session, write_session
from gcm.explore.tokens import fold
from tests.app.conftest import ADMIN, PAGES


def _load_synth() -> list[tuple[str, str, str]]:
    """Synthetic data for 60 countries (36 of them unknown to countries.yaml); the added countries' names."""
    config = load_config()
    engine = ready_engine(config)
    with write_session(engine) as session:
        result = synth.load_synth(
            session, reference_for(str(config.reference_dir)), ROOT / "data", countries=60, cycles=5, seed=1
        )
    assert result.countries_added == 36
    with read_session(engine) as session:
        marks = session.scalars(
            select(models.AppSetting.key).where(models.AppSetting.key.startswith(synth.COUNTRY_MARK))
        ).all()
        codes = [key.removeprefix(synth.COUNTRY_MARK) for key in marks]
        rows = session.execute(
            select(models.Country.iso3, models.Country.name_en, models.Country.name_es).where(
                models.Country.iso3.in_(codes)
            )
        ).all()
    return [tuple(row) for row in rows]


def _text(at: AppTest) -> str:
    parts = [
        str(getattr(e, "value", ""))
        for kind in ("markdown", "caption", "header", "subheader", "title")
        for e in getattr(at, kind)
    ]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_page_works_with_all_countries_in_one_group(
    lang: str, open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GCM_DEFAULT_GROUP", "ALL")
    added = _load_synth()
    for page in PAGES:
        if page == "sign_in":
            continue
        at = open_page(page, lang=lang, user=ADMIN)
        assert not at.exception, (page, [e.value for e in at.exception])
    iso3, name_en, name_es = added[0]
    at = open_page("country_onepager", lang=lang, user=ADMIN)
    at.selectbox[0].set_value(iso3).run()
    assert not at.exception
    assert (name_es if lang == "es" else name_en) in _text(at)


def test_tables_and_matrices_of_every_country_are_paged(
    open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    """60 countries do not fit in one legible table or heatmap: pages of 40, the second one holding the rest."""
    monkeypatch.setenv("GCM_DEFAULT_GROUP", "ALL")
    _load_synth()
    at = open_page("submissions", lang="en", user=ADMIN)
    pager = next(s for s in at.selectbox if s.key == "submissions__page")
    assert [f.value.shape[0] for f in at.dataframe] == [40, 40]
    pager.set_value(2).run()
    assert not at.exception
    assert [f.value.shape[0] for f in at.dataframe] == [20, 20]
    at = open_page("regional_overview", lang="es", user=ADMIN)
    assert any(s.key == "overview__page" for s in at.selectbox)
    assert not at.exception
    first = _heatmap_rows(at)
    next(s for s in at.selectbox if s.key == "overview__page").set_value(2).run()
    second = _heatmap_rows(at)
    assert (len(first), len(second)) == (40, 20)
    assert max(map(fold, first)) < min(map(fold, second))  # pages of names, as the explorer's: not of codes


def _heatmap_rows(at: AppTest) -> list[str]:
    """The countries of the overview's heatmap, as the chart names them."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return next(spec["data"][0]["y"] for spec in specs if spec["data"][0]["type"] == "heatmap")
