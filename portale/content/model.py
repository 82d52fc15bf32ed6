"""Stage 3, model: checked sources -> an Archive of territories, stories, people, needs and skills,
with links resolved both ways (a story's people, a person's stories, a skill's offers and needs).

What is not published never enters the archive: drafts (unless previewing with --bozze) and
people without a consent record covering the web, or whose consent was revoked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from portale.content import languages, recordings
from portale.content.appointments import Appointment, Occurrence, read_appointments
from portale.content.dictionary import Dictionary, slug_of
from portale.content.load import Source, Sources
from portale.content.markup import MarkupTooComplex, render_markdown
from portale.content.media import Audio, LinkedVideo, Picture, Video, body_images, resolve_in_bundle
from portale.content.privacy import NEUTRAL_MENTION, consent_allows, name_cleaner, shown_name
from portale.content.problems import ContentError, Problem
from portale.content.slugs import slugify
from portale.content.transcripts import Segment


@dataclass
class Portal:
    title: str
    subtitle: str
    description: str
    base_url: str  # always ends with "/"
    contacts: dict
    editor: dict = field(default_factory=dict)  # portale.yml's `redazione:` (cms/config.py)
    language: str = "it"  # portale.yml's `lingua`: of the interface, and of the texts that do not say theirs


@dataclass
class Skill:
    slug: str
    name: str
    description: str
    synonyms: list[str]
    category: Category
    offers: list[Offer] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    word_slugs: list[str] = field(default_factory=list)  # as listed in saperi.yml


@dataclass
class Category:
    slug: str
    name: str
    description: str
    skills: list[Skill] = field(default_factory=list)


@dataclass
class Portineria:
    name: str
    address: str
    hours: str
    phone: str
    email: str
    site: str
    services: list[Service] = field(default_factory=list)


@dataclass
class ServiceKind:
    """A kind of help a portineria gives (content/servizi.yml): SPID, INPS, homework, Italian classes..."""

    slug: str
    name: str
    description: str
    synonyms: list[str]
    services: list[Service] = field(default_factory=list)  # every portineria's, by territory name

    @property
    def path(self) -> str:
        return f"servizi/{self.slug}/"


@dataclass
class Service:
    kind: ServiceKind
    name: str
    hours: str
    description: str
    with_label: str  # who runs it with the portineria, as shown
    with_person: Person | None  # that organisation's page, when it has one
    portineria: Portineria
    territory: Territory
    anchor: str = ""  # its id on the territory's servizi/ page: the kind's slug, then -2, -3 for another of the kind


@dataclass
class Offer:
    person: Person
    skill: Skill
    description: str


@dataclass
class Moment:
    """A segment of a recording as a word or person page lists it: a link straight to that moment of the text."""

    text: Story | Person  # the text the recording belongs to
    recording: Audio
    segment: Segment

    @property
    def path(self) -> str:
        return f"{self.text.path}#{self.segment.anchor}"


@dataclass(eq=False)
class Word:
    """A word of the analogical dictionary, or a tag that is not in it yet (`in_dictionary` False: no field).
    Its relations are other words; the texts and saperi listed are those carrying it directly."""

    slug: str
    label: str
    description: str = ""
    synonyms: list[str] = field(default_factory=list)
    in_dictionary: bool = True
    broader: list[Word] = field(default_factory=list)
    narrower: list[Word] = field(default_factory=list)
    related: list[Word] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)
    tag_slugs: set[str] = field(default_factory=set)  # the slugs of the tags that name it (old tag/<slug>/ addresses)
    moments: list[Moment] = field(default_factory=list)  # the segments of recordings carrying it

    def texts(self) -> list[Text]:
        """The texts carrying this word directly: stories, people, needs, actions."""
        return [*self.stories, *self.people, *self.needs, *self.actions]

    def more_specific(self) -> list[Word]:
        """Every more specific word, at any depth, nearest first."""
        return _walk(self, "narrower")

    def more_general(self) -> list[Word]:
        """Every more general word, at any depth, nearest first."""
        return _walk(self, "broader")


def _walk(word: Word, relation: str) -> list[Word]:
    """Breadth-first along `relation` (validation refused cycles of specifiche), each word once, `word` left out."""
    seen: dict[str, Word] = {word.slug: word}
    frontier = list(getattr(word, relation))
    while frontier:
        step = []
        for w in frontier:
            if w.slug not in seen:
                seen[w.slug] = w
                step.extend(getattr(w, relation))
        frontier = step
    return list(seen.values())[1:]


@dataclass(kw_only=True)
class Versions:
    """A text and its translations (storie/<slug>.ar.md): the same text in other languages, each a copy of the original
    with its own title, summary and body, published at <original's path>/<lingua>/. Keyword-only fields: they follow
    the fields of each kind of text."""

    language: str = "it"  # BCP 47 (content/languages.py)
    translator: str = ""  # a translation's `tradotto_da`
    original: Versions | None = field(default=None, compare=False, repr=False)  # set on a translation
    translations: list = field(default_factory=list, compare=False, repr=False)  # an original's, by language

    @property
    def versions(self) -> list:
        """The original first, then its translations."""
        first = self.original or self
        return [first, *first.translations]

    @property
    def version_dir(self) -> str:
        return f"{self.language.lower()}/" if self.original is not None else ""


@dataclass
class Person(Versions):
    territory: Territory
    slug: str
    name: str  # the name as shown: first name only or pseudonym when visibilita asks for it
    kind: str  # persona | organizzazione
    category: str
    role: str
    site: str
    body_html: str
    draft: bool
    source: str
    image: Picture | None = None
    offers: list[Offer] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)  # those it takes part in, or is a partner of
    video: Video | LinkedVideo | None = None
    body_images: dict[str, Picture] = field(default_factory=dict)  # by the name the body gives the file
    moments: list[Moment] = field(default_factory=list)  # the segments of recordings about this person

    @property
    def recordings(self) -> list[Audio]:
        return [self.video] if isinstance(self.video, Video) else []

    @property
    def path(self) -> str:
        return f"{self.territory.slug}/persone/{self.slug}/{self.version_dir}"


@dataclass
class Mention:
    """A person named by a story: linked when published, a neutral mention otherwise."""

    person: Person | None
    label: str


@dataclass
class Story(Versions):
    territory: Territory
    slug: str
    title: str
    date: dt.date
    category: str
    summary: str
    body_html: str
    draft: bool
    source: str
    mentions: list[Mention] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)  # its tags, as words of the dictionary
    image: Picture | None = None
    audio: Audio | None = None
    action: Action | None = None  # the action it tells
    video: Video | LinkedVideo | None = None
    gallery: list[Picture] = field(default_factory=list)
    body_images: dict[str, Picture] = field(default_factory=dict)  # by the name the body gives the file

    @property
    def recordings(self) -> list[Audio]:
        """Its audio and video files, in the order of the page."""
        return [r for r in (self.video, self.audio) if isinstance(r, Audio)]

    @property
    def path(self) -> str:
        return f"{self.territory.slug}/storie/{self.slug}/{self.version_dir}"


@dataclass
class Need(Versions):
    territory: Territory
    slug: str
    title: str
    date: dt.date
    skills: list[Skill]
    status: str
    deadline: dt.date | None
    summary: str
    body_html: str
    draft: bool
    source: str
    is_open: bool = True
    words: list[Word] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)  # the actions answering it
    body_images: dict[str, Picture] = field(default_factory=dict)
    solved_by: Action | None = None  # the first concluded action answering it: the need is met

    @property
    def path(self) -> str:
        return f"{self.territory.slug}/bisogni/{self.slug}/{self.version_dir}"

    @property
    def met(self) -> bool:
        """Met: a concluded action answered it (a need the editors closed, or past its deadline, is only closed)."""
        return self.solved_by is not None


@dataclass
class Participant:
    """Who brings what to an action: a published person (linked), or a neutral mention."""

    person: Person | None
    label: str
    skill: Skill | None
    role: str
    offered: bool = False  # the person offers that sapere (it then has a page in their territory)


@dataclass
class Partner:
    """An organisation with a page (linked), or the plain name of a body without one."""

    person: Person | None
    label: str


ACTION_STATES = {"in-corso": "In corso", "proposta": "Proposte", "conclusa": "Concluse"}  # the order of the lists


@dataclass
class Action(Versions):
    """What a need, some saperi and a few people become together: an action co-designed at a portineria."""

    territory: Territory
    slug: str
    title: str
    date: dt.date
    status: str  # proposta | in-corso | conclusa
    summary: str
    body_html: str
    draft: bool
    source: str
    needs: list[Need] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)  # the stories telling it
    words: list[Word] = field(default_factory=list)
    image: Picture | None = None
    body_images: dict[str, Picture] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return f"{self.territory.slug}/azioni/{self.slug}/{self.version_dir}"

    @property
    def calendar_path(self) -> str:
        return (self.original or self).path + "calendario.ics"  # a translation's appointments are the original's

    def occurrences(self, since: dt.date, before: dt.date) -> list[Occurrence]:
        """Its meetings from `since` to before `before`, repetitions expanded, in time order."""
        found = [o for a in self.appointments for o in a.occurrences(since, before)]
        return sorted(found, key=occurrence_order)


def occurrence_order(occurrence: Occurrence):
    start = occurrence.start
    return (occurrence.day, start.time() if isinstance(start, dt.datetime) else dt.time(), occurrence.appointment.place)


Text = Story | Person | Need | Action


@dataclass
class Territory:
    slug: str
    name: str
    comune: str
    kind: str
    summary: str
    coordinates: tuple[float, float] | None
    portinerie: list[Portineria]
    body_html: str
    image: Picture | None = None
    body_images: dict[str, Picture] = field(default_factory=dict)
    stories: list[Story] = field(default_factory=list)  # newest first
    people: list[Person] = field(default_factory=list)  # by name
    needs: list[Need] = field(default_factory=list)  # newest first
    actions: list[Action] = field(default_factory=list)  # newest first

    @property
    def services(self) -> list[Service]:
        return [service for place in self.portinerie for service in place.services]

    @property
    def path(self) -> str:
        return f"{self.slug}/"

    @property
    def open_needs(self) -> list[Need]:
        return [n for n in self.needs if n.is_open]


@dataclass
class Archive:
    portal: Portal
    categories: list[Category]
    skills: dict[str, Skill]
    territories: list[Territory]
    today: dt.date
    drafts: bool
    words: dict[str, Word] = field(default_factory=dict)  # by slug, alphabetical by label
    service_kinds: dict[str, ServiceKind] = field(default_factory=dict)  # in the order of servizi.yml
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # found while rendering bodies: the build stops

    def territory(self, slug: str) -> Territory:
        return next(t for t in self.territories if t.slug == slug)

    @property
    def stories(self) -> list[Story]:
        return sorted((s for t in self.territories for s in t.stories), key=story_order)

    @property
    def actions(self) -> list[Action]:
        return sorted((a for t in self.territories for a in t.actions), key=action_order)


def action_order(action: Action):
    return (-action.date.toordinal(), action.title.casefold(), action.territory.slug, action.slug)


def story_order(story: Story):
    return (-story.date.toordinal(), story.title.casefold(), story.territory.slug, story.slug)


def build_archive(sources: Sources, *, drafts: bool = False, today: dt.date | None = None) -> Archive:
    today = today or dt.date.today()
    portal_data = sources.portal_data
    base_url = portal_data.get("base_url", "https://example.org/")
    portal = Portal(
        title=portal_data.get("titolo", "Portale dei Saperi"),
        subtitle=portal_data.get("sottotitolo", ""),
        description=portal_data.get("descrizione", ""),
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        contacts={k: v for k, v in portal_data.get("contatti", {}).items() if not k.startswith("_")},
        editor={k: v for k, v in portal_data.get("redazione", {}).items() if not k.startswith("_")},
        language=sources.language,
    )
    categories, skills = _vocabulary(sources.vocabulary_data)
    archive = Archive(portal, categories, skills, [], today, drafts)
    words = WordTable(sources.words or Dictionary())
    for skill in skills.values():
        for word in words.for_skill(skill):
            skill.words.append(word)
            word.skills.append(skill)

    def published(source: Source) -> bool:
        return drafts or not source.data.get("bozza", False)

    by_kind: dict[str, list[Source]] = {"territorio": [], "storia": [], "persona": [], "bisogno": [], "azione": []}
    translated: dict[tuple[str, str, str], list[Source]] = {}  # (kind, territory, slug) -> its translations
    for source in sources.files:
        if source.translation:
            translated.setdefault((source.kind, source.territory, source.slug), []).append(source)
        else:
            by_kind[source.kind].append(source)
    default_language = portal.language

    def versions(text: Text, source: Source) -> None:
        """The text's language, and its published translations."""
        text.language = source.language(default_language)
        for other in translated.get((source.kind, source.territory, source.slug), []):
            if published(other):
                text.translations.append(_translation(text, source, other, today, archive.errors))
        text.translations.sort(key=lambda t: t.language)

    archive.service_kinds = _service_kinds(sources.services_data)
    territories: dict[str, Territory] = {}
    for source in by_kind["territorio"]:
        territories[source.territory] = _territory(source, archive.errors)
    archive.territories = [territories[k] for k in sorted(territories)]

    cleaner = _LazyCleaner(sources, today)
    people: dict[tuple[str, str], Person] = {}
    people_data = {(source.territory, source.slug): source.data for source in by_kind["persona"]}
    for source in by_kind["persona"]:
        if not published(source) or not consent_allows(source.data, "web", today):
            continue
        person = _person(source, territories[source.territory], skills, today, archive.errors)
        if consent_allows(source.data, "foto", today):
            person.body_images = _body_pictures(source)
        person.video = _person_video(source, person, today, cleaner, archive.warnings)
        versions(person, source)
        people[(source.territory, source.slug)] = person
        territories[source.territory].people.append(person)
        words.tag(person, "people", source)

    told: list[tuple[Story, Source]] = []  # stories naming the action they tell: linked once actions are made
    for source in by_kind["storia"]:
        if not published(source):
            continue
        territory = territories[source.territory]
        story = _story(source, territory, archive.errors)
        if "azione" in source.data:
            told.append((story, source))
        for ref in source.data.get("persone", []):
            owner, _, slug = ref.rpartition("/")
            person = people.get((owner or source.territory, slug))
            if person is None:
                story.mentions.append(Mention(None, NEUTRAL_MENTION))
                archive.warnings.append(
                    Problem(
                        source.rel,
                        source.meta.key_lines.get("persone", 1),
                        f'la persona "{ref}" non è pubblicata (bozza o senza consenso per il web): nella storia compare come «{NEUTRAL_MENTION}»',
                        "",
                        "persona-non-pubblicata",
                        warning=True,
                    )
                )
                continue
            story.mentions.append(Mention(person, person.name))
            _check_media_consent(
                source, story, people_data[(person.territory.slug, person.slug)], person.name, today, archive.warnings
            )
            _add_once(person.stories, story)
        story.video = _story_video(source, story, people, people_data, today, cleaner, archive.warnings)
        words.tag(story, "stories", source)
        versions(story, source)  # after its mentions: a translation shares them, or narrows them
        territory.stories.append(story)

    for source in by_kind["bisogno"]:
        if not published(source):
            continue
        need = _need(source, territories[source.territory], skills, today, archive.errors)
        versions(need, source)
        territories[source.territory].needs.append(need)
        words.tag(need, "needs", source)

    needs = {(n.territory.slug, n.slug): n for t in archive.territories for n in t.needs}
    actions: dict[tuple[str, str], Action] = {}
    for source in by_kind["azione"]:
        if not published(source):
            continue
        action = _action(source, territories[source.territory], archive.errors)
        _join_action(action, source, people, needs, skills, archive.warnings)
        versions(action, source)
        actions[(source.territory, source.slug)] = action
        territories[source.territory].actions.append(action)
        words.tag(action, "actions", source)
    for story, source in told:
        owner, _, slug = source.data["azione"].rpartition("/")
        story.action = actions.get((owner or source.territory, slug))
        if story.action is not None:
            story.action.stories.append(story)
    for territory in archive.territories:
        _join_services(territory, by_kind["territorio"], archive.service_kinds, people)
        for need in territory.needs:
            if need.solved_by is not None:
                need.is_open = False  # met by a concluded action, even when its stato was left aperto
            if need.is_open:
                for skill in need.skills:
                    skill.needs.append(need)

    for territory in archive.territories:
        for text in (*territory.stories, *territory.people):
            _join_moments(text, people, words)
    for territory in archive.territories:
        territory.stories.sort(key=story_order)
        territory.people.sort(key=lambda p: (p.name.casefold(), p.slug))
        territory.needs.sort(key=lambda n: (-n.date.toordinal(), n.title.casefold(), n.slug))
        territory.actions.sort(key=action_order)
        for person in territory.people:
            person.stories.sort(key=story_order)
            person.actions.sort(key=action_order)
        for action in territory.actions:
            action.stories.sort(key=story_order)
    if archive.errors:
        raise ContentError(archive.errors + archive.warnings)
    archive.words = words.finish()
    for skill in skills.values():
        skill.offers.sort(key=lambda o: (o.person.territory.slug, o.person.name.casefold(), o.person.slug))
        skill.needs.sort(key=lambda n: (n.territory.slug, -n.date.toordinal(), n.slug))
    return archive


