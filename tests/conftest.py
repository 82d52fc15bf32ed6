"""Shared fixtures: `make_site(files)` writes a small project under tmp_path; `run(argv, cwd)`
calls the CLI in-process and returns (exit code, everything it printed)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import textwrap
from pathlib import Path

import pytest

from portale import cli

PORTALE = """\
titolo: Portale dei Saperi
sottotitolo: Rete delle Portinerie di comunità
descrizione: Storie, persone e saperi dei territori.
base_url: https://saperi.example.org/
lingua: it
"""

SAPERI = """\
categorie:
  - slug: cucina-e-alimentazione
    nome: Cucina e alimentazione
    saperi:
      - slug: cucina-etnica
        nome: Cucina etnica
        descrizione: Ricette dei paesi d’origine.
        sinonimi: [cucina del mondo]
      - slug: panificazione
        nome: Panificazione
        sinonimi: [pane, forno]
  - slug: riparazioni
    nome: Riparazioni e manualità
    saperi:
      - slug: riparazione-biciclette
        nome: Riparazione biciclette
        sinonimi: [ciclofficina]
      - slug: sartoria
        nome: Sartoria
        sinonimi: [cucito]
"""


def territory_md(name: str = "Aurora", comune: str = "Torino", lat: float = 45.08, lon: float = 7.69) -> str:
    return f"""\
---
nome: {name}
comune: {comune}
tipo: quartiere
coordinate: {{lat: {lat}, lon: {lon}}}
portinerie:
  - nome: Portineria di comunità {name}
    indirizzo: Via Esempio 1, Torino
    orari: lunedì–venerdì 9–13
    contatti:
      telefono: "011 000 0001"
      email: portineria@example.org
---
La portineria di {name}.
"""


def story_md(
    title: str, date: str = "2025-03-01", persone: str = "[]", extra: str = "", body: str = "Una storia del quartiere."
) -> str:
    return f"---\ntitolo: {title}\ndata: {date}\npersone: {persone}\n{extra}---\n{body}\n"


def person_md(name: str, saperi: str = "[]", extra: str = "", body: str = "Una biografia.") -> str:
    return f"---\nnome: {name}\ntipo: persona\nconsenso: {{data: 2025-01-10, riferimento: modulo 1, ambito: [web]}}\nsaperi: {saperi}\n{extra}---\n{body}\n"


def org_md(name: str, saperi: str = "[]", extra: str = "", body: str = "Un'associazione.") -> str:
    return f"---\nnome: {name}\ntipo: organizzazione\ncategoria: terzo-settore\nsaperi: {saperi}\n{extra}---\n{body}\n"


def need_md(title: str, saperi: str, extra: str = "", date: str = "2026-09-01") -> str:
    return f"---\ntitolo: {title}\ndata: {date}\nsaperi: {saperi}\n{extra}---\nCerchiamo aiuto.\n"


BASE_FILES = {
    "content/portale.yml": PORTALE,
    "content/saperi.yml": SAPERI,
    "content/aurora/territorio.md": territory_md("Aurora"),
    "content/aurora/persone/anna-rossi.md": person_md("Anna Rossi", "[cucina-etnica]"),
    "content/aurora/persone/ciclofficina.md": org_md("Ciclofficina Aurora", "[riparazione-biciclette]"),
    "content/aurora/storie/la-festa.md": story_md(
        "La festa di via Como", persone="[anna-rossi, ciclofficina]", extra="tag: [festa, cucina]\n"
    ),
    "content/aurora/bisogni/biciclette.md": need_md("Biciclette per i ragazzi", "[riparazione-biciclette]"),
    "content/dora/territorio.md": territory_md("Dora", lat=45.09, lon=7.67),
    "content/dora/storie/il-parco.md": story_md("Il parco Dora", persone="[aurora/anna-rossi]", extra="tag: [parco]\n"),
}


@pytest.fixture
def make_site(tmp_path: Path):
    """make_site(files, base=True) -> project root. Values are dedented; None removes a base file."""

    def make(files: dict[str, str | bytes | None] | None = None, base: bool = True) -> Path:
        root = tmp_path / "progetto"
        write_project(root, {**(BASE_FILES if base else {}), **(files or {})})
        return root

    return make


def write_project(root: Path, files: dict[str, str | bytes | None]) -> None:
    """Write `files` ({path: text}) under `root`: texts are dedented, bytes written as they are, None removes."""
    for rel, text in files.items():
        path = root / rel
        if text is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def run():
    def run_cli(argv: list[str], cwd: Path) -> tuple[int, str]:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            code = cli.main(argv, root=cwd)
        return code, buffer.getvalue()

    return run_cli


def tree_digest(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under folder: to assert a site is byte-identical."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build_digest(folder: Path) -> dict[str, str]:
    """Every file of a built site, Pagefind's bundles included: Pagefind 1.5 writes its filter index in
    a different order on every run, and portale.search.order sorts it, so two builds are byte-identical."""
    return tree_digest(folder)


def read(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


# --- browser tests -------------------------------------------------------------------------
# Debian's chromium driven by Playwright; never a browser download.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="it-IT")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def serve_dir():
    """serve_dir(folder) -> base URL of a static server on 127.0.0.1 serving that folder."""
    import functools
    import http.server
    import threading

    servers = []

    def start(folder: Path) -> str:
        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        handler = functools.partial(Handler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def site_files_text(folder: Path) -> dict[str, str]:
    """{relative path: text} of every file under folder, gzip members (Pagefind's fragments and
    indexes) decompressed, so that a test can grep everything a reader could download. The web editor's vendored
    scripts (admin/*.js, the same bytes on every site, made from no content) are left out; its config.yml and
    schemas, which are made from the content, are in."""
    import gzip
    import zlib

    out = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix in (".js", ".wasm") and path.relative_to(folder).parts[0] == "admin":
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError, zlib.error):
                pass
        out[path.relative_to(folder).as_posix()] = data.decode("utf-8", errors="replace")
    return out
