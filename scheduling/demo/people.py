"""Attendees: a pool of people per region (so some book more than once) and their guests."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from scheduling.demo.audience import AUDIENCE_BY_ZONE, REGIONS, Region

POOL_SIZE = 320
GUEST_SAME_FAMILY = 0.6


@dataclass(frozen=True)
class Person:
    """Someone who books or joins as a guest."""

    first: str
    last: str
    email: str
    phone: str
    timezone: str

    @property
    def name(self) -> str:
        """Full name."""
        return f"{self.first} {self.last}"


def ascii_word(text: str) -> str:
    """Lower-case ASCII letters of a name, for e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(c for c in plain if c.isalnum())


def _email(rng: random.Random, first: str, last: str, domain: str) -> str:
    """A personal address in one of the usual shapes."""
    f, last_part = ascii_word(first), ascii_word(last)
    local = rng.choice(
        (
            f"{f}.{last_part}",
            f"{f}{last_part}{rng.randrange(1, 99)}",
            f"{f[0]}.{last_part}",
            f"{f}_{last_part}",
            f"{last_part}.{f}{rng.randrange(1990, 2010)}",
        )
    )
    return f"{local}@{domain}"


def _person(rng: random.Random, region: Region, last: str | None = None) -> Person:
    """A random person of a region; `last` keeps a family name."""
    first = rng.choice(region.first_names)
    last = last or rng.choice(region.last_names)
    phone = f"{region.phone_prefix} {rng.randrange(200, 999)} {rng.randrange(1000000, 9999999)}"
    return Person(
        first,
        last,
        _email(rng, first, last, rng.choice(region.mail_domains)),
        phone,
        rng.choice(region.zones),
    )


class People:
    """Pools of people per region; attendees of an event come from its host zone's audience."""

    def __init__(self, rng: random.Random) -> None:
        """Build every region's pool up front so picks only index into them."""
        self._rng = rng
        self._pools = {
            name: [_person(rng, r) for _ in range(POOL_SIZE)] for name, r in REGIONS.items()
        }
        self._region_of = {p.email: name for name, pool in self._pools.items() for p in pool}

    def pick(self, host_zone: str) -> Person:
        """An attendee for an event hosted from `host_zone`."""
        audience = AUDIENCE_BY_ZONE[host_zone]
        region = self._rng.choices(list(audience), weights=list(audience.values()))[0]
        return self._rng.choice(self._pools[region])

    def guest_of(self, person: Person) -> Person:
        """A family member or friend the attendee brings along, in the same zone."""
        region = REGIONS[self._region_of[person.email]]
        family = self._rng.random() < GUEST_SAME_FAMILY
        guest = _person(self._rng, region, person.last if family else None)
        return Person(guest.first, guest.last, guest.email, guest.phone, person.timezone)
