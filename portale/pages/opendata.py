"""Open data: Archive -> {output path: bytes} for `site/dati/` (saperi.csv, saperi.json, storie.json, the
dictionary: parole.jsonld as a SKOS concept scheme, parole.csv flat with counts; the actions: azioni.json; the
figures of numeri.json; and datapackage.json, which describes every file as a Frictionless Data Package).
The calendar `dati/agenda.ics` comes from pages/calendars.py.

Published content only, from structured fields only: names as shown on the site (the privacy level
of each person applies), never a body, a description or a contact. Drafts previewed with --bozze are
left out too. Columns are documented in README.md ("Open data") and on the page `dati/`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from portale.content.model import Archive, Word
from portale.pages import numbers

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
                "lingua": story.language,
                "traduzioni": _translations(story, base),
            }
        )
    return rows


def _translations(text, base: str) -> list[dict]:
    """A text's published translations: language (BCP 47), title, address."""
    return [{"lingua": t.language, "titolo": t.title, "url": base + t.path} for t in text.translations if not t.draft]


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
        texts = {id(t) for w in (word, *word.more_specific()) for t in w.texts() if not t.draft}
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


def _moment(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.strftime("%Y-%m-%dT%H:%M") if isinstance(value, dt.datetime) else value.isoformat()


def action_rows(archive: Archive) -> list[dict]:
    """One entry per published action: its state, needs, who takes part with which sapere (the names the page shows,
    nobody without consent), partners, appointments (Europe/Rome local times) and pages."""
    base = archive.portal.base_url
    rows = []
    for action in archive.actions:
        if action.draft:
            continue
        rows.append(
            {
                "titolo": action.title,
                "stato": action.status,
                "data": action.date.isoformat(),
                "territorio": action.territory.slug,
                "territorio_nome": action.territory.name,
                "bisogni": [base + n.path for n in action.needs if not n.draft],
                "partecipanti": [
                    {"chi": p.label, "sapere": p.skill.slug if p.skill else None}
                    for p in action.participants
                    if p.person is not None and not p.person.draft
                ],
                "partner": [p.label for p in action.partners if p.person is None or not p.person.draft],
                "appuntamenti": [_appointment(a) for a in action.appointments],
                "tag": [w.label for w in action.words],
                "url": base + action.path,
                "lingua": action.language,
                "traduzioni": _translations(action, base),
                "calendario": base + action.calendar_path,
            }
        )
    return rows


def _appointment(appointment) -> dict:
    out = {"inizio": _moment(appointment.start), "fine": _moment(appointment.end), "luogo": appointment.place}
    if appointment.every:
        out["ripeti"] = {"ogni": appointment.every, "fino": appointment.until.isoformat()}
    return out


def _field(name: str, description: str, kind: str = "string") -> dict:
    return {"name": name, "type": kind, "description": description}


SKILL_FIELDS = [
    _field("sapere", "slug of the skill in saperi.yml"),
    _field("sapere_nome", "the skill's name"),
    _field("categoria", "slug of the skill's category"),
    _field("categoria_nome", "the category's name"),
    _field("chi", "who offers it, as the site shows the name"),
    _field("tipo", "persona or organizzazione"),
    _field("territorio", "slug of the territory"),
    _field("territorio_nome", "the territory's name"),
    _field("url", "the page of who offers it", "string"),
    _field("url_sapere", "the skill's page in the territory", "string"),
]
WORD_FIELDS = [
    _field("parola", "slug of the word in parole.yml"),
    _field("parola_nome", "the word as written"),
    _field("sinonimi", "synonyms, separated by '; '"),
    _field("piu_generali", "slugs of the more general words, separated by spaces"),
    _field("piu_specifiche", "slugs of the more specific words, separated by spaces"),
    _field("correlate", "slugs of the associated words, separated by spaces"),
    _field("testi", "published texts carrying the word or a more specific one", "integer"),
    _field("url", "the word's page"),
]


def data_package(archive: Archive, files: dict[str, bytes]) -> bytes:
    """A Frictionless Data Package (https://specs.frictionlessdata.io/data-package/) describing every file of
    `dati/`: a table schema for each CSV, the media type and size of the others."""
    described = {
        "saperi.csv": ("saperi", "Saperi offerti: una riga per offerta", SKILL_FIELDS),
        "saperi.json": ("saperi-json", "Saperi offerti, in JSON (le stesse righe di saperi.csv)", None),
        "storie.json": (
            "storie",
            "Storie pubblicate: titolo, data, territorio, persone, parole, indirizzo, lingua e traduzioni",
            None,
        ),
        "parole.csv": ("parole", "Il dizionario delle parole, con il numero di testi", WORD_FIELDS),
        "parole.jsonld": ("parole-skos", "Il dizionario delle parole come schema di concetti SKOS (JSON-LD)", None),
        "azioni.json": ("azioni", "Azioni pubblicate: stato, bisogni, partecipanti, appuntamenti", None),
        "agenda.ics": ("agenda", "Gli appuntamenti di tutte le azioni (iCalendar, ora di Roma)", None),
        "numeri.json": ("numeri", "I numeri di ogni territorio e della rete", None),
    }
    media = {"csv": "text/csv", "json": "application/json", "jsonld": "application/ld+json", "ics": "text/calendar"}
    resources = []
    for name, (slug, title, fields) in described.items():
        extension = name.rsplit(".", 1)[1]
        resource = {
            "name": slug,
            "path": name,
            "title": title,
            "format": extension,
            "mediatype": media[extension],
            "encoding": "utf-8",
            "bytes": len(files[FOLDER + name]),
        }
        if fields is not None:
            resource["profile"] = "tabular-data-resource"
            resource["dialect"] = {"delimiter": ",", "lineTerminator": "\r\n", "header": True}
            resource["schema"] = {"fields": fields}
        resources.append(resource)
    package = {
        "profile": "data-package",
        "name": "portale-dei-saperi",
        "title": f"Dati aperti · {archive.portal.title}",
        "homepage": archive.portal.base_url + FOLDER,
        "created": archive.today.isoformat() + "T00:00:00Z",
        "resources": resources,
    }
    return (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def export_data(archive: Archive, calendar: bytes) -> dict[str, bytes]:
    """`calendar`: the network's agenda (pages/calendars.py), published here too."""
    skills = skill_rows(archive)
    files = {
        FOLDER + "saperi.csv": to_csv(skills, SKILL_COLUMNS),
        FOLDER + "saperi.json": to_json(skills),
        FOLDER + "storie.json": to_json(story_rows(archive)),
        FOLDER + "parole.csv": to_csv(word_rows(archive), WORD_COLUMNS),
        FOLDER + "parole.jsonld": skos_scheme(archive),
        FOLDER + "azioni.json": to_json(action_rows(archive)),
        FOLDER + "agenda.ics": calendar,
        FOLDER + "numeri.json": numbers.numbers_json(archive),
    }
    files[FOLDER + "datapackage.json"] = data_package(archive, files)
    return files
