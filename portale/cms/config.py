"""Decap CMS's `config.yml`, made from the content schema (content/schema.py) and its Italian labels
(content/labels.py): a key added to the schema appears in the form with no change here.

Collections, for each territory: Storie, Persone (tipo persona, with the consent block required), Organizzazioni,
Bisogni, Azioni; then the network's Dizionario (parole.yml). Persons and organisations share `persone/`: two
collections filtered on `tipo`, plus a hidden one with both, which the relation widgets pick from. A story made
in the editor is a bundle (`storie/<slug>/index.md`), so an uploaded image lands beside it.
"""

from __future__ import annotations

from typing import Any

from portale.content import languages, schema
from portale.content.labels import LABELS
from portale.content.load import FOLDER_OF

# Decap 3.16's Gitea backend refuses the editorial workflow (the editor would not load): there, review happens on
# pull requests opened by hand, as the guide says
REVIEWING_BACKENDS = {"github", "gitlab", "git-gateway"}
LOCAL_BACKEND_PORT = 8081  # decap-server's default; `serve --redazione` starts it there, on 127.0.0.1
FORMAT = "portale-md"  # registered by cms/redazione.js: YAML front matter that keeps `saperi: [slug]` short

# the collections of a territory, in the menu's order: kind -> label, whose lower case names the collection
# (aurora-storie); organisations are persons' files too
COLLECTIONS = {
    "storia": "Storie",
    "persona": "Persone",
    "organizzazione": "Organizzazioni",
    "bisogno": "Bisogni",
    "azione": "Azioni",
}
# a story made in the editor is a bundle, <slug>/index.md, so that its photo lands beside it; stories written by
# hand as <slug>.md are listed and saved where they are. People, needs and actions stay <slug>.md: the relation
# widgets store Decap's slug, which for a bundle would be "<slug>/index" and never match the file's reference.
BUNDLE = {"path": "{{slug}}/index", "media_folder": "", "public_folder": ""}
BUNDLES = {"storia"}
FORMATS = {"persona": "portale-md-saperi", "organizzazione": "portale-md-saperi"}  # cms/redazione.js
SUMMARIES = {"storia": "{{titolo}}", "persona": "{{nome}}", "organizzazione": "{{nome}}"}
SUMMARIES |= {"bisogno": "{{titolo}} ({{stato}})", "azione": "{{titolo}} ({{stato}})"}


def relation(collection: str, search: str, multiple: bool = False) -> dict[str, Any]:
    return {
        "widget": "relation",
        "collection": collection,
        "value_field": "{{slug}}",
        "search_fields": [search],
        "display_fields": [search],
        "multiple": multiple,
    }


# where the form differs from a file typed by hand (labels.py's hints speak of the file)
FORM_HINTS = {
    "bozza": "acceso: il testo è salvato ma non compare sul sito; spegnilo quando è pronto da pubblicare",
    "saperi": "scegli per nome dall'elenco dei saperi della rete (content/saperi.yml)",
}


def skill_choice(skills: list[tuple[str, str]]) -> dict[str, Any]:
    """The saperi of saperi.yml, by name, for a select that stores the slug. A relation widget would read
    saperi.yml through the backend, but Decap 3.16's search finds nothing two lists deep (categorie -> saperi):
    the list opened, and emptied as soon as a volunteer typed. The config is made at every build, so the
    choices follow saperi.yml all the same."""
    options = [{"label": name, "value": slug} for slug, name in skills]
    return {"widget": "select", "options": options, "hint": FORM_HINTS["saperi"]}


def relations(territory: str, skills: list[tuple[str, str]]) -> dict[str, dict[str, Any]]:
    """The keys whose values are slugs the build checks, and where each one's choices come from."""
    people = f"{territory}-schede"
    skill = skill_choice(skills)
    return {
        "storia.persone": relation(people, "nome", multiple=True),
        "storia.azione": relation(f"{territory}-azioni", "titolo"),
        "persona.saperi.sapere": skill,
        "bisogno.saperi": skill | {"multiple": True},
        "azione.bisogni": relation(f"{territory}-bisogni", "titolo", multiple=True),
        "azione.partecipanti.chi": relation(people, "nome"),
        "azione.partecipanti.sapere": skill,
    }


