"""Privacy of the people in the archive: consent, hidden names and contact data.

Rules (the editors' guide explains them in Italian):
- `consent_allows`: an organisation publishes freely; a person needs `consenso` whose `ambito` covers the
  use (`web` for the page, `foto` for the picture) and which is not `revocato` on or before today.
- `shown_name`: `visibilita: solo-nome` shows the first word of `nome`, `pseudonimo` shows `pseudonimo`.
- Hidden names. Each person who is not fully public gets a `Shield`:
  * their full name (two words or more, any case, any spacing) is replaced everywhere in the published
    text by what may be shown: the shown name, or a neutral mention when the person is not published
    at all. The build goes on and warns, naming the file and line: a withdrawal must never wait for
    an editor to rewrite every story;
  * with `solo-nome` or `pseudonimo`, a hidden word of the name (the surname) still left in the
    person's own file, file name or picture name, or in a story that lists the person, is an error:
    it cannot be replaced safely ("la signora Rossi"), so the editor rewrites it;
  * for a person not published, such a word left in a story that lists them is a warning.
  What cannot be enforced: a surname alone in a text that does not list the person (it may be
  another family), nicknames, declensions and misspellings. The guide says so.
- Contact data: an e-mail address, a phone number or a street address with a house number in a
  persona's front matter or body is an error, except for organisations listed in `portale.yml` under
  `contatti_pubblici` (e.g. a public library). A portineria's contacts in territorio.md are fine.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from portale.content import languages
from portale.content.frontmatter import Map, Seq, Text
from portale.content.load import Source, Sources
from portale.content.memo import code_version, hash_key
from portale.content.problems import Problem, Problems
from portale.content.slugs import slugify, strip_accents

NEUTRAL_MENTION = "una persona della comunità"

# Keys that hold names or references, never redacted (they are not published as text).
UNREDACTED_KEYS = {"nome", "nome_in_altre_scritture", "pseudonimo", "consenso", "persone", "azione", "bisogni"}
# Keys of the items of a list that are references too: an action's participant is `chi` (its `ruolo` is text).
UNREDACTED_ITEM_KEYS = {"chi"}
# Particles of a surname that identify nobody on their own.
PARTICLES = {
    "del",
    "della",
    "dei",
    "degli",
    "delle",
    "dal",
    "dalla",
    "van",
    "von",
    "der",
    "den",
    "dos",
    "das",
    "bin",
    "ben",
    "ibn",
    "abu",
    "san",
    "santa",
}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def consent_allows(data: dict, scope: str, today: dt.date) -> bool:
    """Organisations publish freely; a person needs a consent record covering `scope`, not revoked."""
    if data.get("tipo") != "persona":
        return True
    consent = data.get("consenso")
    if not consent:
        return False
    revoked = consent.get("revocato")
    if revoked and revoked <= today:
        return False
    scopes = consent.get("ambito", ["web"])  # a record without ambito is the minimal consent: the web page
    return scope in scopes


def shown_name(data: dict) -> str:
    visibility = data.get("visibilita", "pubblica")
    if visibility == "pseudonimo":
        return data.get("pseudonimo", "")
    if visibility == "solo-nome":
        return data["nome"].split()[0]
    return data["nome"]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case without accents: "Nicolò" -> "nicolo"."""
    return strip_accents(text).casefold()


def _letters_pattern(word: str) -> str:
    """A regex for `word` in any case and with or without accents."""
    out = []
    for char in word:
        variants = {char, char.lower(), char.upper(), fold(char), fold(char).upper()}
        out.append(
            "[" + "".join(re.escape(v) for v in sorted(variants) if len(v) == 1) + "]"
            if char.isalpha()
            else re.escape(char)
        )
    return "".join(out)


@dataclass
class Shield:
    person: Source
    published: bool
    full_name: re.Pattern | None  # None for a one-word name: replacing "Fatima" everywhere would hit others
    replacement: str
    hidden: re.Pattern | None  # folded hidden words, matched on folded text

    @property
    def ref(self) -> str:
        return f"{self.person.territory}/{self.person.slug}"


