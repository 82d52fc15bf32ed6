"""The analogical dictionary: content/parole.yml checked line by line, the derived relations, word pages per territory
and for the network, itineraries, matching by affinity, search by synonym and by broader word, `parole suggerisci`,
the SKOS export read back by rdflib, and the old tag addresses."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import rdflib
from conftest import SAPERI, need_md, person_md, story_md, territory_md, tree_digest
from playwright.sync_api import expect
from rdflib.namespace import FOAF, SKOS

TODAY = ["--oggi", "2026-06-01"]
BASE = "https://saperi.example.org/"

PAROLE = """\
# Il dizionario delle prove
parole:
  - parola: Lana
    descrizione: La fibra del vello delle pecore.
    sinonimi: [vello]
    specifiche: [alpaca]
    correlate: [cotone]
  - parola: Alpaca
  - parola: Cotone
  - parola: Sartoria
    sinonimi: [cucito]
    correlate: [lana]
  - parola: Cucina
    specifiche: [pane]
  - parola: Pane
    sinonimi: [panificazione, forno]
    correlate: [festa]
  - parola: Festa
  - parola: Parco
"""

SAPERI_WITH_WORDS = (
    SAPERI.replace(
        "        sinonimi: [cucina del mondo]\n", "        sinonimi: [cucina del mondo]\n        parole: [cucina]\n"
    )
    + """\
  - slug: feste
    nome: Feste e forni
    saperi:
      - slug: forno-a-legna
        nome: Forno a legna
        parole: [pane]
      - slug: animazione
        nome: Animazione delle feste
        parole: [festa]
"""
)

DICTIONARY_SITE = {
    "content/parole.yml": PAROLE,
    "content/saperi.yml": SAPERI_WITH_WORDS,
    "content/aurora/storie/il-maglione.md": story_md(
        "Il maglione di alpaca", persone="[anna-rossi]", extra="tag: [alpaca, festa]\n"
    ),
    "content/aurora/storie/la-festa.md": story_md(
        "La festa di via Como", persone="[anna-rossi, ciclofficina]", extra="tag: [festa, cucina]\n"
    ),
    "content/dora/storie/il-parco.md": story_md("Il parco Dora", extra="tag: [lana, parco]\n"),
    "content/dora/persone/marco.md": person_md("Marco Forno", "[forno-a-legna]", extra="tag: [pane]\n"),
    "content/aurora/persone/gino.md": person_md("Gino Allegri", "[animazione]"),
    "content/aurora/bisogni/pane.md": need_md("Pane per la festa", "[panificazione]", extra="tag: [forno]\n"),
}


def build(make_site, run, files=None, argv=()):
    root = make_site({**DICTIONARY_SITE, **(files or {})})
    code, out = run([*TODAY, *argv], cwd=root)
    assert code == 0, out
    return root, out


def read(root: Path, rel: str) -> str:
    return (root / "site" / rel).read_text(encoding="utf-8")


def section(html: str, heading_id: str) -> str:
    """The HTML of the <section> whose heading has `heading_id`."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def resolves(root: Path, page_rel: str, link: str) -> bool:
    """A link of site/<page_rel> leads to a page of the built site (absolute links to base_url included)."""
    absolute = urljoin(BASE + page_rel, link)
    if not absolute.startswith(BASE):
        return False
    rel = urlsplit(absolute).path[len(urlsplit(BASE).path) :]
    target = root / "site" / rel
    return (target / "index.html").is_file() if rel.endswith("/") or not rel else target.is_file()


# --- the dictionary file: every rule, with its line, a suggestion, a failing exit and nothing written ---


