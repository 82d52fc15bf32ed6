"""Open data: Archive -> {output path: bytes} for `site/dati/` (saperi.csv, saperi.json, storie.json, and the
dictionary: parole.jsonld as a SKOS concept scheme, parole.csv flat with counts).

Published content only, from structured fields only: names as shown on the site (the privacy level
of each person applies), never a body, a description or a contact. Drafts previewed with --bozze are
left out too. Columns are documented in README.md ("Open data") and on the page `dati/`.
"""

from __future__ import annotations

import csv
import io
import json

from portale.content.model import Archive, Word

FOLDER = "dati/"
SKILL_COLUMNS = [
    "sapere",
    "sapere_nome",
    "categoria",
    "categoria_nome",
    "chi",
    "tipo",
    "territorio",
    "territorio_nome",
    "url",
    "url_sapere",
]


def skill_rows(archive: Archive) -> list[dict[str, str]]:
    """One row per offer: which skill, who offers it, where, and the pages to read more."""
    base = archive.portal.base_url
    rows = []
    for skill in archive.skills.values():
        for offer in skill.offers:
            person = offer.person
            if person.draft:
                continue
            rows.append(
                {
                    "sapere": skill.slug,
                    "sapere_nome": skill.name,
                    "categoria": skill.category.slug,
                    "categoria_nome": skill.category.name,
                    "chi": person.name,
                    "tipo": person.kind,
                    "territorio": person.territory.slug,
                    "territorio_nome": person.territory.name,
                    "url": base + person.path,
                    "url_sapere": f"{base}{person.territory.slug}/saperi/{skill.slug}/",
                }
            )
    rows.sort(key=lambda r: (r["sapere"], r["territorio"], r["chi"].casefold(), r["url"]))
    return rows


def story_rows(archive: Archive) -> list[dict]:
    """One entry per published story: title, date, territory, the published people it names, tags, URL."""
    base = archive.portal.base_url
    rows = []
    for story in archive.stories:
        if story.draft:
            continue
        rows.append(
            {
                "titolo": story.title,
                "data": story.date.isoformat(),
                "territorio": story.territory.slug,
                "territorio_nome": story.territory.name,
                "persone": [m.person.name for m in story.mentions if m.person is not None and not m.person.draft],
                "tag": [t.label for t in story.words],
                "url": base + story.path,
            }
        )
    return rows


# A cell starting with one of these is a formula to Excel or LibreOffice ("CSV injection"): a name
# like =HYPERLINK(...) would run when a partner opens the file. Such a cell gets a leading apostrophe,
# which spreadsheets hide; the JSON files keep the exact text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def to_csv(rows: list[dict[str, str]], columns: list[str]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8")


def to_json(rows: list[dict]) -> bytes:
    """One record per line: readable, and each line made by json's C encoder (an indent makes it use the pure-Python
    one, a tenth of a second per build for 4,000 stories)."""
    return ("[\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n]\n").encode("utf-8")


WORD_COLUMNS = ["parola", "parola_nome", "sinonimi", "piu_generali", "piu_specifiche", "correlate", "testi", "url"]
SKOS_CONTEXT = {
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dct": "http://purl.org/dc/terms/",
}


def dictionary_words(archive: Archive) -> list[Word]:
    return [w for w in archive.words.values() if w.in_dictionary]


def published_counts(archive: Archive) -> dict[str, int]:
    """How many published texts carry each word or one of its more specific words (drafts previewed left out)."""
    counts = {}
    for word in archive.words.values():
        texts = {id(t) for w in (word, *word.more_specific()) for t in (*w.stories, *w.people, *w.needs) if not t.draft}
        counts[word.slug] = len(texts)
    return counts


def word_rows(archive: Archive) -> list[dict[str, str]]:
    base, counts = archive.portal.base_url, published_counts(archive)
    return [
        {
            "parola": w.slug,
            "parola_nome": w.label,
            "sinonimi": "; ".join(w.synonyms),
            "piu_generali": " ".join(b.slug for b in w.broader),
            "piu_specifiche": " ".join(n.slug for n in w.narrower),
            "correlate": " ".join(r.slug for r in w.related),
            "testi": str(counts[w.slug]),
            "url": f"{base}parole/{w.slug}/",
        }
        for w in dictionary_words(archive)
    ]


def skos_scheme(archive: Archive) -> bytes:
    """The dictionary as a SKOS concept scheme in JSON-LD: each concept is `<its page>#concetto`, linked to the page."""
    base = archive.portal.base_url
    scheme = f"{base}parole/#dizionario"

    def concept(word: Word) -> dict:
        return {"@id": f"{base}parole/{word.slug}/#concetto"}

    def label(text: str) -> dict:
        return {"@value": text, "@language": "it"}

    graph: list[dict] = [
        {
            "@id": scheme,
            "@type": "skos:ConceptScheme",
            "skos:prefLabel": label(f"Dizionario delle parole · {archive.portal.title}"),
            "foaf:page": {"@id": f"{base}parole/"},
            "skos:hasTopConcept": [concept(w) for w in dictionary_words(archive) if not w.broader],
        }
    ]
    for word in dictionary_words(archive):
        node = {
            **concept(word),
            "@type": "skos:Concept",
            "skos:inScheme": {"@id": scheme},
            "skos:prefLabel": label(word.label),
            "foaf:page": {"@id": f"{base}parole/{word.slug}/"},
        }
        if word.synonyms:
            node["skos:altLabel"] = [label(s) for s in word.synonyms]
        if word.description:
            node["skos:definition"] = label(word.description)
        for key, words in (
            ("skos:broader", word.broader),
            ("skos:narrower", word.narrower),
            ("skos:related", word.related),
        ):
            if words:
                node[key] = [concept(w) for w in words]
        if not word.broader:
            node["skos:topConceptOf"] = {"@id": scheme}
        graph.append(node)
    return (json.dumps({"@context": SKOS_CONTEXT, "@graph": graph}, ensure_ascii=False, indent=1) + "\n").encode(
        "utf-8"
    )


def export_data(archive: Archive) -> dict[str, bytes]:
    skills = skill_rows(archive)
    return {
        FOLDER + "saperi.csv": to_csv(skills, SKILL_COLUMNS),
        FOLDER + "saperi.json": to_json(skills),
        FOLDER + "storie.json": to_json(story_rows(archive)),
        FOLDER + "parole.csv": to_csv(word_rows(archive), WORD_COLUMNS),
        FOLDER + "parole.jsonld": skos_scheme(archive),
    }
