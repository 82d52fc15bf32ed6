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

from portale import cli
from portale.search import index as search
from portale.search import mirror

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
    "content/aurora/storie/segreta.md": story_md(
        "Una storia non finita", extra="bozza: true\n", body="Una parola da non trovare: zanzibarite."
    ),
    "content/aurora/persone/marta.md": person_md(
        "Marta Bianchi", "[sartoria, panificazione]", body="Ha lavorato quarant’anni in una sartoria di via Po."
    ),
    "content/dora/storie/mercato.md": story_md(
        "Il mercato del giovedì",
        date="2025-09-01",
        body="Al mercato del quartiere la gente si incontra e scambia due parole.",
    ),
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


def test_a_large_archive_indexed_one_territory_at_a_time_gets_the_same_site_and_search(
    make_site, run, tmp_path, monkeypatch
):
    # a budget of one page: no territory may be indexed beside another, as with large territories (memory)
    root = make_site(
        {f"content/dora/storie/storia-{i}.md": story_md(f"Storia {i}", body=f"Testo {i}.") for i in range(5)}
    )
    code, side_by_side = run(["--oggi", "2026-06-01", "--output", str(tmp_path / "insieme")], cwd=root)
    assert code == 0, side_by_side
    monkeypatch.setattr(search, "SIDE_BY_SIDE_PAGES", 1)
    code, one_by_one = run(["--oggi", "2026-06-01", "--output", str(tmp_path / "uno-per-volta")], cwd=root)
    assert code == 0, one_by_one
    assert build_digest(tmp_path / "insieme") == build_digest(tmp_path / "uno-per-volta")
    counts = [line for line in one_by_one.splitlines() if "nella ricerca" in line]
    assert len(counts) >= 2 and counts == [line for line in side_by_side.splitlines() if "nella ricerca" in line]


def test_elisions_are_split_only_between_letters():
    assert mirror.prepare_page("<p>l’archivio dell’università</p>") == "<p>l'archivio dell'università</p>"
    assert mirror.prepare_page("<p>«la ‘casa’ di tutti»</p>") == "<p>«la ‘casa’ di tutti»</p>"


def test_pagefind_reads_the_editors_text_last_and_whole():
    """A line added to a story moves the words after it in Pagefind's index: with the text last, the people named
    and the themes keep their places (and the index chunks holding them are not written again)."""
    page = (
        '<html><body><nav>Menu</nav><article data-pagefind-body><h1>Titolo</h1><div class="testo"><p>Uno</p>'
        '<div class="nota">Due</div><p>Tre</p></div><section><h2>Chi compare</h2></section><p class="temi">Temi</p>'
        "</article><footer>Piede</footer></body></html>"
    )
    prepared = mirror.prepare_page(page)
    assert "Menu" not in prepared and "Piede" not in prepared
    assert (
        '<h1>Titolo</h1><section><h2>Chi compare</h2></section><p class="temi">Temi</p><div class="testo"><p>Uno</p><div class="nota">Due</div><p>Tre</p></div></article>'
        in prepared
    )
    # a page without the editor's text is read as it is
    assert "<h1>Rete</h1><p>Elenco</p></article>" in mirror.prepare_page(
        "<article data-pagefind-body><h1>Rete</h1><p>Elenco</p></article>"
    )


# --- a territory's search page ----------------------------------------------------------------


def test_a_word_of_one_story_finds_that_story(page, base):
    assert results(page, base + "aurora/cerca/?q=lampionaio") == ["Un’officina in cortile"]


def test_query_in_the_address_prefills_the_form_and_runs(page, base):
    titles = results(page, base + "aurora/cerca/?q=lampionaio")
    assert page.get_by_label("Che cosa cerchi?").input_value() == "lampionaio"
    assert titles and page.locator("#cerca-stato").inner_text() == "1 risultato per «lampionaio»."


def test_an_inflected_form_finds_the_story(page, base):
    assert "Un’officina in cortile" in results(page, base + "aurora/cerca/?q=bicicletta")


def test_elided_words_are_found_and_shown_with_the_typographic_apostrophe(page, base):
    assert results(page, base + "aurora/cerca/?q=archivio") == ["L’archivio della portineria"]
    assert "l’archivio" in page.locator(".risultato .estratto").inner_text()
    assert results(page, base + "aurora/cerca/?q=università") == ["L’archivio della portineria"]
    assert results(page, base + "aurora/cerca/?q=officina") == ["Un’officina in cortile"]


def test_a_query_typed_with_the_typographic_apostrophe_finds_the_elision(page, base):
    assert results(page, base + "aurora/cerca/?q=l’archivio") == ["L’archivio della portineria"]


def test_a_word_found_nowhere_finds_nothing(page, base):
    # Pagefind alone would answer "estate" with every page holding "e" or "è" (its fallback to
    # the longest indexed piece of an unknown word); the page must say there is nothing
    assert results(page, base + "aurora/cerca/?q=estate") == []
    assert results(page, base + "aurora/cerca/?q=esta") == []