@pytest.mark.parametrize(
    "dictionary, expected",
    [
        (
            PAROLE.replace("specifiche: [alpaca]", "specifiche: [alpacca]"),
            r'content/parole\.yml:3: in specifiche di "Lana": la parola "alpacca" non è nel dizionario — forse "alpaca"\? \(riga 8',
        ),
        (
            PAROLE.replace("correlate: [cotone]", "correlate: [cotton]"),
            r'content/parole\.yml:3: in correlate di "Lana": la parola "cotton" non è nel dizionario — forse "cotone"\?',
        ),
        (
            PAROLE.replace("  - parola: Alpaca\n", "  - parola: Alpaca\n    specifiche: [lana]\n"),
            r"content/parole\.yml:3: le specifiche tornano al punto di partenza: lana \(riga 3\) → alpaca \(riga 8\) → lana",
        ),
        (
            PAROLE.replace("  - parola: Parco\n", "  - parola: Parco\n  - parola: Cucito\n"),
            r'content/parole\.yml:\d+: "Cucito" appartiene già alla parola "Sartoria" \(riga 10\)',
        ),
        (
            PAROLE.replace("  - parola: Parco\n", "  - parola: Parco\n    sinonimi: [vello]\n"),
            r'content/parole\.yml:19: "vello" appartiene già alla parola "Lana" \(riga 3\)',
        ),
        (
            PAROLE.replace("  - parola: Parco\n", "  - parola: Parco\n  - parola: parco\n"),
            r'content/parole\.yml:20: la parola "parco" è già nel dizionario alla riga 19',
        ),
    ],
    ids=["unknown narrower", "unknown related", "cycle", "headword claimed twice", "synonym claimed twice", "twice"],
)
def test_a_wrong_dictionary_stops_the_build_with_its_line_and_nothing_is_written(make_site, run, dictionary, expected):
    root, _ = build(make_site, run)
    before = tree_digest(root / "site")
    make_site({**DICTIONARY_SITE, "content/parole.yml": dictionary})
    code, out = run(TODAY, cwd=root)
    assert code == 1, out
    assert re.search(expected, out), out
    assert "(guida: docs/guida-redazione.md#" in out
    assert tree_digest(root / "site") == before  # the last good site stays as it was
    code, out = run(["check"], cwd=root)
    assert code == 1 and re.search(expected, out), out


def test_a_sapere_naming_an_unknown_word_is_an_error_at_its_line_in_saperi_yml(make_site, run):
    saperi = SAPERI_WITH_WORDS.replace("parole: [festa]", "parole: [fessta]")
    root = make_site({**DICTIONARY_SITE, "content/saperi.yml": saperi})
    code, out = run(["check"], cwd=root)
    line = saperi.splitlines().index("        parole: [fessta]") + 1
    assert code == 1
    assert f'content/saperi.yml:{line}: parola sconosciuta "fessta" nelle parole del sapere "animazione"' in out
    assert 'forse "festa"?' in out


def test_a_tag_outside_the_dictionary_is_a_warning_with_its_line_and_still_works(make_site, run):
    root, out = build(
        make_site,
        run,
        {"content/aurora/storie/lanetta.md": story_md("Gomitoli", extra="tag: [festa, lanna]\n")},
    )
    assert (
        'content/aurora/storie/lanetta.md:5: avviso: il tag "lanna" non è nel dizionario (content/parole.yml) — '
        'forse "lana"?' in out
    )
    word = read(root, "aurora/parole/lanna/index.html")
    assert "Parola non ancora nel dizionario" in word and 'href="../../storie/lanetta/"' in word
    assert 'url=../../parole/lanna/"' in read(root, "aurora/tag/lanna/index.html")
    assert "lanna" in json.dumps(json.loads(read(root, "dati/storie.json")))  # the tag keeps working everywhere


def test_without_a_dictionary_tags_give_no_warning(make_site, run):
    root = make_site()
    code, out = run(["check"], cwd=root)
    assert code == 0 and "avviso" not in out, out


# --- relations and word pages ---


def field_of(html: str) -> dict[str, list[str]]:
    """{"Più generale": [labels], ...} of a word page's field."""
    found = {}
    for term, data in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", section(html, "sezione-campo"), re.S):
        found[term] = re.findall(r">([^<]+)</a>", data)
    return found


def test_more_general_is_derived_and_related_goes_both_ways(make_site, run):
    root, _ = build(make_site, run)
    assert field_of(read(root, "parole/lana/index.html")) == {
        "Più specifiche": ["Alpaca"],
        "Parole correlate": ["Cotone", "Sartoria"],
    }
    assert field_of(read(root, "parole/alpaca/index.html")) == {"Più generale": ["Lana"]}
    assert field_of(read(root, "parole/cotone/index.html")) == {"Parole correlate": ["Lana"]}  # typed on Lana only
    assert field_of(read(root, "parole/festa/index.html")) == {"Parole correlate": ["Pane"]}


