"""The console's shared input helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime

from admin_streamlit.widgets import date_span

FALLBACK = (date(2026, 11, 1), date(2026, 11, 30))


def test_a_full_range_runs_from_the_first_midnight_to_the_one_after_the_last_day() -> None:
    assert date_span((date(2026, 11, 2), date(2026, 11, 4)), FALLBACK) == (
        datetime(2026, 11, 2, tzinfo=UTC),
        datetime(2026, 11, 5, tzinfo=UTC),
    )


def test_mid_selection_one_date_means_that_day_and_none_means_the_fallback() -> None:
    assert date_span((date(2026, 11, 2),), FALLBACK) == (
        datetime(2026, 11, 2, tzinfo=UTC),
        datetime(2026, 11, 3, tzinfo=UTC),
    )
    assert date_span((), FALLBACK) == (
        datetime(2026, 11, 1, tzinfo=UTC),
        datetime(2026, 12, 1, tzinfo=UTC),
    )
    assert date_span(date(2026, 11, 9), FALLBACK)[0] == datetime(2026, 11, 9, tzinfo=UTC)
