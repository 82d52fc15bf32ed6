"""The word pages: what a word's page shows, in the network and in each territory, computed from the archive.

A word carries the texts (stories, people, needs, actions) tagged with it or with one of its more specific words. Its
"parole vicine" are the words that most often share a text with it. An itinerary goes from the word through a text
that carries it to another word of that text: two steps, each a link. The network's list of words also offers a few
long itineraries, word → text → word → text → word → text → word, each text in another territory.

A word page lists texts of every territory, so its key cannot be "its territory's files": `reads(word)` names the
texts carrying the word or a more specific one, and `links_digest` which words and saperi have pages (every link a
word page makes depends on it). The views themselves are made only for the pages rendered (`Page.context
["make_view"]`). The work grows with the number of (text, word) pairs, since every text carries a handful of words.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from portale.content.model import Action, Archive, Need, Person, Story, Territory, Text, Word
from portale.content.slugs import strip_accents
from portale.pages import directory, matching

ITINERARIES = 8  # on each word page
LONG_ITINERARIES = 3  # on the network's list of words
NEIGHBOURS = 8
ELSEWHERE_SHOWN = 2  # on a territory's word page: texts of each other territory, before "e altre N"
NETWORK_SHOWN = 5  # on the network's word page: texts of each territory (its own word page lists them all)
KIND_NAMES = (
    ("stories", "Storie"),
    ("people", "Persone"),
    ("organisations", "Organizzazioni"),
    ("needs", "Bisogni"),
    ("actions", "Azioni"),
)


class Ref(NamedTuple):
    """A link as a page shows it: the label, the output path, and a short note (who, where, how many)."""

    label: str
    path: str
    note: str = ""


class Place(NamedTuple):
    territory: str  # its name
    path: str  # the territory's word page, or "" when it has none
    items: tuple[Ref, ...]
    more: int  # how many more of this territory the page does not list


class Group(NamedTuple):
    kind: str  # Storie | Persone | Organizzazioni | Bisogni
    places: tuple[Place, ...]  # the page's territory first, then the others nearest first


class MomentRef(NamedTuple):
    """A segment of an interview as a page lists it: "minuto 3:15 dell'intervista a …", a link to the segment."""

    text_path: str
    anchor: str
    clock: str
    speakers: str  # the names of who is interviewed, "" when nobody published is named
    title: str  # of the story, or the person's name
    territory: str  # its name when it is not the page's territory, else ""


def moment_refs(moments, territory: Territory | None) -> tuple[MomentRef, ...]:
    """Moments (model.Moment) as listed on a page of `territory`: the page's territory first, then by date and time."""

    def order(m):
        return (m.text.territory is not territory, *_order(m.text), m.segment.start)

    return tuple(
        MomentRef(
            m.text.path,
            m.segment.anchor,
            m.segment.clock,
            ", ".join(p.name for p in m.recording.speakers),
            _title(m.text),
            "" if m.text.territory is territory else m.text.territory.name,
        )
        for m in sorted(moments, key=order)
    )


class Itinerary(NamedTuple):
    steps: tuple[Ref, ...]  # word, text, word[, text, word ...]: every step a link


@dataclass(frozen=True)
class WordView:
    slug: str
    label: str
    description: str
    synonyms: tuple[str, ...]
    in_dictionary: bool
    broader: tuple[Ref, ...]
    narrower: tuple[Ref, ...]
    related: tuple[Ref, ...]
    count: int  # texts carrying it (or a more specific word) in the network
    count_here: int  # in the page's territory (the network's count on a network page)
    groups: tuple[Group, ...]
    skills: tuple[Ref, ...]
    neighbours: tuple[Ref, ...]  # note: how many texts they share
    itineraries: tuple[Itinerary, ...]
    moments: tuple[MomentRef, ...] = ()  # segments of interviews carrying it (the page's territory's, or all)


@dataclass(frozen=True)
class WordListView:
    entries: tuple[Ref, ...]  # note: how many texts carry it
    long_itineraries: tuple[Itinerary, ...]


def word_path(slug: str, territory: Territory | None = None) -> str:
    return f"{territory.slug}/parole/{slug}/" if territory else f"parole/{slug}/"


def _kind(text: Text) -> str:
    if isinstance(text, Story):
        return "stories"
    if isinstance(text, Need):
        return "needs"
    if isinstance(text, Action):
        return "actions"
    return "organisations" if text.kind == "organizzazione" else "people"