MEDIA_SCOPES = {"image": ("foto", "immagine", "nella foto"), "audio": ("audio", "audio", "nella registrazione")}
VIDEO_SCOPES = ("foto", "audio")  # who is seen and heard in a video


class _LazyCleaner:
    """privacy.name_cleaner, made on first use: only a build with video captions needs it."""

    def __init__(self, sources: Sources, today: dt.date):
        self.sources, self.today, self.clean = sources, today, None

    def __call__(self, text: str) -> str:
        if self.clean is None:
            self.clean = name_cleaner(self.sources, self.today)[0]
        return self.clean(text)


def _video_withheld(source: Source, who: str, warnings: list[Problem]) -> None:
    warnings.append(
        Problem(
            source.rel,
            source.meta.key_lines.get("video", 1),
            f"il video non è pubblicato: {who} senza consenso per «foto» e «audio»",
            "aggiungi foto e audio a consenso.ambito nella scheda (con un nuovo modulo firmato), oppure togli il video",
            "consenso-video",
            warning=True,
        )
    )


def _person_video(
    source: Source, person: Person, today: dt.date, clean, warnings: list[Problem]
) -> Video | LinkedVideo | None:
    """A video in a person's bundle: published only when the person's consent covers pictures and voice."""
    if "video" not in source.data:
        return None
    if not all(consent_allows(source.data, scope, today) for scope in VIDEO_SCOPES):
        _video_withheld(source, f"la scheda di {person.name} è", warnings)
        return None
    video = recordings.video_of(source, clean)
    if isinstance(video, Video):
        video.speakers = [person]
        recordings.give_anchors([video])
    return video


