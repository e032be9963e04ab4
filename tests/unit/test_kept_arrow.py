"""Tables of cached values are written as Arrow once, byte for byte as Streamlit writes them (gcm.ui.kept_arrow)."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit import dataframe_util
from streamlit.elements import arrow as arrow_element
from streamlit.proto.ArrowData_pb2 import ArrowData
from streamlit.testing.v1 import AppTest

from gcm.ui import kept_arrow
from gcm.ui.review import styled


def _table() -> pd.DataFrame:
    return pd.DataFrame({"País": ["México", "Canadá", "Panamá"], "Estado": ["Borrador", "Enviado", "·"]})


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many frames Streamlit's own writer wrote."""
    seen: list[int] = []
    original = kept_arrow.write_bytes

    def counted(df: pd.DataFrame, **kwargs) -> bytes:
        seen.append(len(df))
        return original(df, **kwargs)

    monkeypatch.setattr(kept_arrow, "write_bytes", counted)
    return seen


def test_streamlit_calls_the_wrappers() -> None:
    """A Streamlit upgrade that moved these calls would silently undo the saving: the wrappers are in place."""
    assert dataframe_util.convert_pandas_df_to_arrow_bytes is kept_arrow._kept_bytes
    assert arrow_element.marshall_styler is kept_arrow._kept_styler


def test_a_kept_frame_is_written_once_as_streamlit_writes_it(writes: list[int]) -> None:
    frame, other = _table(), _table()
    expected = kept_arrow.write_bytes(frame)
    writes.clear()
    kept_arrow.keep((frame, {"nested": [frame]}))
    first = dataframe_util.convert_pandas_df_to_arrow_bytes(frame)
    assert first == expected and dataframe_util.convert_pandas_df_to_arrow_bytes(frame) is first
    assert writes == [3]
    dataframe_util.convert_pandas_df_to_arrow_bytes(other)  # not kept: written every time
    dataframe_util.convert_pandas_df_to_arrow_bytes(other)
    assert writes == [3, 3, 3]


def test_a_kept_coloured_table_is_sent_as_streamlit_sends_it() -> None:
    frame = _table()
    colours = {"Borrador": "background-color: #ffd; color: #111", "Enviado": "background-color: #ddf; color: #111"}
    plain, kept = styled(frame, colours, ["Estado"], "t"), styled(frame, colours, ["Estado"], "t")
    expected = ArrowData()
    kept_arrow.marshall_styler(expected, plain, "uuid")
    kept_arrow.keep(kept)
    for _ in range(2):
        sent = ArrowData()
        arrow_element.marshall_styler(sent, kept, "uuid")
        assert sent.SerializeToString() == expected.SerializeToString()
    assert "#ffd" in expected.styler.styles


def test_a_page_showing_a_built_table_writes_it_once(sqlite_engine, tmp_path, writes: list[int]) -> None:
    """Through `st.dataframe`, run after run: the built frame is written on its first draw only, and shown whole."""
    script = tmp_path / "page.py"
    script.write_text(
        "import pandas as pd\n"
        "import streamlit as st\n"
        "from gcm.ui.context import built\n"
        "from tests.unit.test_kept_arrow import _table\n"
        "st.dataframe(built(_table), hide_index=True)\n"
    )
    at = AppTest.from_file(str(script)).run()
    at.run()
    at.run()
    assert not at.exception
    assert at.dataframe[0].value["País"].tolist() == ["México", "Canadá", "Panamá"]
    assert writes == [3]
