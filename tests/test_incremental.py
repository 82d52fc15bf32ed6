"""Incremental builds: after any edit, a rebuild that reuses the cache writes exactly what a cold build writes."""

from __future__ import annotations

import gzip
import shutil

import pytest
from conftest import build_digest, need_md, person_md, site_files_text, story_md, territory_md

TODAY = ["--oggi", "2026-06-01"]

ACTION = """\
---
titolo: Biciclette in cortile
data: 2026-03-01
stato: in-corso
bisogni: [aurora/biciclette]
partecipanti:
  - {chi: aurora/anna-rossi, sapere: cucina-etnica}
  - {chi: marco, sapere: riparazione-biciclette, ruolo: ripara}
partner: [aurora/ciclofficina, Circoscrizione 7]
appuntamenti:
  - {inizio: 2026-04-07 17:00, fine: "19:00", luogo: Cortile, ripeti: {ogni: settimana, fino: 2027-04-06}}
tag: [festa]
---
Come è nata.
"""

DORA_WITH_SERVICE = territory_md("Dora", lat=45.09, lon=7.67).replace(
    "      email: portineria@example.org\n",
    "      email: portineria@example.org\n    servizi:\n      - tipo: spid\n        orari: martedì 10–12\n",
)

EXTRA = {
    "content/dora/persone/marco.md": person_md("Marco Bellone", "[panificazione, riparazione-biciclette]"),
    "content/dora/storie/il-forno.md": story_md(
        "Il forno di Marco", persone="[marco, aurora/ciclofficina]", extra="tag: [pane, festa]\n"
    ),
    "content/dora/bisogni/pane.md": need_md("Pane per la cena", "[panificazione, cucina-etnica]"),
    "content/servizi.yml": "servizi:\n  - tipo: spid\n    nome: SPID\n    sinonimi: [identità digitale]\n",
    "content/dora/azioni/biciclette.md": ACTION,
    "content/dora/storie/in-cortile.md": story_md("In cortile", extra="azione: biciclette\n"),
    "content/dora/storie/il-forno.ar.md": "---\ntitolo: فرن ماركو\n---\nخبز الحي.\n",
    "content/dora/persone/marco.ar.md": "---\nruolo: خبّاز\n---\nسيرة.\n",
}
ARABIC_FORNO = "---\ntitolo: فرن ماركو\n---\nخبز الحي.\n"