def _story_video(
    source: Source,
    story: Story,
    people: dict[tuple[str, str], Person],
    people_data: dict,
    today: dt.date,
    clean,
    warnings: list[Problem],
) -> Video | LinkedVideo | None:
    """A story's video: published only when everyone `video.persone` names may be seen and heard."""
    data = source.data.get("video")
    if not data:
        recordings.give_anchors(story.recordings)
        return None
    speakers = []
    for ref in data.get("persone", []):
        owner, _, slug = ref.rpartition("/")
        key = (owner or source.territory, slug)
        person = people.get(key)
        allowed = person is not None and all(consent_allows(people_data[key], s, today) for s in VIDEO_SCOPES)
        if not allowed:
            _video_withheld(
                source,
                f"una delle persone di video.persone ({ref}) è" if person is None else f"{person.name} è",
                warnings,
            )
            recordings.give_anchors(story.recordings)
            return None
        speakers.append(person)
    video = recordings.video_of(source, clean)
    if isinstance(video, Video):
        video.speakers = speakers or [m.person for m in story.mentions if m.person]
        if not speakers:  # who is in it is not said: those the story names may be, the editor checks
            for person in video.speakers:
                data = people_data[(person.territory.slug, person.slug)]
                if not all(consent_allows(data, scope, today) for scope in VIDEO_SCOPES):
                    warnings.append(
                        Problem(
                            source.rel,
                            source.meta.key_lines.get("video", 1),
                            f"la storia ha un video e nomina {person.name}, il cui consenso non comprende «foto» e «audio»",
                            f"se {person.name} si vede o si sente nel video, aggiungi foto e audio a consenso.ambito nella sua scheda (con un nuovo modulo firmato) e scrivilo in video.persone; altrimenti scrivi in video.persone chi c'è",
                            "consenso-media",
                            warning=True,
                        )
                    )
    recordings.give_anchors([r for r in (video, story.audio) if isinstance(r, Audio)])
    return video


