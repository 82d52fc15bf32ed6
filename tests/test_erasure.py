"""Erasure: once a story or a person is deleted from content/, no file a reader can download still holds
their words: pages, lists, backlinks, tags, feeds, sitemaps, open data and every Pagefind file. After
the next build, no file the generator keeps beside site/ (spare site, cache) holds them either."""

from __future__ import annotations

from pathlib import Path

from conftest import person_md, site_files_text, story_md
from media_samples import photo_with_gps

CANARY = "Zanzibarcanarino"  # one word, found by Pagefind, by grep and in any case
SLUG = CANARY.lower()
PERSON = "Quirinocanarino Vespucci"


def holders(folder: Path, *words: str) -> list[str]:
    """Files under folder whose path or (decompressed) text holds a word, in any case."""
    found = []
    for rel, text in site_files_text(folder).items():
        if any(w.casefold() in rel.casefold() or w.casefold() in text.casefold() for w in words):
            found.append(rel)
    return found


def raw_holders(folder: Path, *words: str) -> list[str]:
    """Like holders, on the raw bytes of every file (a SQLite cache, a spare site)."""
    found = []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file():
            data = path.read_bytes().lower()
            if any(w.lower().encode() in data for w in words):
                found.append(path.relative_to(folder).as_posix())
    return found


FILES = {
    f"content/aurora/storie/{SLUG}/index.md": story_md(
        f"La festa {CANARY}",
        persone="[anna-rossi, quirino]",
        extra=f"sommario: Un racconto {CANARY}\ntag: [{CANARY.lower()}]\nimmagine: {{file: {SLUG}.jpg, alt: Il banco {CANARY}}}\n",
        body=f"Il quartiere ricorda {CANARY}.\n\n## {CANARY}\n\nFine.",
    ),
    f"content/aurora/storie/{SLUG}/{SLUG}.jpg": photo_with_gps(),
    "content/aurora/persone/quirino.md": person_md(PERSON, "[sartoria]", body=f"Sono {PERSON}, sarto."),
    "content/dora/storie/il-parco.md": story_md(
        "Il parco Dora", persone="[aurora/anna-rossi, aurora/quirino]", extra="tag: [parco]\n"
    ),
}


def test_a_deleted_story_and_person_leave_no_trace_in_site(make_site, run):
    root = make_site(FILES)
    code, out = run(["--oggi", "2026-01-15"], cwd=root)
    assert code == 0, out
    site = root / "site"
    planted = holders(site, CANARY, "Quirinocanarino")
    # the canary really is everywhere a reader could find it, so the grep below can fail
    for expected in [
        f"aurora/storie/{SLUG}/index.html",
        "aurora/storie/index.html",
        "aurora/index.html",
        "aurora/persone/anna-rossi/index.html",
        "aurora/persone/quirino/index.html",
        "dora/storie/il-parco/index.html",
        "index.html",
        "feed.xml",
        "aurora/feed.xml",
        "sitemap.xml",
        "dati/storie.json",
        "dati/saperi.csv",
    ]:
        assert expected in planted, expected
    assert any(rel.startswith("aurora/tag/" + CANARY.lower()) for rel in planted)
    assert any(rel.startswith("aurora/pagefind/fragment/") for rel in planted)  # the search index, unpacked
    assert any(rel.startswith(f"aurora/storie/{SLUG}/{SLUG}") and rel.endswith(".jpg") for rel in planted)

    (root / f"content/aurora/storie/{SLUG}/index.md").unlink()
    (root / f"content/aurora/storie/{SLUG}/{SLUG}.jpg").unlink()
    (root / f"content/aurora/storie/{SLUG}").rmdir()
    (root / "content/aurora/persone/quirino.md").unlink()
    make_site(
        {
            "content/dora/storie/il-parco.md": story_md(
                "Il parco Dora", persone="[aurora/anna-rossi]", extra="tag: [parco]\n"
            )
        }
    )  # the checklist: references go too
    code, out = run(["--oggi", "2026-01-15"], cwd=root)
    assert code == 0, out
    assert holders(site, CANARY, "Quirinocanarino", "Vespucci") == []

    # one more build and the spare copy of the site and the build cache forget it too
    code, out = run(["--oggi", "2026-01-15"], cwd=root)
    assert code == 0, out
    beside = [p for p in root.iterdir() if p.name not in ("content", "site")]
    for folder in beside:
        assert raw_holders(folder, CANARY, "Quirinocanarino", "Vespucci") == [], folder  # noqa


def checklist_commands() -> list[str]:
    """The two verification commands of docs/rimozione.md, as an editor copies them."""
    text = (Path(__file__).resolve().parent.parent / "docs/rimozione.md").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip().startswith(("grep -rli", "find site -path"))]


def test_the_checklist_commands_find_a_word_in_pages_and_search_index(make_site, run):
    import subprocess

    root = make_site(FILES)
    code, out = run(["--oggi", "2026-01-15"], cwd=root)
    assert code == 0, out
    commands = checklist_commands()
    assert len(commands) == 2
    pages, index = (
        subprocess.run(["sh", "-c", c.replace("Cognome", "Vespucci")], cwd=root, capture_output=True, text=True).stdout
        for c in commands
    )
    assert "site/aurora/persone/quirino/index.html" in pages
    assert "site/aurora/pagefind/fragment/" in index  # found inside the compressed index
    nothing = [
        subprocess.run(
            ["sh", "-c", c.replace("Cognome", "Parolachenoncè")], cwd=root, capture_output=True, text=True
        ).stdout
        for c in commands
    ]
    assert nothing == ["", ""]