def test_a_territory_word_page_lists_texts_with_the_word_or_a_more_specific_one_here_first(make_site, run):
    root, _ = build(make_site, run)
    html = read(root, "aurora/parole/lana/index.html")
    where = section(html, "sezione-dove")
    # Aurora's story carries only the more specific "alpaca"; Dora's carries "lana" itself
    assert 'href="../../storie/il-maglione/"' in where
    assert f'href="{BASE}dora/storie/il-parco/"' in where  # another territory: an absolute link
    assert where.index("Aurora") < where.index("Dora")
    assert "1 testo a Aurora, 2 nella rete" in html
    dora = section(read(root, "dora/parole/lana/index.html"), "sezione-dove")
    assert dora.index("Dora") < dora.index("Aurora")
    network = read(root, "parole/lana/index.html")
    assert 'href="../../aurora/storie/il-maglione/"' in network and 'href="../../dora/storie/il-parco/"' in network
    # the word's saperi, and the words of a person and a need
    assert "Forno a legna" in section(read(root, "dora/parole/pane/index.html"), "sezione-saperi")
    assert 'href="../../parole/pane/"' in read(root, "dora/persone/marco/index.html")
    assert re.search(r'href="../../parole/pane/"[^>]*>Pane</a>', read(root, "aurora/bisogni/pane/index.html"))  # forno


def test_each_territory_lists_its_words_and_the_network_lists_every_word_with_counts(make_site, run):
    root, _ = build(make_site, run)
    aurora = read(root, "aurora/parole/index.html")
    assert re.search(r'href="lana/">Lana</a> <span class="dati">\(1\)', aurora)  # through Alpaca
    assert "cotone/" not in aurora  # no text of Aurora carries it: no page there
    assert not (root / "site/aurora/parole/cotone").exists()
    network = read(root, "parole/index.html")
    assert re.search(r'href="cotone/">Cotone</a> <span class="dati">\(0\)', network)
    assert re.search(r'href="lana/">Lana</a> <span class="dati">\(2\)', network)
    # a word related to Lana but without a page in Aurora is linked to the network's page
    assert f'href="{BASE}parole/cotone/">Cotone</a>' in read(root, "aurora/parole/lana/index.html")


def test_neighbours_count_the_texts_two_words_share(make_site, run):
    root, _ = build(
        make_site, run, {"content/aurora/storie/cena.md": story_md("La cena", extra="tag: [festa, cucina]\n")}
    )
    vicine = section(read(root, "aurora/parole/festa/index.html"), "sezione-vicine")
    assert re.findall(r">([^<]+)</a> <span class=\"dati\">\((\d+)\)", vicine) == [("Cucina", "2"), ("Alpaca", "1")]


# --- itineraries ---


def itineraries(html: str, heading: str = "sezione-itinerari") -> list[list[tuple[str, str]]]:
    """Each itinerary as [(href, label), ...], word and text steps alternating."""
    found = []
    for item in re.findall(r"<li>(.*?)</li>", section(html, heading), re.S):
        found.append(re.findall(r'<a class="(?:parola|ponte)" href="([^"]+)">([^<]+)</a>', item))
    return found


def test_itineraries_go_through_different_people_and_every_step_is_a_link(make_site, run):
    files = {
        "content/aurora/persone/lia.md": person_md("Lia Verdi"),
        "content/aurora/storie/a.md": story_md("Prima", "2025-05-01", "[anna-rossi]", "tag: [festa, parco]\n"),
        "content/aurora/storie/b.md": story_md("Seconda", "2025-04-01", "[anna-rossi]", "tag: [festa, cotone]\n"),
        "content/aurora/storie/c.md": story_md("Terza", "2025-03-01", "[lia]", "tag: [festa, sartoria]\n"),
        "content/dora/storie/d.md": story_md("Quarta", "2025-02-01", extra="tag: [festa, lana]\n"),
    }
    root, _ = build(make_site, run, files)
    page = "aurora/parole/festa/"
    trips = itineraries(read(root, page + "index.html"))
    assert 4 <= len(trips) <= 8
    for trip in trips:
        assert len(trip) == 3 and trip[0][1] == "Festa"
        assert all(resolves(root, page, href) for href, _ in trip), trip
    bridges = [trip[1][1] for trip in trips]
    # newest first, but one person at a time: Anna's second story waits until Lia and Dora had their turn
    assert bridges[:3] == ["«Prima»", "«Quarta»", "«Terza»"]
    assert len({trip[2][1] for trip in trips}) == len(trips)  # every next word once