def _join_moments(text: Story | Person, people: dict[tuple[str, str], Person], words: WordTable) -> None:
    """Each segment's keywords become words of the text (listed on the word's page with the moment), and each
    published person a segment names lists the moment on their page."""
    for recording in text.recordings:
        if isinstance(text, Story) and not recording.speakers:
            recording.speakers = [m.person for m in text.mentions if m.person]
        for segment in recording.segments:
            moment = Moment(text, recording, segment)
            for label in segment.keywords:
                word = words.word(label)
                if word is None or word in segment.words:
                    continue
                segment.words.append(word)
                word.moments.append(moment)
                word.tag_slugs.add(slug_of(label))
                if word not in text.words:
                    text.words.append(word)
                    getattr(word, "stories" if isinstance(text, Story) else "people").append(text)
            for ref in segment.people:
                owner, _, slug = ref.rpartition("/")
                person = people.get((owner or text.territory.slug, slug))
                if person is not None and person not in segment.mentions:
                    segment.mentions.append(person)
                    person.moments.append(moment)


def _body_pictures(source: Source) -> dict[str, Picture]:
    """The images the body shows, by the name it gives them; validation refused every other kind of image."""
    found: dict[str, Picture] = {}
    for image in body_images(source):
        origin, _ = resolve_in_bundle(source, image.target)
        if origin is not None and image.target not in found:
            found[image.target] = Picture(origin, image.alt, caption=image.caption)
    return found


