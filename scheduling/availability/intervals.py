"""Interval arithmetic on sorted lists of (start, end) epoch seconds, all linear sweeps."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

Span = tuple[int, int]


def merge(items: Iterable[Span]) -> list[Span]:
    """Sort and coalesce overlapping or touching spans into a disjoint sorted list."""
    ordered = sorted(items)
    out: list[Span] = []
    if not ordered:
        return out
    cur_s, cur_e = ordered[0]
    for s, e in ordered:
        if s <= cur_e:
            if e > cur_e:
                cur_e = e
        else:
            if cur_e > cur_s:
                out.append((cur_s, cur_e))
            cur_s, cur_e = s, e
    if cur_e > cur_s:
        out.append((cur_s, cur_e))
    return out


def clip(spans: list[Span], lo: int, hi: int) -> list[Span]:
    """Restrict a sorted disjoint list to [lo, hi)."""
    out: list[Span] = []
    for s, e in spans:
        if e <= lo or s >= hi:
            continue
        out.append((max(s, lo), min(e, hi)))
    return out


def subtract(base: list[Span], cut: list[Span]) -> list[Span]:
    """base minus cut, both sorted and disjoint, in one sweep."""
    if not cut:
        return base
    out: list[Span] = []
    j, n = 0, len(cut)
    for s, e in base:
        while j < n and cut[j][1] <= s:
            j += 1
        cur, k = s, j
        while k < n and cut[k][0] < e:
            cs, ce = cut[k]
            if cs > cur:
                out.append((cur, cs))
            if ce > cur:
                cur = ce
            if ce >= e:
                break
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def intersect(a: list[Span], b: list[Span]) -> list[Span]:
    """Intersection of two sorted disjoint lists, by a two-pointer sweep."""
    out: list[Span] = []
    i = j = 0
    while i < len(a) and j < len(b):
        s = max(a[i][0], b[j][0])
        e = min(a[i][1], b[j][1])
        if s < e:
            out.append((s, e))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def overlaps(spans: list[Span], starts: list[int], s: int, e: int) -> bool:
    """Whether [s, e) meets a sorted disjoint list (starts = its start column), by bisect."""
    i = bisect_left(starts, e) - 1
    return i >= 0 and spans[i][1] > s


def covers(spans: list[Span], starts: list[int], s: int, e: int) -> bool:
    """Whether one span of a sorted disjoint list contains all of [s, e)."""
    i = bisect_right(starts, s) - 1
    return i >= 0 and spans[i][1] >= e


def drop_starts(points: list[int], blocked: list[Span]) -> list[int]:
    """Sorted points minus those inside any blocked [s, e) span (sorted, disjoint)."""
    if not blocked:
        return points
    out: list[int] = []
    j, n = 0, len(blocked)
    for p in points:
        while j < n and blocked[j][1] <= p:
            j += 1
        if j == n or p < blocked[j][0]:
            out.append(p)
    return out
