"""Markup typed into any front-matter value comes out as text in every output: pages, titles, meta
description, OpenGraph, JSON-LD, feeds, sitemaps, open data and search results."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import PORTALE, SAPERI, org_md, person_md, story_md, territory_md, write_project

MARK = "ZQX"
PAYLOAD = f"\"><script>alert('{MARK}')</script><img src=x onerror=alert('{MARK}')>"
SHORT = f"<b onclick=alert('{MARK}')>x</b>"


def q(text: str) -> str:
    """A YAML single-quoted scalar."""
    return "'" + text.replace("'", "''") + "'"


HOSTILE_FILES = {
    "content/portale.yml": PORTALE.replace("titolo: Portale dei Saperi", f"titolo: {q('Portale ' + SHORT)}").replace(
        "descrizione: Storie, persone e saperi dei territori.", f"descrizione: {q(PAYLOAD)}"
    ),
    "content/saperi.yml": SAPERI.replace("nome: Cucina etnica", f"nome: {q('Cucina ' + SHORT)}").replace(
        "descrizione: Ricette dei paesi d’origine.", f"descrizione: {q(PAYLOAD)}"
    ),
    "content/aurora/territorio.md": territory_md("Aurora")
    .replace("nome: Aurora", f"nome: {q('Aurora ' + SHORT)}")
    .replace("orari: lunedì–venerdì 9–13", f"orari: {q(PAYLOAD)}"),
    "content/aurora/persone/anna-rossi.md": person_md(
        "Anna Rossi", f"[{{sapere: cucina-etnica, descrizione: {q(PAYLOAD)}}}]", extra=f"ruolo: {q(PAYLOAD)}\n"
    ),
    "content/aurora/persone/ciclofficina.md": org_md(
        q("Ciclo " + SHORT),
        "[riparazione-biciclette]",
        extra=f"sito: {q('https://example.org/' + chr(34) + 'onmouseover=' + chr(34) + 'alert(1)')}\n",
    ),
    "content/aurora/storie/la-festa.md": story_md(
        q(PAYLOAD),
        persone="[anna-rossi, ciclofficina]",
        extra=f"sommario: {q(PAYLOAD)}\ntag: [{q(SHORT)}]\n",
        body=f"Testo con {MARK}lampionaio.\n\n<script>alert('{MARK}')</script>{SHORT}\n\n<a href=\"jav&#x09;ascript:alert('{MARK}')\">clic</a>",
    ),
    "content/aurora/bisogni/biciclette.md": f"---\ntitolo: {q(PAYLOAD)}\ndata: 2026-09-01\nsaperi: [riparazione-biciclette]\nsommario: {q(PAYLOAD)}\n---\nAiuto.\n",
    "content/dora/territorio.md": territory_md("Dora"),
    "content/dora/storie/il-parco.md": story_md("Il parco Dora", persone="[aurora/anna-rossi]"),
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    import contextlib

    from portale import cli

    root = tmp_path_factory.mktemp("ostile")
    write_project(root, HOSTILE_FILES)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        code = cli.main(["--oggi", "2026-01-15"], root=root)
    assert code == 0, buffer.getvalue()
    return root / "site"


class Audit(HTMLParser):
    """Everything in a page that could run code or leave the site, as the browser would parse it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.script: dict | None = None
        self.json_ld: list[str] = []
        self.in_qr = False  # inside a QR code's <svg>, where only bare <path> elements may appear

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "svg" and attributes.get("class") == "qr" and not self.in_qr:
            self.in_qr = True  # drawn by segno from the page's own address; its paths are checked below
        elif self.in_qr and (tag != "path" or set(attributes) - {"d", "stroke", "fill", "transform"}):
            self.problems.append(f"<{tag} {attrs}> in a QR code")
        elif tag in ("iframe", "object", "embed", "style", "base", "svg", "math", "frame"):
            self.problems.append(f"<{tag}>")
        if tag == "form" and not attributes.get("action", "").endswith(("cerca/", "./")):  # only the search forms
            self.problems.append(f"<form {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if name in ("href", "src", "action", "formaction", "srcset", "poster", "data") and value:
                scheme = re.sub(r"[\x00-\x20]", "", value).lower().split(":", 1)[0]
                if scheme in ("javascript", "vbscript", "data"):
                    self.problems.append(f"{tag} {name}={value}")
            if name == "style":
                self.problems.append(f"{tag} style=")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            # only an old tag address sends the reader on, to a page of the same site named by slugs
            if not re.fullmatch(r"0; url=(\.\./)*[a-z0-9/-]+/", attributes.get("content", "")):
                self.problems.append("meta refresh")
        if tag == "script":
            kind = attributes.get("type", "")
            if kind == "application/ld+json":
                self.script = {"kind": kind, "text": ""}
            elif kind == "module" and attributes.get("src", "").endswith("assets/cerca.js"):
                self.script = {"kind": kind, "text": ""}
            else:
                self.problems.append(f"<script {attrs}>")
                self.script = {"kind": kind, "text": ""}

    def handle_data(self, data):
        if self.script is not None:
            self.script["text"] += data

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_qr = False
        if tag == "script" and self.script is not None:
            if self.script["kind"] == "application/ld+json":
                self.json_ld.append(self.script["text"])
            elif self.script["text"].strip():
                self.problems.append("inline script")
            self.script = None


def audit_html(text: str) -> Audit:
    audit = Audit()
    audit.feed(text)
    audit.close()
    return audit


def html_pages(site: Path):
    """Every reader's page; the web editor's (admin/, Decap CMS's own scripts only) is audited in test_cms.py."""
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "admin")