def _gallery(source: Source) -> list[Picture]:
    out = []
    for entry in source.data.get("galleria", []):
        origin, _ = resolve_in_bundle(source, entry["file"])
        if origin is not None:
            out.append(Picture(origin, entry["alt"], caption=entry.get("didascalia", "")))
    return out


class WordTable:
    """The archive's words: every dictionary entry, plus a word for each tag the dictionary does not know."""

    def __init__(self, dictionary: Dictionary):
        self.dictionary = dictionary
        self.words: dict[str, Word] = {
            slug: Word(slug, e.headword, e.description, list(e.synonyms)) for slug, e in dictionary.entries.items()
        }
        for slug, entry in dictionary.entries.items():
            word = self.words[slug]
            word.broader = [self.words[s] for s in entry.broader]
            word.narrower = [self.words[s] for s in entry.narrower]
            word.related = [self.words[s] for s in entry.related]

    def word(self, label: str) -> Word | None:
        entry = self.dictionary.resolve(label)
        if entry is not None:
            word = self.words[entry.slug]
        else:
            slug = slugify(label)
            if not slug:
                return None
            word = self.words.get(slug)
            if word is None:
                word = self.words[slug] = Word(slug, label, in_dictionary=False)
        return word

    def tag(self, item, kind: str, source: Source) -> None:
        """Give `item` (a story, person or need) the words of its tags, and list it under each of them (`kind`)."""
        for label in source.data.get("tag", []):
            word = self.word(label)
            if word is None:
                continue
            word.tag_slugs.add(slug_of(label))
            if word not in item.words:
                item.words.append(word)
                getattr(word, kind).append(item)

    def for_skill(self, skill: Skill) -> list[Word]:
        """A sapere's words: those it lists in saperi.yml, then the entries its name or synonyms name."""
        found: dict[str, Word] = {}
        for slug in skill.word_slugs:
            if slug in self.words:
                found.setdefault(slug, self.words[slug])
        for label in [skill.name, *skill.synonyms]:
            entry = self.dictionary.resolve(label)
            if entry is not None:
                found.setdefault(entry.slug, self.words[entry.slug])
        return list(found.values())

    def finish(self) -> dict[str, Word]:
        for word in self.words.values():
            word.stories.sort(key=story_order)
            word.people.sort(key=lambda p: (p.territory.slug, p.name.casefold(), p.slug))
            word.needs.sort(key=lambda n: (n.territory.slug, -n.date.toordinal(), n.slug))
            word.actions.sort(key=lambda a: (a.territory.slug, -a.date.toordinal(), a.slug))
            word.skills.sort(key=lambda s: (s.name.casefold(), s.slug))
        return dict(sorted(self.words.items(), key=lambda pair: (pair[1].label.casefold(), pair[0])))


