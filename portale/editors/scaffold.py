"""`new`: write a ready-to-fill content file, like `hugo new`, for editors.

`new_content(content, kind, territory, title)` writes `content/<territorio>/<cartella>/<slug>.md` with every
front-matter key of the kind (in the order of `schema.BY_KIND`), each with a short Italian comment,
today's date and `bozza: true`. It never overwrites a file. Optional keys are left empty (an empty
value is simply ignored by validation); required ones get a value or an empty line that `check`
points at, so an editor sees at once what is still to fill.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from portale.content import schema
from portale.content.labels import LABELS
from portale.content.load import FOLDER_OF as FOLDERS
from portale.content.slugs import collision_key, slugify

MAX_SLUG = 80

# key -> the value `new` writes ("{titolo}" and "{oggi}" are filled in; "" leaves the key empty). The comment
# beside it is the key's hint in content/labels.py, which the web editor shows too.
# Every key of schema.BY_KIND[kind] must be here: tests/test_scaffold.py checks it.
VALUES: dict[str, dict[str, str]] = {
    "storia": {
        "titolo": "{titolo}",
        "data": "{oggi}",
        "persone": "[]",
        "categoria": "",
        "tag": "[]",
        "sommario": "",
        "immagine": "",
        "audio": "",
        "video": "",
        "galleria": "",
        "azione": "",
        "lingua": "",
        "bozza": "true",
    },
    "persona": {
        "nome": "{titolo}",
        "tipo": "{tipo}",
        "consenso": "{consenso}",
        "visibilita": "",
        "pseudonimo": "",
        "categoria": "",
        "ruolo": "",
        "saperi": "[]",
        "tag": "[]",
        "immagine": "",
        "video": "",
        "sito": "",
        "lingua": "",
        "nome_in_altre_scritture": "",
        "bozza": "true",
    },
    "bisogno": {
        "titolo": "{titolo}",
        "data": "{oggi}",
        "saperi": "[]",
        "stato": "aperto",
        "scadenza": "",
        "sommario": "",
        "categoria": "",
        "tag": "[]",
        "lingua": "",
        "bozza": "true",
    },
    "azione": {
        "titolo": "{titolo}",
        "data": "{oggi}",
        "stato": "proposta",
        "bisogni": "[]",
        "partecipanti": "[]",
        "partner": "[]",
        "appuntamenti": "[]",
        "sommario": "",
        "tag": "[]",
        "immagine": "",
        "lingua": "",
        "bozza": "true",
    },
}

CONSENT_VALUES = {"data": "", "riferimento": "", "ambito": "[web]", "revocato": ""}

BODIES = {
    "storia": "Scrivi qui la storia, in paragrafi separati da una riga vuota.\n",
    "persona": "Scrivi qui la biografia o il racconto in prima persona.\n",
    "bisogno": "Scrivi qui il bisogno: che cosa serve, per chi, e come mettersi in contatto con la portineria.\n",
    "azione": "Racconta qui come è nata l'azione: chi ha notato il bisogno, chi si è incontrato, che cosa porta ognuno.\n",
}

EXAMPLES = {
    "storia": "La festa di via Como",
    "persona": "Anna Rossi",
    "bisogno": "Biciclette per i ragazzi",
    "azione": "Ciclofficina in cortile",
}

NEXT_STEPS = {
    "storia": "compila le chiavi, scrivi il testo e togli «bozza: true» quando è pronta",
    "persona": "compila il consenso (data e riferimento del modulo firmato): finché manca, «check» lo segnala",
    "bisogno": "scegli i saperi che servono (content/saperi.yml) e togli «bozza: true» quando è pronto",
    "azione": "scegli bisogni, partecipanti e appuntamenti, e togli «bozza: true» quando è pronta",
    "organizzazione": "compila le chiavi, scrivi il testo e togli «bozza: true» quando la scheda è pronta",
}


class ScaffoldError(Exception):
    """Something the editor asked cannot be done; `.code` is the exit code (1 or 2)."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


