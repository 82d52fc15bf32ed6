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
from portale.content.load import KIND_FOLDERS
from portale.content.slugs import collision_key, slugify

FOLDERS = {kind: folder for folder, kind in KIND_FOLDERS.items()}  # storia -> storie
MAX_SLUG = 80

# key -> (value written by `new`, comment). "{titolo}" and "{oggi}" are filled in; "" leaves the key empty.
# Every key of schema.BY_KIND[kind] must be here: tests/test_scaffold.py checks it.
LINES: dict[str, dict[str, tuple[str, str]]] = {
    "storia": {
        "titolo": ("{titolo}", "il titolo della storia"),
        "data": ("{oggi}", "la data della storia, AAAA-MM-GG"),
        "persone": ("[]", "chi compare: i nomi dei file in persone/, es. [anna-rossi, dora/ciclofficina]"),
        "categoria": ("", "facoltativa: terzo-settore, scuola, commercio, impresa, abitanti, istituzione"),
        "tag": ("[]", "parole chiave dal dizionario content/parole.yml, es. [mercato, cucina]"),
        "sommario": ("", "una o due frasi per gli elenchi (al massimo 300 caratteri)"),
        "immagine": ("", "facoltativa, in una storia a cartella: {file: foto.jpg, alt: cosa si vede nella foto}"),
        "audio": ("", "facoltativo, in una storia a cartella: {file: voce.mp3, trascrizione: il testo detto}"),
        "azione": ("", "facoltativa: l'azione che la storia racconta, il nome del file in azioni/"),
        "bozza": ("true", "togli questa riga (o scrivi false) quando la storia è pronta da pubblicare"),
    },
    "persona": {
        "nome": ("{titolo}", "nome e cognome, o il nome dell'organizzazione"),
        "tipo": ("{tipo}", "persona oppure organizzazione"),
        "consenso": ("{consenso}", "obbligatorio per una persona: il modulo di consenso firmato"),
        "visibilita": ("", "facoltativa: pubblica, solo-nome (senza cognome) o pseudonimo"),
        "pseudonimo": ("", "il nome da mostrare, solo con visibilita: pseudonimo"),
        "categoria": ("", "facoltativa: terzo-settore, scuola, commercio, impresa, abitanti, istituzione"),
        "ruolo": ("", "una riga: che cosa fa, es. Sarta in pensione"),
        "saperi": ("[]", "i saperi che offre, dagli slug di content/saperi.yml, es. [sartoria]"),
        "tag": ("[]", "parole chiave dal dizionario content/parole.yml, es. [cucito, intercultura]"),
        "immagine": ("", "facoltativa: {file: foto.jpg, alt: descrizione della foto} (serve anche ambito: foto)"),
        "sito": ("", "solo per le organizzazioni: l'indirizzo web, https://..."),
        "bozza": ("true", "togli questa riga (o scrivi false) quando la scheda è pronta da pubblicare"),
    },
    "bisogno": {
        "titolo": ("{titolo}", "che cosa serve, in poche parole"),
        "data": ("{oggi}", "quando è nato il bisogno, AAAA-MM-GG"),
        "saperi": ("[]", "i saperi che servono, dagli slug di content/saperi.yml, es. [riparazione-biciclette]"),
        "stato": ("aperto", "aperto oppure chiuso (quando il bisogno è risolto)"),
        "scadenza": ("", "facoltativa: entro quando, AAAA-MM-GG"),
        "sommario": ("", "una o due frasi per gli elenchi (al massimo 300 caratteri)"),
        "categoria": ("", "facoltativa: terzo-settore, scuola, commercio, impresa, abitanti, istituzione"),
        "tag": ("[]", "parole chiave dal dizionario content/parole.yml, es. [scuola, doposcuola]"),
        "bozza": ("true", "togli questa riga (o scrivi false) quando il bisogno è pronto da pubblicare"),
    },
    "azione": {
        "titolo": ("{titolo}", "il nome dell'azione, in poche parole"),
        "data": ("{oggi}", "quando è stata proposta, AAAA-MM-GG"),
        "stato": ("proposta", "proposta, in-corso oppure conclusa"),
        "bisogni": ("[]", "i bisogni a cui risponde: i nomi dei file in bisogni/, es. [aiuto-compiti]"),
        "partecipanti": (
            "[]",
            "chi partecipa, una voce per persona: - {chi: anna-rossi, sapere: cucina-etnica, ruolo: cucina}",
        ),
        "partner": (
            "[]",
            "le organizzazioni: i nomi dei file in persone/, o il nome di un ente, es. [Circoscrizione 7]",
        ),
        "appuntamenti": (
            "[]",
            "- {inizio: AAAA-MM-GG HH:MM, fine: HH:MM, luogo: ..., ripeti: {ogni: settimana, fino: AAAA-MM-GG}}",
        ),
        "sommario": ("", "una o due frasi per gli elenchi (al massimo 300 caratteri)"),
        "tag": ("[]", "parole chiave dal dizionario content/parole.yml, es. [cucito, intercultura]"),
        "immagine": ("", "facoltativa, in un'azione a cartella: {file: foto.jpg, alt: cosa si vede nella foto}"),
        "bozza": ("true", "togli questa riga (o scrivi false) quando l'azione è pronta da pubblicare"),
    },
}

CONSENT_LINES = [
    ("data", "", "il giorno della firma, AAAA-MM-GG"),
    ("riferimento", "", "il numero o il nome del modulo firmato, es. modulo 2025/12"),
    ("ambito", "[web]", "dove si può pubblicare: web, ricerca, foto, audio"),
    ("revocato", "", "se la persona ritira il consenso: la data del ritiro"),
]

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
    keys = LINES[kind]
    values = {"titolo": _quote(title), "oggi": today.isoformat(), "tipo": person_type, "consenso": ""}
    lines = ["---"]
    width = 12
    for key in schema.BY_KIND[kind]:
        default, comment = keys[key]
        if key == "consenso" and person_type != "persona":
            comment = "solo per le persone: per un'organizzazione resta vuoto"
        value = default.format(**values)
        lines.append(f"{(key + ': ' + value).rstrip():<{width}}  # {comment}")
        if key == "consenso" and person_type == "persona":
            for sub, sub_value, sub_comment in CONSENT_LINES:
                lines.append(f"  {(sub + ': ' + sub_value).rstrip():<{width - 2}}  # {sub_comment}")
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
