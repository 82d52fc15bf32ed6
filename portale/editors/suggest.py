"""`parole suggerisci`: which dictionary words a text uses but does not tag, and which of its words could be new
entries. Words are compared by their stem (Snowball's Italian stemmer, `snowballstemmer`), so "lane", "filati"
and "filatura" meet "lana", "filato", "filare" whatever the inflection.

The text is the file's title, summary and role lines and its body; the line reported is the line in the file.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from portale.build import pipeline
from portale.content.load import Source, Sources

WORD_RE = re.compile(r"[^\W\d_]+")
TEXT_KEYS = ("titolo:", "sommario:", "ruolo:", "nome:")  # front-matter lines that are prose, not settings
MIN_LETTERS = 4  # shorter words are mostly articles, prepositions and pronouns
CANDIDATES = 10
_STEMMER = snowballstemmer.stemmer("italian")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word.lower())


@dataclass
class Known:
    slug: str
    headword: str
    form: str  # the headword or synonym found
    line: int


@dataclass
class Candidate:
    word: str  # as it is written most often in the text
    times: int
    line: int


@dataclass
class Suggestions:
    rel: str
    known: list[Known] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "file": self.rel,
            "dal_dizionario": [
                {"parola": k.headword, "slug": k.slug, "forma": k.form, "riga": k.line} for k in self.known
            ],
            "nuove": [{"parola": c.word, "volte": c.times, "riga": c.line} for c in self.candidates],
        }


def tokens(source: Source) -> list[tuple[str, int]]:
    """(word, line in the file) of the prose of `source`: prose lines of the front matter, then the body."""
    lines = source.path.read_text(encoding="utf-8").splitlines()
    found = []
    for number, line in enumerate(lines, 1):
        if number < source.body_line and not line.lstrip().startswith(TEXT_KEYS):
            continue
        if number < source.body_line:
            line = line.split(":", 1)[1]
        found += [(m.group(), number) for m in WORD_RE.finditer(line)]
    return found


def _close(word: str, form: str) -> bool:
    common = len(os.path.commonprefix([word.lower(), form.lower()]))
    return common >= len(form) - 2 and common >= 2


def _body_stems(source: Source) -> set[str]:
    return {stem(m.group()) for m in WORD_RE.finditer(source.body)}


def suggest(sources: Sources, source: Source) -> Suggestions:
    words = sources.words
    text = tokens(source)
    stems = [stem(w) for w, _ in text]
    tagged = {e.slug for label in source.data.get("tag", []) if (e := words.resolve(label))}
    result = Suggestions(source.rel)
    dictionary_stems: set[str] = set()
    for entry in words.entries.values():
        best: tuple[int, str] | None = None
        for form in [entry.headword, *entry.synonyms]:
            parts = WORD_RE.findall(form)
            pattern = [stem(w) for w in parts]
            if not pattern:
                continue
            dictionary_stems.update(pattern)
            # a short stem ("pot" of potare) also matches other words (potete): the word must then share all but the
            # last two letters of the form (lane for lana, cucire for cucito)
            short = len(pattern) == 1 and len(pattern[0]) < MIN_LETTERS
            for at in range(len(stems) - len(pattern) + 1):
                if stems[at : at + len(pattern)] == pattern and (not short or _close(text[at][0], parts[0])):
                    if best is None or at < best[0]:
                        best = (at, " ".join(w for w, _ in text[at : at + len(pattern)]))
                    break
        if best is not None and entry.slug not in tagged:
            result.known.append(Known(entry.slug, entry.headword, best[1], text[best[0]][1]))
    result.known.sort(key=lambda k: (k.line, k.headword.casefold()))

    # candidate entries: frequent here, rare in the archive (tf-idf over every original's body: translations would
    # count a story twice), not in the dictionary
    documents = [s for s in sources.originals if s.kind != "territorio"]
    frequency = Counter(st for s in documents for st in _body_stems(s))
    # a word always written with a capital is a name (Chen, Elena, Biella): not a dictionary word
    lower = {st for (w, _), st in zip(text, stems) if w[:1].islower()}
    here = Counter(
        st for (w, _), st in zip(text, stems) if len(w) >= MIN_LETTERS and st not in dictionary_stems and st in lower
    )
    scored = sorted(
        here.items(),
        key=lambda pair: (-pair[1] * math.log((1 + len(documents)) / (1 + frequency[pair[0]])), pair[0]),
    )
    for st, times in scored[:CANDIDATES]:
        if times < 2 and len(result.candidates) >= 3:
            break
        spellings = Counter(w.lower() for w, s in zip((w for w, _ in text), stems) if s == st)
        first = next(line for (w, line), s in zip(text, stems) if s == st)
        result.candidates.append(Candidate(spellings.most_common(1)[0][0], times, first))
    return result


def suggest_files(root: Path, files: list[Path], today: dt.date | None = None) -> list[Suggestions]:
    """Suggestions for each content file in `files` (stories, people, needs); other files are skipped."""
    sources, problems = pipeline.check(root, today or dt.date.today())
    by_path = {s.path.resolve(): s for s in sources.files if s.kind != "territorio"}
    return [suggest(sources, by_path[f.resolve()]) for f in files if f.resolve() in by_path]


def format_suggestions(found: Suggestions) -> str:
    lines = [f"{found.rel}:"]
    if found.known:
        lines.append("  Parole del dizionario che il testo usa ma non ha tra i tag:")
        lines += [f"    riga {k.line}: «{k.form}» → {k.slug}" for k in found.known]
        lines.append(f"  Per aggiungerle: tag: [..., {', '.join(k.slug for k in found.known[:5])}]")
    else:
        lines.append("  Il testo non usa parole del dizionario che non siano già tra i tag.")
    if found.candidates:
        lines.append("  Parole frequenti qui e rare nell'archivio (forse voci nuove per content/parole.yml):")
        lines += [
            f"    {c.word} ({c.times} {'volta' if c.times == 1 else 'volte'}, riga {c.line})" for c in found.candidates
        ]
    return "\n".join(lines)