def _check_media_consent(
    source: Source, story: Story, data: dict, name: str, today: dt.date, warnings: list[Problem]
) -> None:
    """A story with a photo or a recording that names a person whose consent does not cover it: the
    build cannot know who is in the picture or speaking, so it asks the editor to check."""
    for attribute, (scope, key, where) in MEDIA_SCOPES.items():
        if getattr(story, attribute) is not None and not consent_allows(data, scope, today):
            line = source.meta.key_lines.get(key, 1)
            warnings.append(
                Problem(
                    source.rel,
                    line,
                    f"la storia ha {'una foto' if scope == 'foto' else 'una registrazione'} e nomina {name}, il cui consenso non comprende «{scope}»",
                    f"se {name} compare {where}, aggiungi {scope} a consenso.ambito nella sua scheda (con un nuovo modulo firmato) oppure togli il file",
                    "consenso-media",
                    warning=True,
                )
            )


def _translation(text: Text, original: Source, source: Source, today: dt.date, errors: list[Problem]) -> Text:
    """A copy of the published `text` in the language of `source` (storie/<slug>.<lingua>.md): its own title, summary,
    body and, when it gives one, picture description; the people, tags, dates and links of the original. It shares
    the original's lists (the original is what pages list), so nothing added to the copy is listed twice."""
    data = source.data
    changes: dict = {
        "language": languages.normalise(source.translation),
        "translator": data.get("tradotto_da", ""),
        "original": text,
        "translations": [],
        "body_html": _body(source, errors),
        "draft": data.get("bozza", False),
        "source": source.rel,
    }
    if isinstance(text, Person):
        changes["role"] = data.get("ruolo", text.role)
    else:
        changes["title"] = data["titolo"]
        changes["summary"] = data.get("sommario", "")
    if "immagine" in data and text.image is not None:  # the original's picture, described in this language
        changes["image"] = _image(source)
    if isinstance(text, Story) and "persone" in data:  # validation: only people the original names
        own = set(data["persone"])
        changes["mentions"] = [m for ref, m in zip(original.data.get("persone", []), text.mentions) if ref in own]
    return replace(text, **changes)