EDITS = {
    "story body": {
        "content/aurora/storie/la-festa.md": story_md(
            "La festa di via Como",
            persone="[anna-rossi, ciclofficina]",
            extra="tag: [festa, cucina]\n",
            body="Un altro testo.",
        )
    },
    "story title and tags": {
        "content/aurora/storie/la-festa.md": story_md(
            "La grande festa", persone="[anna-rossi]", extra="tag: [cucina, musica]\n"
        )
    },
    "person renamed (backlinks in two territories)": {
        "content/aurora/persone/anna-rossi.md": person_md("Anna Bianchi", "[cucina-etnica]")
    },
    "person's biography rewritten (body only)": {
        "content/dora/persone/marco.md": person_md(
            "Marco Bellone", "[panificazione, riparazione-biciclette]", body="Fa il pane da trent'anni."
        )
    },
    "need's text rewritten (body only)": {
        "content/dora/bisogni/pane.md": need_md("Pane per la cena", "[panificazione, cucina-etnica]").replace(
            "Cerchiamo aiuto.", "Cerchiamo chi sa fare il pane."
        )
    },
    "person offers another sapere": {
        "content/aurora/persone/anna-rossi.md": person_md("Anna Rossi", "[cucina-etnica, panificazione, sartoria]")
    },
    "consent revoked": {
        "content/aurora/persone/anna-rossi.md": person_md("Anna Rossi", "[cucina-etnica]").replace(
            "ambito: [web]", "ambito: [web], revocato: 2026-01-01"
        )
    },
    "story deleted": {"content/dora/storie/il-parco.md": None},
    "person deleted with its stories": {
        "content/dora/persone/marco.md": None,
        "content/dora/persone/marco.ar.md": None,
        "content/dora/storie/il-forno.md": None,
        "content/dora/storie/il-forno.ar.md": None,
        "content/dora/azioni/biciclette.md": ACTION.replace(
            "  - {chi: marco, sapere: riparazione-biciclette, ruolo: ripara}\n", ""
        ),
    },
    "story added naming another territory": {
        "content/dora/storie/nuova.md": story_md(
            "Una storia nuova", persone="[aurora/anna-rossi]", extra="tag: [festa]\n"
        )
    },
    "story becomes a draft": {
        "content/aurora/storie/la-festa.md": story_md(
            "La festa di via Como", persone="[anna-rossi]", extra="bozza: true\ntag: [festa]\n"
        )
    },
    "need closed": {
        "content/dora/bisogni/pane.md": need_md("Pane per la cena", "[panificazione]", extra="stato: chiuso\n")
    },
    "territory renamed": {
        "content/aurora/territorio.md": "---\nnome: Aurora Nord\ncomune: Torino\ntipo: quartiere\ncoordinate: {lat: 45.08, lon: 7.69}\nportinerie:\n  - nome: Portineria Aurora\n---\nTesto.\n"
    },
    "dictionary added (tags become words, relations, affinity)": {
        "content/parole.yml": "parole:\n  - parola: Cucina\n    specifiche: [pane]\n    correlate: [festa]\n"
        "  - parola: Pane\n    sinonimi: [panificazione]\n  - parola: Festa\n  - parola: Parco\n"
    },
    "story retagged (word pages of two territories)": {
        "content/dora/storie/il-forno.md": story_md(
            "Il forno di Marco", persone="[marco, aurora/ciclofficina]", extra="tag: [cucina, parco]\n"
        )
    },
    "action's title (its story, people, need and the agenda)": {
        "content/dora/azioni/biciclette.md": ACTION.replace("Biciclette in cortile", "Bici in cortile")
    },
    "action concluded (a need of another territory met)": {
        "content/dora/azioni/biciclette.md": ACTION.replace("stato: in-corso", "stato: conclusa")
    },
    "action's appointment moved": {"content/dora/azioni/biciclette.md": ACTION.replace("17:00", "18:00")},
    "action becomes a draft": {
        "content/dora/azioni/biciclette.md": ACTION.replace("stato: in-corso", "stato: in-corso\nbozza: true")
    },
    "action deleted with its story": {
        "content/dora/azioni/biciclette.md": None,
        "content/dora/storie/in-cortile.md": None,
    },
    "service added to a portineria": {"content/dora/territorio.md": DORA_WITH_SERVICE},
    "translation added": {"content/aurora/storie/la-festa.zh.md": "---\ntitolo: 节日\n---\n故事。\n"},
    "translation edited": {"content/dora/storie/il-forno.ar.md": ARABIC_FORNO.replace("خبز", "طعام")},
    "translation becomes a draft": {
        "content/dora/storie/il-forno.ar.md": ARABIC_FORNO.replace("---\nخبز", "bozza: true\n---\nخبز")
    },
    "original's people change under its translation": {
        "content/dora/storie/il-forno.md": story_md(
            "Il forno di Marco", persone="[marco]", extra="tag: [pane, festa]\n"
        )
    },
    "a person's translation deleted": {"content/dora/persone/marco.ar.md": None},
    "portal title": {
        "content/portale.yml": "titolo: Un altro titolo\nbase_url: https://altro.example.org/\nlingua: it\n"
    },
}


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_rebuild_after_an_edit_equals_a_cold_build(make_site, run, edit):
    root = make_site(EXTRA)
    for _ in range(2):  # the second build leaves the first site beside the output, to be reused as staging
        code, out = run(TODAY, cwd=root)
        assert code == 0, out
    make_site({**EXTRA, **EDITS[edit]})
    code, out = run(TODAY, cwd=root)
    assert code == 0, out
    incremental = build_digest(root / "site")  # Pagefind's filter index aside
    shutil.rmtree(root / "site")
    shutil.rmtree(root / ".cache")
    code, out = run(TODAY, cwd=root)
    assert code == 0, out
    assert build_digest(root / "site") == incremental


def cold_digest(root, tmp_path):
    """What a cold build of the same content writes (in a copy of the project)."""
    copy = tmp_path / "freddo"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(root / "content", copy / "content")
    return copy


def test_a_series_of_edits_undone_and_redone_always_equals_a_cold_build(make_site, run, tmp_path):
    root = make_site(EXTRA)
    steps = [
        EDITS["story body"],
        EDITS["person renamed (backlinks in two territories)"],
        {"content/aurora/storie/la-festa.md": None},
        {
            **EXTRA,
            "content/aurora/storie/la-festa.md": story_md(
                "La festa di via Como", persone="[anna-rossi, ciclofficina]", extra="tag: [festa, cucina]\n"
            ),
        },
        EDITS["story body"],
        {},
    ]
    for step in steps:
        make_site({**EXTRA, **step})
        code, out = run(TODAY, cwd=root)
        assert code == 0, out
        cold = cold_digest(root, tmp_path)
        assert run(TODAY, cwd=cold)[0] == 0
        assert build_digest(root / "site") == build_digest(cold / "site")


