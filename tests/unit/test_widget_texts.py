"""Streamlit's own widget texts are in English ("Choose an option", "Select all"): every choice widget that can
show them carries the app's text instead."""

import ast
from pathlib import Path

import pytest

from gcm.config import ROOT

SOURCES = sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "gcm" / "ui").glob("*.py")])


def _calls(path: Path, name: str) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name
    ]


def _keywords(call: ast.Call) -> dict[str, ast.expr]:
    return {k.arg: k.value for k in call.keywords if k.arg}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_choice_widgets_never_show_streamlits_english_texts(path: Path) -> None:
    for call in _calls(path, "multiselect"):
        words = _keywords(call)
        assert "placeholder" in words, f"{path.name}:{call.lineno}: a multiselect needs a placeholder"
        assert isinstance(words.get("select_all"), ast.Constant) and words["select_all"].value is False, (
            f"{path.name}:{call.lineno}: Streamlit's 'Select all' is in English only"
        )
    for call in _calls(path, "selectbox"):
        words = _keywords(call)
        empty = isinstance(words.get("index"), ast.Constant) and words["index"].value is None
        assert not empty or "placeholder" in words, (
            f"{path.name}:{call.lineno}: an empty select box needs a placeholder"
        )
