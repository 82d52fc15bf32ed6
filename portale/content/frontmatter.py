"""Front matter: split a Markdown file and parse its YAML into values that remember their line.

PyYAML's event stream (the C parser when available) is composed here by hand instead of with
`yaml.safe_load`, because editors need:
- the line of every key and value, for `path:line` messages;
- no YAML 1.1 guessing: `NO`, `on`, `012345`, `10:00`, `1.10` stay text; the schema decides types;
- anchors, aliases and explicit tags (`!!python/object`) refused, duplicate keys reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

try:  # the C parser is several times faster and still gives marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

MAX_FRONT_MATTER_BYTES = 64 * 1024


class Text(str):
    """A scalar from YAML: its text, its line (1-based, in the file) and whether it was quoted."""

    line: int
    quoted: bool

    def __new__(cls, value: str, line: int, quoted: bool = False):
        self = super().__new__(cls, value)
        self.line = line
        self.quoted = quoted
        return self

    def __reduce__(self):  # pickled in the build cache's memo
        return (Text, (str(self), self.line, self.quoted))


class Seq(list):
    line: int

    def __init__(self, items=(), line: int = 0):
        super().__init__(items)
        self.line = line


class Map(dict):
    """A YAML mapping; `key_lines[key]` is the line where the key is written."""

    line: int

    def __init__(self, line: int = 0):
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


@dataclass
class YamlProblem(Exception):
    line: int
    message: str
    hint: str = ""
    code: str = "yaml"


@dataclass
class Parsed:
    meta: Map
    body: str
    body_line: int  # line of the file where the body starts
    duplicate_keys: list[tuple[int, str]] = field(default_factory=list)


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Return (yaml text, body, first line of body). Raises YamlProblem when the fences are wrong."""
    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        raise YamlProblem(
            1,
            "manca il front matter",
            'il file deve iniziare con una riga "---", poi le chiavi (titolo: ...), poi un\'altra riga "---"',
            "front-matter",
        )
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            yaml_text = "\n".join(lines[1:index]) + "\n"
            body = "\n".join(lines[index + 1 :])
            return yaml_text, body, index + 2
    raise YamlProblem(
        1,
        'il front matter non è chiuso: manca la riga "---" dopo le chiavi',
        'aggiungi una riga con soltanto "---" tra le chiavi e il testo',
        "front-matter",
    )


