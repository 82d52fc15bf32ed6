"""Hostile and broken input, one case per item of the list an editor (or an attacker) can produce.

Each refused case asserts the exact `path:line: messaggio`, exit code 1, no traceback and a byte-identical
previous site/. The cases that must build instead (BOM, CRLF, YAML 1.1 words) assert a safe output.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import build_digest, read, story_md, tree_digest

STORY = "content/aurora/storie/prova.md"
BUNDLE = "content/aurora/storie/prova/"


def fm(*lines: str, body: str = "Testo.") -> str:
    """A story file with these front-matter lines (titolo and data first unless given)."""
    keys = "".join(line + "\n" for line in lines)
    return f"---\n{keys}---\n{body}\n"


def bundle(extra: str, files: dict[str, bytes | str]) -> dict:
    out = {BUNDLE + "index.md": story_md("Prova", extra=extra)}
    out.update({BUNDLE + name: data for name, data in files.items()})
    return out


JPEG = (
    bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300")
    + b"\x08" * 64
    + bytes.fromhex(
        "ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffda0008010100003f00d2cf20ffd9"
    )
)

# (id, files to add to the good site, expected message)
REFUSED = [
    # --- YAML -------------------------------------------------------------------------------
    (
        "unclosed-front-matter",
        {STORY: "---\ntitolo: Prova\ndata: 2025-01-01\nTesto senza chiusura.\n"},
        f"{STORY}:1: il front matter non è chiuso",
    ),
    (
        "syntax-error-line",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", "sommario: Ore 10: colazione")},
        f'{STORY}:4: YAML non valido: c\'è un ":" di troppo in un valore',
    ),
    (
        "unclosed-bracket-line",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", "tag: [festa, cucina", "sommario: Ciao")},
        f"{STORY}:5: YAML non valido",
    ),
    (
        "tab",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", "persone:", "\t- anna-rossi")},
        f"{STORY}:5: YAML non valido: c'è un carattere di tabulazione (TAB)",
    ),
    (
        "duplicate-key-at-second",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", "sommario: uno", "titolo: Due")},
        f'{STORY}:5: la chiave "titolo" è ripetuta',
    ),
    (
        "yaml11-number-as-date",
        {STORY: fm("titolo: Prova", "data: 012345")},
        f'{STORY}:3: "data" deve essere una data nel formato AAAA-MM-GG, non "012345"',
    ),
    (
        "yaml11-on-as-bool",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", "bozza: on")},
        f'{STORY}:4: "bozza" deve essere true oppure false, non "on"',
    ),
    (
        "yaml11-yes-as-bool",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", "bozza: yes")},
        f'{STORY}:4: "bozza" deve essere true oppure false, non "yes"',
    ),
    (
        "impossible-date",
        {STORY: fm("titolo: Prova", "data: 2024-02-30")},
        f'{STORY}:3: la data "2024-02-30" non esiste',
    ),
    (
        "anchor",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", "tag: &t [festa]", "sommario: Ciao")},
        f"{STORY}:4: YAML non valido: ancore e alias (& e *) non sono ammessi",
    ),
    (
        "alias",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", "sommario: *t")},
        f"{STORY}:4: YAML non valido: ancore e alias (& e *) non sono ammessi",
    ),
    (
        "python-tag",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", "sommario: !!python/object/apply:os.system ['touch PWNED']")},
        f'{STORY}:4: YAML non valido: il tipo esplicito "tag:yaml.org,2002:python/object/apply:os.system" non è ammesso',
    ),
    (
        "custom-tag",
        {STORY: fm("titolo: !segreto Prova", "data: 2025-01-01")},
        f'{STORY}:2: YAML non valido: il tipo esplicito "!segreto" non è ammesso',
    ),
    (
        "front-matter-list",
        {STORY: "---\n- titolo\n- data\n---\nTesto\n"},
        f"{STORY}:2: il front matter deve essere un elenco di chiavi (chiave: valore), non una lista",
    ),
    (
        "front-matter-scalar",
        {STORY: "---\nsolo una frase\n---\nTesto\n"},
        f"{STORY}:2: il front matter deve essere un elenco di chiavi (chiave: valore), non un valore singolo",
    ),
    (
        "front-matter-size",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", "sommario: " + "x" * 70_000)},
        f"{STORY}:1: il front matter è troppo lungo (più di 64 KB)",
    ),
    # --- files -----------------------------------------------------------------------------
    (
        "latin-1",
        {STORY: "---\ntitolo: Caffè\ndata: 2025-01-01\n---\n".encode("latin-1")},
        f"{STORY}:2: il file non è in UTF-8 (byte e8 alla colonna 13)",
    ),
    (
        "latin-1-in-body",
        {STORY: "---\ntitolo: Prova\ndata: 2025-01-01\n---\nRiga uno.\nPerché no\n".encode("latin-1")},
        f"{STORY}:6: il file non è in UTF-8 (byte e9 alla colonna 6)",
    ),
    (
        "control-char-title",
        {STORY: fm('titolo: "Prova\\a"', "data: 2025-01-01")},
        f'{STORY}:2: "titolo" contiene un carattere invisibile o di controllo (U+0007)',
    ),
    (
        "bidi-override-title",
        {STORY: fm("titolo: Prova \u202egpj.exe", "data: 2025-01-01")},
        f'{STORY}:2: "titolo" contiene un carattere invisibile o di controllo (U+202E)',
    ),
    (
        "bidi-isolate-summary",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", "sommario: a\u2066b")},
        f'{STORY}:4: "sommario" contiene un carattere invisibile o di controllo (U+2066)',
    ),
    (
        "file-over-cap",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", body="parola " * 160_000)},
        f"{STORY}: file troppo grande (1093 KB, il massimo è 1024 KB)",
    ),
    (
        "markdown-brackets",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", body="Inizio.\n\n" + "[" * 5000)},
        f"{STORY}:7: il testo contiene troppe parentesi quadre «[» (5000, al massimo 1000)",
    ),
    (
        "markdown-angles",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", body="<a " * 3000)},
        f"{STORY}:5: il testo contiene troppi segni «<» (3000, al massimo 2000)",
    ),
    (
        "markdown-nested-lists",
        {
            STORY: fm(
                "titolo: Prova", "data: 2025-01-01", body="Ciao.\n\n" + "".join("    " * i + "- x\n" for i in range(40))
            )
        },
        f"{STORY}:27: elenchi o citazioni annidati troppo in profondità (più di 20 livelli)",
    ),
    (
        "markdown-nested-quotes",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", body="> " * 300 + "x")},
        f"{STORY}:5: elenchi o citazioni annidati troppo in profondità",
    ),
    (
        "markdown-headings",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", body="# t\n" * 600)},
        f"{STORY}:505: il testo contiene troppi titoli (al massimo 500)",
    ),
    (
        "markdown-definitions",
        {STORY: fm("titolo: Prova", "data: 2025-01-01", body="a\n: b\n" * 1500)},
        f"{STORY}:6: troppe definizioni («: ...») una dopo l'altra senza righe vuote (più di 200)",
    ),
    (
        "markdown-in-transcript",
        bundle('audio: {file: voce.mp3, trascrizione: "' + "[" * 3000 + '"}\n', {}),
        f"{BUNDLE}index.md:5: trascrizione: il testo contiene troppe parentesi quadre",
    ),
    # --- paths -----------------------------------------------------------------------------
    (
        "image-dotdot",
        bundle("immagine: {file: ../altra/foto.jpg, alt: Foto}\n", {}),
        f'{BUNDLE}index.md:5: immagine "../altra/foto.jpg" non trovata — scrivi solo il nome del file',
    ),
    (
        "image-sibling-prefix",
        bundle("immagine: {file: ../prova-2/foto.jpg, alt: Foto}\n", {})
        | {"content/aurora/storie/prova-2/index.md": story_md("Due"), "content/aurora/storie/prova-2/foto.jpg": JPEG},
        f'{BUNDLE}index.md:5: immagine "../prova-2/foto.jpg" non trovata',
    ),
    (
        "image-absolute",
        bundle("immagine: {file: /etc/hostname, alt: Foto}\n", {}),
        f'{BUNDLE}index.md:5: immagine "/etc/hostname" non trovata — scrivi solo il nome del file',
    ),
    (
        "image-percent-dots",
        bundle('immagine: {file: "%2e%2e/foto.jpg", alt: Foto}\n', {}),
        f'{BUNDLE}index.md:5: immagine "%2e%2e/foto.jpg" non trovata — scrivi solo il nome del file',
    ),
    (
        "image-backslash",
        bundle('immagine: {file: "..\\\\foto.jpg", alt: Foto}\n', {}),
        f'{BUNDLE}index.md:5: immagine "..\\foto.jpg" non trovata — scrivi solo il nome del file',
    ),
    (
        "image-url",
        bundle('immagine: {file: "https://evil.example/x.jpg", alt: Foto}\n', {}),
        f'{BUNDLE}index.md:5: immagine "https://evil.example/x.jpg" non trovata',
    ),
    (
        "audio-dotdot",
        bundle("audio: {file: ../../../voce.mp3, trascrizione: Ciao}\n", {}),
        f'{BUNDLE}index.md:5: audio "../../../voce.mp3" non trovato',
    ),
    (
        "reserved-territory-pagefind",
        {"content/pagefind/territorio.md": "x"},
        'content/pagefind: "pagefind" è un nome riservato dal portale',
    ),
    (
        "reserved-territory-assets",
        {"content/assets/territorio.md": "x"},
        'content/assets: "assets" è un nome riservato dal portale',
    ),
    (
        "reserved-territory-cerca",
        {"content/cerca/territorio.md": "x"},
        'content/cerca: "cerca" è un nome riservato dal portale',
    ),
    (
        "reserved-territory-dati",
        {"content/dati/territorio.md": "x"},
        'content/dati: "dati" è un nome riservato dal portale',
    ),
    (
        "reserved-territory-sitemap",
        {"content/sitemap.xml/territorio.md": "x"},
        'content/sitemap.xml: nome di cartella non valido "sitemap.xml"',
    ),
    (
        "same-url-file-and-bundle",
        {"content/aurora/storie/la-festa/index.md": story_md("Doppia")},
        'content/aurora/storie/la-festa/index.md:1: slug doppio "la-festa": content/aurora/storie/la-festa.md pubblica già la stessa pagina',
    ),
    ("same-url-by-case", {"content/aurora/storie/La-Festa.md": story_md("Maiuscole")}, 'slug doppio "la-festa"'),
    (
        "same-url-by-normalisation",
        {
            "content/aurora/storie/caff\u00e8.md": story_md("NFC"),
            "content/aurora/storie/caffe\u0300.md": story_md("NFD"),
        },
        'slug doppio "caffè"',
    ),
    (
        "slug-percent",
        {"content/aurora/storie/%2e%2e.md": story_md("Percento")},
        'content/aurora/storie/%2e%2e.md:1: nome del file non valido "%2e%2e"',
    ),
    # --- URL fields -------------------------------------------------------------------------
    (
        "url-javascript",
        {"content/aurora/persone/org.md": "---\nnome: Org\ntipo: organizzazione\nsito: javascript:alert(1)\n---\n"},
        'content/aurora/persone/org.md:4: "sito" deve essere un indirizzo web che inizia con https:// o http://',
    ),
    (
        "url-javascript-case",
        {
            "content/aurora/persone/org.md": "---\nnome: Org\ntipo: organizzazione\nsito: JaVaScRiPt://x.example/%0aalert(1)\n---\n"
        },
        'content/aurora/persone/org.md:4: "sito" deve essere un indirizzo web',
    ),
    (
        "url-data",
        {
            "content/aurora/persone/org.md": '---\nnome: Org\ntipo: organizzazione\nsito: "data:text/html,<script>alert(1)</script>"\n---\n'
        },
        'content/aurora/persone/org.md:4: "sito" deve essere un indirizzo web',
    ),
    (
        "url-vbscript",
        {"content/aurora/persone/org.md": "---\nnome: Org\ntipo: organizzazione\nsito: vbscript:msgbox(1)\n---\n"},
        'content/aurora/persone/org.md:4: "sito" deve essere un indirizzo web',
    ),
    (
        "url-scheme-relative",
        {"content/aurora/persone/org.md": "---\nnome: Org\ntipo: organizzazione\nsito: //evil.example/\n---\n"},
        'content/aurora/persone/org.md:4: "sito" deve essere un indirizzo web',
    ),
    (
        "url-portineria",
        {
            "content/aurora/territorio.md": '---\nnome: Aurora\ncomune: Torino\ntipo: quartiere\nportinerie:\n  - nome: P\n    contatti: {sito: "javascript:alert(1)"}\n---\n'
        },
        'content/aurora/territorio.md:7: "portinerie.contatti.sito" deve essere un indirizzo web',
    ),
]


@pytest.mark.parametrize("files, expected", [pytest.param(f, e, id=i) for i, f, e in REFUSED])
def test_refused_with_file_line_and_old_site_unchanged(make_site, run, files, expected, tmp_path, monkeypatch):
    root = make_site()
    code, out = run([], cwd=root)
    assert code == 0, out
    before = tree_digest(root / "site")
    monkeypatch.chdir(tmp_path)  # where a "touch PWNED" would land
    make_site(files)
    code, out = run([], cwd=root)
    assert code == 1, out
    if expected:
        assert expected in out
    assert "Traceback" not in out
    assert "Niente è stato scritto in site/." in out
    assert tree_digest(root / "site") == before
    assert not list(tmp_path.rglob("PWNED"))
    assert not any(p.name.startswith(".site.") and p.is_dir() for p in root.iterdir())


# --- symlinks: made on disk, not as text ----------------------------------------------------


@pytest.mark.parametrize(
    "make_link, expected",
    [
        pytest.param(
            lambda root, outside: (root / "content/fuori").symlink_to(outside, target_is_directory=True),
            "content/fuori: collegamento simbolico che punta fuori da content/",
            id="territory-outside",
        ),
        pytest.param(
            lambda root, outside: (root / "content/aurora/storie/rubata.md").symlink_to(outside / "rubata.md"),
            "content/aurora/storie/rubata.md: collegamento simbolico che punta fuori da content/",
            id="story-outside",
        ),
        pytest.param(
            lambda root, outside: (root / "content/aurora/storie/giro.md").symlink_to(
                root / "content/aurora/storie/giro.md"
            ),
            "content/aurora/storie/giro.md: collegamento simbolico rotto o circolare",
            id="loop",
        ),
        pytest.param(
            lambda root, outside: (root / "content/aurora/storie/giro").symlink_to(
                root / "content/aurora/storie", target_is_directory=True
            ),
            None,
            id="folder-loop",
        ),
        pytest.param(
            lambda root, outside: (root / "content/aurora/storie/prova/foto.jpg").symlink_to(
                root / "content/aurora/storie/prova-2/foto.jpg"
            ),
            'immagine "foto.jpg" non trovata — il file deve stare nella cartella della pagina',
            id="image-into-sibling-bundle",
        ),
    ],
)
def test_symlinks_out_of_place_are_refused(make_site, run, tmp_path, make_link, expected):
    outside = tmp_path / "fuori"
    outside.mkdir()
    (outside / "territorio.md").write_text("---\nnome: Fuori\ncomune: X\ntipo: comune\nportinerie: [{nome: P}]\n---\n")
    (outside / "rubata.md").write_text(story_md("Rubata"))
    root = make_site(
        bundle("immagine: {file: foto.jpg, alt: Foto}\n", {})
        | {"content/aurora/storie/prova-2/index.md": story_md("Due"), "content/aurora/storie/prova-2/foto.jpg": JPEG}
    )
    (root / BUNDLE / "foto.jpg").unlink(missing_ok=True)
    make_link(root, outside)
    code, out = run([], cwd=root)
    assert code == 1, out
    if expected:
        assert expected in out
    assert "Traceback" not in out
    assert not (root / "site").exists()


# --- safe output instead of a refusal ---------------------------------------------------------


def test_bom_parses_like_the_same_file_without_it_and_draft_is_honoured(make_site, run, tmp_path):
    text = story_md("Con BOM", extra="tag: [bom]\n")
    a = make_site({STORY: text})
    code, _ = run(["--oggi", "2026-01-01"], cwd=a)
    assert code == 0
    without = build_digest(a / "site")
    make_site({STORY: b"\xef\xbb\xbf" + text.encode()})
    code, out = run(["--oggi", "2026-01-01"], cwd=a)
    assert code == 0, out
    assert build_digest(a / "site") == without
    make_site({STORY: b"\xef\xbb\xbf" + story_md("Segreta con BOM", extra="bozza: true\n").encode()})
    code, out = run([], cwd=a)
    assert code == 0, out
    assert not (a / "site/aurora/storie/prova").exists()


def test_crlf_gives_the_same_site_as_lf(make_site, run):
    text = story_md(
        "Righe", extra="sommario: |\n  Una\n  due\n", body="Primo paragrafo.\n\n- uno\n- due\n\n    codice\n"
    )
    root = make_site({STORY: text})
    code, _ = run(["--oggi", "2026-01-01"], cwd=root)
    assert code == 0
    lf = build_digest(root / "site")
    make_site({STORY: text.replace("\n", "\r\n").encode()})
    code, out = run(["--oggi", "2026-01-01"], cwd=root)
    assert code == 0, out
    assert build_digest(root / "site") == lf


@pytest.mark.parametrize(
    "value", ["NO", "on", "yes", "012345", "10:00", "1.10", "0x1F", "1e3", ".inf", "2024-01-01T10:00:00"]
)
def test_yaml_11_words_stay_the_text_the_editor_wrote(make_site, run, value):
    root = make_site({STORY: story_md(f"'{value}'", extra=f"sommario: {value}\ntag: [{value}]\n")})
    code, out = run([], cwd=root)
    assert code == 0, out
    html = read(root, "site/aurora/storie/prova/index.html")
    assert f"<h1>{value}</h1>" in html
    assert f'<p class="sommario">{value}</p>' in html


def test_a_python_tag_executes_nothing_even_in_check(make_site, run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = make_site({STORY: fm("titolo: !!python/object/apply:os.system ['touch PWNED']", "data: 2025-01-01")})
    code, out = run(["check"], cwd=root)
    assert code == 1
    assert not list(tmp_path.rglob("PWNED")) and not (Path(os.getcwd()) / "PWNED").exists()


# --- the Markdown budget behind the pre-checks ------------------------------------------------


class Pathological:
    """A Markdown converter with a weakness the pre-checks did not foresee: the real one, except that a body
    holding RECURSE recurses without end and one holding SLOW takes a second."""

    def __init__(self, real):
        self.real = real

    def reset(self):
        self.real.reset()

    def convert(self, text):
        if "RECURSE" in text:
            raise RecursionError
        if "SLOW" in text:
            time.sleep(1)
        return self.real.convert(text)


def test_a_body_that_still_recurses_too_deep_is_a_content_error(make_site, run, monkeypatch):
    from portale.content import markup

    real = markup._converter
    monkeypatch.setattr(markup, "_converter", lambda: Pathological(real()))
    root = make_site({STORY: fm("titolo: Prova", "data: 2025-01-01", body="a\n: RECURSE\n")})
    code, out = run(["--jobs", "1"], cwd=root)
    assert code == 1, out
    assert f"{STORY}:5: elenchi, citazioni o definizioni annidati troppo in profondità" in out
    assert "Traceback" not in out and not (root / "site").exists()


def test_a_body_that_is_still_too_slow_is_stopped_by_the_time_limit(make_site, run, monkeypatch):
    from portale.content import markup

    real = markup._converter
    monkeypatch.setattr(markup, "_converter", lambda: Pathological(real()))
    monkeypatch.setattr(markup, "RENDER_SECONDS", 0.01)
    root = make_site({STORY: fm("titolo: Prova", "data: 2025-01-01", body="Un testo SLOW da impaginare.")})
    code, out = run(["--jobs", "1"], cwd=root)
    assert code == 1, out
    assert f"{STORY}:5: il testo richiede troppo tempo per essere impaginato (più di 0.01 secondi)" in out
    assert "Traceback" not in out and not (root / "site").exists()