def shields(sources: Sources, today: dt.date) -> list[Shield]:
    out = []
    for source in sources.files:
        data = source.data
        if source.kind != "persona" or "nome" not in data:  # drafts too: their wishes hold before they are published
            continue
        published = consent_allows(data, "web", today)
        visibility = data.get("visibilita", "pubblica")
        if published and visibility == "pubblica":
            continue
        words = _WORD.findall(data["nome"])
        shown = shown_name(data) if published else ""
        shown_words = {fold(w) for w in _WORD.findall(shown)}
        hidden = sorted(
            {fold(w) for w in words if fold(w) not in shown_words and len(fold(w)) >= 3 and fold(w) not in PARTICLES}
        )
        spellings = (
            [  # the name in the latin alphabet, then as written in other scripts
                r"(?<![^\W\d_])" + r"[\s\u00a0]+".join(_letters_pattern(w) for w in words) + r"(?![^\W\d_])"
            ]
            if len(words) >= 2
            else []
        )
        # Another script's spelling is matched anywhere, without word boundaries: Arabic joins "and" or "to" to the
        # name that follows (وفاطمة), Chinese has no spaces between words.
        spellings += [
            r"[\s\u00a0]+".join(map(re.escape, other.split()))
            for other in map(_nfc, data.get("nome_in_altre_scritture", []))
            if len(other.replace(" ", "")) >= 2
        ]
        full = re.compile("|".join(spellings)) if spellings else None
        hidden_re = (
            re.compile(r"(?<![^\W\d_])(?:" + "|".join(map(re.escape, hidden)) + r")(?![^\W\d_])") if hidden else None
        )
        out.append(Shield(source, published, full, shown if published else NEUTRAL_MENTION, hidden_re))
    return out


_LETTERS = re.compile(r"[^\W\d_]+")


class Sieve:
    """A fast necessary condition for a full name to be in a text, so the slow full-name patterns (any case, any
    accents, any spacing) run only on the few texts that may hold them, not on every text for every person.

    Every character a full-name pattern accepts for a letter of a name is mapped to one representative (the
    variants of each letter, merged); a text can match a name only if, mapped the same way, one of its runs of
    letters is the name's longest run of letters. The mapping sends letters to letters only, so the runs of a mapped
    text are the mapped runs of the text: each distinct run is mapped once per build (`str.translate` is slow on
    accented text), and checking a text costs one `findall` and a lookup per run."""

    def __init__(self, shields: list[Shield]):
        parent: dict[str, str] = {}

        def root(char: str) -> str:
            while parent.setdefault(char, char) != char:
                char = parent[char]
            return char

        names = [(shield, _WORD.findall(shield.person.data["nome"])) for shield in shields]
        # Other scripts' spellings: found by plain substring, their longest piece (they are few).
        self.other_scripts = [
            (max(_nfc(other).split(), key=len), id(shield))
            for shield in shields
            for other in shield.person.data.get("nome_in_altre_scritture", [])
        ]
        for _, words in names:
            for char in "".join(words):
                if char.isalpha():
                    for variant in {char.lower(), char.upper(), fold(char), fold(char).upper()}:
                        if len(variant) == 1:
                            a, b = root(char), root(variant)
                            if a != b:
                                parent[max(a, b)] = min(a, b)
        self.table = {ord(char): root(char) for char in parent}
        self.by_needle: dict[str, list[int]] = {}
        for shield, words in names:
            runs = [run for word in words for run in _LETTERS.findall(word)]
            if len(words) < 2:  # found by its other scripts' spellings only
                continue
            needle = max(runs, key=len).translate(self.table)
            self.by_needle.setdefault(needle, []).append(id(shield))
        self.needles = frozenset(self.by_needle)
        signature = (tuple(sorted(self.table.items())), self.needles)
        if _MEMO.get("signature") != signature or len(_MEMO["found"]) > 1_000_000:  # 200,000 texts at 20,000 stories
            _MEMO.update(signature=signature, found={})
        self.memo: dict[str, frozenset[str]] = _MEMO["found"]
        self.runs: dict[str, str] = {}  # a run of letters -> mapped

    def suspects(self, texts) -> set[int]:
        """ids of the shields whose full name may be in one of `texts`."""
        found: set[int] = set()
        for text in texts:
            needles = self.memo.get(text)
            if needles is None:
                needles = self.memo[text] = (
                    self.needles.intersection(map(self._mapped, set(_LETTERS.findall(text)))) or _NO_NEEDLES
                )
            for needle in needles:
                found.update(self.by_needle[needle])
            found.update(shield for piece, shield in self.other_scripts if piece in text)
        return found

    def _mapped(self, run: str) -> str:
        mapped = self.runs.get(run)
        if mapped is None:
            mapped = self.runs[run] = run.translate(self.table)
        return mapped