def widget(field: schema.Field, kind: str, key: str, links: dict, inside_optional: bool = False) -> dict[str, Any]:
    """The Decap widget (and its options) of one field; `key` is its dotted name. Decap checks a required key
    inside an optional group even when the group is left empty (a story without an image could not be saved):
    there the form marks nothing required, and the build, which refuses an image without `alt`, says so."""
    base_kind = "persona" if kind == "organizzazione" else kind
    labels = LABELS[base_kind]
    out: dict[str, Any] = {"name": key.rsplit(".", 1)[-1], "label": key.rsplit(".", 1)[-1]}
    if key in labels:
        out["label"], out["hint"] = labels[key].label, labels[key].hint
    out["required"] = field.required and not inside_optional
    link = links.get(f"{base_kind}.{key}")
    if link:
        return out | link
    if isinstance(field, schema.DateField):
        out |= {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY", "time_format": False}
    elif isinstance(field, schema.BoolField):
        out["widget"] = "boolean"
    elif isinstance(field, schema.NumberField):
        out |= {"widget": "number", "value_type": "float", "min": field.low, "max": field.high}
    elif isinstance(field, schema.ChoiceField):
        out |= {"widget": "select", "options": list(field.choices)}
    elif isinstance(field, schema.LanguageField):
        # Italian names only: each language's own name would load its CLDR locale, 14 of them on every build
        options = [{"label": f"{languages.italian_name(c)} ({c})", "value": c} for c in languages.COMMON]
        out |= {"widget": "select", "options": options}
    elif isinstance(field, schema.TextField):
        out["widget"] = "text" if field.multiline or field.max_length > 300 else "string"
        if key.endswith(("immagine.file", "video.poster")) or key == "galleria.file":
            out["widget"] = "image"
            out["choose_url"] = False  # images live beside the text, never on another host
        elif key.endswith(("audio.file", "video.file", "video.sottotitoli")):
            out["widget"] = "file"
            out["choose_url"] = False
    elif isinstance(field, schema.ListField):
        out["widget"] = "list"
        if isinstance(field.item, schema.MapField):
            out["fields"] = [widget(f, kind, f"{key}.{name}", links) for name, f in field.item.fields.items()]
            if field.item.scalar_key:
                out["summary"] = "{{fields." + field.item.scalar_key + "}}"
        elif isinstance(field.item, schema.ChoiceField):
            out |= {"widget": "select", "options": list(field.item.choices), "multiple": True}
        else:
            out["field"] = {"name": out["name"], "label": out["label"], "widget": "string"}
    elif isinstance(field, schema.MapField):
        out["widget"] = "object"
        optional = inside_optional or not (field.required or (kind == "persona" and key == "consenso"))
        out["fields"] = [widget(f, kind, f"{key}.{name}", links, optional) for name, f in field.fields.items()]
        out["collapsed"] = False
    else:  # pragma: no cover - a new kind of field must be taught here
        raise TypeError(f"no widget for {type(field).__name__}")
    return out


def fields_of(kind: str, territory: str, skills: list[tuple[str, str]]) -> list[dict[str, Any]]:
    spec = schema.PERSONA if kind == "organizzazione" else schema.BY_KIND[kind]
    links = relations(territory, skills)
    out = []
    for name, field in spec.items():
        if kind == "organizzazione" and name in ("consenso", "visibilita", "pseudonimo"):
            continue  # an organisation signs no consent and shows its own name
        if kind == "persona" and name == "sito":
            continue  # only organisations have a site
        item = widget(field, kind, name, links)
        if name == "tipo":
            # set by the collection; "required" would stop the form on a field nobody can see
            item |= {"widget": "hidden", "default": kind, "required": False}
        if kind == "persona" and name == "consenso":
            item["required"] = True  # the build refuses a person without it
        if name == "bozza":
            item["default"] = True  # a new text is a draft until someone publishes it
            item["hint"] = FORM_HINTS["bozza"]
        if name == "data" and kind != "persona":
            item["default"] = "{{now}}"
        out.append(item)
    out.append({"name": "body", "label": "Testo", "widget": "markdown", "hint": LABEL_BODY[kind], "required": False})
    return out


LABEL_BODY = {
    "storia": "la storia, in paragrafi separati da una riga vuota",
    "persona": "la biografia o il racconto in prima persona",
    "organizzazione": "chi siete e che cosa fate",
    "bisogno": "che cosa serve, per chi, e come mettersi in contatto con la portineria",
    "azione": "come è nata l'azione: chi ha notato il bisogno, chi si è incontrato, che cosa porta ognuno",
}


def collection(kind: str, territory: str, territory_name: str, skills: list[tuple[str, str]]) -> dict[str, Any]:
    folder = FOLDER_OF["persona" if kind == "organizzazione" else kind]
    out: dict[str, Any] = {
        "name": f"{territory}-{COLLECTIONS[kind].lower()}",
        "label": f"{territory_name} · {COLLECTIONS[kind]}",
        "label_singular": kind,
        "folder": f"content/{territory}/{folder}",
        "create": True,
        "extension": "md",
        "format": FORMATS.get(kind, FORMAT),
        "slug": "{{slug}}",
        "summary": SUMMARIES[kind],
        "identifier_field": "nome" if kind in ("persona", "organizzazione") else "titolo",
        "sortable_fields": ["nome"] if kind in ("persona", "organizzazione") else ["data", "titolo"],
        "fields": fields_of(kind, territory, skills),
    }
    if kind in ("persona", "organizzazione"):
        out["filter"] = {"field": "tipo", "value": kind}
    if kind in BUNDLES:
        out |= BUNDLE
    return out


def people_collection(territory: str) -> dict[str, Any]:
    """Every person and organisation of a territory, for the relation widgets: not shown in the menu."""
    return {
        "name": f"{territory}-schede",
        "label": f"{territory}: tutte le schede",
        "folder": f"content/{territory}/{FOLDER_OF['persona']}",
        "extension": "md",
        "format": FORMAT,
        "hide": True,
        "create": False,
        "identifier_field": "nome",
        "fields": [{"name": "nome", "label": "Nome", "widget": "string"}],
    }


def network_collections() -> list[dict[str, Any]]:
    word = schema.PAROLE["parole"]
    dictionary = {
        "name": "dizionario",
        "label": "Dizionario delle parole",
        # Decap rewrites the whole YAML file from its data
        "description": "Salvando da qui, i commenti scritti a mano in content/parole.yml si perdono: le "
        "spiegazioni sono nella guida della redazione.",
        "files": [
            {
                "name": "parole",
                "label": "Le parole",
                "file": "content/parole.yml",
                "fields": [widget(word, "parole", "parole", {})],
            }
        ],
    }
    return [dictionary]


def origin(url: str) -> str:
    return "/".join(url.split("/", 3)[:3])  # https://host[:port]


def backend(settings: dict) -> dict[str, Any]:
    """The backend the editor commits through, from portale.yml's `redazione:` block. No secret is ever here:
    sign-in happens in the browser (OAuth, or a token typed by the editor)."""
    out: dict[str, Any] = {"name": settings.get("backend", "github")}
    for key in ("repo", "branch", "base_url", "api_root", "app_id"):
        if settings.get(key):
            out[key] = settings[key]
    if out["name"] in ("gitea", "gitlab") and "app_id" in out:
        out["auth_type"] = "pkce"  # sign-in in the browser, no secret anywhere
    if out["name"] == "gitea" and "api_root" in out and "base_url" not in out:
        out["base_url"] = origin(out["api_root"])  # sign in on the same server
    out.setdefault("branch", "main")
    if out["name"] in ("github", "gitea", "gitlab") and "repo" not in out:
        out["repo"] = "organizzazione/portale-dei-saperi"  # a placeholder the guide tells maintainers to change
    return out


def cms_config(
    settings: dict,
    site_url: str,
    territories: list[tuple[str, str]],
    skills: list[tuple[str, str]] = (),
) -> dict:
    """The whole config.yml as data. `territories` and `skills` are [(slug, name)], in the archive's order. The
    editor talks to decap-server on this computer when it answers (Decap tries it first: `serve --redazione`)."""
    config: dict[str, Any] = {"backend": backend(settings)}
    if settings.get("flusso") == "revisione" and config["backend"]["name"] in REVIEWING_BACKENDS:
        config["publish_mode"] = "editorial_workflow"
    config |= {
        "local_backend": {"url": f"http://127.0.0.1:{LOCAL_BACKEND_PORT}/api/v1"},
        "locale": "it",
        "site_url": site_url,
        "display_url": site_url,
        # only for files uploaded from the Media library, outside any text: the loader skips "_" folders, so they
        # are never published; the guide says to add a photo from the text's own image field
        "media_folder": "content/_caricamenti",
        "public_folder": "",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [],
    }
    for slug, name in territories:
        for kind in COLLECTIONS:
            config["collections"].append(collection(kind, slug, name, list(skills)))
        config["collections"].append(people_collection(slug))
    config["collections"].extend(network_collections())
    return config