def _title(text: Text) -> str:
    return text.name if isinstance(text, Person) else text.title


def _who(text: Text) -> str:
    """Who a reader meets through a text: the first person a story names, the person itself, a need's place."""
    if isinstance(text, Story):
        named = next((m.person for m in text.mentions if m.person), None)
        return named.name if named else text.territory.name
    if isinstance(text, Person):
        return text.name
    if isinstance(text, Action):
        named = next((p.person for p in text.participants if p.person), None)
        return named.name if named else text.territory.name
    return text.territory.name


def _order(text: Text):
    if isinstance(text, Person):
        return (1, text.name.casefold(), text.slug)
    rank = 0 if isinstance(text, Story) else 3 if isinstance(text, Action) else 2
    return (rank, -text.date.toordinal(), text.title.casefold(), text.slug)


def search_forms(word: Word) -> list[str]:
    """What else a search for a text carrying `word` may type: its synonyms, and every more general word with its
    synonyms (a story tagged *alpaca* is found by *lana*)."""
    return [*word.synonyms, *(form for w in word.more_general() for form in (w.label, *w.synonyms))]


def by_initial(entries: Iterable[Ref]) -> list[tuple[str, list[Ref]]]:
    """Entries grouped by their first letter, accents folded: [("A", [...]), ("B", [...])]."""
    groups: dict[str, list[Ref]] = {}
    for ref in entries:
        letter = strip_accents(ref.label[:1]).upper() or "#"
        groups.setdefault(letter if letter.isalpha() else "#", []).append(ref)
    return list(groups.items())


