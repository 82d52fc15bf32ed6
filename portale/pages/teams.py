"""A possible team for a need: the fewest people and organisations who together offer every sapere it asks for.

Among the teams of that size the choice is, in order: the nearest team (its farthest member's territory, counted
as the need's own territory first and then the others nearest first, as `matching.by_distance` orders them), the
fewest single persons (organisations before a person when both fit), the nearest members overall, then names.
A team is the minimum of that key over every set of candidates, found exactly: candidates offering the same
subset of the asked saperi are interchangeable, so only the best one of each subset is kept, and the subsets are
few (a need asks for a handful of saperi). tests/test_actions.py checks it against an exhaustive search.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from portale.content.model import Need, Person, Skill, Territory
from portale.pages.matching import by_distance


@dataclass(frozen=True)
class Member:
    person: Person
    skills: tuple[Skill, ...]  # the saperi asked that this member offers, in the need's order


@dataclass(frozen=True)
class Team:
    members: tuple[Member, ...]
    missing: tuple[Skill, ...]  # saperi asked that nobody in the network offers


def member_key(person: Person) -> tuple[str, str, str]:
    return (person.name.casefold(), person.territory.slug, person.slug)


def team_key(team: list[Person], rank: dict[str, int]) -> tuple:
    """What the choice minimises (see the module's docstring)."""
    ranks = [rank[p.territory.slug] for p in team]
    return (
        len(team),
        max(ranks, default=0),
        sum(p.kind != "organizzazione" for p in team),
        sum(ranks),
        tuple(sorted(member_key(p) for p in team)),
    )


def candidates(need: Need) -> dict[int, tuple[Person, int]]:
    """Everyone offering at least one sapere the need asks for, with the bits of the saperi they offer."""
    found: dict[int, tuple[Person, int]] = {}
    for bit, skill in enumerate(need.skills):
        for offer in skill.offers:
            person, mask = found.get(id(offer.person), (offer.person, 0))
            found[id(offer.person)] = (person, mask | 1 << bit)
    return found


def possible_team(need: Need, territories: list[Territory]) -> Team | None:
    """The team for an open need asking for two or more saperi; None for any other need."""
    if not need.is_open or len(need.skills) < 2:
        return None
    rank = {t.slug: i for i, (t, _) in enumerate(by_distance(need.territory, territories))}
    people = list(candidates(need).values())
    reachable = 0
    for _, mask in people:
        reachable |= mask
    missing = tuple(s for bit, s in enumerate(need.skills) if not reachable >> bit & 1)
    chosen = _best_cover(people, reachable, rank) if reachable else []
    members = sorted(chosen, key=lambda p: (rank[p.territory.slug], p.kind != "organizzazione", member_key(p)))
    masks = {id(p): m for p, m in people}
    return Team(
        tuple(Member(p, tuple(s for bit, s in enumerate(need.skills) if masks[id(p)] >> bit & 1)) for p in members),
        missing,
    )


def _best_cover(people: list[tuple[Person, int]], goal: int, rank: dict[str, int]) -> list[Person]:
    def best_per_mask(limit: int) -> dict[int, Person]:
        best: dict[int, Person] = {}
        for person, mask in people:
            r = rank[person.territory.slug]
            if r > limit:
                continue
            key = (person.kind != "organizzazione", r, member_key(person))
            current = best.get(mask)
            if current is None or key < (
                current.kind != "organizzazione",
                rank[current.territory.slug],
                member_key(current),
            ):
                best[mask] = person
        return best

    def covers(masks: list[int], size: int) -> list[tuple[int, ...]]:
        found = []
        for combo in combinations(masks, size):
            union = 0
            for m in combo:
                union |= m
            if union == goal:
                found.append(combo)
        return found

    everyone = best_per_mask(max(rank.values()))
    size = next(s for s in range(1, len(everyone) + 1) if covers(sorted(everyone), s))
    for limit in sorted(set(rank.values())):  # the nearest team of that size
        best = best_per_mask(limit)
        found = covers(sorted(best), size)
        if found:
            teams = [[best[m] for m in combo] for combo in found]
            return min(teams, key=lambda team: team_key(team, rank))
    raise AssertionError("the whole network covers the goal")
