"""JSON Schemas (draft 2020-12) of each content kind's front matter, made from content/schema.py.

Editors' tools read them: the VS Code YAML extension, `check-jsonschema` on a YAML file. They say what a form can
say (types, required keys, choices, lengths, a person's consent); what needs the whole archive (an unknown slug, a
surname in a pseudonym's story) and rules across keys (`pseudonimo` with `visibilita: pseudonimo`, `sito` only for
organisations) stay with `build.py check`.
"""

from __future__ import annotations

import json
from typing import Any

from portale.content import schema
from portale.content.labels import LABELS

DIALECT = "https://json-schema.org/draft/2020-12/schema"
REPOSITORY_FOLDER = "editor/schemi"  # the copy kept in the repository
# the kinds an editor writes (territorio.md is the network's to set up), each published as <kind>.schema.json
KINDS = {kind: fields for kind, fields in schema.BY_KIND.items() if kind != "territorio"} | {"parole": schema.PAROLE}
# a translation (storie/<slug>.<lingua>.md): its own keys only; a key it takes from the original is flagged
KINDS |= {
    f"traduzione-{kind}": {k: f for k, f in fields.items() if not isinstance(f, schema.InheritedField)}
    for kind, fields in schema.TRANSLATION_BY_KIND.items()
}
TITLES = {
    "storia": "Una storia (content/<territorio>/storie/)",
    "persona": "Una persona o un'organizzazione (content/<territorio>/persone/)",
    "bisogno": "Un bisogno (content/<territorio>/bisogni/)",
    "azione": "Un'azione (content/<territorio>/azioni/)",
    "parole": "Il dizionario delle parole (content/parole.yml)",
    "traduzione-storia": "La traduzione di una storia (content/<territorio>/storie/<slug>.<lingua>.md)",
    "traduzione-persona": "La traduzione della scheda di una persona (content/<territorio>/persone/<slug>.<lingua>.md)",
    "traduzione-bisogno": "La traduzione di un bisogno (content/<territorio>/bisogni/<slug>.<lingua>.md)",
    "traduzione-azione": "La traduzione di un'azione (content/<territorio>/azioni/<slug>.<lingua>.md)",
}


def field_schema(field: schema.Field, labels: dict, key: str) -> dict[str, Any]:
    """The JSON Schema of one field; `key` is its dotted name in `labels`."""
    out: dict[str, Any] = {}
    if key in labels:
        out["title"], out["description"] = labels[key].label, labels[key].hint
    if isinstance(field, schema.UrlField):
        out |= {"type": "string", "format": "uri", "pattern": "^https?://[^/\\s]+"}
    elif isinstance(field, schema.TextField):
        out["type"] = ["string", "number"]  # `titolo: 1984` is text to the build
        if field.max_length:
            out["maxLength"] = field.max_length
        if field.required:
            out["pattern"] = "\\S"  # not blank
    elif isinstance(field, schema.DateField):
        out |= {"type": "string", "format": "date", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"}
    elif isinstance(field, schema.BoolField):
        out["type"] = "boolean"
    elif isinstance(field, schema.NumberField):
        out |= {"type": "number", "minimum": field.low, "maximum": field.high}
    elif isinstance(field, schema.ChoiceField):
        out["enum"] = list(field.choices)
    elif isinstance(field, schema.LanguageField):  # BCP 47; the build checks the code is a known language
        out |= {"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"}
    elif isinstance(field, schema.ListField):
        item = field_schema(field.item, labels, key)
        for name in ("title", "description"):
            item.pop(name, None)  # said once, on the list
        out |= {"type": "array", "items": item}  # the build accepts an empty list, as `build.py new` writes it
    elif isinstance(field, schema.MapField):
        out |= object_schema(field.fields, labels, key + ".")
        if field.scalar_key:  # `saperi: [sartoria]` stands for `saperi: [{sapere: sartoria}]`
            lone = field_schema(field.fields[field.scalar_key], labels, f"{key}.{field.scalar_key}")
            keep = {k: v for k, v in out.items() if k not in ("title", "description")}
            out = {k: v for k, v in out.items() if k in ("title", "description")} | {"anyOf": [lone, keep]}
    else:  # pragma: no cover - a new kind of field must be taught here
        raise TypeError(f"no JSON Schema for {type(field).__name__}")
    return out


def nullable(node: dict[str, Any]) -> dict[str, Any]:
    """An optional key may be left empty (`sommario:`): the build ignores it."""
    if "type" in node:
        kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
        return node | {"type": [*kinds, "null"]}
    if "enum" in node:
        return node | {"enum": [*node["enum"], None]}
    return node | {"anyOf": [*node["anyOf"], {"type": "null"}]}


def object_schema(fields: dict[str, schema.Field], labels: dict, prefix: str = "") -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            name: field_schema(f, labels, prefix + name)
            if f.required
            else nullable(field_schema(f, labels, prefix + name))
            for name, f in fields.items()
        },
        "required": [name for name, f in fields.items() if f.required],
        "additionalProperties": False,  # the build warns on an unknown key: the editor's tool flags it at once
    }


def kind_schema(kind: str, base_url: str = "") -> dict[str, Any]:
    body = object_schema(KINDS[kind], LABELS[kind.removeprefix("traduzione-")])
    if kind == "persona":  # a person's consent is required; an organisation needs none
        body["if"] = {"properties": {"tipo": {"const": "persona"}}, "required": ["tipo"]}
        body["then"] = {"required": ["consenso"]}
    head: dict[str, Any] = {"$schema": DIALECT}
    if base_url:
        head["$id"] = f"{base_url.rstrip('/')}/admin/schemi/{kind}.schema.json"
    return head | {"title": TITLES[kind]} | body


def schema_files(base_url: str = "") -> dict[str, str]:
    """File name -> JSON text, for every kind."""
    return {
        f"{kind}.schema.json": json.dumps(kind_schema(kind, base_url), ensure_ascii=False, indent=2) + "\n"
        for kind in KINDS
    }


def main(argv: list[str] | None = None) -> int:
    """`python -m portale.cms.jsonschema [folder]`: write the schemas into the repository (editor/schemi/ by
    default), for the editors' tools that read them there; tests/test_cms.py fails while they are out of date."""
    import sys
    from pathlib import Path

    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else REPOSITORY_FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in schema_files().items():
        (folder / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
