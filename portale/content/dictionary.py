"""The analogical dictionary, `content/parole.yml`: its entries, the relations derived from what editors type, the
checks of the file, and how a tag or a sapere finds its entry.

An entry's id is the slug of its headword (`parola`). Editors type `specifiche` (more specific entries) and
`correlate` (associated entries) on one side only: "more general" is the inverse of `specifiche`, and `correlate`
is made symmetric here, so no relation is ever typed twice.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache

from portale.content import schema
from portale.content.frontmatter import Map
from portale.content.problems import Problem, Problems
from portale.content.slugs import slugify

DICTIONARY_FILE = "content/parole.yml"


@dataclass
class Entry:
    slug: str
    headword: str
    description: str
    synonyms: list[str]
    narrower: list[str]  # slugs, as typed
    related: list[str]  # slugs, typed on either side
    line: int
    broader: list[str] = field(default_factory=list)  # slugs, derived from the other entries' `specifiche`


@dataclass
class Dictionary:
    entries: dict[str, Entry] = field(default_factory=dict)  # by slug, in the file's order
    forms: dict[str, str] = field(default_factory=dict)  # slug of a headword or synonym -> entry slug
    rel: str = DICTIONARY_FILE
    present: bool = False  # the project has a parole.yml: tags outside it are then worth a warning

    def resolve(self, label: str) -> Entry | None:
        """The entry a tag or a word names, by its slug or by a synonym; None when the dictionary has none."""
        slug = self.forms.get(slug_of(label))
        return self.entries[slug] if slug else None

    def closest(self, label: str) -> str | None:
        """The entry slug whose headword or synonym is spelt most like `label`."""
        found = difflib.get_close_matches(slug_of(label), list(self.forms), n=1, cutoff=0.6)
        return self.forms[found[0]] if found else None


@lru_cache(maxsize=65536)
def slug_of(label: str) -> str:
    """Tags repeat across thousands of texts: slugify each spelling once per build."""
    return slugify(label)


def check_dictionary(data_map: Map | None, rel: str, sink: list[Problem]) -> Dictionary:
    """The dictionary of `parole.yml` with its relations derived; every problem of the file goes to `sink`."""
    dictionary = Dictionary(rel=rel, present=data_map is not None)
    if data_map is None:
        return dictionary
    report = Problems(rel, sink)
    data = schema.check_mapping(data_map, schema.PAROLE, report)
    claimed: dict[str, tuple[str, int]] = {}  # form slug -> (entry slug, line)
    raw_entries = []
    for item in data.get("parole", []):
        headword = item.get("parola")
        if not headword:
            continue
        slug, line = slugify(headword), item["_line"]
        if not slug:
            report.error(line, f'la parola "{headword}" non ha lettere o cifre', "scrivi la parola per esteso", "slug")
            continue
        if slug in dictionary.entries:
            first = dictionary.entries[slug].line
            report.error(
                line,
                f'la parola "{headword}" è già nel dizionario alla riga {first}',
                "tieni una voce sola e unisci i sinonimi e le relazioni",
                "parola-doppia",
            )
            continue
        entry = Entry(
            slug,
            headword,
            item.get("descrizione", ""),
            item.get("sinonimi", []),
            list(dict.fromkeys(item.get("specifiche", []))),
            list(dict.fromkeys(item.get("correlate", []))),
            line,
        )
        dictionary.entries[slug] = entry
        raw_entries.append(entry)
    for entry in raw_entries:
        for form in [entry.headword, *entry.synonyms]:
            key = slugify(form)
            if not key:
                continue
            owner = claimed.get(key)
            if owner is None:
                claimed[key] = (entry.slug, entry.line)
            elif owner[0] != entry.slug:
                report.error(
                    entry.line,
                    f'"{form}" appartiene già alla parola "{dictionary.entries[owner[0]].headword}" (riga {owner[1]})',
                    "una forma può stare in una voce sola: toglila da una delle due",
                    "parola-doppia",
                )
    dictionary.forms = {key: owner for key, (owner, _) in claimed.items()}
    _check_relations(dictionary, report)
    _derive(dictionary)
    _check_cycles(dictionary, report)
    return dictionary


def _check_relations(dictionary: Dictionary, report: Problems) -> None:
    for entry in dictionary.entries.values():
        for key in ("specifiche", "correlate"):
            kept = []
            for slug in entry.narrower if key == "specifiche" else entry.related:
                if slug == entry.slug:
                    report.error(
                        entry.line,
                        f'"{slug}" è in {key} di sé stessa',
                        "togli la parola dalle sue relazioni",
                        "parola-sconosciuta",
                    )
                elif slug not in dictionary.entries:
                    report.error(
                        entry.line,
                        f'in {key} di "{entry.headword}": la parola "{slug}" non è nel dizionario',
                        unknown_word_hint(dictionary, slug),
                        "parola-sconosciuta",
                    )
                else:
                    kept.append(slug)
            if key == "specifiche":
                entry.narrower = kept
            else:
                entry.related = kept


def unknown_word_hint(dictionary: Dictionary, slug: str) -> str:
    close = dictionary.closest(slug)
    if close:
        return f'forse "{close}"? (riga {dictionary.entries[close].line} di {dictionary.rel})'
    return f"aggiungi la parola a {dictionary.rel} con «- parola: …», oppure usa lo slug di una parola che c'è già"


def _derive(dictionary: Dictionary) -> None:
    """More general = inverse of specifiche; correlate made symmetric. Both in the file's order."""
    entries = dictionary.entries
    related: dict[str, dict[str, None]] = {slug: dict.fromkeys(e.related) for slug, e in entries.items()}
    for entry in entries.values():
        for child in entry.narrower:
            entries[child].broader.append(entry.slug)
        for other in entry.related:
            related[other].setdefault(entry.slug, None)
    for slug, entry in entries.items():
        entry.related = [r for r in related[slug] if r != slug]


def _check_cycles(dictionary: Dictionary, report: Problems) -> None:
    """A chain of `specifiche` that comes back to its start: one error per cycle, with the line of each entry on it."""
    entries = dictionary.entries
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[frozenset] = set()

    def visit(start: str) -> None:
        path: list[str] = [start]
        iters = [iter(entries[start].narrower)]
        state[start] = 1
        while iters:
            child = next(iters[-1], None)
            if child is None:
                state[path.pop()] = 2
                iters.pop()
                continue
            if state.get(child) == 1:
                cycle = path[path.index(child) :]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    chain = " → ".join(f"{s} (riga {entries[s].line})" for s in [*cycle, child])
                    report.error(
                        entries[cycle[0]].line,
                        f"le specifiche tornano al punto di partenza: {chain}",
                        "una parola non può essere più specifica di sé stessa: togli una delle specifiche",
                        "parole-in-cerchio",
                    )
            elif child not in state:
                state[child] = 1
                path.append(child)
                iters.append(iter(entries[child].narrower))

    for slug in entries:
        if slug not in state:
            visit(slug)
    if reported:  # the derived relations of a cycle would never end: drop them, the build stops anyway
        for entry in entries.values():
            entry.narrower, entry.broader = [], []
