"""The skills directory: which skills each territory (and the network) offers and asks for,
grouped by the categories of `saperi.yml`, and where each skill page lives.

Used by the render stage and the open data; it only reads the archive.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from portale.content.model import Archive, Category, Need, Offer, Skill, Territory


@dataclass
class Shelf:
    """A category of saperi.yml with the skills of it that a page shows, by name."""

    category: Category
    skills: list[Skill]


def skill_path(skill: Skill, territory: Territory | None = None) -> str:
    """The output path of a skill page: the territory's own, or the network's."""
    return f"{territory.slug}/saperi/{skill.slug}/" if territory else f"saperi/{skill.slug}/"


def skill_order(skill: Skill):
    return (skill.name.casefold(), skill.slug)


def offers_in(skill: Skill, territory: Territory) -> list[Offer]:
    return [o for o in skill.offers if o.person.territory is territory]


def offered(archive: Archive, territory: Territory | None = None) -> list[Skill]:
    """Skills somebody offers, in `territory` or anywhere in the network."""
    return [
        s
        for s in archive.skills.values()
        if any(territory is None or o.person.territory is territory for o in s.offers)
    ]


def open_needs(archive: Archive) -> list[Need]:
    """Every open need of the network, newest first."""
    needs = [n for t in archive.territories for n in t.open_needs]
    return sorted(needs, key=lambda n: (-n.date.toordinal(), n.title.casefold(), n.territory.slug, n.slug))


def wanted(archive: Archive, territory: Territory | None = None) -> list[Skill]:
    """Skills asked for by open needs (of `territory`, or of the network) that nobody there offers."""
    have = set(map(id, offered(archive, territory)))
    needs = territory.open_needs if territory else open_needs(archive)
    asked = {s.slug: s for n in needs for s in n.skills if id(s) not in have}
    return sorted(asked.values(), key=skill_order)


def shelve(archive: Archive, skills: Iterable[Skill]) -> list[Shelf]:
    """Group `skills` by category, in the order of saperi.yml; categories left empty are omitted."""
    chosen = set(map(id, skills))
    shelves = []
    for category in archive.categories:
        inside = sorted((s for s in category.skills if id(s) in chosen), key=skill_order)
        if inside:
            shelves.append(Shelf(category, inside))
    return shelves


def territory_skill_pages(archive: Archive, territory: Territory) -> list[Skill]:
    """Skills with a page in `territory`: offered there, or asked by one of its needs (open or closed)."""
    chosen = {s.slug: s for s in offered(archive, territory)}
    for need in territory.needs:
        for skill in need.skills:
            chosen.setdefault(skill.slug, skill)
    return sorted(chosen.values(), key=skill_order)


def network_skill_pages(archive: Archive) -> list[Skill]:
    """Skills with a network page: offered somewhere, or asked by an open need."""
    chosen = {s.slug: s for s in offered(archive)}
    for need in open_needs(archive):
        for skill in need.skills:
            chosen.setdefault(skill.slug, skill)
    return sorted(chosen.values(), key=skill_order)


def offer_counts(skill: Skill, territories: list[Territory]) -> list[tuple[Territory, int]]:
    """How many offer `skill` in each territory that has at least one offer, in the archive's order."""
    counts = [(t, len(offers_in(skill, t))) for t in territories]
    return [(t, n) for t, n in counts if n]