def test_the_network_offers_a_long_itinerary_across_three_territories(make_site, run):
    files = {
        "content/oulx/territorio.md": territory_md("Oulx", "Oulx", 45.03, 6.83),
        "content/aurora/storie/a.md": story_md("Lana e feste", extra="tag: [lana, festa]\n"),
        "content/dora/storie/b.md": story_md("La festa in cucina", extra="tag: [festa, cucina]\n"),
        "content/oulx/storie/c.md": story_md("Il pane di montagna", extra="tag: [cucina, pane]\n"),
    }
    root, _ = build(make_site, run, files)
    trips = [t for t in itineraries(read(root, "parole/index.html")) if len(t) >= 7]
    assert trips, read(root, "parole/index.html")
    places = {href.split("/")[3] for href, _ in trips[0][1::2]}  # the texts: ../<territory>/storie/...
    assert len(places) == 3, trips[0]
    assert all(resolves(root, "parole/", href) for href, _ in trips[0])
    first = read(root, "parole/index.html")
    code, _ = run(TODAY, cwd=root)
    assert code == 0 and read(root, "parole/index.html") == first  # the same content, the same trips


# --- matching by affinity ---


def test_affinity_ranks_same_word_then_broader_then_related_and_says_why(make_site, run):
    root, _ = build(make_site, run)
    html = read(root, "aurora/bisogni/pane/index.html")
    affine = html[html.index('id="sezione-affini"') :]
    names = re.findall(r'<li><a href="[^"]+">([^<]+)</a>', affine)
    # nobody offers Panificazione: Marco's Forno a legna shares "pane", Anna's Cucina etnica is "cucina" (more
    # general), Gino's Animazione delle feste is "festa" (associated)
    assert names == ["Marco Forno", "Anna Rossi", "Gino Allegri"]
    assert "«Cucina» è una parola più generale di «Pane»" in affine
    assert "«Festa» è una parola correlata a «Pane»" in affine
    assert "«Pane» è una parola anche di «Panificazione»" in affine
    assert "Per affinità" in html
    listing = read(root, "bisogni/index.html")
    assert "per affinità" in listing and "Marco Forno" in listing
    skill = read(root, "saperi/panificazione/index.html")
    assert "Per affinità" in skill and "Marco Forno" in skill


def test_within_a_rank_the_nearest_territory_comes_first(make_site, run):
    root, _ = build(make_site, run, {"content/aurora/persone/ugo.md": person_md("Zeno Forni", "[forno-a-legna]")})
    affine = read(root, "aurora/bisogni/pane/index.html").split('id="sezione-affini"')[1]
    names = re.findall(r'<li><a href="[^"]+">([^<]+)</a>', affine)
    assert names[:2] == ["Zeno Forni", "Marco Forno"]  # Aurora before Dora, though Marco comes first by name


def test_no_affinity_group_when_someone_offers_the_sapere_itself(make_site, run):
    root, _ = build(make_site, run, {"content/aurora/persone/ugo.md": person_md("Ugo Pane", "[panificazione]")})
    assert "Per affinità" not in read(root, "aurora/bisogni/pane/index.html")


# --- search knows the dictionary ---


def results(page, url: str) -> list[str]:
    page.goto(url)
    expect(page.locator("#cerca-risultati")).to_have_attribute("aria-busy", "false")
    return page.locator(".risultato h2").all_inner_texts()