def test_accents_are_optional(page, base):
    assert "Un’officina in cortile" in results(page, base + "aurora/cerca/?q=citta")


def test_a_synonym_of_a_sapere_finds_who_offers_it(page, base):
    # saperi.yml: panificazione has the synonyms "pane" and "forno", sartoria has "cucito";
    # Marta's page never writes these words
    assert sorted(results(page, base + "aurora/cerca/?q=forno")) == [
        "Marta Bianchi",
        "Panificazione",
    ]  # and the sapere's page
    assert results(page, base + "aurora/cerca/?q=forno&tipo=persona") == ["Marta Bianchi"]
    assert page.get_by_label("Tipo").input_value() == "persona"
    assert page.locator(".risultato .dati").inner_text() == "Persona · Aurora"
    assert {"Marta Bianchi", "Sartoria"} <= set(results(page, base + "aurora/cerca/?q=cucito"))


def test_a_draft_is_never_found(page, base):
    assert results(page, base + "aurora/cerca/?q=zanzibarite") == []
    assert "Nessun risultato" in page.locator("#cerca-stato").inner_text()
    assert results(page, base + "cerca/?q=zanzibarite") == []


def test_menus_and_footers_are_not_indexed(page, base):
    # every page's footer, and the contact line of a sapere's page, name the portineria's street, "Via Esempio"
    assert results(page, base + "aurora/cerca/?q=esempio") == []


def test_results_show_kind_date_territory_and_excerpt(page, base):
    results(page, base + "aurora/cerca/?q=lampionaio")
    assert page.locator(".risultato .dati").inner_text() == "Storia · 10 giugno 2024 · Aurora"
    assert page.locator(".risultato mark").inner_text() == "lampionaio"
    page.locator(".risultato a").click()
    assert page.url.endswith("/aurora/storie/officina/")


def test_search_page_fits_a_phone_and_loads_nothing_from_another_host(page, base):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    results(page, base + "aurora/cerca/?q=quartiere")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert hosts == {"127.0.0.1"}


def test_the_search_form_on_every_page_leads_to_the_search(page, base):
    page.goto(base + "aurora/storie/archivio/")
    page.get_by_role("search").get_by_label("Cerca in Aurora").fill("lampionaio")
    page.get_by_role("search").get_by_role("button", name="Cerca").click()
    expect(page.locator("#cerca-risultati")).to_have_attribute("aria-busy", "false")
    assert urlsplit(page.url).path == "/aurora/cerca/"
    assert page.locator(".risultato h2").all_inner_texts() == ["Un’officina in cortile"]


def test_without_javascript_the_page_says_so_and_links_the_lists(browser, base):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    try:
        tab = context.new_page()
        tab.goto(base + "aurora/cerca/?q=festa")
        assert "La ricerca ha bisogno di JavaScript" in tab.locator("main").inner_text()
        for name, path in [
            ("storie", "/aurora/storie/"),
            ("persone e organizzazioni", "/aurora/persone/"),
            ("saperi", "/aurora/saperi/"),
            ("bisogni", "/aurora/bisogni/"),
        ]:
            link = tab.get_by_role("link", name=name, exact=True)
            assert urlsplit(link.evaluate("a => a.href")).path == path
    finally:
        context.close()


# --- the network search ------------------------------------------------------------------------


def test_network_search_finds_stories_of_two_territories(page, base):
    titles = results(page, base + "cerca/?q=quartiere")
    assert "La festa di via Como" in titles  # aurora
    assert "Il mercato del giovedì" in titles and "Il parco Dora" in titles  # dora
    link = page.get_by_role("link", name="Il mercato del giovedì")
    assert urlsplit(link.evaluate("a => a.href")).path == "/dora/storie/mercato/"


def test_network_search_does_not_pad_results_with_pieces_of_the_word(page, base):
    # "lampionaio" is only in Aurora; Dora's index alone would answer with its pages holding "la"
    assert results(page, base + "cerca/?q=lampionaio") == ["Un’officina in cortile"]
    assert results(page, base + "cerca/?q=lampionaio&ordine=data") == ["Un’officina in cortile"]


def test_a_territory_filter_narrows_the_results(page, base):
    before = results(page, base + "cerca/?q=quartiere")
    page.get_by_text("Filtra e ordina").click()
    page.get_by_label("Territorio").select_option("Dora")
    page.wait_for_url(re.compile(r"territorio=Dora"))
    expect(page.locator(".risultato")).to_have_count(2)
    assert sorted(page.locator(".risultato h2").all_inner_texts()) == ["Il mercato del giovedì", "Il parco Dora"]
    assert len(before) > 2
    assert all(line.endswith("· Dora") for line in page.locator(".risultato .dati").all_inner_texts())


def test_results_can_be_sorted_by_date_across_territories(page, base):
    titles = results(page, base + "cerca/?q=quartiere&ordine=data")
    assert page.get_by_label("Ordina").input_value() == "data"
    dates = {
        "Il mercato del giovedì": 3,
        "La festa di via Como": 2,
        "Il parco Dora": 2,
        "L’archivio della portineria": 0,
    }
    order = [dates[t] for t in titles if t in dates]
    assert order == sorted(order, reverse=True), titles


