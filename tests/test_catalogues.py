"""The interface's catalogues (templates/locale/): what a reader in Arabic, English, French, Romanian or Chinese
reads around a text is there, translated, with its placeholders intact, and no template keeps an Italian string
outside gettext, where no catalogue could reach it."""

from __future__ import annotations

import functools
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from jinja2 import nodes

from portale.pages import locales

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
LOCALE = TEMPLATES / "locale"
LANGUAGES = ["ar", "en", "fr", "ro", "zh"]
# The pages a text in another language is read on, and what they draw on (base.html, partials): these must be
# translated in full in every catalogue.
TEXT_PAGES = ["storia.html", "persona.html", "bisogno.html", "azione.html"]
GETTEXT = {"_", "gettext", "ngettext", "pgettext", "npgettext"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")


def environment() -> jinja2.Environment:
    """The build's template environment, as far as parsing goes (portale/pages/render.py make_environment)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)
    return env


def template_names() -> list[str]:
    return sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html") if "assets" not in p.parts)


@functools.lru_cache(maxsize=1)
def extracted() -> dict[str, set[str]]:
    """msgid (the singular for a plural) -> the files it is extracted from, with babel.cfg's options and the
    keywords of `pybabel extract -k N_` (N_ marks a message in the Python code, translated where it is shown)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, str(ROOT / "babel.cfg"))
    found: dict[str, set[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
        directory_filter=lambda path: os.path.relpath(path, ROOT).split(os.sep)[0] in (".", "templates", "portale"),
    ):
        msgid = message[0] if isinstance(message, (tuple, list)) else message
        if msgid:
            found.setdefault(msgid, set()).add(Path(filename).as_posix())
    return found


def used_by(pages: list[str]) -> set[str]:
    """The template files a page renders: itself, what it extends and includes, recursively (names are constants)."""
    env = environment()
    seen: set[str] = set()
    todo = list(pages)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = env.parse(env.loader.get_source(env, name)[0])
        for node in tree.find_all((nodes.Extends, nodes.Include)):
            if isinstance(node.template, nodes.Const):
                todo.append(node.template.value)
    return seen


def catalogue(path: Path):
    with open(path, "rb") as f:
        return read_po(f)


def po_files() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/messages.po"))


def placeholders(text: str) -> set[str]:
    return {m.group(0) for m in PLACEHOLDER.finditer(text)}


# --- Extraction and catalogues ------------------------------------------------------------------------------------


def test_babel_cfg_extracts_the_templates_strings():
    found = extracted()
    assert len(found) > 100
    assert "Aggiungi al calendario" in found
    assert any(name.endswith("templates/base.html") for name in found["Vai al contenuto"])


@pytest.mark.parametrize("name", ["messages.pot", "it/LC_MESSAGES/messages.po"])
def test_every_template_string_is_in_the_catalogue(name):
    """Fails when a template gains a string and nobody ran `pybabel extract` and `pybabel update`."""
    ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalogue(LOCALE / name) if m.id}
    missing = sorted(set(extracted()) - ids)
    assert not missing, f"{name} lacks {len(missing)} template strings (run pybabel extract/update): {missing[:10]}"


def test_the_catalogues_hold_the_same_messages_as_the_template():
    pot = {m.id for m in catalogue(LOCALE / "messages.pot") if m.id}
    for path in po_files():
        ids = {m.id for m in catalogue(path) if m.id}
        assert ids == pot, f"{path.relative_to(ROOT)} is out of step with messages.pot (run pybabel update)"


def test_there_is_a_catalogue_for_every_language():
    assert {p.parent.parent.name for p in po_files()} >= {"it", *LANGUAGES}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_text_pages_are_translated_in_full(lang):
    """Someone who reads a story, a person, a need or an action in their language reads the interface around it in
    that language too: every string of those pages (and of base.html and the partials they include) is translated."""
    files = used_by(TEXT_PAGES)
    assert {"base.html", "partials/bozza.html", "partials/parole.html"} <= files
    found = extracted()
    needed = {msgid for msgid, where in found.items() if any(w.split("templates/", 1)[-1] in files for w in where)}
    # Category names come from the Python code (N_) and show on story and person pages.
    needed |= {msgid for msgid, where in found.items() if any(w.startswith("portale/") for w in where)}
    assert "Commercio" in needed
    assert len(needed) > 60
    cat = catalogue(LOCALE / lang / "LC_MESSAGES" / "messages.po")
    untranslated = []
    for message in cat:
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        if msgid not in needed:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s.strip() for s in strings):
            untranslated.append(msgid)
    missing = needed - {m.id[0] if isinstance(m.id, tuple) else m.id for m in cat}
    assert not missing and not untranslated, f"{lang}: missing {sorted(missing)[:5]}, untranslated {untranslated[:5]}"