_NO_NEEDLES: frozenset[str] = frozenset()  # what most texts give: one shared object, not one per text

# Texts already sieved with the same names (check, then redact, see the same bodies): {text: needles found}.
_MEMO: dict = {}


def forget_texts() -> None:
    """Let the texts sieved so far go (every text of the archive): the build calls it once redaction is done."""
    _MEMO.clear()


def _texts(source: Source) -> Iterator[tuple[int, str]]:
    """(line, text) of everything of a source that may be published: front-matter values and body lines."""

    def walk(value: Any, line: int) -> Iterator[tuple[int, str]]:
        if isinstance(value, Text):
            yield value.line or line, unicodedata.normalize("NFC", str(value))
        elif isinstance(value, Seq):
            for item in value:
                yield from walk(item, value.line or line)
        elif isinstance(value, Map):
            for key, item in value.items():
                if key not in UNREDACTED_ITEM_KEYS:
                    yield from walk(item, value.key_lines.get(key, line))

    for key, value in source.meta.items():
        if key not in UNREDACTED_KEYS:
            yield from walk(value, source.meta.key_lines.get(key, 1))
    yield source.body_line, unicodedata.normalize("NFC", source.body)


def _line_at(line: int, text: str, index: int) -> int:
    return line + text.count("\n", 0, index)


@dataclass
class _Protected:
    """The shields of a privacy pass (`check`, `redact`), found by person, by id, and in their order."""

    shields: list[Shield]

    def __post_init__(self):
        self.by_person: dict[tuple[str, str], list[Shield]] = {}
        for shield in self.shields:
            self.by_person.setdefault((shield.person.territory, shield.person.slug), []).append(shield)
        self.by_id = {id(shield): shield for shield in self.shields}
        self.order = {id(shield): n for n, shield in enumerate(self.shields)}

    def listed(self, story: Source) -> set[int]:
        """ids of the shields of the people a story lists in `persone`, or an action in `partecipanti` (a ref is "slug"
        or "territory/slug")."""
        found: set[int] = set()
        for ref in named_people(story):
            owner, _, slug = ref.rpartition("/")
            found.update(id(shield) for shield in self.by_person.get((owner or story.territory, slug), ()))
        return found

    def own(self, source: Source) -> set[int]:
        """The person's own file, or its translation."""
        person = source.original or source
        return {
            id(shield) for shield in self.by_person.get((source.territory, source.slug), ()) if shield.person is person
        }

    def among(self, ids: set[int]) -> list[Shield]:
        return [self.by_id[i] for i in sorted(ids, key=self.order.__getitem__)]


def named_people(source: Source) -> list[str]:
    """The people a text names by reference: a story's `persone`, an action's participants, the people of a story's
    or person's recordings; a translation names its original's, unless it narrows them."""
    if source.original is not None and "persone" not in source.data:
        source = source.original
    if source.kind in ("storia", "persona"):
        from portale.content.recordings import people_in_recordings

        own = source.data.get("persone", []) if source.kind == "storia" else []
        return list(dict.fromkeys([*own, *people_in_recordings(source.data)]))
    if source.kind == "azione":
        return [entry["chi"] for entry in source.data.get("partecipanti", [])]
    return []


def _signature(protected: list[Shield], *more: str) -> str:
    """Everything about hidden names a file's privacy results depend on, besides the file itself."""
    return hash_key(
        code_version(),
        repr(
            [
                (
                    s.ref,
                    s.person.rel,
                    s.published,
                    s.replacement,
                    s.full_name.pattern if s.full_name else "",
                    s.hidden.pattern if s.hidden else "",
                    str(s.person.data.get("visibilita", "")),
                )
                for s in protected
            ]
        ),
        *more,
    )