# --- rebuilding ------------------------------------------------------------------------------------


def test_a_deleted_story_is_gone_from_search_after_a_rebuild(make_site, run, serve_dir, page):
    root = make_site({"content/aurora/storie/effimera.md": story_md("Effimera", body="Una festa col mangiafuoco.")})
    code, out = run([], cwd=root)
    assert code == 0, out
    base_url = serve_dir(root / "site")
    assert results(page, base_url + "aurora/cerca/?q=mangiafuoco") == ["Effimera"]
    fragments = len(list((root / "site/aurora/pagefind/fragment").iterdir()))

    (root / "content/aurora/storie/effimera.md").unlink()
    code, out = run([], cwd=root)
    assert code == 0, out
    assert results(page, base_url + "aurora/cerca/?q=mangiafuoco") == []
    assert results(page, base_url + "cerca/?q=mangiafuoco") == []
    assert len(list((root / "site/aurora/pagefind/fragment").iterdir())) == fragments - 1  # no stale fragment


def test_a_territory_with_nothing_published_says_so_and_the_network_still_searches(make_site, run, serve_dir, page):
    root = make_site({"content/vanchiglia/territorio.md": territory_md("Vanchiglia", lat=45.07, lon=7.70)})
    code, out = run([], cwd=root)
    assert code == 0, out
    assert re.search(r"vanchiglia\s+\d+ pagine, 0 pagine nella ricerca", out), out
    assert not (root / "site/vanchiglia/pagefind").exists()
    base_url = serve_dir(root / "site")
    page.goto(base_url + "vanchiglia/cerca/?q=festa")
    expect(page.locator("#cerca-stato")).to_contain_text("Qui non c’è ancora niente da cercare")
    assert not page.locator("#cerca-senza-js").is_visible()  # JavaScript works: no message about it
    assert results(page, base_url + "cerca/?q=festa") == ["La festa di via Como"]


def test_a_result_shows_the_story_image_from_the_story_folder(make_site, run, page):
    """The index reads a copy of each page kept in the build cache; the result must still link to the page and load
    its image from the page's own folder."""
    from media_samples import photo_with_gps

    root = make_site(
        {
            "content/aurora/storie/la-festa.md": None,
            "content/aurora/storie/la-festa/index.md": story_md(
                "La festa di via Como",
                extra="immagine: {file: banco.jpg, alt: Le bancarelle}\n",
                body="Bancarelle e musica in cortile.",
            ),
            "content/aurora/storie/la-festa/banco.jpg": photo_with_gps(),
        }
    )
    code, out = run(["--oggi", "2026-06-01"], cwd=root)
    assert code == 0, out
    with static_server(root / "site") as url:
        assert results(page, url + "aurora/cerca/?q=bancarelle") == ["La festa di via Como"]
        image = page.locator(".risultato img")
        assert urlsplit(image.evaluate("img => img.src")).path.startswith("/aurora/storie/la-festa/banco-")
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0  # found and decoded, not a broken image
        assert urlsplit(page.locator(".risultato a").evaluate("a => a.href")).path == "/aurora/storie/la-festa/"


# --- other clients of the bundles ---------------------------------------------------------------

DEFAULT_UI_PAGE = """<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><title>Partner</title>
<link rel="stylesheet" href="{bundle}pagefind-ui.css"><script src="{bundle}pagefind-ui.js"></script></head>
<body><div id="ricerca"></div>
<script>new PagefindUI({{element: "#ricerca", bundlePath: "{bundle}"{merge}}});</script></body></html>"""


@pytest.mark.parametrize("where", ["territory", "merged"])
def test_pagefinds_default_ui_links_each_result_to_its_page(built, base, page, where):
    """A partner's page with Pagefind's own Default UI (shipped in every bundle) over one territory's bundle, or over
    the network with a second territory merged in (`mergeIndex`): the first result leads to a page that exists."""
    site = built[0] / "site"
    bundle, merge = "/aurora/pagefind/", ""
    if where == "merged":
        bundle, merge = "/dora/pagefind/", ', mergeIndex: [{bundlePath: "/aurora/pagefind/"}]'
    (site / f"partner-{where}.html").write_text(DEFAULT_UI_PAGE.format(bundle=bundle, merge=merge), encoding="utf-8")
    page.goto(f"{base}partner-{where}.html")
    page.fill(".pagefind-ui__search-input", "lampionaio")
    first = page.locator(".pagefind-ui__result-link").first
    expect(first).to_contain_text("officina in cortile")  # the index reads elisions with a straight apostrophe
    href = first.get_attribute("href")
    assert href == "/aurora/storie/officina/"
    first.click()
    expect(page.locator("h1")).to_have_text("Un’officina in cortile")
    assert urlsplit(page.url).path == href
