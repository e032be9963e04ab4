"""The deadline as a delegate reads it: the date the secretariat set, and the last minute it leaves in the
reader's own time zone; never the closing instant (midnight UTC), which reads as the next day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from gcm.i18n import t
from gcm.ui.workflow_panel import deadline_text

CYCLE = pd.Series({"is_open": True, "is_locked": False, "deadline": dt.date(2026, 12, 7)})
NOW = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_reader_in_utc_reads_the_date_set_not_the_next_day(lang: str) -> None:
    text = deadline_text(lang, CYCLE, NOW, ZoneInfo("UTC"))
    days, hours = t(lang, "flow.days", n=2), t(lang, "flow.hours", n=12)
    assert text == t(lang, "flow.deadline_utc", date="2026-12-07", days=days, hours=hours)
    assert "2026-12-08" not in text


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_reader_elsewhere_reads_the_date_set_and_the_last_minute_in_their_time(lang: str) -> None:
    text = deadline_text(lang, CYCLE, NOW, ZoneInfo("America/Mexico_City"))
    assert "2026-12-07" in text and "2026-12-07 17:59" in text and "America/Mexico_City" in text
    assert "2026-12-08" not in text


def test_past_closed_and_locked_say_so() -> None:
    assert deadline_text("en", CYCLE, dt.datetime(2026, 12, 8, 0, 0, tzinfo=dt.UTC), ZoneInfo("UTC")) == t(
        "en", "workflow.deadline_passed", date="2026-12-07"
    )
    closed = pd.Series({"is_open": False, "is_locked": False, "deadline": dt.date(2026, 12, 7)})
    assert deadline_text("en", closed) == t("en", "workflow.closed")
    locked = pd.Series({"is_open": True, "is_locked": True, "deadline": None})
    assert deadline_text("es", locked) == t("es", "workflow.locked")