def check(sources: Sources, today: dt.date, sink: list[Problem]) -> None:
    protected = shields(sources, today)
    sieve = Sieve([s for s in protected if s.full_name])
    index = _Protected(protected)
    signature = _signature(protected, "check", repr(sorted(allowed_contacts(sources))))
    for source in sources.files:
        # the same file, checked against the same names (a translation: and the same people named by its original)
        key = signature if source.original is None else hash_key(signature, repr(named_people(source)))
        known = source.recall("privacy", key)
        if known is not None:
            found = known["problems"]
        else:
            found = []
            _check_source(source, index, sieve, sources, Problems(source.rel, found))
            source.remember("privacy", {"signature": key, "problems": found})
        sink.extend(found)
        video = source.data.get("video")
        if isinstance(video, dict) and video.get("sottotitoli") and source.bundle is not None:
            _check_captions(source, video["sottotitoli"], index, sieve, sink)


def _check_captions(source: Source, name: str, protected: _Protected, sieve: Sieve, sink: list[Problem]) -> None:
    """A video's captions are published text too: a full name that will be replaced is a warning, a hidden word of
    the name of someone the story lists (`solo-nome`, `pseudonimo`) an error, at the caption's line. Not remembered
    by the memo: the captions are a file of their own, read again on every build (a few KB)."""
    from portale.content.media import resolve_in_bundle
    from portale.content.transcripts import read_captions

    path, _ = resolve_in_bundle(source, name)
    if path is None:
        return  # media.check_media reports it
    cues, _, _ = read_captions(path.read_bytes())
    texts = [(cue.line, unicodedata.normalize("NFC", cue.text)) for cue in cues]
    report = Problems(f"{source.rel.rsplit('/', 1)[0]}/{name}", sink)
    suspects = sieve.suspects(text for _, text in texts)
    listed = protected.listed(source)
    for shield in protected.among(suspects | listed):
        if shield.full_name:
            for line, text in texts:
                if shield.full_name.search(text):
                    report.warn(
                        line,
                        f'il nome completo di "{shield.ref}" compare nei sottotitoli: sarà sostituito con «{shield.replacement}»',
                        "se preferisci un'altra formulazione, correggi tu il sottotitolo",
                        "nome-sostituito",
                    )
        if shield.hidden is not None and id(shield) in listed:
            _report_hidden_words(texts, shield, report, "correggi il sottotitolo", "togli la parola dal sottotitolo")


def _check_source(source: Source, protected: _Protected, sieve: Sieve, sources: Sources, report: Problems) -> None:
    texts = list(_texts(source))
    suspects = sieve.suspects(text for _, text in texts)
    listed = protected.listed(source)
    # Only the shields that can find something here, in their order (the order of the messages): a full name the
    # sieve suspects, the person's own file, a story listing the person. Looping over every shield for every file
    # grew with people times files (10 s of a cold build at 20,000 stories).
    for shield in protected.among(suspects | listed | protected.own(source)):
        if (source.original or source) is shield.person and not shield.published:
            continue  # never published: nothing of it, nor of its translations, leaves content/
        if shield.full_name and id(shield) in suspects:
            lines = [_line_at(line, text, m.start()) for line, text in texts for m in shield.full_name.finditer(text)]
            if lines:
                who = (
                    "non è pubblicata (senza consenso per il web o consenso revocato)"
                    if not shield.published
                    else f"ha visibilita: {shield.person.data.get('visibilita')}"
                )
                times = "una volta" if len(lines) == 1 else f"{len(lines)} volte"
                report.warn(
                    min(lines),
                    f'il nome completo di "{shield.ref}" compare nel testo ({times}): la persona {who}, quindi sarà sostituito con «{shield.replacement}»',
                    "se preferisci un'altra formulazione, riscrivi tu la frase",
                    "nome-sostituito",
                )
        if shield.hidden is None:
            continue
        own = (source.original or source) is shield.person
        if not own and id(shield) not in listed:
            continue
        _check_hidden_words(source, texts, shield, report, own)
    if source.kind == "persona":
        _check_contacts(source, texts, sources, report)


def _check_hidden_words(
    source: Source, texts: list[tuple[int, str]], shield: Shield, report: Problems, own: bool
) -> None:
    visibility = shield.person.data.get("visibilita", "pubblica")
    error = shield.published and visibility != "pubblica"
    slug_words = fold(source.slug).split("-")
    if error and any(shield.hidden.fullmatch(w) for w in slug_words):
        suggestion = slugify(shield.replacement) or "nome-file"
        report.error(
            1,
            f'il nome del file "{source.slug}" contiene la parte nascosta del nome di "{shield.ref}" (visibilita: {visibility})',
            f'rinomina il file, per esempio in "{suggestion}"' if own else "rinomina il file senza il cognome",
            "nome-nascosto",
        )
    _report_hidden_words(texts, shield, report)