def test_unchanged_pages_are_reused_and_edited_ones_rendered_again(make_site, run):
    root = make_site(EXTRA)
    assert run(TODAY, cwd=root)[0] == 0
    untouched = root / "site/dora/storie/il-parco/index.html"
    edited = root / "site/aurora/storie/la-festa/index.html"
    listing = root / "site/aurora/storie/index.html"  # shows titles and summaries, never a body
    before = untouched.stat().st_ino, edited.stat().st_ino, listing.stat().st_ino
    make_site(
        {
            "content/aurora/storie/la-festa.md": story_md(
                "La festa di via Como",
                persone="[anna-rossi, ciclofficina]",
                extra="tag: [festa, cucina]\n",
                body="Testo corretto.",
            )
        }
    )
    assert run(TODAY, cwd=root)[0] == 0
    assert untouched.stat().st_ino == before[0]  # the same file, hard-linked from the previous site
    assert listing.stat().st_ino == before[2]  # only the body changed
    assert edited.stat().st_ino != before[1]
    assert "Testo corretto." in edited.read_text(encoding="utf-8")
    make_site(
        {
            "content/aurora/storie/la-festa.md": story_md(
                "La festa grande",
                persone="[anna-rossi, ciclofficina]",
                extra="tag: [festa, cucina]\n",
                body="Testo corretto.",
            )
        }
    )
    assert run(TODAY, cwd=root)[0] == 0
    assert "La festa grande" in listing.read_text(encoding="utf-8")


def test_a_biography_edit_renders_its_pages_but_not_the_skill_pages(make_site, run):
    """A person's body shows on their own page (and nowhere else): the skill and need pages, which show who offers
    what, are kept; editing a need's text renders that need's page again."""
    root = make_site(EXTRA)
    assert run(TODAY, cwd=root)[0] == 0
    person = root / "site/dora/persone/marco/index.html"
    skill = root / "site/dora/saperi/panificazione/index.html"
    network_skill = root / "site/saperi/panificazione/index.html"
    need = root / "site/dora/bisogni/pane/index.html"
    before = {page: page.stat().st_ino for page in (person, skill, network_skill, need)}
    make_site(
        {
            "content/dora/persone/marco.md": person_md(
                "Marco Bellone", "[panificazione, riparazione-biciclette]", body="Fa il pane da trent'anni."
            )
        }
    )
    assert run(TODAY, cwd=root)[0] == 0
    assert "Fa il pane da trent" in person.read_text(encoding="utf-8") and person.stat().st_ino != before[person]
    assert [page.stat().st_ino for page in (skill, network_skill, need)] == [
        before[skill],
        before[network_skill],
        before[need],
    ]
    make_site(
        {
            "content/dora/bisogni/pane.md": need_md("Pane per la cena", "[panificazione, cucina-etnica]").replace(
                "Cerchiamo aiuto.", "Cerchiamo chi sa fare il pane."
            )
        }
    )
    assert run(TODAY, cwd=root)[0] == 0
    assert "Cerchiamo chi sa fare il pane." in need.read_text(encoding="utf-8")
    assert skill.stat().st_ino == before[skill]


def test_a_story_edit_renders_only_the_word_pages_whose_content_changed(make_site, run):
    root = make_site(EXTRA)
    assert run(TODAY, cwd=root)[0] == 0
    pages = {
        name: root / "site" / rel
        for name, rel in {
            "festa here": "aurora/parole/festa/index.html",  # lists the story: its title changes
            "festa network": "parole/festa/index.html",
            "cucina here": "aurora/parole/cucina/index.html",  # shares the story with festa: a title in its list
            "parco": "dora/parole/parco/index.html",  # another story, another territory
            "pane network": "parole/pane/index.html",
        }.items()
    }
    before = {name: page.stat().st_ino for name, page in pages.items()}
    make_site(
        {
            "content/aurora/storie/la-festa.md": story_md(
                "La festa di via Como",
                persone="[anna-rossi, ciclofficina]",
                extra="tag: [festa, cucina]\n",
                body="Nuovo.",
            )
        }
    )
    assert run(TODAY, cwd=root)[0] == 0
    assert all(page.stat().st_ino == before[name] for name, page in pages.items())  # a body shows on no word page
    make_site(
        {
            "content/aurora/storie/la-festa.md": story_md(
                "La festa grande", persone="[anna-rossi, ciclofficina]", extra="tag: [festa, cucina]\n"
            )
        }
    )
    assert run(TODAY, cwd=root)[0] == 0
    changed = {name for name, page in pages.items() if page.stat().st_ino != before[name]}
    assert changed == {"festa here", "festa network", "cucina here"}
    assert "La festa grande" in pages["festa network"].read_text(encoding="utf-8")


