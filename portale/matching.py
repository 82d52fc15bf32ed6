"""Needs meet offers: who could meet a need, the need's own territory first, then the other
territories of the network by great-circle distance from the coordinates in `territorio.md`.

Used by the render stage (need pages, skill pages, the network list of needs); it only reads the
archive. Territories without coordinates come after the ones with coordinates, by name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .model import Need, Offer, Person, Skill, Territory

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


@dataclass
class Helper:
    """A person or organisation offering one or more of the skills a need asks for."""

    person: Person
    offers: list[Offer]  # in the order of the need's skills


@dataclass
class Nearby:
    """One territory's helpers for a need, with how far the territory is."""

    territory: Territory
    distance_km: float | None  # None for the need's own territory, or when coordinates are missing
    helpers: list[Helper]
    home: bool = False  # the need's own territory


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points in degrees (haversine formula)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def by_distance(origin: Territory, territories: list[Territory]) -> list[tuple[Territory, float | None]]:
    """`origin` first (distance None), then the others nearest first; those without coordinates last, by name."""

    def away(t: Territory) -> float | None:
        if origin.coordinates is None or t.coordinates is None:
            return None
        return distance_km(origin.coordinates, t.coordinates)

    others = [(t, away(t)) for t in territories if t is not origin]
    others.sort(key=lambda pair: (pair[1] is None, pair[1] or 0.0, pair[0].name.casefold(), pair[0].slug))
    return [(origin, None)] + others


def person_order(person: Person):
    return (person.name.casefold(), person.slug)


def helpers_in(territory: Territory, skills: list[Skill]) -> list[Helper]:
    """Everyone in `territory` offering at least one of `skills`, by name."""
    helpers = []
    for person in territory.people:
        offers = [o for s in skills for o in person.offers if o.skill is s]
        if offers:
            helpers.append(Helper(person, offers))
    helpers.sort(key=lambda h: person_order(h.person))
    return helpers


def match_need(need: Need, territories: list[Territory]) -> list[Nearby]:
    """Who could meet `need`: its own territory first, then the nearest others; territories with nobody are left out."""
    found = []
    for territory, km in by_distance(need.territory, territories):
        helpers = helpers_in(territory, need.skills)
        if helpers:
            found.append(Nearby(territory, km, helpers, home=territory is need.territory))
    return found


def offers_by_territory(skill: Skill, origin: Territory | None, territories: list[Territory]) -> list[Nearby]:
    """Who offers `skill`, grouped by territory: from `origin` outwards, or by territory name without an origin."""
    if origin is None:
        order = [(t, None) for t in sorted(territories, key=lambda t: (t.name.casefold(), t.slug))]
    else:
        order = by_distance(origin, territories)
    groups = []
    for territory, km in order:
        helpers = [Helper(o.person, [o]) for o in skill.offers if o.person.territory is territory]
        if helpers:
            helpers.sort(key=lambda h: person_order(h.person))
            groups.append(Nearby(territory, km, helpers, home=territory is origin))
    return groups


def nearest_first(needs: list[Need], origin: Territory, territories: list[Territory]) -> list[Need]:
    """`needs` of `origin` first, then those of the nearer territories; newest first within a territory."""
    rank = {t.slug: i for i, (t, _) in enumerate(by_distance(origin, territories))}
    return sorted(needs, key=lambda n: (rank[n.territory.slug], -n.date.toordinal(), n.title.casefold(), n.slug))