def _report_hidden_words(
    texts: list[tuple[int, str]],
    shield: Shield,
    report: Problems,
    fix: str = "togli o sostituisci la parola",
    remove: str = "togli la parola",
) -> None:
    """A hidden word of `shield`'s name left in `texts` (the full name aside, which redaction replaces): an error when
    the person is published without it, a warning when the person is not published at all."""
    visibility = shield.person.data.get("visibilita", "pubblica")
    error = shield.published and visibility != "pubblica"
    for line, text in texts:
        if shield.full_name:
            text = shield.full_name.sub(lambda m: " " * len(m.group()), text)  # same length: lines stay right
        match = shield.hidden.search(fold(text))
        if not match:
            continue
        line = _line_at(line, text, match.start())
        if error:
            report.error(
                line,
                f'compare «{match.group()}», la parte nascosta del nome di "{shield.ref}" (visibilita: {visibility})',
                f"{fix}: deve comparire solo «{shield.replacement}»",
                "nome-nascosto",
            )
        else:
            report.warn(
                line,
                f'compare «{match.group()}», parte del nome di "{shield.ref}", che non è pubblicata',
                f"{remove} se identifica la persona",
                "nome-nascosto",
            )


def name_cleaner(sources: Sources, today: dt.date):
    """clean(text): the text with the full names of people who are not fully public replaced by what may be shown.
    Used by `redact` on the sources, and by the model on what is not a source's text (a video's captions)."""
    protected = [s for s in shields(sources, today) if s.full_name]
    sieve = Sieve(protected)
    index = _Protected(protected)

    def clean(text: str, language: str = languages.DEFAULT) -> str:
        """Each suspected shield in turn, in their order; a replacement changes what is suspected next. Only the
        suspects are visited: looping over every shield for every text grew with people times texts. Someone not
        published becomes a neutral mention in the text's own language."""
        text = unicodedata.normalize("NFC", text)
        suspects, done = sieve.suspects([text]), -1
        while following := [index.order[i] for i in suspects if index.order[i] > done]:
            done = min(following)
            shield = protected[done]
            replacement = shield.replacement if shield.published else languages.neutral_mention(language)
            replaced = shield.full_name.sub(replacement, text)
            if replaced != text:
                text, suspects = replaced, sieve.suspects([replaced])
        return text

    return clean, protected


def redact(sources: Sources, today: dt.date) -> None:
    """Replace the full names of people who are not fully public in every text that may be published."""
    clean, protected = name_cleaner(sources, today)
    signature = _signature(protected, "redact")

    def walk(value: Any, language: str) -> Any:
        if isinstance(value, str):
            return clean(value, language)
        if isinstance(value, list):
            return [walk(v, language) for v in value]
        if isinstance(value, dict):
            return {
                k: walk(v, language) if not k.startswith("_") and k not in UNREDACTED_ITEM_KEYS else v
                for k, v in value.items()
            }
        return value

    default = sources.language

    for source in sources.files:
        known = source.recall("published", signature)  # markup.render_bodies and inputs add html and prints
        if known is not None:
            data, body = known["data"], known["body"]
            source.body_html, source.prints = known["html"], known["prints"]
        else:
            language = source.language(default)
            data = (
                {k: v if k in UNREDACTED_KEYS else walk(v, language) for k, v in source.data.items()}
                if protected
                else None
            )
            body = clean(source.body, language) if protected else None
            data = None if data == source.data else data  # None: as read (most files), so the memo keeps one copy
            body = None if body == source.body else body
            source.remember(
                "published",
                {"signature": signature, "data": data, "body": body, "markdown": None, "html": None, "prints": None},
            )
        if data is not None:
            source.data = data
        if body is not None:
            source.body = body


# --- contact data ---------------------------------------------------------------------------

