"""Needs meet offers: who could meet a need, the need's own territory first, then the other
territories of the network by great-circle distance from the coordinates in `territorio.md`.

Used by the render stage (need pages, skill pages, the network list of needs); it only reads the
archive. Territories without coordinates come after the ones with coordinates, by name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from portale.content.model import Need, Offer, Person, Skill, Territory

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
ENOUGH_ELSEWHERE = 6  # other territories are listed, nearest first, until this many people from them are shown


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


def group_by_place(helpers: list[Helper], origin: Territory | None, territories: list[Territory]) -> list[Nearby]:
    """Helpers grouped by territory, by name inside each: from `origin` outwards, or by territory name without one."""
    if origin is None:
        order = [(t, None) for t in sorted(territories, key=lambda t: (t.name.casefold(), t.slug))]
    else:
        order = by_distance(origin, territories)
    per_place: dict[str, list[Helper]] = {}
    for helper in helpers:
        per_place.setdefault(helper.person.territory.slug, []).append(helper)
    groups = []
    for territory, km in order:
        found = sorted(per_place.get(territory.slug, []), key=lambda h: person_order(h.person))
        if found:
            groups.append(Nearby(territory, km, found, home=territory is origin))
    return groups


def match_need(need: Need, territories: list[Territory]) -> list[Nearby]:
    """Who could meet `need`: its own territory first, then the nearest others; territories with nobody are left out.
    A person offering several of the skills asked appears once, with those offers in the order the need lists them."""
    helpers: dict[int, Helper] = {}
    for skill in need.skills:
        for offer in skill.offers:
            helpers.setdefault(id(offer.person), Helper(offer.person, [])).offers.append(offer)
    return group_by_place(list(helpers.values()), need.territory, territories)


def offers_by_territory(skill: Skill, origin: Territory | None, territories: list[Territory]) -> list[Nearby]:
    """Who offers `skill`, grouped by territory: from `origin` outwards, or by territory name without an origin."""
    return group_by_place([Helper(o.person, [o]) for o in skill.offers], origin, territories)


def nearest_first(needs: list[Need], origin: Territory, territories: list[Territory]) -> list[Need]:
    """`needs` of `origin` first, then those of the nearer territories; newest first within a territory."""
    rank = {t.slug: i for i, (t, _) in enumerate(by_distance(origin, territories))}
    return sorted(needs, key=lambda n: (rank[n.territory.slug], -n.date.toordinal(), n.title.casefold(), n.slug))


def nearest_enough(groups: list[Nearby], enough: int = ENOUGH_ELSEWHERE) -> tuple[list[Nearby], int]:
    """The home group, then whole other territories nearest first until `enough` people from them are shown.
    Returns the groups to show and how many people of the farther territories were left out."""
    shown, elsewhere, left_out = [], 0, 0
    for group in groups:
        if group.home or elsewhere < enough:
            shown.append(group)
            elsewhere += 0 if group.home else len(group.helpers)
        else:
            left_out += len(group.helpers)
    return shown, left_out