def test_a_page_changed_by_hand_in_the_site_is_rendered_again(make_site, run):
    root = make_site(EXTRA)
    assert run(TODAY, cwd=root)[0] == 0
    page = root / "site/dora/storie/il-parco/index.html"
    cold = page.read_bytes()
    page.write_bytes(b"vandalised")
    assert run(TODAY, cwd=root)[0] == 0
    assert page.read_bytes() == cold


def test_the_build_date_and_drafts_preview_are_part_of_every_key(make_site, run):
    root = make_site(
        {
            **EXTRA,
            "content/dora/bisogni/pane.md": need_md(
                "Pane per la cena", "[panificazione]", extra="scadenza: 2026-07-01\n"
            ),
        }
    )
    assert run(TODAY, cwd=root)[0] == 0
    assert "Aperto" in (root / "site/dora/bisogni/pane/index.html").read_text(encoding="utf-8")
    assert run(["--oggi", "2026-08-01"], cwd=root)[0] == 0
    assert "Chiuso" in (root / "site/dora/bisogni/pane/index.html").read_text(encoding="utf-8")


def test_only_the_edited_territory_is_indexed_again(make_site, run):
    root = make_site({**EXTRA, "content/dora/storie/orti.md": story_md("Gli orti del parco", extra="tag: [orti]\n")})
    for _ in range(2):
        assert run(TODAY, cwd=root)[0] == 0
    entry = "site/{}/pagefind/pagefind-entry.json"
    before = {t: (root / entry.format(t)).stat().st_ino for t in ("aurora", "dora")}
    assert "Gli orti del parco" in "".join(site_files_text(root / "site/dora/pagefind").values())
    make_site({**EXTRA, "content/dora/storie/orti.md": None})  # erased: it must vanish from dora's index
    code, out = run(TODAY, cwd=root)
    assert code == 0, out
    assert (root / entry.format("aurora")).stat().st_ino == before["aurora"]  # the same bundle, linked
    assert (root / entry.format("dora")).stat().st_ino != before["dora"]
    index = "".join(site_files_text(root / "site/dora/pagefind").values())
    assert "Gli orti del parco" not in index and "storie/orti/" not in index


@pytest.mark.parametrize("spoil", ["another page", "truncated"])
def test_the_search_index_is_rebuilt_from_the_live_one_and_never_trusts_a_wrong_file(make_site, run, tmp_path, spoil):
    """After an edit Pagefind starts from the live bundle's page fragments and word-index chunks (it skips writing
    a file whose name exists), so a file in the live bundle whose contents do not match its name (another page's,
    or cut short by a full disk) must not survive into the new index, and the live bundle must not be written
    through its hard links."""
    root = make_site(EXTRA)
    for _ in range(2):
        assert run(TODAY, cwd=root)[0] == 0
    fragments = sorted((root / "site/dora/pagefind/fragment").iterdir())
    others = [f for f in fragments if b"il-parco" not in gzip.decompress(f.read_bytes())]  # pages the edit leaves alone
    kept, spoiled = others[0], others[1]
    kept_inode = kept.stat().st_ino
    wrong = kept.read_bytes() if spoil == "another page" else spoiled.read_bytes()[:20]
    for site in ("site", ".site.precedente"):  # the live bundle, and the one the next build starts from
        path = root / site / "dora/pagefind/fragment" / spoiled.name
        path.unlink()
        path.write_bytes(wrong)
    live_before = build_digest(root / "site/dora/pagefind")
    make_site({"content/dora/storie/il-parco.md": story_md("Il parco Dora", body="Un testo nuovo sul parco.")})
    code, out = run(TODAY, cwd=root)
    assert code == 0, out
    assert build_digest(root / ".site.precedente/dora/pagefind") == live_before  # the replaced site, untouched
    assert (root / "site/dora/pagefind/fragment" / kept.name).stat().st_ino == kept_inode  # reused, not rewritten
    incremental = build_digest(root / "site")
    shutil.rmtree(root / "site")
    shutil.rmtree(root / ".cache")
    assert run(TODAY, cwd=root)[0] == 0
    assert build_digest(root / "site") == incremental