_EMAIL = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|[\w.+-]+\s*[\[(]\s*(?:at|chiocciola)\s*[\])]\s*[\w-]+(?:\s*(?:\.|[\[(]\s*(?:dot|punto)\s*[\])])\s*[\w-]+)+",
    re.I,
)
_PHONE = re.compile(r"(?<![\w+/.-])(?:(?:\+|00)\s?\d{1,3}[\s./-]?)?[03]\d(?:[\s.-]?\d){4,10}(?![\w/-]|[.,]\d)")
_PHONE_INTERNATIONAL = re.compile(r"(?<![\w+])(?:\+|00)\d{1,3}(?:[\s./-]?\d){6,12}(?!\w)")
_ODONYM = r"(?i:via|viale|corso|c\.so|piazza|p\.zza|p\.za|piazzale|largo|vicolo|strada|str\.|lungo\s?(?:dora|po|stura)|borgata|borgo|frazione|fraz\.|località|loc\.|regione|contrada|salita|passaggio|galleria|vicolo)"
_NAME_PART = r"(?:[A-ZÀ-Ý][\w'’.]*|[IVXLC]+|d[i']|del|della|dei|degli|delle|de|da|dal|dalla|e|\d{1,2})"
_ADDRESS = re.compile(
    r"(?<!\w)"
    + _ODONYM
    + r"\s+(?:"
    + _NAME_PART
    + r"[\s]+){0,5}"
    + r"[A-ZÀ-Ý][\w'’.]*,?\s+(?:n\.\s*|n°\s*|numero\s+|civico\s+)?\d{1,4}(?:\s?[a-zA-Z](?!\w)|/\w+)?(?![\d.,]?\d)(?!\s*(?:anni|volte|km|metri|minuti|ore|euro|persone|%|€))"
)


def find_contact(text: str) -> tuple[str, str, int] | None:
    """(kind, the matched text, its index) of the first e-mail address, phone number or street address in `text`."""
    if match := _EMAIL.search(text):
        return "un indirizzo e-mail", match.group(), match.start()
    for pattern in (_PHONE_INTERNATIONAL, _PHONE):
        for match in pattern.finditer(text):
            digits = re.sub(r"\D", "", match.group())
            national = digits[2:] if match.group().startswith(("+39", "0039")) else digits
            if len(national) >= (9 if national.startswith("3") else 6):
                return "un numero di telefono", match.group(), match.start()
    if match := _ADDRESS.search(text):
        return "un indirizzo", match.group(), match.start()
    return None


def allowed_contacts(sources: Sources) -> set[tuple[str, str]]:
    return {tuple(ref.split("/", 1)) for ref in sources.portal_data.get("contatti_pubblici", []) if "/" in ref}


def _check_contacts(source: Source, texts: list[tuple[int, str]], sources: Sources, report: Problems) -> None:
    if source.data.get("tipo") == "organizzazione" and (source.territory, source.slug) in allowed_contacts(sources):
        return
    for line, text in texts:
        found = find_contact(text)
        if found:
            kind, value, start = found
            report.error(
                _line_at(line, text, start),
                f"c'è {kind} («{value}»): i contatti personali non si pubblicano",
                "togli il contatto: chi legge si rivolge alla portineria (per un ente pubblico, vedi «contatti_pubblici» in content/portale.yml)",
                "contatti",
            )


def check_allow_list(sources: Sources, sink: list[Problem]) -> None:
    """Every entry of portale.yml `contatti_pubblici` names an existing organisation."""
    raw = sources.portal.get("contatti_pubblici") if sources.portal else None
    report = Problems(sources.portal_rel, sink)
    kinds = {(s.territory, s.slug): s.data.get("tipo") for s in sources.originals if s.kind == "persona"}
    for index, ref in enumerate(sources.portal_data.get("contatti_pubblici", [])):
        line = (
            getattr(raw[index], "line", 0)
            if isinstance(raw, list) and index < len(raw)
            else sources.portal.key_lines.get("contatti_pubblici", 1)
        )
        territory, _, slug = ref.partition("/")
        kind = kinds.get((territory, slug))
        if kind is None:
            report.error(
                line,
                f'"contatti_pubblici": "{ref}" non esiste',
                "scrivi territorio/nome-del-file di un'organizzazione, per esempio aurora/biblioteca",
                "contatti",
            )
        elif kind != "organizzazione":
            report.error(
                line,
                f'"contatti_pubblici": "{ref}" è una persona, non un\'organizzazione',
                "solo le organizzazioni pubbliche possono mostrare i propri contatti",
                "contatti",
            )
