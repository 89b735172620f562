"""Small input helpers the console's pages share."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any


def date_span(picked: Any, fallback: tuple[date, date]) -> tuple[datetime, datetime]:
    """What a range `st.date_input` returned, as [start of the first day, start of the day
    after the last) in UTC. Mid-selection the widget holds one date (or none): that day alone
    (or `fallback`) then."""
    days = tuple(picked) if isinstance(picked, tuple | list) else (picked,)
    days = tuple(d for d in days if isinstance(d, date)) or fallback
    first, last = days[0], days[-1]
    return (
        datetime.combine(first, time(), tzinfo=UTC),
        datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC),
    )
