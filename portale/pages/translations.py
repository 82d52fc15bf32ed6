"""The texts of the archive by language: the pages of texts in other languages, and the search page of each."""

from __future__ import annotations

from dataclasses import dataclass, field

from portale.content.model import Archive, Territory, Text


@dataclass
class Shelf:
    """The texts readable in one language: for each, its version in that language."""

    language: str
    stories: list = field(default_factory=list)
    people: list = field(default_factory=list)
    needs: list = field(default_factory=list)
    actions: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.stories) + len(self.people) + len(self.needs) + len(self.actions)


def shelves(territories: list[Territory], source_language: str) -> list[Shelf]:
    """Every language other than `source_language` some text is told or translated in, with those texts' versions
    in it; by number of texts, then code."""
    found: dict[str, Shelf] = {}

    def add(texts: list[Text], kind: str) -> None:
        for text in texts:
            for version in text.versions:
                if version.language != source_language:
                    getattr(found.setdefault(version.language, Shelf(version.language)), kind).append(version)

    for t in territories:
        add(t.stories, "stories")
        add(t.people, "people")
        add(t.needs, "needs")
        add(t.actions, "actions")
    return sorted(found.values(), key=lambda shelf: (-shelf.count, shelf.language))


def search_languages(archive: Archive, territories: list[Territory]) -> list[str]:
    """The languages a search page is offered in: the portal's, then each other one its bundles hold."""
    return [archive.portal.language, *(shelf.language for shelf in shelves(territories, archive.portal.language))]
