"""Open data: Archive -> {output path: bytes} for `site/dati/` (saperi.csv, saperi.json, storie.json).

Published content only, from structured fields only: names as shown on the site (the privacy level
of each person applies), never a body, a description or a contact. Drafts previewed with --bozze are
left out too. Columns are documented in README.md ("Open data") and on the page `dati/`.
"""

from __future__ import annotations

import csv
import io
import json

from portale.content.model import Archive

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


def export_data(archive: Archive) -> dict[str, bytes]:
    skills = skill_rows(archive)
    return {
        FOLDER + "saperi.csv": to_csv(skills, SKILL_COLUMNS),
        FOLDER + "saperi.json": to_json(skills),
        FOLDER + "storie.json": to_json(story_rows(archive)),
    }