@pytest.mark.parametrize("path", po_files(), ids=lambda p: p.parent.parent.name)
def test_every_catalogue_parses_without_fuzzy_entries_or_broken_placeholders(path):
    cat = catalogue(path)
    assert cat.locale is not None and str(cat.locale) == path.parent.parent.name
    fuzzy = [m.id for m in cat if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy entries (a translator must confirm them): {fuzzy[:5]}"
    errors = [(m.id, [str(e) for e in errs]) for m, errs in cat.check()]
    assert not errors, errors[:5]
    for m in cat:
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            # A plural form may leave the number out ("one" in Arabic: "a meeting"), never another placeholder.
            allowed = placeholders(m.id[0]) | placeholders(m.id[1])
            others = {p for p in placeholders(m.id[1]) if p != "%(num)d"}
            for form in m.string:
                if form:
                    assert placeholders(form) <= allowed and others <= placeholders(form), (path.name, m.id, form)
        elif m.string:
            assert placeholders(m.string) == placeholders(m.id), (path.parent.parent.name, m.id, m.string)


@pytest.mark.parametrize("lang, forms", [("ar", 6), ("zh", 1), ("en", 2), ("fr", 3), ("ro", 3)])
def test_plural_forms_suit_the_language(lang, forms):
    cat = catalogue(LOCALE / lang / "LC_MESSAGES" / "messages.po")
    assert cat.num_plurals == forms
    assert f"nplurals={forms};" in cat.plural_forms


def test_the_translations_render_in_the_templates():
    """A catalogue compiles (as the build compiles it, in memory) and its strings go through the templates' newstyle
    gettext: placeholders filled and autoescaped, markup passed in a placeholder kept as markup, plurals chosen."""
    env = environment()
    template = env.from_string(
        '{{ _("Cerca in %(luogo)s", luogo=name) }}|{% set link %}<a href="x">{{ name }}</a>{% endset %}'
        '{{ _("Racconta l’azione %(azione)s", azione=link) }}|'
        '{{ ngettext("E un altro incontro prima.", "E altri %(num)d incontri prima.", n) }}'
    )
    catalogues = locales.Catalogues(LOCALE)  # as the build installs them for a page in each language
    for lang in LANGUAGES:
        env.globals.update(catalogues.interface(lang))
        search, story, more = template.render(name="<b>Aurora</b>", n=5).split("|")
        assert "Cerca in" not in search and "&lt;b&gt;Aurora&lt;/b&gt;" in search, (lang, search)
        assert '<a href="x">&lt;b&gt;Aurora&lt;/b&gt;</a>' in story and "Racconta" not in story, (lang, story)
        assert "5" in more and "incontri" not in more, (lang, more)
    env.globals.update(catalogues.interface("it"))
    assert template.render(name="<b>Aurora</b>", n=1).split("|")[2] == "E un altro incontro prima."
    assert env.from_string('{{ _("100%% locale") }}').render() == "100% locale"  # %% is a percent sign, as in Jinja


# --- No Italian left outside gettext ------------------------------------------------------------------------------

# Attributes a reader meets (read aloud, shown as a tooltip, as text in place of an image).
READ_ATTRIBUTES = {"aria-label", "alt", "title", "placeholder", "label", "summary"}
# Letters that are not Italian sentences: a file extension, a unit, code shown as code.
ALLOWED_WORDS = {
    "ics",
    "csv",
    "json",
    "jsonld",
    "UTF",
    "JSON",
    "CSV",
    "LD",
    "PDF",
    "WebVTT",
    "km",
    "m",
}  # names of formats and units
WORD = re.compile(r"[^\W\d_]{2,}")
HOLE = "x0"  # where an expression or a tag of Jinja's sat: a valid tag-name tail, never a word (one letter)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skip = 0  # inside <script>, <style>, <code>

        self.href: str | None = None  # of the open <a>: a link that shows its own address (saperi.csv) is no word
        self.columns = False  # inside <dl class="colonne">: the <dt> are the open data's column names, identifiers
        self.tag = ""

    def handle_starttag(self, tag, attrs):
        self.tag = tag
        attributes = dict(attrs)
        if tag in ("script", "style", "code"):
            self.skip += 1
        if tag == "a":
            self.href = attributes.get("href")
        if tag == "dl":
            self.columns = "colonne" in (attributes.get("class") or "").split()
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code") and self.skip:
            self.skip -= 1
        if tag == "a":
            self.href = None
        if tag == "dl":
            self.columns = False
        self.tag = ""

    def handle_data(self, data):
        if self.skip or (self.href is not None and data.strip() == self.href):
            return
        if self.columns and self.tag == "dt":
            return
        self.found.append(data)


def literal_text(source: str) -> list[str]:
    """The words a template writes itself, outside {{ }} and {% %}: its text nodes and read attributes."""
    env = environment()
    tree = env.parse(source)
    pieces = []
    skipped = {id(n) for b in tree.find_all(nodes.Block) if b.name.endswith("_class") for n in b.find_all(nodes.Output)}
    for output in tree.find_all(nodes.Output):
        if id(output) in skipped:  # a block that fills a class attribute: CSS classes, not words
            continue
        for child in output.nodes:
            pieces.append(child.data if isinstance(child, nodes.TemplateData) else HOLE)
    # Blocks and control structures also separate text: join through a hole rather than gluing words.
    parser = _Text()
    parser.feed(HOLE.join(pieces))
    parser.close()
    return [w for text in parser.found for w in WORD.findall(text) if w not in ALLOWED_WORDS]


def literal_strings(source: str) -> list[str]:
    """Italian written as a string constant inside {{ }} / {% %} (`'un altro' if n == 1`, `etichetta = 'Storia'`)
    and not handed to gettext: a constant with a space between words, or a capitalised word. Slugs, CSS classes,
    paths and dictionary keys are lowercase single tokens."""
    env = environment()
    tree = env.parse(source)
    inside_gettext: set[int] = set()
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name in GETTEXT:
            for const in call.find_all(nodes.Const):
                inside_gettext.add(id(const))
    found = []
    for const in tree.find_all(nodes.Const):
        value = const.value
        if not isinstance(value, str) or id(const) in inside_gettext:
            continue
        if re.search(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}", value) or re.match(r"[A-ZÀ-Ý][a-zà-ÿ]+\b", value):
            found.append(value)
    return found


# Constants that are not words for a reader: the `sizes` of responsive images.
ALLOWED_CONSTANTS = {
    "Data Package",  # a standard's name (dati.html), not Italian
    "(min-width: 48rem) 44rem, calc(100vw - 2rem)",
    "(min-width: 24rem) 20rem, calc(100vw - 2rem)",
}


def test_the_checks_find_italian_outside_gettext():
    assert literal_text("<h2>Storie</h2>") == ["Storie"]
    assert literal_text('<nav aria-label="Sezioni">{{ x }}</nav>') == ["Sezioni"]
    assert literal_text('<h2>{{ _("Storie") }}</h2><a class="salta" href="#contenuto">{{ n }}</a>') == []
    assert literal_text("{% if a %} · tel. {{ p }}{% endif %}") == ["tel"]
    assert literal_text('<a href="saperi.csv">saperi.csv</a> <code>npm ci</code> <a href="x">Scarica</a>') == [
        "Scarica"
    ]
    assert literal_text('<dl class="colonne"><dt>sapere_nome</dt><dd>il nome</dd></dl><dl><dt>Orari</dt></dl>') == [
        "il",
        "nome",
        "Orari",
    ]
    assert literal_strings("{{ 'un altro' if n == 1 else 'altri' }}") == ["un altro"]
    assert literal_strings("{% with etichetta = 'Storia' %}{% endwith %}") == ["Storia"]
    assert literal_strings("{{ _('Storie di %(x)s', x=t) }}{{ url(t.slug ~ '/storie/') }}{{ 'chiuso' }}") == []


@pytest.mark.parametrize("name", template_names())
def test_no_template_writes_italian_outside_gettext(name):
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    words = literal_text(source)
    assert not words, f"{name}: words outside gettext: {words[:12]}"
    strings = [s for s in literal_strings(source) if s not in ALLOWED_CONSTANTS]
    assert not strings, f"{name}: string constants outside gettext: {strings[:8]}"
