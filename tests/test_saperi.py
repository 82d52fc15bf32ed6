"""Saperi e bisogni: the skills directory, needs matched to offers nearest first, closed needs, open data.

One small network with known offers and needs is built once for the module (`--oggi 2026-06-01`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import PORTALE, SAPERI, need_md, org_md, person_md, site_files_text, story_md, territory_md, write_project

from portale import cli
from portale.pages.matching import distance_km

BASE_URL = "https://saperi.example.org/"
TODAY = "2026-06-01"

# Aurora and its neighbours: Porta Palazzo (~0.8 km), Dora (~2.3 km), Oulx (~67 km), Isola (no coordinates).
FILES = {
    "content/portale.yml": PORTALE + "contatti_pubblici: [dora/biblioteca]\n",
    "content/saperi.yml": SAPERI,
    "content/aurora/territorio.md": territory_md("Aurora", lat=45.0853, lon=7.6875),
    "content/porta-palazzo/territorio.md": territory_md("Porta Palazzo", lat=45.0781, lon=7.6839),
    "content/dora/territorio.md": territory_md("Dora", lat=45.0869, lon=7.6583),
    "content/oulx/territorio.md": territory_md("Oulx", comune="Oulx", lat=45.0327, lon=6.8331),
    "content/isola/territorio.md": territory_md("Isola").replace("coordinate: {lat: 45.08, lon: 7.69}\n", ""),
    # Aurora
    "content/aurora/persone/anna-rossi.md": person_md("Anna Rossi", "[cucina-etnica]"),
    "content/aurora/persone/ciclofficina.md": org_md("Ciclofficina Aurora", "[riparazione-biciclette]"),
    "content/aurora/persone/bruno-neri.md": person_md(
        "Bruno Neri", "[sartoria, {sapere: riparazione-biciclette, descrizione: camere d’aria e freni}]"
    ),
    "content/aurora/persone/carla.md": person_md(
        "Carla Bianchi",
        "[riparazione-biciclette]",
        extra="visibilita: solo-nome\n",
        # contacts in a persona are refused (test_privacy.py); the full name is replaced by "Carla"
        body="Carla Bianchi ripara biciclette in cortile.",
    ),
    "content/aurora/persone/senza-consenso.md": person_md("Ugo Nascosto", "[riparazione-biciclette]").replace(
        "ambito: [web]", "ambito: [ricerca]"
    ),
    "content/aurora/persone/in-bozza.md": person_md("Bice Bozza", "[riparazione-biciclette]", extra="bozza: true\n"),
    "content/aurora/bisogni/biciclette.md": need_md(
        "Biciclette per i ragazzi", "[riparazione-biciclette, sartoria]", date="2026-05-01"
    ),
    "content/aurora/bisogni/tende.md": need_md(
        "Tende per la sala", "[sartoria]", extra="stato: chiuso\n", date="2026-04-01"
    ),
    "content/aurora/bisogni/merenda.md": need_md(
        "Merenda del sabato", "[panificazione]", extra="scadenza: 2026-05-31\n", date="2026-03-01"
    ),
    "content/aurora/bisogni/oggi.md": need_md(
        "Pane per oggi", "[panificazione]", extra="scadenza: 2026-06-01\n", date="2026-02-01"
    ),
    "content/aurora/storie/la-festa.md": story_md(
        "La festa di via Como",
        persone="[anna-rossi, senza-consenso, carla]",
        extra="tag: [festa, cucina]\n",
        body="Info: 333 123 4567, festa@example.net",
    ),
    "content/aurora/storie/segreta.md": story_md("Storia in bozza", extra="bozza: true\n"),
    # the others
    "content/porta-palazzo/persone/dario-blu.md": person_md("Dario Blu", "[riparazione-biciclette]"),
    "content/dora/persone/elena-verdi.md": person_md(
        "Elena Verdi", "[sartoria, riparazione-biciclette, cucina-etnica]"
    ),
    # a public library may print its contacts in its body: the open data still never carries them
    "content/dora/persone/biblioteca.md": org_md(
        "Biblioteca civica Dora",
        "[cucina-etnica]",
        body="Telefono 011 443 2211, e-mail biblioteca.dora@example.org, via Livorno 12.",
    ),
    "content/dora/bisogni/cena.md": need_md("Cena di quartiere", "[cucina-etnica]"),
    "content/oulx/persone/franco.md": person_md("Franco Alpino", "[riparazione-biciclette]"),
    "content/isola/persone/ivo.md": person_md("Ivo Isolani", "[sartoria]"),
}

# Every published offer: (territory, person slug, shown name, sapere)
OFFERS = [
    ("aurora", "anna-rossi", "Anna Rossi", "cucina-etnica"),
    ("aurora", "ciclofficina", "Ciclofficina Aurora", "riparazione-biciclette"),
    ("aurora", "bruno-neri", "Bruno Neri", "sartoria"),
    ("aurora", "bruno-neri", "Bruno Neri", "riparazione-biciclette"),
    ("aurora", "carla", "Carla", "riparazione-biciclette"),
    ("porta-palazzo", "dario-blu", "Dario Blu", "riparazione-biciclette"),
    ("dora", "elena-verdi", "Elena Verdi", "sartoria"),
    ("dora", "elena-verdi", "Elena Verdi", "riparazione-biciclette"),
    ("dora", "elena-verdi", "Elena Verdi", "cucina-etnica"),
    ("dora", "biblioteca", "Biblioteca civica Dora", "cucina-etnica"),
    ("oulx", "franco", "Franco Alpino", "riparazione-biciclette"),
    ("isola", "ivo", "Ivo Isolani", "sartoria"),
]

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"\+?\d[\d ]{7,}\d")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("rete")
    write_project(root, FILES)
    code = cli.main(["--oggi", TODAY], root=root)
    assert code == 0
    return root / "site"


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


class Links(HTMLParser):
    """The links of one part of a page: (href, text), in document order, inside the element with `inside` as id."""

    def __init__(self, inside: str | None = None):
        super().__init__()
        self.inside, self.depth, self.links, self.headings, self._a, self._h = (
            inside,
            0 if inside else 1,
            [],
            [],
            None,
            None,
        )

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.depth += 1
        elif attrs.get("aria-labelledby") == self.inside:
            self.depth = 1
        if self.depth and tag == "a":
            self._a = [attrs.get("href", ""), ""]
        if self.depth and tag in ("h2", "h3"):
            self._h = ""

    def handle_endtag(self, tag):
        if self.depth and tag == "a" and self._a:
            self.links.append((self._a[0], self._a[1].strip()))
            self._a = None
        if self.depth and tag in ("h2", "h3") and self._h is not None:
            self.headings.append(" ".join(self._h.split()))
            self._h = None
        if self.depth and self.inside:
            self.depth -= 1

    def handle_data(self, data):
        if self._a is not None:
            self._a[1] += data
        if self._h is not None:
            self._h += data


def links(html: str, inside: str | None = None) -> Links:
    parser = Links(inside)
    parser.feed(html)
    return parser


def people_linked(html: str, inside: str) -> list[str]:
    return [text for href, text in links(html, inside).links if "/persone/" in href]


# --- the directory -------------------------------------------------------------------------


def test_every_offer_is_on_its_territory_and_network_skill_pages(site):
    for territory, slug, name, skill in OFFERS:
        local = read(site, f"{territory}/saperi/{skill}/index.html")
        assert (f"../../persone/{slug}/", name) in links(local, "sezione-qui").links, (territory, skill, name)
        directory = read(site, f"{territory}/saperi/index.html")
        assert (f"../persone/{slug}/", name) in links(directory).links, (territory, name)
        network = read(site, f"saperi/{skill}/index.html")
        assert (f"../../{territory}/persone/{slug}/", name) in links(network, "sezione-chi").links, (skill, name)


def test_unpublished_people_offer_nothing_anywhere(site):
    for page, text in site_files_text(site).items():  # the search index included
        assert "Nascosto" not in text and "Bice Bozza" not in text, page
        assert "Bianchi" not in text, page  # visibilita: solo-nome hides the surname everywhere


def test_territory_directory_groups_skills_by_category(site):
    html = read(site, "aurora/saperi/index.html")
    part = links(html)
    # categories in the order of saperi.yml, skills by name inside each
    assert [h for h in part.headings if h in ("Cucina e alimentazione", "Riparazioni e manualità")] == [
        "Cucina e alimentazione",
        "Riparazioni e manualità",
    ]
    assert html.index("Cucina etnica") < html.index("Riparazione biciclette") < html.index("Sartoria")
    assert ("../persone/bruno-neri/", "Bruno Neri") in part.links
    # panificazione is asked by an open need and offered by nobody here
    assert ("panificazione/", "Panificazione") in links(html, "sezione-cercati").links


def test_skill_page_shows_description_synonyms_elsewhere_and_open_needs(site):
    html = read(site, "dora/saperi/cucina-etnica/index.html")
    assert "Ricette dei paesi d’origine." in html
    assert "Si dice anche: cucina del mondo." in html
    assert people_linked(html, "sezione-qui") == ["Biblioteca civica Dora", "Elena Verdi"]
    # elsewhere: absolute links, they leave the Dora site
    assert links(html, "sezione-altrove").links[0] == (BASE_URL + "aurora/persone/anna-rossi/", "Anna Rossi")
    assert ("../../bisogni/cena/", "Cena di quartiere") in links(html, "sezione-bisogni").links


def test_skill_asked_but_not_offered_has_pages_that_say_so(site):
    html = read(site, "aurora/saperi/panificazione/index.html")
    assert "Qui nessuno lo offre ancora" in html
    assert "Negli altri territori della rete nessuno lo offre ancora" in html
    assert [t for _, t in links(html, "sezione-bisogni").links] == ["Pane per oggi"]


def test_network_directory_counts_offers_per_territory(site):
    html = read(site, "saperi/index.html")
    counts = re.findall(r'<a href="\.\./([a-z-]+)/saperi/riparazione-biciclette/">[^<]+</a>: (\d+)', html)
    assert dict(counts) == {"aurora": "3", "dora": "1", "oulx": "1", "porta-palazzo": "1"}
    assert 'href="sartoria/"' in html and 'href="cucina-etnica/"' in html
    # network skill page: every offer, every open need
    network = read(site, "saperi/sartoria/index.html")
    assert people_linked(network, "sezione-chi") == ["Bruno Neri", "Elena Verdi", "Ivo Isolani"]
    assert [t for _, t in links(network, "sezione-bisogni").links] == ["Biciclette per i ragazzi"]


def test_person_page_links_skills_to_the_skill_pages(site):
    html = read(site, "aurora/persone/bruno-neri/index.html")
    assert ("../../saperi/sartoria/", "Sartoria") in links(html, "sezione-saperi").links
    assert ("../../saperi/riparazione-biciclette/", "Riparazione biciclette") in links(html, "sezione-saperi").links
    assert 'href="../../saperi/"' in html  # the Saperi menu entry


# --- needs matched to offers -----------------------------------------------------------------


def test_need_page_lists_who_could_help_here_first_then_nearest(site):
    html = read(site, "aurora/bisogni/biciclette/index.html")
    part = links(html, "sezione-aiuto")
    people = [t for h, t in part.links if "/persone/" in h]
    assert people == [
        "Bruno Neri",
        "Carla",
        "Ciclofficina Aurora",
        "Dario Blu",
        "Elena Verdi",
        "Franco Alpino",
        "Ivo Isolani",
    ]
    assert [h.split(" ·")[0] for h in part.headings] == [
        "Chi può aiutare",
        "Aurora",
        "Porta Palazzo",
        "Dora",
        "Oulx",
        "Isola",
    ]
    assert "Porta Palazzo · a circa 800 m" in part.headings
    assert "Oulx · a circa 67 km" in part.headings
    # own territory relative, others absolute; every offer linked to its skill page
    assert ("../../persone/bruno-neri/", "Bruno Neri") in part.links
    assert (BASE_URL + "dora/persone/elena-verdi/", "Elena Verdi") in part.links
    assert (BASE_URL + "dora/saperi/sartoria/", "Sartoria") in part.links
    assert "camere d’aria e freni" in html
    # the portineria to contact, for each territory
    assert "Portineria di comunità Porta Palazzo" in html and "Portineria di comunità Oulx" in html


def test_need_nobody_meets_says_so(site):
    html = read(site, "aurora/bisogni/oggi/index.html")
    assert "Nella rete nessuno offre ancora questi saperi." in html
    assert people_linked(html, "sezione-aiuto") == []


def test_need_in_other_territory_finds_the_nearest_offer(site):
    html = read(site, "dora/bisogni/cena/index.html")
    assert people_linked(html, "sezione-aiuto") == ["Biblioteca civica Dora", "Elena Verdi", "Anna Rossi"]


def test_network_needs_page_lists_open_needs_only(site):
    html = read(site, "bisogni/index.html")
    listed = html[: html.index('id="sezione-manca"')]  # then the needs again, by the sapere nobody offers
    titles = [t for h, t in links(listed).links if "/bisogni/" in h and t]
    assert titles == ["Cena di quartiere", "Biciclette per i ragazzi", "Pane per oggi"]
    missing = html[html.index('id="sezione-manca"') :]
    assert "Pane per oggi" in missing and "Cena di quartiere" not in missing
    assert 'href="../aurora/bisogni/biciclette/"' in html  # relative from the network pages
    card = html[html.index("Biciclette per i ragazzi") :]
    card = card[: card.index("</li>")]
    assert [t for h, t in links(card).links if "/persone/" in h] == [
        "Bruno Neri",
        "Carla",
        "Ciclofficina Aurora",
    ]  # the nearest three
    assert 'href="../aurora/persone/bruno-neri/"' in card
    assert "e altri 4 — 3 nel territorio, 4 negli altri territori della rete" in card
    assert "nessuno ancora nella rete" in html[html.index("Pane per oggi") :]


# --- closed and expired needs ----------------------------------------------------------------


@pytest.mark.parametrize("slug, reason", [("tende", "chiuso"), ("merenda", "scadenza")])
def test_closed_and_expired_needs_are_closed_and_leave_open_lists(site, slug, reason):
    page = read(site, f"aurora/bisogni/{slug}/index.html")
    assert '<span class="stato chiuso">Chiuso</span>' in page
    assert "Questo bisogno è chiuso" in page
    assert 'id="sezione-aiuto"' not in page
    if reason == "scadenza":
        assert "la scadenza era il 31 maggio 2026" in page
    listing = read(site, "aurora/bisogni/index.html")
    open_part, _, closed_part = listing.partition("Chiusi o scaduti")
    assert f'href="{slug}/"' not in open_part
    assert f'href="{slug}/"' in closed_part
    href = f"bisogni/{slug}/"
    for rel in [
        "aurora/index.html",
        "bisogni/index.html",
        "saperi/sartoria/index.html",
        "saperi/panificazione/index.html",
        "aurora/saperi/sartoria/index.html",
        "aurora/saperi/panificazione/index.html",
    ]:
        if (site / rel).exists():
            assert href not in read(site, rel), rel


def test_a_need_due_today_is_still_open(site):
    page = read(site, "aurora/bisogni/oggi/index.html")
    assert '<span class="stato aperto">Aperto</span>' in page


def test_oggi_decides_what_is_open(make_site, run):
    root = make_site(
        {
            "content/aurora/bisogni/biciclette.md": need_md(
                "Biciclette per i ragazzi", "[riparazione-biciclette]", extra="scadenza: 2026-03-31\n"
            )
        }
    )
    assert run(["--oggi", "2026-03-31"], cwd=root)[0] == 0
    assert 'href="../aurora/bisogni/biciclette/"' in read(root / "site", "bisogni/index.html")
    assert run(["--oggi", "2026-04-01"], cwd=root)[0] == 0
    assert 'href="../aurora/bisogni/biciclette/"' not in read(root / "site", "bisogni/index.html")
    assert "Chiuso" in read(root / "site", "aurora/bisogni/biciclette/index.html")


# --- open data -------------------------------------------------------------------------------


def test_saperi_csv_has_one_row_per_offer_and_no_contacts(site):
    raw = read(site, "dati/saperi.csv")
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    assert list(rows[0]) == [
        "sapere",
        "sapere_nome",
        "categoria",
        "categoria_nome",
        "chi",
        "tipo",
        "territorio",
        "territorio_nome",
        "url",
        "url_sapere",
    ]
    assert sorted((r["territorio"], r["chi"], r["sapere"]) for r in rows) == sorted(
        (t, name, s) for t, _, name, s in OFFERS
    )
    bruno = next(r for r in rows if r["chi"] == "Bruno Neri" and r["sapere"] == "sartoria")
    assert bruno == {
        "sapere": "sartoria",
        "sapere_nome": "Sartoria",
        "categoria": "riparazioni",
        "categoria_nome": "Riparazioni e manualità",
        "chi": "Bruno Neri",
        "tipo": "persona",
        "territorio": "aurora",
        "territorio_nome": "Aurora",
        "url": BASE_URL + "aurora/persone/bruno-neri/",
        "url_sapere": BASE_URL + "aurora/saperi/sartoria/",
    }
    assert {r["tipo"] for r in rows} == {"persona", "organizzazione"}
    for r in rows:  # every URL is a page of the site
        assert (site / urlsplit(r["url"]).path.lstrip("/") / "index.html").is_file()
        assert (site / urlsplit(r["url_sapere"]).path.lstrip("/") / "index.html").is_file()
    assert not EMAIL.search(raw) and not PHONE.search(raw)


def test_saperi_json_has_the_same_content_as_the_csv(site):
    rows = list(csv.DictReader(io.StringIO(read(site, "dati/saperi.csv"), newline="")))
    assert json.loads(read(site, "dati/saperi.json")) == rows


def test_storie_json_has_published_stories_people_and_no_contacts(site):
    raw = read(site, "dati/storie.json")
    stories = json.loads(raw)
    assert stories == [
        {
            "titolo": "La festa di via Como",
            "data": "2025-03-01",
            "territorio": "aurora",
            "territorio_nome": "Aurora",
            "persone": ["Anna Rossi", "Carla"],
            "tag": ["festa", "cucina"],
            "url": BASE_URL + "aurora/storie/la-festa/",
            "lingua": "it",
            "traduzioni": [],
        }
    ]
    assert not EMAIL.search(raw) and not PHONE.search(raw)


def test_open_data_page_describes_the_columns(site):
    html = read(site, "dati/index.html")
    for href in ("saperi.csv", "saperi.json", "storie.json"):
        assert f'href="{href}"' in html
    for column in ("sapere", "categoria", "chi", "tipo", "territorio", "url"):
        assert f"<dt>{column}</dt>" in html


# --- links -----------------------------------------------------------------------------------


def test_every_link_of_the_directory_resolves(site):
    """Relative links stay inside their site; absolute links to base_url land on a page we wrote."""
    territories = {"aurora", "porta-palazzo", "dora", "oulx", "isola"}
    for page in site.rglob("*.html"):
        rel = page.relative_to(site).as_posix()
        home = rel.split("/")[0] if rel.split("/")[0] in territories else None
        for href, _ in links(page.read_text(encoding="utf-8")).links:
            if href.startswith(("#", "tel:", "mailto:")):
                continue
            href = href.split("#")[0]  # the page; test_quality checks the anchors of the sample
            if href.startswith(BASE_URL):
                target = site / href[len(BASE_URL) :]
            elif urlsplit(href).scheme:
                continue
            else:
                target = Path(urljoin(f"/{rel}", href).lstrip("/"))
                assert home is None or target.parts[0] == home, f"{rel}: {href} leaves {home}/"
                target = site / target
            if href.endswith("/") or target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{rel}: {href}"


def test_distance_is_great_circle():
    assert distance_km((45.0703, 7.6869), (45.4642, 9.1900)) == pytest.approx(125.9, abs=0.5)  # Torino–Milano
    assert distance_km((45.0, 7.0), (45.0, 7.0)) == 0


# --- in a real browser, on a phone ---------------------------------------------------------


def test_directory_and_need_pages_work_on_a_phone_without_javascript(site, serve_dir, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="it-IT", java_script_enabled=False)
    tab = context.new_page()
    base = serve_dir(site)
    tab.goto(base + "saperi/")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360  # nothing overflows a 360 px phone
    tab.get_by_role("link", name="Riparazioni e manualità").click()  # the category index jumps down the page
    assert tab.url.endswith("/saperi/#categoria-riparazioni")
    tab.get_by_role("heading", name="Riparazione biciclette").get_by_role("link").click()
    assert tab.url.endswith("/saperi/riparazione-biciclette/")
    tab.get_by_role("link", name="Bruno Neri").click()
    assert tab.url.endswith("/aurora/persone/bruno-neri/")
    tab.get_by_role("link", name="Sartoria").click()
    assert tab.url.endswith("/aurora/saperi/sartoria/")
    assert tab.get_by_role("heading", level=1).inner_text() == "Sartoria"

    tab.goto(base + "aurora/bisogni/biciclette/")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    places = tab.locator("section.vicini h3").all_inner_texts()
    assert [p.split(" ·")[0] for p in places] == ["Aurora", "Porta Palazzo", "Dora", "Oulx", "Isola"]
    assert (
        tab.get_by_role("link", name="Elena Verdi").get_attribute("href")
        == "https://saperi.example.org/dora/persone/elena-verdi/"
    )
    tab.get_by_role("link", name="Carla").click()
    assert tab.url.endswith("/aurora/persone/carla/")
    context.close()


def test_sample_content_shows_the_directory_and_matching(tmp_path, run):
    """The shipped sample shows every state: needs met nearby and far away, closed and expired needs, open data."""
    import shutil

    shutil.copytree(Path(__file__).resolve().parent.parent / "content", tmp_path / "content")
    code, out = run(["--oggi", "2026-11-25"], cwd=tmp_path)
    assert code == 0, out
    sample = tmp_path / "site"
    rows = list(csv.DictReader(io.StringIO(read(sample, "dati/saperi.csv"), newline="")))
    assert len({r["sapere"] for r in rows}) >= 20 and len({r["territorio"] for r in rows}) == 8
    network = read(sample, "saperi/index.html")
    assert network.count('<h2 id="categoria-') >= 8
    need = read(sample, "aurora/bisogni/compagnia-per-le-signore-del-cortile/index.html")
    assert len(links(need, "sezione-aiuto").headings) >= 4  # here, then three other territories
    expired = read(sample, "dora/bisogni/cassette-rialzate-per-l-orto-della-scuola/index.html")
    assert "la scadenza era il 30 giugno 2026" in expired
    assert '<span class="stato chiuso">Chiuso</span>' in expired
    met = read(sample, "rivarolo/bisogni/sarte-per-i-costumi-di-carnevale/index.html")
    assert '<span class="stato risolto">Risolto con Gli animali del Canavese' in met
    open_list = read(sample, "bisogni/index.html")
    assert "cassette-rialzate" not in open_list and "sarte-per-i-costumi" not in open_list
    assert not EMAIL.search(read(sample, "dati/saperi.csv") + read(sample, "dati/storie.json"))


def test_open_data_leaves_drafts_out_even_in_a_preview(make_site, run):
    root = make_site(
        {
            "content/aurora/persone/in-bozza.md": person_md("Bice Bozza", "[sartoria]", extra="bozza: true\n"),
            "content/aurora/storie/segreta.md": story_md(
                "Storia in bozza", persone="[anna-rossi]", extra="bozza: true\n"
            ),
        }
    )
    code, out = run(["--bozze", "--oggi", TODAY], cwd=root)
    assert code == 0, out
    assert "Bice Bozza" in read(root / "site", "aurora/saperi/sartoria/index.html")  # the preview shows the draft...
    data = (
        read(root / "site", "dati/saperi.csv")
        + read(root / "site", "dati/saperi.json")
        + read(root / "site", "dati/storie.json")
    )
    assert "Bice Bozza" not in data and "Storia in bozza" not in data  # ...the open data never does
    assert "Anna Rossi" in data


def test_far_territories_are_summed_up_not_listed(make_site, run):
    """A need page lists whole territories nearest first until six people from elsewhere are shown, then counts the rest."""
    files = {"content/aurora/bisogni/tende.md": need_md("Tende per la sala", "[sartoria]")}
    for i, count in enumerate([2, 3, 2, 4], start=1):  # each territory a little farther north of Aurora
        files[f"content/t{i}/territorio.md"] = territory_md(f"Paese {i}", lat=45.08 + i * 0.1, lon=7.69)
        for j in range(count):
            files[f"content/t{i}/persone/p{j}.md"] = person_md(f"Sarta {i}{j}", "[sartoria]")
    root = make_site(files)
    code, out = run(["--oggi", TODAY], cwd=root)
    assert code == 0, out
    html = read(root / "site", "aurora/bisogni/tende/index.html")
    part = links(html, "sezione-aiuto")
    assert [h.split(" ·")[0] for h in part.headings[1:]] == ["Paese 1", "Paese 2", "Paese 3"]  # 2 + 3 + 2 >= 6
    assert people_linked(html, "sezione-aiuto") == [
        "Sarta 10",
        "Sarta 11",
        "Sarta 20",
        "Sarta 21",
        "Sarta 22",
        "Sarta 30",
        "Sarta 31",
    ]
    assert "E altri 4 nei territori più lontani" in html
    assert (BASE_URL + "saperi/sartoria/", "Sartoria in tutta la rete") in part.links  # leaves the Aurora site
    skill = read(root / "site", "aurora/saperi/sartoria/index.html")  # the same on the territory's skill page
    assert len(people_linked(skill, "sezione-altrove")) == 7 and "E altri 4 nei territori più lontani" in skill
    # the network page still lists every one of them
    network = read(root / "site", "saperi/sartoria/index.html")
    assert len(people_linked(network, "sezione-chi")) == 11
