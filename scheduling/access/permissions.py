"""The permission structure of roadmap 7.1 and the five built-in roles."""

from __future__ import annotations

from typing import Final

# resource -> the actions a role may be granted on it
STRUCTURE: Final[dict[str, tuple[str, ...]]] = {
    "events": ("create", "read", "update", "delete"),
    "bookings": ("read", "update", "delete", "export"),
    "team": ("manage", "view"),
    "analytics": ("view", "export"),
    "integrations": ("manage", "view"),
    "billing": ("manage", "view"),
}
ALL: Final[frozenset[str]] = frozenset(f"{r}.{a}" for r, acts in STRUCTURE.items() for a in acts)
SCOPES: Final[tuple[str, ...]] = ("own", "team", "org")


def matrix(granted: set[str]) -> dict[str, dict[str, bool]]:
    """The JSON shape stored on a role: every resource and action, True where granted."""
    unknown = granted - ALL
    if unknown:
        raise ValueError(f"Unknown permission(s): {', '.join(sorted(unknown))}.")
    return {r: {a: f"{r}.{a}" in granted for a in acts} for r, acts in STRUCTURE.items()}


def granted(permissions: dict[str, dict[str, bool]]) -> frozenset[str]:
    """The permissions a stored matrix grants."""
    return frozenset(f"{r}.{a}" for r, acts in permissions.items() for a, on in acts.items() if on)


READ_ONLY = {"events.read", "bookings.read", "team.view", "analytics.view", "integrations.view"}

# name -> (description, scope, permissions)
BUILTIN_ROLES: Final[dict[str, tuple[str, str, set[str]]]] = {
    "super_admin": ("Everything, including billing.", "org", set(ALL)),
    "admin": ("Runs the whole organisation, except billing.", "org", set(ALL) - {"billing.manage"}),
    "manager": (
        "Manages their teams' events and bookings.",
        "team",
        READ_ONLY
        | {
            "events.create",
            "events.update",
            "bookings.update",
            "bookings.export",
            "team.manage",
            "analytics.export",
        },
    ),
    "member": (
        "Hosts meetings; manages their own availability and bookings.",
        "own",
        {"events.read", "events.update", "bookings.read", "bookings.update", "team.view"},
    ),
    "viewer": ("Reads everything, changes nothing.", "org", set(READ_ONLY)),
}
