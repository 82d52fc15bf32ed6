"""Matching by affinity: where nobody offers the sapere asked, who offers a sapere near it in the dictionary.

Two saperi are affine when their words (a sapere's `parole` in saperi.yml, and the entries its name or synonyms
name) are the same word, or one is more specific or more general than the other (at any depth), or they are
associated (`correlate`). Ranked in that order, then nearest territory first, then by name. Each one says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from portale.content.model import Archive, Offer, Person, Skill, Territory, Word
from portale.pages import matching

SHOWN = 8
RANKS = {1: "la stessa parola", 2: "una parola più specifica o più generale", 3: "una parola correlata"}


@dataclass
class Affine:
    """Someone offering a sapere near the one asked."""

    person: Person
    offer: Offer  # the affine sapere they offer
    asked: Skill  # the sapere nobody offers
    rank: int  # 1 shares a word, 2 more specific or more general, 3 associated
    theirs: Word  # the word of their sapere
    ours: Word  # the word of the sapere asked
    distance_km: float | None

    @property
    def reason(self) -> str:
        """«offre Cucina per grandi numeri, parola vicina a catering»: what links the two saperi."""
        if self.rank == 1:
            return f"«{self.theirs.label}» è una parola anche di «{self.asked.name}»"
        if self.rank == 2:
            relation = "più specifica" if _below(self.theirs, self.ours) else "più generale"
            return f"«{self.theirs.label}» è una parola {relation} di «{self.ours.label}»"
        return f"«{self.theirs.label}» è una parola correlata a «{self.ours.label}»"


def _below(word: Word, other: Word) -> bool:
    """True when `word` is more specific than `other`, at any depth."""
    return any(w is word for w in other.more_specific())


def _lineage(word: Word) -> list[Word]:
    """Every more general and more specific word of `word`."""
    return [*word.more_general(), *word.more_specific()]


def affinity(asked: Skill, other: Skill) -> tuple[int, Word, Word] | None:
    """(rank, their word, our word) of the closest link from `asked` to `other`; None when they are not affine."""
    best = None
    for ours in asked.words:
        near = [(1, ours)] + [(2, w) for w in _lineage(ours)] + [(3, w) for w in ours.related]
        for rank, word in near:
            if any(word is theirs for theirs in other.words) and (best is None or rank < best[0]):
                best = (rank, word, ours)
    return best


def affine_offers(asked: Skill, origin: Territory | None, archive: Archive, shown: int = SHOWN) -> list[Affine]:
    """Who offers a sapere affine to `asked`, when nobody offers `asked` itself: best rank first, then nearest."""
    if asked.offers or not asked.words:
        return []
    places = matching.by_distance(origin, archive.territories) if origin else []
    rank_of_place = {t.slug: (i, km) for i, (t, km) in enumerate(places)}
    found: dict[str, Affine] = {}
    for skill in archive.skills.values():
        if skill is asked or not skill.offers:
            continue
        link = affinity(asked, skill)
        if link is None:
            continue
        rank, theirs, ours = link
        for offer in skill.offers:
            key = offer.person.path
            km = rank_of_place.get(offer.person.territory.slug, (0, None))[1]
            candidate = Affine(offer.person, offer, asked, rank, theirs, ours, km)
            if key not in found or _key(candidate, rank_of_place) < _key(found[key], rank_of_place):
                found[key] = candidate
    return sorted(found.values(), key=lambda a: _key(a, rank_of_place))[:shown]


def _key(affine: Affine, rank_of_place: dict):
    place = rank_of_place.get(affine.person.territory.slug, (0, None))[0]
    return (affine.rank, place, affine.person.name.casefold(), affine.person.path, affine.offer.skill.slug)


def affine_for_need(need, archive: Archive) -> list[Affine]:
    """For each sapere the need asks that nobody offers, who offers an affine one; each person once, and nobody who
    already offers one of the saperi asked (they are listed with them)."""
    exact = {offer.person.path for skill in need.skills for offer in skill.offers}
    found: dict[str, Affine] = {}
    for skill in need.skills:
        for affine in affine_offers(skill, need.territory, archive, shown=SHOWN + len(exact)):
            if affine.person.path not in exact:
                found.setdefault(affine.person.path, affine)
    places = {t.slug: (i, km) for i, (t, km) in enumerate(matching.by_distance(need.territory, archive.territories))}
    return sorted(found.values(), key=lambda a: _key(a, places))[:SHOWN]