def test_after_an_edit_the_edited_territory_is_written_before_the_others(tmp_path):
    """Its search index starts as soon as its pages are in place (search.Indexer): the unchanged pages of the other
    territories are linked after it, not before."""
    from types import SimpleNamespace

    from portale.build import write

    pages = [
        SimpleNamespace(output=f"{slug}/pagina-{i}/index.html", territory=SimpleNamespace(slug=slug))
        for slug in ("aurora", "dora")
        for i in range(3)
    ]
    pages[0].output = "aurora/cerca/index.html"  # no key: rendered on every build
    placed: list[str] = []

    def build(folder, keys, previous_site, previous):
        placed.clear()
        return write.write_pages(
            tmp_path / folder,
            pages,
            keys,
            {},
            tmp_path / previous_site,
            previous,
            lambda page: page.output.encode(),
            1,
            on_page=lambda page, entry, extra: placed.append(page.output),
        )

    written = build("primo", [None] + ["k"] * 5, "nessuno", {})
    assert placed == [page.output for page in pages]
    build("secondo", [None] + ["k"] * 3 + ["k2", "k"], "primo", written)  # one page of dora edited
    assert sorted(placed[:3]) == [f"dora/pagina-{i}/index.html" for i in range(3)]
    assert placed[2] == "dora/pagina-1/index.html"  # rendered after its territory's unchanged pages are linked
    assert placed[3:] == ["aurora/pagina-1/index.html", "aurora/pagina-2/index.html", "aurora/cerca/index.html"]
    assert (tmp_path / "secondo/aurora/pagina-1/index.html").stat().st_ino == (
        tmp_path / "primo/aurora/pagina-1/index.html"
    ).stat().st_ino


def test_files_left_in_the_reused_staging_folder_are_never_published(make_site, run):
    """The site before the last one becomes the next staging folder; it is pruned site by site (the edited territory
    first), and whatever no page of this build is, in any territory or at the top, does not reach the new site."""
    root = make_site(EXTRA)
    for _ in range(2):
        assert run(TODAY, cwd=root)[0] == 0
    spare = root / ".site.precedente"
    (spare / "aurora/vecchia-pagina.html").write_text("una pagina di prima", encoding="utf-8")  # a territory not edited
    (spare / "dora/storie/vecchia").mkdir(parents=True, exist_ok=True)
    (spare / "dora/storie/vecchia/index.html").write_text("una storia tolta", encoding="utf-8")  # the edited one
    (spare / "ex-territorio").mkdir()
    (spare / "ex-territorio/index.html").write_text("un territorio tolto", encoding="utf-8")
    make_site(
        {
            "content/dora/storie/il-forno.md": story_md(
                "Il forno di Marco", persone="[marco]", extra="tag: [pane]\n", body="Il pane di Marco."
            )
        }
    )
    assert run(TODAY, cwd=root)[0] == 0
    incremental = build_digest(root / "site")
    assert not any("vecchi" in path or "ex-territorio" in path for path in incremental)
    shutil.rmtree(root / "site")
    shutil.rmtree(root / ".cache")
    shutil.rmtree(spare)
    assert run(TODAY, cwd=root)[0] == 0
    assert build_digest(root / "site") == incremental


def test_a_build_killed_while_the_search_mirror_changes_leaves_nothing_trusted(make_site, run):
    """Pagefind reads a mirror of each territory's pages kept in the build cache. A render worker removes the mirror's
    state before it writes a page there: what a killed build left half-written is copied again, never indexed."""
    from portale.build import workspace
    from portale.search import mirror as search_mirror

    root = make_site(EXTRA)
    for _ in range(2):
        assert run(TODAY, cwd=root)[0] == 0
    mirror = workspace.search_mirrors(root, root / "site") / "aurora"
    search_mirror.mirror_page(
        mirror,
        "storie/la-festa/index.html",
        b"<html><body><main data-pagefind-body>Una pagina scritta a meta</main></body></html>",
    )
    make_site(
        {"content/aurora/storie/nuova.md": story_md("Una storia nuova", extra="tag: [festa]\n")}
    )  # aurora is indexed again
    assert run(TODAY, cwd=root)[0] == 0
    incremental = build_digest(root / "site")
    shutil.rmtree(root / "site")
    shutil.rmtree(root / ".cache")
    assert run(TODAY, cwd=root)[0] == 0
    assert build_digest(root / "site") == incremental
