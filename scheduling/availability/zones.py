"""Zone lookups and UTC-offset tables per range, so conversions are sums, not zoneinfo calls."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import lru_cache
from math import ceil, floor
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import InvalidInput, NaiveDatetime, UnknownTimezone

DAY = 86_400
WEEK = 7 * DAY
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
FAR = 1 << 60
# tzdata never changes a zone's offset twice within 4 days (Africa/Freetown 1939 is the closest,
# 95.7 hours), so one sample a day finds every change; each is then bisected to the second.
_SAMPLE = DAY


def load_zone(key: object) -> ZoneInfo:
    """Resolve an IANA zone name, turning every failure into UnknownTimezone for the caller."""
    if not isinstance(key, str) or not key:
        raise UnknownTimezone(key)
    return _load(key)


@lru_cache(maxsize=1024)
def _load(key: str) -> ZoneInfo:
    """Cached ZoneInfo construction (failures are not cached)."""
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownTimezone(key) from None


def require_aware(field: str, value: object) -> None:
    """Reject non-datetimes and naive datetimes, which cannot be placed on the UTC timeline."""
    if not isinstance(value, datetime):
        raise InvalidInput(f"{field} must be a datetime.", field=field)
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetime(field)


def ts_floor(value: datetime) -> int:
    """Whole epoch seconds at or before an aware datetime."""
    return floor(value.timestamp())


def ts_ceil(value: datetime) -> int:
    """Whole epoch seconds at or after an aware datetime."""
    return ceil(value.timestamp())


def to_datetime(seconds: int) -> datetime:
    """Aware UTC datetime of epoch seconds (the engine's output form)."""
    return datetime.fromtimestamp(seconds, UTC)


def day_base(ordinal: int) -> int:
    """Local wall seconds of the midnight starting a proleptic ordinal date."""
    return (ordinal - EPOCH_ORDINAL) * DAY


def _offset(zone: ZoneInfo, seconds: int) -> int:
    """UTC offset in seconds of a zone at an instant (a direct zoneinfo call)."""
    delta = datetime.fromtimestamp(seconds, zone).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def _transition(zone: ZoneInfo, lo: int, hi: int, after: int) -> int:
    """First instant in (lo, hi] whose offset is `after`, by bisection on whole seconds."""
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _offset(zone, mid) == after:
            hi = mid
        else:
            lo = mid
    return hi


class ZoneClock:
    """Piecewise-constant offsets of one zone over a UTC range; lookups are bisects and sums."""

    __slots__ = ("_local_hi", "_local_lo", "_max_off", "_min_off", "_offsets", "_starts")

    def __init__(self, zone: ZoneInfo, lo: int, hi: int) -> None:
        """Sample the zone once a day over [lo, hi] and bisect each offset change to the second."""
        first = _offset(zone, lo)
        starts, offsets = [-FAR], [first]
        prev_t, prev_off = lo, first
        t = lo
        while t < hi:
            t = min(t + _SAMPLE, hi)
            off = _offset(zone, t)
            if off != prev_off:
                starts.append(_transition(zone, prev_t, t, off))
                offsets.append(off)
            prev_t, prev_off = t, off
        self._starts = starts
        self._offsets = offsets
        self._min_off = min(offsets)
        self._max_off = max(offsets)
        ends = [*starts[1:], FAR]
        self._local_lo = [s + o if s > -FAR else -FAR for s, o in zip(starts, offsets, strict=True)]
        self._local_hi = [e + o if e < FAR else FAR for e, o in zip(ends, offsets, strict=True)]

    def offset(self, t: int) -> int:
        """UTC offset in seconds at instant t."""
        return self._offsets[bisect_right(self._starts, t) - 1]

    def local_ordinal(self, t: int) -> int:
        """Proleptic ordinal of the local date at instant t."""
        return (t + self.offset(t)) // DAY + EPOCH_ORDINAL

    def local_ordinals(self, instants: Iterable[int]) -> list[int]:
        """local_ordinal of many instants at once (one offset when the range has no change)."""
        if len(self._starts) == 1:
            shift = self._offsets[0] + EPOCH_ORDINAL * DAY
            return [(t + shift) // DAY for t in instants]
        starts, offsets = self._starts, self._offsets
        return [(t + offsets[bisect_right(starts, t) - 1]) // DAY + EPOCH_ORDINAL for t in instants]

    def to_utc(self, local_start: int, local_end: int) -> list[tuple[int, int]]:
        """UTC pieces of all instants with wall time in [local_start, local_end): gaps skipped."""
        starts, offsets = self._starts, self._offsets
        i = bisect_right(self._local_lo, local_start) - 1
        if (
            local_end <= self._local_hi[i]
            and (i == 0 or local_start >= self._local_hi[i - 1])
            and (i + 1 == len(starts) or local_end <= self._local_lo[i + 1])
        ):  # the whole wall range lies in one offset period, outside any repeated hour
            return [(local_start - offsets[i], local_end - offsets[i])]
        return self._to_utc_slow(local_start, local_end)

    def _to_utc_slow(self, local_start: int, local_end: int) -> list[tuple[int, int]]:
        """to_utc for wall ranges touching an offset change: one piece per offset period."""
        starts, offsets = self._starts, self._offsets
        n = len(starts)
        i = max(bisect_right(starts, local_start - self._max_off) - 1, 0)
        limit = local_end - self._min_off
        out: list[tuple[int, int]] = []
        while i < n:
            off = offsets[i]
            seg_end = starts[i + 1] if i + 1 < n else FAR
            a = max(starts[i], local_start - off)
            b = min(seg_end, local_end - off)
            if a < b:
                if out and out[-1][1] == a:
                    out[-1] = (out[-1][0], b)
                else:
                    out.append((a, b))
            if seg_end >= limit:
                break
            i += 1
        return out

    def day_start(self, ordinal: int) -> int:
        """First instant of a local date (the next existing one if the date was skipped)."""
        for day in range(ordinal, ordinal + 3):
            base = day_base(day)
            pieces = self.to_utc(base, base + DAY)
            if pieces:
                return pieces[0][0]
        raise InvalidInput("Local date does not exist in this zone.")  # pragma: no cover

    def round_up(self, t: int, step: int) -> int:
        """Earliest instant >= t whose local wall time is a multiple of step from local midnight."""
        starts, offsets = self._starts, self._offsets
        for _ in range(8):
            i = bisect_right(starts, t) - 1
            local = t + offsets[i]
            aligned = t + (-local % step)
            if i + 1 == len(starts) or aligned < starts[i + 1]:
                return aligned
            t = starts[i + 1]  # offset changes before alignment: re-round in the new offset
        return t  # pragma: no cover


def local_ordinal_at(zone: ZoneInfo, t: int) -> int:
    """Proleptic ordinal of the local date at instant t, by a direct zoneinfo call."""
    return (t + _offset(zone, t)) // DAY + EPOCH_ORDINAL


def day_start_of(zone: ZoneInfo, ordinal: int) -> int:
    """First instant of a local date, using the shared offset table around it."""
    guess = day_base(ordinal)
    return zone_clock(zone.key, guess - 2 * DAY, guess + 2 * DAY).day_start(ordinal)


# Shared tables cover whole blocks of UTC time: every call whose span falls in the same
# blocks reads one table instead of sampling the zone again (a booking's check built two
# tables of three weeks, 36 zoneinfo calls, every time).
_BLOCK = 32 * DAY


def zone_clock(key: str, lo: int, hi: int) -> ZoneClock:
    """An offset table of zone `key` covering at least [lo, hi], shared between calls and
    threads (a ZoneClock is never changed once built). Within [lo, hi] it answers as a table
    built over exactly that range would: sampling finds every change wherever it starts."""
    return _block_clock(key, lo // _BLOCK, -(-hi // _BLOCK))


@lru_cache(maxsize=4096)
def _block_clock(key: str, first_block: int, end_block: int) -> ZoneClock:
    return ZoneClock(load_zone(key), first_block * _BLOCK, end_block * _BLOCK)