def test_search_finds_texts_by_a_broader_word_and_word_pages_by_a_synonym(make_site, run, page, serve_dir):
    root, _ = build(make_site, run)
    base = serve_dir(root / "site")
    # "Il maglione di alpaca" is tagged alpaca only: a search for its broader word finds it
    assert "Il maglione di alpaca" in results(page, base + "aurora/cerca/?q=lana")
    assert "Il maglione di alpaca" in results(page, base + "cerca/?q=vello")  # the network search, a synonym
    assert "Lana" in results(page, base + "aurora/cerca/?q=vello")  # the word's own page
    assert "Lana" in results(page, base + "dora/cerca/?q=vello")
    assert "Pane per la festa" in results(page, base + "aurora/cerca/?q=cucina")  # tagged forno: pane, in cucina
    assert "Il parco Dora" not in results(page, base + "cerca/?q=alpaca")  # a broader word is not a narrower one


# --- suggestions for editors ---


def test_suggerisci_finds_inflected_dictionary_words_and_candidate_entries(make_site, run):
    body = (
        "Nel cortile si parla di tutto.\n\n"
        "La nonna filava le lane e cuciva i gomitoli.\n\n"
        "I gomitoli passavano di mano in mano, gomitoli colorati.\n"
    )
    root = make_site(
        {
            **DICTIONARY_SITE,
            "content/aurora/storie/i-gomitoli.md": story_md("I gomitoli", extra="tag: [festa]\n", body=body),
        }
    )
    code, out = run(["parole", "suggerisci", "content/aurora/storie/i-gomitoli.md"], cwd=root)
    assert code == 0, out
    assert "riga 9: «lane» → lana" in out  # the body starts on line 7
    assert "festa" not in out.split("Parole frequenti")[0]  # already tagged
    candidates = out.split("Parole frequenti")[1]
    assert "gomitoli (4 volte, riga 2)" in candidates  # the title counts, on its own line
    code, out = run(["parole", "suggerisci", "content/saperi.yml"], cwd=root)
    assert code == 2 and "solo per storie, persone e bisogni" in out


# --- open data ---


def test_the_skos_export_reads_back_with_rdflib(make_site, run):
    root, _ = build(make_site, run)
    graph = rdflib.Graph().parse(root / "site/dati/parole.jsonld", format="json-ld")

    def concept(slug):
        return rdflib.URIRef(f"{BASE}parole/{slug}/#concetto")

    lana, alpaca, cotone = concept("lana"), concept("alpaca"), concept("cotone")
    assert (lana, rdflib.RDF.type, SKOS.Concept) in graph
    assert (lana, SKOS.prefLabel, rdflib.Literal("Lana", lang="it")) in graph
    assert (lana, SKOS.altLabel, rdflib.Literal("vello", lang="it")) in graph
    assert (lana, SKOS.narrower, alpaca) in graph and (alpaca, SKOS.broader, lana) in graph
    assert (cotone, SKOS.related, lana) in graph and (lana, SKOS.related, cotone) in graph
    assert (lana, FOAF.page, rdflib.URIRef(f"{BASE}parole/lana/")) in graph
    assert len(set(graph.subjects(rdflib.RDF.type, SKOS.Concept))) == 8
    scheme = next(graph.subjects(rdflib.RDF.type, SKOS.ConceptScheme))
    assert (lana, SKOS.inScheme, scheme) in graph and (scheme, SKOS.hasTopConcept, lana) in graph
    rows = (root / "site/dati/parole.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "parola,parola_nome,sinonimi,piu_generali,piu_specifiche,correlate,testi,url"
    assert f"lana,Lana,vello,,alpaca,cotone sartoria,2,{BASE}parole/lana/" in rows


def test_drafts_and_people_without_consent_leave_no_trace_in_word_pages_or_counts(make_site, run):
    files = {
        "content/aurora/storie/segreta.md": story_md("Storia segretissima", extra="tag: [cotone]\nbozza: true\n"),
        "content/aurora/persone/nascosta.md": person_md("Nascosta Bianchi", extra="tag: [cotone]\n").replace(
            "ambito: [web]", "ambito: [ricerca]"
        ),
    }
    root, _ = build(make_site, run, files)
    assert not (root / "site/aurora/parole/cotone").exists()
    for path in root.joinpath("site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".jsonld", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert "segretissima" not in text and "Nascosta" not in text, path
    assert f"cotone,Cotone,,,,lana,0,{BASE}parole/cotone/" in read(root, "dati/parole.csv")
