"""The benchmark harness runs end to end at tiny scale, so it cannot rot (its figures are not checked)."""

from pathlib import Path

from benchmarks.__main__ import main


def test_harness_runs_at_tiny_scale(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("GCM_TEST_DATABASE_URL", raising=False)  # PostgreSQL load is reported as not measured
    out = tmp_path / "bench.md"
    argv = ["--scale", "tiny", "--only", "pages,load,briefing", "--pages", "home,findings", "--repeats", "1"]
    argv += ["--duration", "1", "--delegates", "3", "--storm-saves", "2", "--folder", str(tmp_path), "--group", "CRM"]
    monkeypatch.setattr("benchmarks.briefing.FORMATS", ("html",))
    assert main([*argv, "--markdown", str(out)]) == 0
    printed = capsys.readouterr().out
    expected = ("baseline: one px.bar", "the router alone", "Streamlit alone", "home (admin): after a draft save")
    expected += ("findings (analyst): after a published", "home (admin): after a status change in the group shown")
    loads = ("storm: 3 writers x 2 saves", "each at the same instant in 2 processes", "x 2 saves in 2 processes")
    loads += ("storm: 1 writer x 6 saves", "context switches/save")
    for item in (*expected, *loads, "html pack"):
        assert item in printed
    assert "failed" not in printed and "exception on page" not in printed, printed
    assert "| pages | tiny |" in out.read_text()
    # the pages showing the open cycle, which every save of the harness writes
    argv = ["--scale", "tiny", "--only", "pages", "--pages", "regional_overview", "--roles", "admin", "--repeats", "1"]
    assert main([*argv, "--folder", str(tmp_path), "--reuse", "--group", "CRM", "--cycle", "open"]) == 0
    printed = capsys.readouterr().out
    assert "regional_overview (admin, open cycle): after a draft's status change" in printed
    assert "failed" not in printed and "exception on page" not in printed, printed
