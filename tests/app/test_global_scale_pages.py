"""Every page with every country in one group, beyond the countries of data/countries.yaml.

`python -m gcm synth` adds UN member states that the reference data does not list; the pages name
countries through the reference data, so it must include the database's countries too (the
group-wide pages failed with KeyError / StopIteration / IndexError when it did not).
"""

from collections.abc import Callable

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from gcm import models, synth
from gcm.bootstrap import ready_engine, reference_for
from gcm.config import ROOT, load_config
from gcm.db import read_session, write_session
from tests.app.conftest import ADMIN, PAGES


def _load_synth() -> list[tuple[str, str, str]]:
    """Synthetic data for 26 countries (two of them unknown to countries.yaml); the added countries' names."""
    config = load_config()
    engine = ready_engine(config)
    with write_session(engine) as session:
        result = synth.load_synth(
            session, reference_for(str(config.reference_dir)), ROOT / "data", countries=26, cycles=5, seed=1
        )
    assert result.countries_added == 2
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