class WordGraph:
    """The words of an archive with the texts carrying each one, per territory, and what the views need."""

    def __init__(self, archive: Archive):
        self.archive = archive
        self.words = archive.words
        self.descendants: dict[str, list[Word]] = {}
        direct: dict[str, list[Text]] = {}
        for slug, word in self.words.items():
            direct[slug] = word.texts()
        # texts carrying the word or a more specific one, by territory, each text once
        self.carried: dict[str, dict[str, list[Text]]] = {}
        for slug, word in self.words.items():
            seen: dict[int, Text] = {}
            for w in [word, *self._below(word)]:
                for text in direct[w.slug]:
                    seen.setdefault(id(text), text)
            per_place: dict[str, list[Text]] = defaultdict(list)
            for text in seen.values():
                per_place[text.territory.slug].append(text)
            for texts in per_place.values():
                texts.sort(key=_order)
            self.carried[slug] = dict(per_place)
        self.by_kind: dict[tuple[str, str], dict[str, list[Text]]] = {}  # (word, territory) -> kind -> texts
        for slug, per_place in self.carried.items():
            for place, texts in per_place.items():
                kinds: dict[str, list[Text]] = {}
                for text in texts:
                    kinds.setdefault(_kind(text), []).append(text)
                self.by_kind[(slug, place)] = kinds
        self.refs: dict[int, Ref] = {}  # a text as a word page lists it, made once per text
        self.orders: dict[str, list[Territory]] = {}
        self.read_cache: dict[str, tuple[str, ...]] = {}
        self.shared: dict[str, Counter] = defaultdict(Counter)  # word -> words sharing a text -> how many texts
        for text in self._texts():
            slugs = [w.slug for w in text.words]
            for a in slugs:
                for b in slugs:
                    if a != b:
                        self.shared[a][b] += 1
        self.skill_pages: dict[str, set[str]] = {}

    def _texts(self) -> Iterable[Text]:
        for territory in self.archive.territories:
            yield from territory.stories
            yield from territory.people
            yield from territory.needs
            yield from territory.actions

    def _below(self, word: Word) -> list[Word]:
        found = self.descendants.get(word.slug)
        if found is None:
            found = self.descendants[word.slug] = word.more_specific()
        return found

    def reads(self, word: Word) -> tuple[str, ...]:
        """The content files of the texts a page of `word` lists or walks through (every territory's)."""
        found = self.read_cache.get(word.slug)
        if found is None:
            found = self.read_cache[word.slug] = tuple(
                sorted(t.source for texts in self.carried[word.slug].values() for t in texts)
            )
        return found

    def texts_of(self, territory: Territory) -> tuple[str, ...]:
        """The content files of a territory's texts: its list of words counts them."""
        return tuple(
            sorted(t.source for t in (*territory.stories, *territory.people, *territory.needs, *territory.actions))
        )

    def links_digest(self, territory: Territory | None) -> str:
        """A hash of which words have a page in `territory` and in the network, and which saperi have a page there:
        the targets of every link a word page makes."""
        parts = [",".join(w.slug for w in self.network_words()), ",".join(sorted(self._skill_pages(None)))]
        if territory is not None:
            parts += [
                ",".join(w.slug for w in self.words_in(territory)),
                ",".join(sorted(self._skill_pages(territory))),
            ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def count(self, slug: str, territory: Territory | None = None) -> int:
        per_place = self.carried[slug]
        if territory is not None:
            return len(per_place.get(territory.slug, ()))
        return sum(len(texts) for texts in per_place.values())

    def words_in(self, territory: Territory) -> list[Word]:
        """The words with a page in `territory`: those a text of the territory carries. Alphabetical."""
        return [w for slug, w in self.words.items() if territory.slug in self.carried[slug]]

    def network_words(self) -> list[Word]:
        """Every dictionary word, and the tags outside it that some text carries. Alphabetical."""
        return [w for slug, w in self.words.items() if w.in_dictionary or self.carried[slug]]

    def link(self, word: Word, territory: Territory | None) -> Ref:
        """A word as a link: to its page in `territory` when it has one there, else to the network's page."""
        here = territory is not None and territory.slug in self.carried[word.slug]
        return Ref(word.label, word_path(word.slug, territory if here else None))

    def view(self, word: Word, territory: Territory | None) -> WordView:
        order = self._territory_order(territory)
        groups = []
        for kind, name in KIND_NAMES:
            places = []
            for place in order:
                texts = self.by_kind.get((word.slug, place.slug), {}).get(kind)
                if not texts:
                    continue
                limit = NETWORK_SHOWN if territory is None else None if place is territory else ELSEWHERE_SHOWN
                shown = texts[:limit]
                path = word_path(word.slug, place)
                places.append(Place(place.name, path, tuple(self._ref(t) for t in shown), len(texts) - len(shown)))
            if places:
                groups.append(Group(name, tuple(places)))
        skills = sorted(
            {s.slug: s for w in [word, *self._below(word)] for s in w.skills}.values(),
            key=lambda s: (s.name.casefold(), s.slug),
        )
        neighbours = sorted(
            self.shared[word.slug].items(), key=lambda pair: (-pair[1], self.words[pair[0]].label.casefold())
        )
        return WordView(
            slug=word.slug,
            label=word.label,
            description=word.description,
            synonyms=tuple(word.synonyms),
            in_dictionary=word.in_dictionary,
            broader=tuple(self.link(w, territory) for w in word.broader),
            narrower=tuple(self.link(w, territory) for w in word.narrower),
            related=tuple(self.link(w, territory) for w in word.related),
            count=self.count(word.slug),
            count_here=self.count(word.slug, territory),
            groups=tuple(groups),
            skills=tuple(Ref(s.name, path) for s in skills if (path := self._skill_path(s, territory))),
            neighbours=tuple(
                self.link(self.words[slug], territory)._replace(note=str(n)) for slug, n in neighbours[:NEIGHBOURS]
            ),
            itineraries=self.itineraries(word, territory),
            moments=moment_refs(
                [m for m in word.moments if territory is None or m.text.territory is territory], territory
            ),
        )

    def _ref(self, text: Text) -> Ref:
        ref = self.refs.get(id(text))
        if ref is None:
            ref = self.refs[id(text)] = Ref(_title(text), text.path, self._note(text))
        return ref

    def _note(self, text: Text) -> str:
        if isinstance(text, Story):
            named = [m.person.name for m in text.mentions if m.person]
            return ", ".join(named[:2])
        if isinstance(text, Person):
            return text.role
        if isinstance(text, Action):
            return {"in-corso": "in corso", "proposta": "proposta", "conclusa": "conclusa"}[text.status]
        return "aperto" if text.is_open else "risolto" if text.met else "chiuso"

    def _skill_path(self, skill, territory: Territory | None) -> str:
        """The skill's page in `territory`, else the network's; "" when neither has one (offered and asked nowhere)."""
        if territory is not None and skill.slug in self._skill_pages(territory):
            return directory.skill_path(skill, territory)
        return directory.skill_path(skill) if skill.slug in self._skill_pages(None) else ""

    def _skill_pages(self, territory: Territory | None) -> set[str]:
        key = territory.slug if territory else ""
        if key not in self.skill_pages:
            found = (
                directory.territory_skill_pages(self.archive, territory)
                if territory
                else directory.network_skill_pages(self.archive)
            )
            self.skill_pages[key] = {s.slug for s in found}
        return self.skill_pages[key]

    def _territory_order(self, territory: Territory | None) -> list[Territory]:
        key = territory.slug if territory else ""
        if key not in self.orders:
            if territory is None:
                self.orders[key] = sorted(self.archive.territories, key=lambda t: (t.name.casefold(), t.slug))
            else:
                self.orders[key] = [t for t, _ in matching.by_distance(territory, self.archive.territories)]
        return self.orders[key]

    def itineraries(self, word: Word, territory: Territory | None) -> tuple[Itinerary, ...]:
        """Up to ITINERARIES trips word → text → next word. Texts are taken in turns from each territory (the page's
        own first, then nearest first), so a reader meets different people and places; each next word and each
        person is used once while others are left."""
        start = self.link(word, territory)
        buckets = [list(self.carried[word.slug].get(t.slug, ())) for t in self._territory_order(territory)]
        buckets = [b for b in buckets if b]
        chosen: list[Itinerary] = []
        used_words, used_people, used_texts = {word.slug}, set(), set()
        for strict in (True, False):
            progress = True
            while progress and len(chosen) < ITINERARIES:
                progress = False
                for bucket in buckets:
                    if len(chosen) >= ITINERARIES:
                        break
                    for text in bucket:
                        if id(text) in used_texts or (strict and _who(text) in used_people):
                            continue
                        after = next((w for w in text.words if w.slug not in used_words), None)
                        if after is None:
                            continue
                        used_words.add(after.slug)
                        used_people.add(_who(text))
                        used_texts.add(id(text))
                        chosen.append(Itinerary((start, self._text_ref(text), self.link(after, territory))))
                        progress = True
                        break
        return tuple(chosen)

    def _text_ref(self, text: Text) -> Ref:
        """A text as a bridge: its title, and who a reader meets there and where (the place only, when the text
        is a person's page or nobody is named)."""
        who = _who(text)
        place = text.territory.name
        return Ref(_title(text), text.path, place if who in (place, _title(text)) else f"{who} · {place}")

    def list_view(self, territory: Territory | None) -> WordListView:
        words = self.words_in(territory) if territory else self.network_words()
        entries = tuple(Ref(w.label, word_path(w.slug, territory), str(self.count(w.slug, territory))) for w in words)
        return WordListView(entries, self.long_itineraries() if territory is None else ())

    def long_itineraries(self, texts: int = 3) -> tuple[Itinerary, ...]:
        """Up to LONG_ITINERARIES trips of `texts` texts (2 × texts steps), each text in another territory, each word
        and text once. The most carried words start them; the same content always gives the same trips."""
        starts = sorted(self.words.values(), key=lambda w: (-self.count(w.slug), w.label.casefold(), w.slug))
        found: list[Itinerary] = []
        used_texts: set[int] = set()
        used_starts: set[str] = set()
        for length in (texts, 2):
            for word in starts[:40]:
                if len(found) >= LONG_ITINERARIES:
                    return tuple(found)
                if word.slug in used_starts:
                    continue
                path = self._walk(word, length, [word], [], set(), used_texts)
                if path:
                    used_starts.add(word.slug)
                    words, stops = path
                    used_texts.update(id(t) for t in stops)
                    steps: list[Ref] = [self.link(words[0], None)]
                    for text, after in zip(stops, words[1:]):
                        steps += [self._text_ref(text), self.link(after, None)]
                    found.append(Itinerary(tuple(steps)))
        return tuple(found)

    def _walk(self, word, length, words, stops, places, used_texts, branching: int = 6):
        """Depth-first: from `word`, a text of an unvisited territory carrying it directly, then one of its words."""
        if len(stops) == length:
            return words, stops
        tried = 0
        for text in word.texts():
            if text.territory.slug in places or id(text) in used_texts:
                continue
            tried += 1
            if tried > branching:
                break
            for after in text.words:
                if any(after is w for w in words):
                    continue
                path = self._walk(
                    after, length, [*words, after], [*stops, text], places | {text.territory.slug}, used_texts
                )
                if path:
                    return path
        return None
