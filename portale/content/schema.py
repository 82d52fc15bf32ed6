"""The content model's front-matter keys, their types, and how a raw YAML value is checked.

Each field turns a raw value from `frontmatter` (Text, Seq, Map) into a plain Python value,
or reports a problem at the value's own line. Keys are Italian because editors type them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from portale.content import languages
from portale.content.frontmatter import Map, Seq, Text
from portale.content.problems import Problems

CATEGORIES = ["terzo-settore", "scuola", "commercio", "impresa", "abitanti", "istituzione"]
# Each scope of a person's consent, with what it allows in plain Italian: the printed consent form has one box per
# scope, with this text (pages/sheets.py). A new scope needs its sentence here.
CONSENT_SCOPES = {
    "web": "Il mio nome, come scelto qui sopra, i miei saperi e le storie che racconto possono essere pubblicati "
    "sul sito del Portale dei Saperi.",
    "ricerca": "Le mie risposte possono essere usate, senza il mio nome, per studi e ricerche sul quartiere.",
    "foto": "Le mie fotografie e le immagini in cui compaio possono essere pubblicate sul sito.",
    "audio": "La registrazione della mia voce, e i video in cui parlo, possono essere pubblicati sul sito.",
}
ACTION_STATES = ["proposta", "in-corso", "conclusa"]
REPEATS = ["settimana", "mese"]

_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# C0/C1 controls (tab and newline are fine in long text) and the bidi overrides that can disguise text.
_BAD_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


@dataclass
class Ctx:
    report: Problems
    key: str  # the dotted key shown to the editor, e.g. "consenso.data"
    line: int  # fallback line when the value has none


def _line(value: Any, ctx: Ctx) -> int:
    return getattr(value, "line", 0) or ctx.line


def _describe(value: Any) -> str:
    if isinstance(value, Map):
        return "un gruppo di chiavi"
    if isinstance(value, Seq):
        return "una lista"
    return f'"{value}"'


class Field:
    required = False

    def __init__(self, required: bool = False):
        self.required = required

    def check(self, value: Any, ctx: Ctx) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def scalar(self, value: Any, ctx: Ctx, expected: str, example: str) -> Text | None:
        if isinstance(value, Text):
            return value
        ctx.report.error(
            _line(value, ctx),
            f'"{ctx.key}" deve essere {expected}, non {_describe(value)}',
            f"scrivi per esempio {ctx.key.split('.')[-1]}: {example}",
            "tipo",
        )
        return None


class TextField(Field):
    def __init__(self, required: bool = False, max_length: int = 0, multiline: bool = False):
        super().__init__(required)
        self.max_length = max_length
        self.multiline = multiline

    def check(self, value, ctx):
        text = self.scalar(value, ctx, "un testo", "Un testo")
        if text is None:
            return None
        clean = unicodedata.normalize("NFC", str(text)).strip()
        bad = _BAD_CHARS.search(clean if self.multiline else clean.replace("\t", "\x01"))
        if bad:
            ctx.report.error(
                _line(value, ctx),
                f'"{ctx.key}" contiene un carattere invisibile o di controllo (U+{ord(bad.group()):04X})',
                "riscrivi il testo a mano invece di incollarlo",
                "carattere-controllo",
            )
            return None
        if self.required and not clean:
            ctx.report.error(
                _line(value, ctx),
                f'"{ctx.key}" è vuoto',
                f"scrivi un valore dopo {ctx.key.split('.')[-1]}:",
                "chiave-mancante",
            )
            return None
        if self.max_length and len(clean) > self.max_length:
            ctx.report.error(
                _line(value, ctx),
                f'"{ctx.key}" è troppo lungo ({len(clean)} caratteri, al massimo {self.max_length})',
                "accorcialo, il resto può andare nel testo",
                "troppo-lungo",
            )
            return None
        return clean


class DateField(Field):
    def check(self, value, ctx):
        text = self.scalar(value, ctx, "una data", "2024-03-15")
        if text is None:
            return None
        match = _DATE_RE.match(text.strip())
        if not match:
            ctx.report.error(
                _line(value, ctx),
                f'"{ctx.key}" deve essere una data nel formato AAAA-MM-GG, non "{text}"',
                f"scrivi per esempio {ctx.key.split('.')[-1]}: 2024-03-15",
                "data",
            )
            return None
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            ctx.report.error(
                _line(value, ctx), f'la data "{text}" non esiste', "controlla giorno e mese (AAAA-MM-GG)", "data"
            )
            return None


class BoolField(Field):
    def check(self, value, ctx):
        text = self.scalar(value, ctx, "true oppure false", "true")
        if text is None:
            return None
        if text.strip() in ("true", "True", "TRUE"):
            return True
        if text.strip() in ("false", "False", "FALSE"):
            return False
        ctx.report.error(
            _line(value, ctx),
            f'"{ctx.key}" deve essere true oppure false, non "{text}"',
            f"scrivi {ctx.key.split('.')[-1]}: true (sì) oppure {ctx.key.split('.')[-1]}: false (no)",
            "vero-falso",
        )
        return None


class NumberField(Field):
    def __init__(self, required: bool = False, low: float = -1e9, high: float = 1e9):
        super().__init__(required)
        self.low, self.high = low, high

    def check(self, value, ctx):
        text = self.scalar(value, ctx, "un numero", "45.07")
        if text is None:
            return None
        try:
            number = float(text.replace(",", ".")) if re.fullmatch(r"[-+]?\d+([.,]\d+)?", text.strip()) else None
        except ValueError:
            number = None
        if number is None or not self.low <= number <= self.high:
            ctx.report.error(
                _line(value, ctx),
                f'"{ctx.key}" deve essere un numero tra {self.low:g} e {self.high:g}, non "{text}"',
                "scrivi il numero con il punto decimale, per esempio 45.07",
                "numero",
            )
            return None
        return number


class ChoiceField(Field):
    def __init__(self, choices: list[str], required: bool = False):
        super().__init__(required)
        self.choices = choices

    def check(self, value, ctx):
        text = self.scalar(value, ctx, "una parola", self.choices[0])
        if text is None:
            return None
        if text.strip() in self.choices:
            return text.strip()
        close = difflib.get_close_matches(text.strip(), self.choices, n=1)
        hint = f'forse "{close[0]}"? ' if close else ""
        ctx.report.error(
            _line(value, ctx),
            f'valore non ammesso per "{ctx.key}": "{text}"',
            f"{hint}valori possibili: {', '.join(self.choices)}",
            "valore",
        )
        return None


class LanguageField(Field):
    """A BCP 47 language code (content/languages.py), normalised: "ar", "zh-Hans", "pms"."""

    def check(self, value, ctx):
        text = self.scalar(value, ctx, "un codice di lingua", "ar")
        if text is None:
            return None
        if languages.is_known(text):
            return languages.normalise(text)
        close = languages.closest(text)
        ctx.report.error(
            _line(value, ctx),
            f'codice di lingua sconosciuto "{text}"',
            (f'forse "{close}" ({languages.italian_name(close)})? ' if close else "")
            + "usa un codice BCP 47 di due o tre lettere: it, ar, zh, ro, fr, en, es, wo, pms (la guida li elenca)",
            "lingua",
        )
        return None


class UrlField(TextField):
    schemes = ("http", "https")

    def check(self, value, ctx):
        text = super().check(value, ctx)
        if text is None:
            return None
        parts = urlsplit(text)
        if parts.scheme.lower() not in self.schemes or not parts.netloc:
            ctx.report.error(
                _line(value, ctx),
                f'"{ctx.key}" deve essere un indirizzo web che inizia con https:// o http://, non "{text}"',
                "copia l'indirizzo dalla barra del browser",
                "indirizzo-web",
            )
            return None
        return text


class ListField(Field):
    def __init__(self, item: Field, required: bool = False, example: str = "[uno, due]"):
        super().__init__(required)
        self.item = item
        self.example = example

    def check(self, value, ctx):
        if not isinstance(value, Seq):
            ctx.report.error(
                _line(value, ctx),
                f'"{ctx.key}" deve essere una lista, non {_describe(value)}',
                f'scrivi {ctx.key.split(".")[-1]}: {self.example} oppure una voce per riga che inizia con "- "',
                "lista",
            )
            return None
        out = []
        for item in value:
            if item is None:
                ctx.report.error(
                    _line(value, ctx), f'"{ctx.key}" contiene una voce vuota', 'togli il "-" senza niente dopo', "lista"
                )
                continue
            checked = self.item.check(item, Ctx(ctx.report, ctx.key, _line(item, ctx)))
            if checked is not None:
                out.append(checked)
        return out


class MapField(Field):
    def __init__(
        self, fields: dict[str, Field], required: bool = False, scalar_key: str | None = None, example: str = ""
    ):
        super().__init__(required)
        self.fields = fields
        self.scalar_key = scalar_key  # a lone value stands for this key (saperi: [slug] or [{sapere: slug}])
        self.example = example

    def check(self, value, ctx):
        if self.scalar_key and isinstance(value, Text):
            inner = self.fields[self.scalar_key].check(value, Ctx(ctx.report, f"{ctx.key}", _line(value, ctx)))
            return None if inner is None else {self.scalar_key: inner, "_line": _line(value, ctx)}
        if not isinstance(value, Map):
            ctx.report.error(
                _line(value, ctx),
                f'"{ctx.key}" deve essere un gruppo di chiavi, non {_describe(value)}',
                f"scrivi per esempio: {self.example}"
                if self.example
                else "una chiave per riga, rientrata di due spazi",
                "gruppo",
            )
            return None
        return check_mapping(value, self.fields, ctx.report, prefix=ctx.key + ".") | {"_line": value.line}


def check_mapping(mapping: Map, fields: dict[str, Field], report: Problems, prefix: str = "") -> dict[str, Any]:
    """Check every key of a mapping; unknown keys are warnings with the closest known key."""
    out: dict[str, Any] = {}
    for key, raw in mapping.items():
        line = mapping.key_lines.get(key, mapping.line)
        spec = fields.get(key)
        if spec is None:
            close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
            hint = f'forse "{close[0]}"?' if close else f"chiavi possibili: {', '.join(fields)}"
            report.warn(line, f'chiave sconosciuta "{prefix}{key}", sarà ignorata', hint, "chiave-sconosciuta")
            continue
        if raw is None:
            if spec.required:
                report.error(line, f'"{prefix}{key}" è vuoto', f"scrivi un valore dopo {key}:", "chiave-mancante")
            continue
        checked = spec.check(raw, Ctx(report, prefix + key, line))
        if checked is not None:
            out[key] = checked
    for key, spec in fields.items():
        if spec.required and key not in mapping:
            where = f' in "{prefix[:-1]}"' if prefix else ""
            report.error(
                mapping.line,
                f'manca "{key}"{where}: è obbligatorio',
                f"aggiungi una riga {key}: ...",
                "chiave-mancante",
            )
    return out


def slug_text(required: bool = False) -> TextField:
    return TextField(required=required, max_length=120)


IMAGE = MapField(
    {"file": TextField(required=True), "alt": TextField(required=True, max_length=300)},
    example="immagine: {file: foto.jpg, alt: descrizione della foto}",
)
AUDIO = MapField(
    {"file": TextField(required=True), "trascrizione": TextField(required=True, multiline=True)},
    example="audio: {file: intervista.mp3, trascrizione: ...}",
)
# A video of the bundle (file, its captions, required, and a poster), or one hosted elsewhere (url, titolo): which
# keys go together is checked by media.check_media, with the file's line.
VIDEO = MapField(
    {
        "file": TextField(),
        "sottotitoli": TextField(),
        "poster": TextField(),
        "trascrizione": TextField(multiline=True),
        "persone": ListField(slug_text(), example="[anna-rossi]"),
        "url": UrlField(),
        "titolo": TextField(max_length=200),
    },
    example="video: {file: intervista.mp4, sottotitoli: intervista.vtt}",
)
GALLERY = ListField(
    MapField(
        {
            "file": TextField(required=True),
            "alt": TextField(required=True, max_length=300),
            "didascalia": TextField(max_length=300),
        },
        example="- {file: foto.jpg, alt: descrizione della foto}",
    ),
    example="\n  - file: foto.jpg\n    alt: descrizione della foto",
)

PORTALE = {
    "titolo": TextField(required=True, max_length=120),
    "sottotitolo": TextField(max_length=200),
    "descrizione": TextField(max_length=500),
    "base_url": UrlField(required=True),
    "lingua": LanguageField(),  # the language of the texts that do not say theirs, and of the interface
    "contatti": MapField(
        {
            "nome": TextField(),
            "indirizzo": TextField(),
            "email": TextField(),
            "telefono": TextField(),
            "sito": UrlField(),
        }
    ),
    # organisations (territorio/slug) allowed to publish their own e-mail, phone and address
    "contatti_pubblici": ListField(slug_text(), example="[aurora/biblioteca-civica]"),
    # the web editor (cms/config.py): where its commits go; `attiva: false` leaves admin/ out of the site
    "redazione": MapField(
        {
            "attiva": BoolField(),
            "backend": ChoiceField(["github", "gitea", "gitlab", "git-gateway"]),
            "repo": TextField(max_length=200),
            "branch": TextField(max_length=100),
            "base_url": UrlField(),  # the sign-in (OAuth) server, when the backend needs one
            "api_root": UrlField(),  # a Gitea or Forgejo server's API, https://.../api/v1
            "app_id": TextField(max_length=100),  # the public id of the OAuth application (Gitea, Forgejo, GitLab)
            "flusso": ChoiceField(["semplice", "revisione"]),  # revisione: each edit becomes a pull request
        },
        example="redazione: {backend: github, repo: rete-portinerie/portale, flusso: revisione}",
    ),
}

SKILL = MapField(
    {
        "slug": slug_text(True),
        "nome": TextField(required=True, max_length=120),
        "descrizione": TextField(max_length=500),
        "sinonimi": ListField(TextField(max_length=80)),
        "parole": ListField(slug_text(True), example="[cucina, intercultura]"),
    }
)
SAPERI = {
    "categorie": ListField(
        MapField(
            {
                "slug": slug_text(True),
                "nome": TextField(required=True, max_length=120),
                "descrizione": TextField(max_length=500),
                "saperi": ListField(SKILL, required=True),
            }
        ),
        required=True,
    ),
}

WORD = MapField(
    {
        "parola": TextField(required=True, max_length=80),
        "descrizione": TextField(max_length=500),
        "sinonimi": ListField(TextField(max_length=80), example="[vello]"),
        "specifiche": ListField(slug_text(True), example="[alpaca, angora]"),
        "correlate": ListField(slug_text(True), example="[cotone, seta]"),
    },
    example="- parola: Lana",
)
PAROLE = {"parole": ListField(WORD, required=True, example="\n  - parola: Lana\n    specifiche: [alpaca]")}

TERRITORIO = {
    "nome": TextField(required=True, max_length=120),
    "comune": TextField(required=True, max_length=120),
    "tipo": ChoiceField(["quartiere", "comune"], required=True),
    "sommario": TextField(max_length=300),
    "coordinate": MapField(
        {"lat": NumberField(True, -90, 90), "lon": NumberField(True, -180, 180)},
        example="coordinate: {lat: 45.07, lon: 7.68}",
    ),
    "portinerie": ListField(
        MapField(
            {
                "nome": TextField(required=True, max_length=160),
                "indirizzo": TextField(max_length=200),
                "orari": TextField(max_length=300),
                "contatti": MapField(
                    {"telefono": TextField(max_length=60), "email": TextField(max_length=120), "sito": UrlField()}
                ),
                "servizi": ListField(
                    MapField(
                        {
                            "tipo": slug_text(True),
                            "nome": TextField(max_length=160),
                            "orari": TextField(max_length=300),
                            # who runs it with the portineria: an organisation's slug, or a plain name
                            "con": TextField(max_length=160),
                            "descrizione": TextField(max_length=500),
                        },
                        example="- tipo: spid",
                    ),
                    example="\n      - tipo: spid\n        orari: martedì 10–12",
                ),
            }
        ),
        required=True,
        example="\n  - nome: Portineria di comunità ...",
    ),
    "immagine": IMAGE,
}

STORIA = {
    "titolo": TextField(required=True, max_length=200),
    "data": DateField(required=True),
    "persone": ListField(slug_text(), example="[anna-rossi, aurora/ciclofficina]"),
    "categoria": ChoiceField(CATEGORIES),
    "tag": ListField(TextField(max_length=60), example="[mercato, cucina]"),
    "sommario": TextField(max_length=300),
    "immagine": IMAGE,
    "audio": AUDIO,
    "video": VIDEO,
    "galleria": GALLERY,
    "azione": slug_text(),  # the action the story tells: slug, or territorio/slug
    "lingua": LanguageField(),
    "bozza": BoolField(),
}

PERSONA = {
    "nome": TextField(required=True, max_length=160),
    "tipo": ChoiceField(["persona", "organizzazione"], required=True),
    "consenso": MapField(
        {
            "data": DateField(required=True),
            "riferimento": TextField(required=True, max_length=200),
            "ambito": ListField(ChoiceField(list(CONSENT_SCOPES)), example="[web, foto]"),
            "revocato": DateField(),
        },
        example="consenso: {data: 2024-05-10, riferimento: modulo 2024/12, ambito: [web]}",
    ),
    "visibilita": ChoiceField(["pubblica", "solo-nome", "pseudonimo"]),
    "pseudonimo": TextField(max_length=120),
    "categoria": ChoiceField(CATEGORIES),
    "ruolo": TextField(max_length=200),
    "saperi": ListField(
        MapField({"sapere": slug_text(True), "descrizione": TextField(max_length=300)}, scalar_key="sapere"),
        example="[cucina-etnica, sartoria]",
    ),
    "tag": ListField(TextField(max_length=60), example="[cucina, intercultura]"),
    "immagine": IMAGE,
    "video": VIDEO,
    "sito": UrlField(),
    "lingua": LanguageField(),
    # the name as written in other scripts ("فاطمة العمراني", "陈伟"): hidden like the name itself (privacy.py)
    "nome_in_altre_scritture": ListField(TextField(max_length=160), example="[فاطمة العمراني]"),
    "bozza": BoolField(),
}

BISOGNO = {
    "titolo": TextField(required=True, max_length=200),
    "data": DateField(required=True),
    "saperi": ListField(slug_text(), required=True, example="[riparazione-biciclette]"),
    "stato": ChoiceField(["aperto", "chiuso"]),
    "scadenza": DateField(),
    "sommario": TextField(max_length=300),
    "categoria": ChoiceField(CATEGORIES),
    "tag": ListField(TextField(max_length=60), example="[scuola, compiti]"),
    "lingua": LanguageField(),
    "bozza": BoolField(),
}

# Appointments' times stay text here: content/appointments.py reads them, with its own messages.
APPOINTMENT = MapField(
    {
        "inizio": TextField(required=True, max_length=40),
        "fine": TextField(max_length=40),
        "luogo": TextField(max_length=200),
        "ripeti": MapField(
            {"ogni": ChoiceField(REPEATS, required=True), "fino": DateField()},
            example="ripeti: {ogni: settimana, fino: 2027-06-30}",
        ),
    },
    example="- inizio: 2026-10-06 17:00",
)

AZIONE = {
    "titolo": TextField(required=True, max_length=200),
    "data": DateField(required=True),
    "stato": ChoiceField(ACTION_STATES, required=True),
    "bisogni": ListField(slug_text(), example="[aiuto-compiti, aurora/imbiancare-l-aula]"),
    "partecipanti": ListField(
        MapField(
            {"chi": slug_text(True), "sapere": slug_text(), "ruolo": TextField(max_length=200)},
            example="- chi: chen-wei\n    sapere: sartoria",
        ),
        example="\n  - chi: chen-wei\n    sapere: sartoria\n    ruolo: insegna",
    ),
    # organisations: a persona slug (or territorio/slug) of an organizzazione, or the plain name of a body without one
    "partner": ListField(TextField(max_length=160), example="[associazione-il-ponte, Circoscrizione 7]"),
    "appuntamenti": ListField(APPOINTMENT, example="\n  - inizio: 2026-10-06 17:00\n    fine: 19:00"),
    "sommario": TextField(max_length=300),
    "tag": ListField(TextField(max_length=60), example="[cucito, intercultura]"),
    "immagine": IMAGE,
    "lingua": LanguageField(),
    "bozza": BoolField(),
}

SERVICE_TYPE = MapField(
    {
        "tipo": slug_text(True),
        "nome": TextField(required=True, max_length=120),
        "descrizione": TextField(max_length=500),
        "sinonimi": ListField(TextField(max_length=80), example="[identità digitale, CIE]"),
    },
    example="- tipo: spid",
)
SERVIZI = {"servizi": ListField(SERVICE_TYPE, required=True, example="\n  - tipo: spid\n    nome: SPID")}

# A translation (storie/<slug>.<lingua>.md) holds its own words; the rest (date, people, tags, pictures, saperi,
# appointments) is the original's. `immagine` may give the picture an alt text in the translation's language;
# `persone` may only narrow the original's (validate.py).
_TRANSLATED = {
    "sommario": TextField(max_length=300),
    "tradotto_da": TextField(max_length=200),  # who translated, and with whom it was checked
    "lingua": LanguageField(),  # the file name's, if repeated
    "bozza": BoolField(),
}


class InheritedField(Field):
    """A key of the original written in its translation: a warning, the original's value holds."""

    def check(self, value, ctx):
        ctx.report.warn(
            _line(value, ctx),
            f'una traduzione prende "{ctx.key}" dal testo originale: questa riga sarà ignorata',
            f"togli la riga; per cambiare {ctx.key}, cambialo nel file originale",
            "chiave-ereditata",
        )


TRANSLATION_BY_KIND: dict[str, dict[str, Field]] = {
    "storia": {
        "titolo": TextField(required=True, max_length=200),
        **_TRANSLATED,
        "persone": ListField(slug_text(), example="[anna-rossi]"),
        "immagine": IMAGE,
    },
    "persona": {"ruolo": TextField(max_length=200), **_TRANSLATED, "immagine": IMAGE},
    "bisogno": {"titolo": TextField(required=True, max_length=200), **_TRANSLATED},
    "azione": {"titolo": TextField(required=True, max_length=200), **_TRANSLATED, "immagine": IMAGE},
}

BY_KIND: dict[str, dict[str, Field]] = {
    "territorio": TERRITORIO,
    "storia": STORIA,
    "persona": PERSONA,
    "bisogno": BISOGNO,
    "azione": AZIONE,
}
for _kind, _fields in TRANSLATION_BY_KIND.items():
    _fields.update({key: InheritedField() for key in BY_KIND[_kind] if key not in _fields})

Checker = Callable[[Any, Ctx], Any]
