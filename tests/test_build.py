"""The built site: every page kind, relative links, backlinks, drafts, deletion, atomicity, determinism."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from conftest import build_digest, person_md, read, site_files_text, story_md, tree_digest

from portale.build import write


def build(make_site, run, files=None, argv=()):
    root = make_site(files)
    code, out = run(list(argv), cwd=root)
    assert code == 0, out
    return root


def test_every_page_kind_is_written(make_site, run):
    root = build(make_site, run)
    site = root / "site"
    for rel in [
        "index.html",
        "aurora/index.html",
        "aurora/storie/index.html",
        "aurora/storie/la-festa/index.html",
        "aurora/persone/index.html",
        "aurora/persone/anna-rossi/index.html",
        "aurora/bisogni/index.html",
        "aurora/bisogni/biciclette/index.html",
        "aurora/tag/index.html",
        "aurora/tag/festa/index.html",
        "aurora/assets/style.css",
        "dora/index.html",
        "assets/style.css",
    ]:
        assert (site / rel).is_file(), rel
    home = read(site, "index.html")
    assert '<html lang="it" dir="ltr">' in home
    assert 'href="aurora/"' in home and 'href="dora/"' in home


def test_territory_home_shows_portineria_stories_people_and_needs(make_site, run):
    root = build(make_site, run)
    html = read(root, "site/aurora/index.html")
    assert "Portineria di comunità Aurora" in html
    assert "Via Esempio 1, Torino" in html
    assert 'href="storie/la-festa/"' in html
    assert 'href="persone/anna-rossi/"' in html
    assert 'href="bisogni/biciclette/"' in html


def test_story_links_the_people_it_names_and_person_links_back(make_site, run):
    root = build(make_site, run)
    story = read(root, "site/aurora/storie/la-festa/index.html")
    assert '<a href="../../persone/anna-rossi/"><bdi>Anna Rossi</bdi></a>' in story  # a name keeps its direction
    person = read(root, "site/aurora/persone/anna-rossi/index.html")
    assert 'href="../../storie/la-festa/"' in person
    # the backlink from another territory is absolute: it leaves the Aurora site
    assert 'href="https://saperi.example.org/dora/storie/il-parco/"' in person
    assert "Cucina etnica" in person  # the sapere offered


def test_old_tag_addresses_send_the_reader_to_the_word_page(make_site, run):
    root = build(make_site, run)
    old = read(root, "site/aurora/tag/cucina/index.html")
    assert '<meta http-equiv="refresh" content="0; url=../../parole/cucina/">' in old
    assert 'href="../../parole/cucina/"' in old  # and a link, for a browser that ignores the refresh
    html = read(root, "site/aurora/parole/cucina/index.html")
    assert 'href="../../storie/la-festa/"' in html
    assert "<h1>cucina</h1>" in html  # a tag outside the dictionary keeps its spelling
    assert '<meta http-equiv="refresh" content="0; url=../parole/">' in read(root, "site/aurora/tag/index.html")


def _links(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]+)"', html)


def test_territory_folders_are_self_contained(make_site, run):
    """Every relative link inside site/<territorio>/ resolves to a file inside that folder."""
    root = build(make_site, run)
    for territory in ("aurora", "dora"):
        folder = root / "site" / territory
        for page in folder.rglob("*.html"):
            for link in _links(page.read_text()):
                if urlsplit(link).scheme or link.startswith("#"):
                    continue
                target = (page.parent / urlsplit(link).path).resolve()
                if link.endswith("/") or target.is_dir():
                    target = target / "index.html"
                assert target.is_file(), f"{page}: {link}"
                assert target.is_relative_to(folder.resolve()), f"{page}: {link} leaves {territory}/"


def test_drafts_are_absent_everywhere_unless_bozze(make_site, run):
    files = {
        "content/aurora/storie/segreta.md": story_md(
            "Storia segretissima", persone="[anna-rossi]", extra="tag: [segreto]\nbozza: true\n"
        ),
        "content/aurora/persone/bozzolo.md": person_md("Bozzolo Bozzetti", extra="bozza: true\n"),
    }
    root = build(make_site, run, files)
    for page, text in site_files_text(root / "site").items():  # the search index included
        assert "segretissima" not in text and "segreto" not in text, page
        assert "Bozzetti" not in text, page
    assert not (root / "site/aurora/storie/segreta").exists()

    code, out = run(["--bozze"], cwd=root)
    assert code == 0
    html = read(root, "site/aurora/storie/segreta/index.html")
    assert "BOZZA" in html
    assert "segretissima" in read(root, "site/aurora/persone/anna-rossi/index.html")


def test_deleted_content_disappears(make_site, run):
    root = build(make_site, run, {"content/aurora/storie/effimera.md": story_md("Effimera", extra="tag: [effimero]\n")})
    assert (root / "site/aurora/storie/effimera/index.html").exists()
    (root / "content/aurora/storie/effimera.md").unlink()
    code, _ = run([], cwd=root)
    assert code == 0
    assert not (root / "site/aurora/storie/effimera").exists()
    assert not (root / "site/aurora/tag/effimero").exists()
    assert "Effimera" not in read(root, "site/aurora/index.html")


def test_two_builds_are_byte_identical(make_site, run):
    root = build(make_site, run)
    first = build_digest(root / "site")
    code, _ = run([], cwd=root)
    assert code == 0
    assert build_digest(root / "site") == first
    assert any("/pagefind/fragment/" in k for k in first)  # the search fragments are compared


def test_a_build_that_fails_midway_leaves_the_old_site(make_site, run, monkeypatch):
    root = build(make_site, run)
    before = tree_digest(root / "site")
    make_site({"content/aurora/storie/nuova.md": story_md("Nuova")})

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write, "copy_assets", broken)
    code, out = run([], cwd=root)
    assert code == 3
    assert "Impossibile scrivere site/: il disco è pieno" in out
    assert tree_digest(root / "site") == before
    assert not any(p.name.startswith(".site.") and p.is_dir() for p in root.iterdir())


def test_summary_names_pages_per_territory(make_site, run):
    root = make_site()
    code, out = run([], cwd=root)
    assert code == 0
    assert re.search(r"Costruito site/: \d+ pagine in \d+\.\d s", out)
    assert re.search(r"aurora\s+\d+ pagine", out)


def test_output_option(make_site, run, tmp_path):
    root = make_site()
    code, out = run(["--output", str(tmp_path / "altrove")], cwd=root)
    assert code == 0
    assert (tmp_path / "altrove/aurora/index.html").is_file()


def test_unpublished_person_is_a_neutral_mention_with_a_warning(make_site, run):
    files = {
        "content/aurora/persone/ritirata.md": person_md("Rita Ritirata", extra="").replace(
            "ambito: [web]", "ambito: [web], revocato: 2025-06-01"
        ),
        "content/aurora/storie/la-festa.md": story_md("La festa di via Como", persone="[anna-rossi, ritirata]"),
    }
    root = make_site(files)
    code, out = run([], cwd=root)
    assert code == 0
    assert 'content/aurora/storie/la-festa.md:4: avviso: la persona "ritirata" non è pubblicata' in out
    assert not (root / "site/aurora/persone/ritirata").exists()
    for page in (root / "site").rglob("*.html"):
        assert "Ritirata" not in page.read_text()
    assert "una persona della comunità" in read(root, "site/aurora/storie/la-festa/index.html")
