"""Atom feeds, sitemaps, robots.txt, canonical links, OpenGraph, JSON-LD and the 404 pages."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import read, story_md, tree_digest, write_project

A = "{http://www.w3.org/2005/Atom}"
S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://saperi.example.org/"

EXTRA = {
    "content/aurora/storie/vecchia.md": story_md(
        "Una storia vecchia", date="2024-06-10", extra="sommario: Di tanti anni fa.\n"
    ),
    "content/aurora/storie/bozza.md": story_md("Storia in bozza", date="2025-12-01", extra="bozza: true\n"),
    "content/aurora/storie/titolo-ostile.md": story_md(
        "Il trucco </script><script>alert(1)</script>", date="2025-01-05"
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One small site built once; the tests only read it."""
    import contextlib
    import io

    from conftest import BASE_FILES

    from portale import cli

    root = tmp_path_factory.mktemp("feeds")
    write_project(root, {**BASE_FILES, **EXTRA})
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["--oggi", "2026-01-01"], root=root) == 0
    return root / "site"


def jsonld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_territory_feed_is_atom_with_its_stories_newest_first(site):
    feed = ET.fromstring((site / "aurora/feed.xml").read_bytes())
    assert feed.tag == A + "feed"
    assert feed.find(A + "id").text == BASE + "aurora/feed.xml"
    assert feed.find(A + "updated").text == "2025-03-01T00:00:00Z"  # the newest published story, not the clock
    assert feed.find(A + "author/" + A + "name").text == "Portineria di comunità Aurora"
    entries = feed.findall(A + "entry")
    assert [e.find(A + "title").text for e in entries] == [
        "La festa di via Como",
        "Il trucco </script><script>alert(1)</script>",
        "Una storia vecchia",
    ]
    first = entries[0]
    assert first.find(A + "id").text == BASE + "aurora/storie/la-festa/"
    assert first.find(A + "link").get("href") == BASE + "aurora/storie/la-festa/"
    assert first.find(A + "updated").text == "2025-03-01T00:00:00Z"
    assert "Una storia del quartiere." in first.find(A + "content").text
    assert entries[2].find(A + "summary").text == "Di tanti anni fa."
    assert {c.get("term") for c in first.findall(A + "category")} == {"festa", "cucina"}


def test_network_feed_has_every_territory_and_no_drafts(site):
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    titles = [e.find(A + "title").text for e in feed.findall(A + "entry")]
    assert "Il parco Dora (Dora)" in titles and "La festa di via Como (Aurora)" in titles
    assert not any("bozza" in t for t in titles)
    assert len({e.find(A + "id").text for e in feed.findall(A + "entry")}) == len(titles)


def test_sitemaps_list_pages_with_absolute_urls(site):
    network = [u.find(S + "loc").text for u in ET.fromstring((site / "sitemap.xml").read_bytes())]
    assert BASE in network and BASE + "aurora/storie/la-festa/" in network and BASE + "dora/storie/il-parco/" in network
    assert not any("bozza" in u or u.endswith("404.html") for u in network)
    aurora = ET.fromstring((site / "aurora/sitemap.xml").read_bytes())
    urls = {u.find(S + "loc").text: u.find(S + "lastmod") for u in aurora}
    assert all(u.startswith(BASE + "aurora/") for u in urls)
    assert urls[BASE + "aurora/storie/la-festa/"].text == "2025-03-01"
    robots = (site / "robots.txt").read_text()
    assert f"Sitemap: {BASE}sitemap.xml" in robots and "Disallow: /" not in robots


def test_story_page_has_canonical_opengraph_and_article_jsonld(site):
    html = read(site, "aurora/storie/la-festa/index.html")
    assert f'<link rel="canonical" href="{BASE}aurora/storie/la-festa/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="La festa di via Como">' in html
    assert '<link rel="alternate" type="application/atom+xml" title="Storie di Aurora" href="../../feed.xml">' in html
    data = jsonld(html)
    assert data["@type"] == "Article" and data["headline"] == "La festa di via Como"
    assert data["datePublished"] == "2025-03-01" and data["url"] == BASE + "aurora/storie/la-festa/"
    assert {m["name"] for m in data["mentions"]} == {"Anna Rossi", "Ciclofficina Aurora"}


def test_jsonld_cannot_be_closed_by_a_title(site):
    html = read(site, "aurora/storie/titolo-ostile/index.html")
    assert html.count("<script") == 1  # only the JSON-LD block
    assert jsonld(html)["headline"] == "Il trucco </script><script>alert(1)</script>"


def test_person_and_organisation_jsonld_carry_no_contacts(site):
    person = jsonld(read(site, "aurora/persone/anna-rossi/index.html"))
    assert person["@type"] == "Person" and person["name"] == "Anna Rossi"
    assert person["knowsAbout"] == ["Cucina etnica"]
    assert not {"email", "telephone", "address"} & set(person)
    org = jsonld(read(site, "aurora/persone/ciclofficina/index.html"))
    assert org["@type"] == "Organization"


def test_territory_is_a_place_with_its_portineria(site):
    graph = jsonld(read(site, "aurora/index.html"))["@graph"]
    place, portineria = graph
    assert place["@type"] == "Place" and place["name"] == "Aurora"
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 45.08, "longitude": 7.69}
    assert portineria["@type"] == "Organization" and portineria["name"] == "Portineria di comunità Aurora"
    assert portineria["address"]["streetAddress"] == "Via Esempio 1, Torino"
    home = jsonld(read(site, "index.html"))["@graph"]
    assert {item["@type"] for item in home} == {"WebSite", "Organization"}


def test_404_pages_link_with_absolute_urls(site):
    for rel, home in [("404.html", BASE), ("aurora/404.html", BASE + "aurora/")]:
        html = read(site, rel)
        assert "<h1>Pagina non trovata</h1>" in html
        assert '<meta name="robots" content="noindex">' in html
        assert f'href="{home}"' in html and f'href="{home}assets/style.css"' in html
        assert not re.search(r'(?:href|src)="(?!https?:|#|mailto:|tel:)', html), rel


def test_preview_with_drafts_is_never_indexed(make_site, run):
    root = make_site(EXTRA)
    assert run(["--bozze"], cwd=root)[0] == 0
    assert (root / "site/robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    assert '<meta name="robots" content="noindex">' in read(root, "site/aurora/storie/la-festa/index.html")
    feed = (root / "site/aurora/feed.xml").read_text()
    assert "Storia in bozza" not in feed


def test_feeds_do_not_change_between_builds_on_different_days(make_site, run):
    root = make_site()
    assert run(["--output", "a", "--oggi", "2026-01-01"], cwd=root)[0] == 0
    assert run(["--output", "b", "--oggi", "2026-01-02"], cwd=root)[0] == 0
    a, b = tree_digest(root / "a"), tree_digest(root / "b")
    for name in ["feed.xml", "sitemap.xml", "robots.txt", "aurora/feed.xml", "aurora/sitemap.xml"]:
        assert a[name] == b[name], name