def _action(source: Source, territory: Territory, errors: list[Problem]) -> Action:
    data = source.data
    return Action(
        territory=territory,
        slug=source.slug,
        title=data["titolo"],
        date=data["data"],
        status=data.get("stato", "proposta"),
        summary=data.get("sommario", ""),
        body_html=_body(source, errors),
        draft=data.get("bozza", False),
        source=source.rel,
        appointments=read_appointments(data.get("appuntamenti", [])),
        image=_image(source),
        body_images=_body_pictures(source),
    )


def _add_once(items: list, item) -> None:
    """Append `item` unless that very object is there: `in` would compare the dataclasses field by field (slow)."""
    if all(other is not item for other in items):
        items.append(item)


def _join_action(
    action: Action,
    source: Source,
    people: dict[tuple[str, str], Person],
    needs: dict[tuple[str, str], Need],
    skills: dict[str, Skill],
    warnings: list[Problem],
) -> None:
    """An action's needs, participants and partners, linked both ways; who is not published is not named."""
    home = source.territory

    def ref(text: str) -> tuple[str, str]:
        owner, _, slug = text.rpartition("/")
        return owner or home, slug

    for text in source.data.get("bisogni", []):
        need = needs.get(ref(text))  # a draft need is left out
        if need is not None and need not in action.needs:
            action.needs.append(need)
            need.actions.append(action)
            if action.status == "conclusa" and need.solved_by is None:
                need.solved_by = action
    for entry in source.data.get("partecipanti", []):
        person = people.get(ref(entry["chi"]))
        skill = skills.get(entry.get("sapere", ""))
        role = entry.get("ruolo", "")
        if person is None:
            action.participants.append(Participant(None, NEUTRAL_MENTION, skill, role))
            warnings.append(
                Problem(
                    source.rel,
                    entry.get("_line", 1),
                    f'la persona "{entry["chi"]}" non è pubblicata (bozza o senza consenso per il web): tra i partecipanti compare come «{NEUTRAL_MENTION}»',
                    "",
                    "persona-non-pubblicata",
                    warning=True,
                )
            )
            continue
        offered = any(o.skill is skill for o in person.offers)
        action.participants.append(Participant(person, person.name, skill, role, offered))
        _add_once(person.actions, action)
    for text in source.data.get("partner", []):
        person = people.get(ref(text)) if _names_a_file(text) else None
        if person is not None:
            action.partners.append(Partner(person, person.name))
            _add_once(person.actions, action)
        elif not _names_a_file(text):
            action.partners.append(Partner(None, text))
        else:  # an organisation's file that is a draft: not named
            warnings.append(
                Problem(
                    source.rel,
                    source.meta.key_lines.get("partner", 1),
                    f'l\'organizzazione "{text}" non è pubblicata (bozza): non compare tra i partner',
                    "",
                    "persona-non-pubblicata",
                    warning=True,
                )
            )


def _names_a_file(text: str) -> bool:
    """A partner or a service's `con` written as a slug (validation checked it names an organisation)."""
    return text.count("/") <= 1 and all(part and part == slugify(part) for part in text.split("/"))


def _service_kinds(data: dict) -> dict[str, ServiceKind]:
    return {
        slug: ServiceKind(slug, entry.get("nome", slug), entry.get("descrizione", ""), entry.get("sinonimi", []))
        for slug, entry in data.get("_known", {}).items()
    }


def _join_services(
    territory: Territory, sources: list[Source], kinds: dict[str, ServiceKind], people: dict[tuple[str, str], Person]
) -> None:
    """The services each portineria of `territory` lists in territorio.md, filed under their kind too."""
    source = next((s for s in sources if s.territory == territory.slug), None)
    if source is None:
        return
    for place, data in zip(territory.portinerie, source.data.get("portinerie", [])):
        for entry in data.get("servizi", []):
            kind = kinds.get(entry["tipo"])
            if kind is None:
                continue
            with_label = entry.get("con", "")
            with_person = None
            if with_label and _names_a_file(with_label):
                owner, _, slug = with_label.rpartition("/")
                with_person = people.get((owner or territory.slug, slug))
                with_label = with_person.name if with_person else ""
            service = Service(
                kind,
                entry.get("nome", kind.name),
                entry.get("orari", ""),
                entry.get("descrizione", kind.description),
                with_label,
                with_person,
                place,
                territory,
            )
            same = sum(other.kind is kind for other in territory.services)
            service.anchor = kind.slug if not same else f"{kind.slug}-{same + 1}"
            place.services.append(service)
            kind.services.append(service)