def test_no_page_runs_or_loads_anything_from_a_front_matter_value(hostile_site):
    pages = html_pages(hostile_site)
    assert len(pages) > 20
    found = {p.relative_to(hostile_site).as_posix(): audit_html(p.read_text(encoding="utf-8")).problems for p in pages}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_payload_is_shown_as_text_in_title_description_and_opengraph(hostile_site):
    html = (hostile_site / "aurora/storie/la-festa/index.html").read_text(encoding="utf-8")
    escaped = "&#34;&gt;&lt;script&gt;alert(&#39;ZQX&#39;)&lt;/script&gt;"
    assert f"<title>{escaped}" in html
    assert f'<meta name="description" content="{escaped}' in html
    assert f'<meta property="og:title" content="{escaped}' in html
    assert f"<h1>{escaped}" in html


def test_json_ld_is_valid_json_that_cannot_close_its_script(hostile_site):
    blocks = []
    for page in html_pages(hostile_site):
        audit = audit_html(page.read_text(encoding="utf-8"))
        blocks.extend(audit.json_ld)
    assert blocks
    story = None
    for block in blocks:
        assert "</script" not in block.lower() and "<!--" not in block
        data = json.loads(block)
        if isinstance(data, dict) and data.get("headline", "").startswith('">'):
            story = data
    assert story is not None and story["headline"].startswith("\"><script>alert('ZQX')")  # the text, intact


def feed_and_sitemap_files(site: Path):
    return sorted(p for p in site.rglob("*.xml"))


def test_feeds_and_sitemaps_are_well_formed_and_html_inside_them_is_safe(hostile_site):
    files = feed_and_sitemap_files(hostile_site)
    assert any(p.name == "feed.xml" for p in files) and any(p.name == "sitemap.xml" for p in files)
    titles = []
    for path in files:
        tree = ET.parse(path)  # raises on a payload that broke the XML
        for element in tree.iter():
            if element.tag.endswith("}title"):
                titles.append(element.text or "")
            if element.get("type") == "html" and element.text:
                assert audit_html(element.text).problems == [], (path, element.tag)  # what a feed reader renders
            assert not element.tag.lower().endswith(("script", "iframe")), path
    assert any(t.startswith("\"><script>alert('ZQX')") for t in titles)  # a title stays text (type text)


def test_open_data_keeps_the_text_and_spreadsheets_never_see_a_formula(hostile_site):
    stories = json.loads((hostile_site / "dati/storie.json").read_text(encoding="utf-8"))
    assert any(s["titolo"].startswith('"><script>') for s in stories)
    rows = list(csv.reader(io.StringIO((hostile_site / "dati/saperi.csv").read_text(encoding="utf-8"))))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_a_formula_in_a_name_is_neutralised_in_the_csv(make_site, run):
    root = make_site(
        {
            "content/aurora/persone/ciclofficina.md": org_md(
                '\'=HYPERLINK("https://evil.example","clic")\'', "[riparazione-biciclette]"
            )
        }
    )
    code, out = run([], cwd=root)
    assert code == 0, out
    text = (root / "site/dati/saperi.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    names = [r["chi"] for r in rows]
    assert '\'=HYPERLINK("https://evil.example","clic")' in names
    assert json.loads((root / "site/dati/saperi.json").read_text())  # the JSON keeps the exact text
    assert any(
        r["chi"] == '=HYPERLINK("https://evil.example","clic")'
        for r in json.loads((root / "site/dati/saperi.json").read_text())
    )


def test_a_title_with_markup_is_text_in_search_results(hostile_site, serve_dir, page):
    from playwright.sync_api import expect

    base = serve_dir(hostile_site)
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    page.goto(base + "aurora/cerca/?q=" + MARK.lower() + "lampionaio")
    expect(page.locator("#cerca-risultati")).to_have_attribute("aria-busy", "false")
    titles = page.locator(".risultato h2").all_inner_texts()
    assert titles == [PAYLOAD]
    assert page.locator(".risultato img, .risultato script").count() == 0
    assert page.evaluate("document.querySelectorAll('img[onerror], [onclick]').length") == 0