@dataclass
class Created:
    path: Path
    next_step: str


def known_territories(content: Path) -> list[str]:
    if not content.is_dir():
        return []
    return sorted(p.name for p in content.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def _quote(text: str) -> str:
    """A YAML double-quoted scalar: JSON strings are valid YAML, so `Ore 10: colazione` stays text."""
    return json.dumps(text, ensure_ascii=False)


def make_slug(title: str) -> str:
    slug = slugify(title)
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0] or slug[:MAX_SLUG]
    return slug


def render_file(kind: str, title: str, today: dt.date, person_type: str = "persona") -> str:
    keys, hints = VALUES[kind], LABELS[kind]
    values = {"titolo": _quote(title), "oggi": today.isoformat(), "tipo": person_type, "consenso": ""}
    lines = ["---"]
    width = 12
    for key in schema.BY_KIND[kind]:
        default, comment = keys[key], hints[key].hint
        if key == "consenso" and person_type != "persona":
            comment = "solo per le persone: per un'organizzazione resta vuoto"
        value = default.format(**values)
        lines.append(f"{(key + ': ' + value).rstrip():<{width}}  # {comment}")
        if key == "consenso" and person_type == "persona":
            for sub, sub_value in CONSENT_VALUES.items():
                line = f"  {(sub + ': ' + sub_value).rstrip():<{width - 2}}"
                lines.append(f"{line}  # {hints['consenso.' + sub].hint}")
    lines.append("---")
    return "\n".join(lines) + "\n" + BODIES[kind]


def new_content(
    content: Path,
    kind: str,
    territory: str | None,
    title: str,
    *,
    today: dt.date | None = None,
    slug: str | None = None,
    bundle: bool = False,
    person_type: str = "persona",
) -> Created:
    territories = known_territories(content)
    listed = ", ".join(territories) or "nessuno (crea prima content/<territorio>/territorio.md)"
    if not territory:
        raise ScaffoldError(
            f"manca --territorio: scrivi per esempio --territorio {territories[0] if territories else 'aurora'} — territori: {listed}"
        )
    if territory not in territories:
        close = difflib.get_close_matches(territory, territories, n=1)
        guess = f'forse "{close[0]}"? ' if close else ""
        raise ScaffoldError(f'territorio sconosciuto "{territory}" — {guess}territori: {listed}')
    if not title.strip():
        what = "il nome" if kind == "persona" else "il titolo"
        raise ScaffoldError(
            f'manca {what}: scrivilo tra virgolette alla fine, per esempio python build.py new {kind} --territorio {territory} "{EXAMPLES[kind]}"'
        )
    slug = slugify(slug) if slug else make_slug(title)
    if not slug:
        raise ScaffoldError(
            f'dal titolo "{title}" non si ricava un nome di file: aggiungi --slug, per esempio --slug la-mia-storia'
        )
    folder = content / territory / FOLDERS[kind]
    target = folder / slug / "index.md" if bundle else folder / f"{slug}.md"
    existing = _existing(folder, slug)
    if existing is not None:
        shown = existing.relative_to(content.parent).as_posix()
        raise ScaffoldError(
            f"{shown} esiste già: non lo sovrascrivo — aprilo e modificalo, oppure scegli un altro titolo o --slug",
            code=1,
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    text = render_file(kind, title.strip(), today or dt.date.today(), person_type)
    with open(target, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return Created(target, NEXT_STEPS["organizzazione" if kind == "persona" and person_type != "persona" else kind])


def _existing(folder: Path, slug: str) -> Path | None:
    """A file or bundle that already publishes this slug, also when it differs only by case or accents."""
    if not folder.is_dir():
        return None
    key = collision_key(slug)
    for entry in sorted(folder.iterdir()):
        name = entry.name if entry.is_dir() else entry.stem if entry.suffix == ".md" else None
        if name is not None and collision_key(name) == key:
            return entry / "index.md" if entry.is_dir() else entry
    return None