def _vocabulary(data: dict) -> tuple[list[Category], dict[str, Skill]]:
    categories: list[Category] = []
    skills: dict[str, Skill] = {}
    for raw in data.get("categorie", []):
        category = Category(raw.get("slug", ""), raw.get("nome", ""), raw.get("descrizione", ""))
        for item in raw.get("saperi", []):
            if item.get("slug") in skills or "slug" not in item:
                continue
            skill = Skill(
                item["slug"],
                item.get("nome", item["slug"]),
                item.get("descrizione", ""),
                item.get("sinonimi", []),
                category,
                word_slugs=item.get("parole", []),
            )
            category.skills.append(skill)
            skills[skill.slug] = skill
        categories.append(category)
    return categories, skills


def _body(source: Source, errors: list[Problem]) -> str:
    """The body as safe HTML; a body too deep or too slow for Markdown is a content error."""
    if source.body_html is not None:  # rendered ahead (cached, on all cores) by markup.render_bodies
        return source.body_html
    try:
        return render_markdown(source.body)
    except MarkupTooComplex as exc:
        errors.append(
            Problem(
                source.rel,
                source.body_line + exc.line - 1,
                exc.message,
                "semplifica il testo: meno rientri, elenchi e citazioni uno dentro l'altro",
                "testo-complesso",
            )
        )
        return ""


def _image(source: Source) -> Picture | None:
    """The picture of a page; validation already refused a missing file or alt."""
    data = source.data.get("immagine")
    if not data:
        return None
    origin, _ = resolve_in_bundle(source, data["file"])
    return Picture(origin, data["alt"]) if origin else None


def _territory(source: Source, errors: list[Problem]) -> Territory:
    data = source.data
    coords = data.get("coordinate")
    return Territory(
        slug=source.territory,
        name=data.get("nome", source.territory),
        comune=data.get("comune", ""),
        kind=data.get("tipo", "quartiere"),
        summary=data.get("sommario", ""),
        coordinates=(coords["lat"], coords["lon"]) if coords and "lat" in coords and "lon" in coords else None,
        portinerie=[
            Portineria(
                p.get("nome", ""),
                p.get("indirizzo", ""),
                p.get("orari", ""),
                p.get("contatti", {}).get("telefono", ""),
                p.get("contatti", {}).get("email", ""),
                p.get("contatti", {}).get("sito", ""),
            )
            for p in data.get("portinerie", [])
        ],
        body_html=_body(source, errors),
        image=_image(source),
        body_images=_body_pictures(source),
    )


def _person(
    source: Source, territory: Territory, skills: dict[str, Skill], today: dt.date, errors: list[Problem]
) -> Person:
    data = source.data
    person = Person(
        territory=territory,
        slug=source.slug,
        name=shown_name(data),
        kind=data.get("tipo", "persona"),
        category=data.get("categoria", ""),
        role=data.get("ruolo", ""),
        site=data.get("sito", "") if data.get("tipo") == "organizzazione" else "",
        body_html=_body(source, errors),
        draft=data.get("bozza", False),
        source=source.rel,
        image=_image(source) if consent_allows(data, "foto", today) else None,
    )
    for entry in data.get("saperi", []):
        skill = skills.get(entry["sapere"])
        if skill is None:
            continue
        if any(o.skill is skill for o in person.offers):
            continue
        offer = Offer(person, skill, entry.get("descrizione", ""))
        person.offers.append(offer)
        skill.offers.append(offer)
    return person


def _story(source: Source, territory: Territory, errors: list[Problem]) -> Story:
    data = source.data
    return Story(
        territory=territory,
        slug=source.slug,
        title=data["titolo"],
        date=data["data"],
        category=data.get("categoria", ""),
        summary=data.get("sommario", ""),
        body_html=_body(source, errors),
        draft=data.get("bozza", False),
        source=source.rel,
        image=_image(source),
        audio=recordings.audio_of(source),
        gallery=_gallery(source),
        body_images=_body_pictures(source),
    )


def _need(
    source: Source, territory: Territory, skills: dict[str, Skill], today: dt.date, errors: list[Problem]
) -> Need:
    data = source.data
    deadline = data.get("scadenza")
    status = data.get("stato", "aperto")
    return Need(
        territory=territory,
        slug=source.slug,
        title=data["titolo"],
        date=data["data"],
        skills=[skills[s] for s in dict.fromkeys(data.get("saperi", [])) if s in skills],
        status=status,
        deadline=deadline,
        summary=data.get("sommario", ""),
        body_html=_body(source, errors),
        draft=data.get("bozza", False),
        source=source.rel,
        is_open=status != "chiuso" and (deadline is None or deadline >= today),
        body_images=_body_pictures(source),
    )
