"""Search, as a reader uses it: the real Pagefind index, in a real headless Chromium, against a
small site built in tmp_path and served on 127.0.0.1."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import BASE_FILES, build_digest, person_md, story_md, territory_md, write_project
from portale import cli, search

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

SEARCH_FILES = {
    "content/aurora/storie/officina.md": story_md(
        "Un’officina in cortile",
        date="2024-06-10",
        body="Nel cortile è nata un’officina dove si aggiustano biciclette. Il lampionaio Gino racconta la città di una volta.",
    ),
    "content/aurora/storie/archivio.md": story_md(
        "L’archivio della portineria",
        date="2023-02-01",
        extra="tag: [memoria]\n",
        body="Abbiamo riordinato l’archivio con gli studenti dell’università: fotografie, lettere e verbali.",
    ),
    "content/aurora/storie/segreta.md": story_md("Una storia non finita", extra="bozza: true\n", body="Una parola da non trovare: zanzibarite."),
    "content/aurora/persone/marta.md": person_md("Marta Bianchi", "[sartoria, panificazione]", body="Ha lavorato quarant’anni in una sartoria di via Po."),
    "content/dora/storie/mercato.md": story_md("Il mercato del giovedì", date="2025-09-01", body="Al mercato del quartiere la gente si incontra e scambia due parole."),
}


def build(root: Path) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        code = cli.main([], root=root)
    assert code == 0, buffer.getvalue()
    return buffer.getvalue()


@contextlib.contextmanager
def static_server(folder: Path):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One site for every test that only reads it: (project root, build output)."""
    root = tmp_path_factory.mktemp("cerca") / "progetto"
    write_project(root, {**BASE_FILES, **SEARCH_FILES})
    return root, build(root)


@pytest.fixture(scope="module")
def base(built):
    with static_server(built[0] / "site") as url:
        yield url


def results(page, url: str) -> list[str]:
    """Open a search page and return the titles of its results, once the search has run."""
    page.goto(url)
    expect(page.locator("#cerca-risultati")).to_have_attribute("aria-busy", "false")
    return page.locator(".risultato h2").all_inner_texts()


# --- the index ------------------------------------------------------------------------------


def test_every_territory_has_its_own_bundle_and_the_summary_counts_it(built):
    root, out = built
    for territory in ("aurora", "dora"):
        assert (root / "site" / territory / "pagefind/pagefind.js").is_file()
        assert (root / "site" / territory / "pagefind/pagefind-entry.json").is_file()
    # aurora: 3 stories (not the draft), 3 people, 1 need, 4 saperi offered or asked; dora: 2 stories
    assert re.search(r"aurora\s+\d+ pagine, 11 pagine nella ricerca", out), out
    assert re.search(r"dora\s+\d+ pagine, 2 pagine nella ricerca", out), out
    assert re.search(r"Indice di ricerca \(Pagefind\): 13 pagine in \d+\.\d s", out), out


def test_a_large_archive_indexed_one_territory_at_a_time_gets_the_same_site_and_search(make_site, run, tmp_path, monkeypatch):
    # a budget of one page: no territory may be indexed beside another, as with large territories (memory)
    root = make_site({f"content/dora/storie/storia-{i}.md": story_md(f"Storia {i}", body=f"Testo {i}.") for i in range(5)})
    code, side_by_side = run(["--oggi", "2026-06-01", "--output", str(tmp_path / "insieme")], cwd=root)
    assert code == 0, side_by_side
    monkeypatch.setattr(search, "SIDE_BY_SIDE_PAGES", 1)
    code, one_by_one = run(["--oggi", "2026-06-01", "--output", str(tmp_path / "uno-per-volta")], cwd=root)
    assert code == 0, one_by_one
    assert build_digest(tmp_path / "insieme") == build_digest(tmp_path / "uno-per-volta")
    counts = [line for line in one_by_one.splitlines() if "nella ricerca" in line]
    assert len(counts) >= 2 and counts == [line for line in side_by_side.splitlines() if "nella ricerca" in line]


def test_elisions_are_split_only_between_letters():
    assert search.prepare_page("<p>l’archivio dell’università</p>") == "<p>l'archivio dell'università</p>"
    assert search.prepare_page("<p>«la ‘casa’ di tutti»</p>") == "<p>«la ‘casa’ di tutti»</p>"


def test_pagefind_reads_the_editors_text_last_and_whole():
    """A line added to a story moves the words after it in Pagefind's index: with the text last, the people named
    and the themes keep their places (and the index chunks holding them are not written again)."""
    page = (
        '<html><body><nav>Menu</nav><article data-pagefind-body><h1>Titolo</h1><div class="testo"><p>Uno</p>'
        '<div class="nota">Due</div><p>Tre</p></div><section><h2>Chi compare</h2></section><p class="temi">Temi</p>'
        "</article><footer>Piede</footer></body></html>"
    )
    prepared = search.prepare_page(page)
    assert "Menu" not in prepared and "Piede" not in prepared
    assert '<h1>Titolo</h1><section><h2>Chi compare</h2></section><p class="temi">Temi</p><div class="testo"><p>Uno</p><div class="nota">Due</div><p>Tre</p></div></article>' in prepared
    # a page without the editor's text is read as it is
    assert "<h1>Rete</h1><p>Elenco</p></article>" in search.prepare_page("<article data-pagefind-body><h1>Rete</h1><p>Elenco</p></article>")