def parse(text: str, line_offset: int = 1, where: str = "front matter") -> tuple[Map, list[tuple[int, str]]]:
    """Parse one YAML mapping. `line_offset` is the file line of the YAML's first line."""
    composer = _Composer(line_offset)
    try:
        events = list(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and (exc.problem or "").startswith("found unexpected end of stream"):
            mark = exc.context_mark  # point at the quote that was opened, not at the end of the file
        if "\t" in text and "tab" in (exc.problem or "") or "found character" in (exc.problem or "") and "\t" in text:
            exc.problem = "found character '\\t'"
        line = (mark.line + line_offset) if mark else line_offset
        raise YamlProblem(
            line, f"YAML non valido: {_italian_yaml_error(exc, text)}", _yaml_hint(exc, text, mark)
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(line_offset, f"YAML non valido: {exc}", "") from None
    value = composer.compose(events)
    if value is None:
        value = Map(line_offset)
    if not isinstance(value, Map):
        raise YamlProblem(
            line_offset,
            f"il {where} deve essere un elenco di chiavi (chiave: valore), non {'una lista' if isinstance(value, Seq) else 'un valore singolo'}",
            "scrivi una chiave per riga, per esempio: titolo: Il mio titolo",
            "front-matter",
        )
    return value, composer.duplicates


def parse_file_text(text: str) -> Parsed:
    yaml_text, body, body_line = split_front_matter(text)
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise YamlProblem(
            1,
            f"il front matter è troppo lungo (più di {MAX_FRONT_MATTER_BYTES // 1024} KB)",
            'sposta il testo lungo nel corpo, dopo la seconda riga "---"',
            "dimensione",
        )
    meta, duplicates = parse(yaml_text, line_offset=2)
    return Parsed(meta, body, body_line, duplicates)


class _Composer:
    def __init__(self, line_offset: int):
        self.offset = line_offset
        self.duplicates: list[tuple[int, str]] = []

    def line(self, event) -> int:
        return event.start_mark.line + self.offset

    def compose(self, events):
        self.events = events
        self.pos = 0
        documents = []
        while self.pos < len(events):
            event = events[self.pos]
            if isinstance(event, yaml.DocumentStartEvent):
                self.pos += 1
                documents.append(self.node())
                if len(documents) > 1:
                    raise YamlProblem(
                        self.line(event),
                        "YAML non valido: c'è più di un documento",
                        'togli le righe "---" in più',
                        "yaml",
                    )
            else:
                self.pos += 1
        return documents[0] if documents else None

    def node(self):
        event = self.events[self.pos]
        self.pos += 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlProblem(
                self.line(event),
                "YAML non valido: ancore e alias (& e *) non sono ammessi",
                "scrivi il valore per esteso",
                "yaml-ancora",
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            raise YamlProblem(
                self.line(event),
                f'YAML non valido: il tipo esplicito "{tag}" non è ammesso',
                "togli il tipo (la parte che inizia con !) e scrivi solo il valore",
                "yaml-tag",
            )
        if isinstance(event, yaml.ScalarEvent):
            quoted = event.style in ("'", '"', "|", ">")
            value = event.value
            if not quoted and value in ("", "~", "null", "Null", "NULL"):
                return None
            return Text(value, self.line(event), quoted)
        if isinstance(event, yaml.SequenceStartEvent):
            seq = Seq(line=self.line(event))
            while not isinstance(self.events[self.pos], yaml.SequenceEndEvent):
                seq.append(self.node())
            self.pos += 1
            return seq
        if isinstance(event, yaml.MappingStartEvent):
            mapping = Map(self.line(event))
            while not isinstance(self.events[self.pos], yaml.MappingEndEvent):
                key_event = self.events[self.pos]
                key = self.node()
                if not isinstance(key, Text):
                    raise YamlProblem(
                        self.line(key_event), "YAML non valido: una chiave deve essere una parola", "", "yaml"
                    )
                value = self.node()
                if key in mapping:
                    self.duplicates.append((key.line, str(key)))
                    continue
                mapping[str(key)] = value
                mapping.key_lines[str(key)] = key.line
            self.pos += 1
            return mapping
        raise YamlProblem(self.line(event), "YAML non valido", "", "yaml")  # pragma: no cover


_YAML_MESSAGES = {
    "found character '\\t'": (
        "c'è un carattere di tabulazione (TAB)",
        "in YAML si rientra solo con gli spazi: sostituisci il TAB con due spazi",
    ),
    "mapping values are not allowed": (
        'c\'è un ":" di troppo in un valore',
        'metti il valore tra virgolette, per esempio titolo: "Ore 10: colazione"',
    ),
    "could not find expected ':'": ('manca ":" dopo la chiave', "scrivi chiave: valore, con i due punti e uno spazio"),
    "expected <block end>, but found '-'": (
        "un elemento di lista non è allineato",
        "allinea i trattini della lista con lo stesso rientro",
    ),
    "found unexpected end of stream": (
        "una virgoletta o una parentesi non è chiusa",
        "chiudi la virgoletta o la parentesi [ ]",
    ),
}


def _italian_yaml_error(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = exc.problem or ""
    for english, (italian, _) in _YAML_MESSAGES.items():
        if problem.startswith(english):
            return italian
    if "while scanning a quoted scalar" in (exc.context or ""):
        return "una virgoletta non è chiusa"
    if "flow" in (exc.context or ""):
        return "una parentesi [ ] o { } non è chiusa"
    return problem or str(exc)


def _yaml_hint(exc: yaml.MarkedYAMLError, text: str, mark) -> str:
    problem = exc.problem or ""
    for english, (_, hint) in _YAML_MESSAGES.items():
        if problem.startswith(english):
            return hint
    if "quoted scalar" in (exc.context or ""):
        return "controlla che ogni virgoletta aperta sia chiusa sulla stessa riga"
    return "controlla rientri, due punti e virgolette di questa riga e di quella prima"
