"""Every validation rule: the exact message, file and line, exit code 1, and nothing written."""

from __future__ import annotations

import pytest
from conftest import person_md, story_md, tree_digest


def build_ok(make_site, run, files=None):
    root = make_site(files)
    code, out = run([], cwd=root)
    assert code == 0, out
    return root


def case(id, path, text, expected):
    return pytest.param(path, text, expected, id=id)


CASES = [
    case(
        "yaml-syntax",
        "content/aurora/storie/rotta.md",
        "---\ntitolo: Ore 10: colazione\ndata: 2025-01-01\n---\nTesto\n",
        'content/aurora/storie/rotta.md:2: YAML non valido: c\'è un ":" di troppo in un valore',
    ),
    case(
        "missing-required",
        "content/aurora/storie/rotta.md",
        "---\ntitolo: Senza data\npersone: []\n---\nTesto\n",
        'content/aurora/storie/rotta.md:2: manca "data": è obbligatorio',
    ),
    case(
        "date-not-a-date",
        "content/aurora/storie/rotta.md",
        story_md("Data sbagliata", date="15/03/2024"),
        'content/aurora/storie/rotta.md:3: "data" deve essere una data nel formato AAAA-MM-GG, non "15/03/2024"',
    ),
    case(
        "impossible-date",
        "content/aurora/storie/rotta.md",
        story_md("Data impossibile", date="2024-02-30"),
        'content/aurora/storie/rotta.md:3: la data "2024-02-30" non esiste',
    ),
    case(
        "string-where-list",
        "content/aurora/storie/rotta.md",
        story_md("Persone come testo", persone="anna-rossi"),
        'content/aurora/storie/rotta.md:4: "persone" deve essere una lista, non "anna-rossi"',
    ),
    case(
        "unknown-person",
        "content/aurora/storie/rotta.md",
        story_md("Chi è?", persone="[anna-rosi]"),
        'content/aurora/storie/rotta.md:4: persona sconosciuta "anna-rosi" — forse "anna-rossi"?',
    ),
    case(
        "unknown-territory-person",
        "content/aurora/storie/rotta.md",
        story_md("Altrove", persone="[oulx/anna-rossi]"),
        'content/aurora/storie/rotta.md:4: persona sconosciuta "oulx/anna-rossi" — il territorio "oulx" non esiste',
    ),
    case(
        "unknown-skill",
        "content/aurora/persone/marco.md",
        person_md("Marco", "[cucina-etnic]"),
        'content/aurora/persone/marco.md:5: sapere sconosciuto "cucina-etnic" — forse "cucina-etnica"? (vedi content/saperi.yml)',
    ),
    case(
        "person-without-consent",
        "content/aurora/persone/marco.md",
        "---\nnome: Marco\ntipo: persona\n---\nCiao\n",
        'content/aurora/persone/marco.md:2: manca "consenso": è obbligatorio quando tipo è "persona"',
    ),
    case(
        "bad-slug",
        "content/aurora/storie/Festa_Grande.md",
        story_md("Slug sbagliato"),
        'content/aurora/storie/Festa_Grande.md:1: nome del file non valido "Festa_Grande" — usa solo lettere minuscole, cifre e trattini: rinomina in "festa-grande"',
    ),
    case(
        "duplicate-slug",
        "content/aurora/storie/la-festa/index.md",
        story_md("Doppione"),
        'content/aurora/storie/la-festa/index.md:1: slug doppio "la-festa": content/aurora/storie/la-festa.md pubblica già la stessa pagina',
    ),
    case(
        "not-utf8",
        "content/aurora/storie/latin.md",
        "---\ntitolo: Caff\xe8\ndata: 2025-01-01\n---\n".encode("latin-1"),
        "content/aurora/storie/latin.md:2: il file non è in UTF-8 (byte e8 alla colonna 13)",
    ),
    case(
        "territory-without-file",
        "content/oulx/storie/sola.md",
        story_md("Territorio senza scheda"),
        'content/oulx: la cartella del territorio "oulx" non ha territorio.md',
    ),
    case(
        "bool-not-bool",
        "content/aurora/storie/rotta.md",
        story_md("Bozza ambigua", extra="bozza: si\n"),
        'content/aurora/storie/rotta.md:5: "bozza" deve essere true oppure false, non "si"',
    ),
    case(
        "unclosed-front-matter",
        "content/aurora/storie/rotta.md",
        story_md("Non chiuso").replace("---\nUna", "Una"),
        "content/aurora/storie/rotta.md:1: il front matter non è chiuso",
    ),
    case(
        "duplicate-key",
        "content/aurora/storie/rotta.md",
        story_md("Due titoli", extra="titolo: Un altro\n"),
        'content/aurora/storie/rotta.md:5: la chiave "titolo" è ripetuta',
    ),
    case(
        "url-scheme",
        "content/aurora/persone/org.md",
        "---\nnome: Org\ntipo: organizzazione\nsito: javascript:alert(1)\n---\nCiao\n",
        'content/aurora/persone/org.md:4: "sito" deve essere un indirizzo web che inizia con https:// o http://',
    ),
]


@pytest.mark.parametrize("path, text, expected", CASES)
def test_rule_reports_file_line_and_writes_nothing(make_site, run, path, text, expected):
    root = build_ok(make_site, run)
    before = tree_digest(root / "site")
    make_site({path: text})
    code, out = run([], cwd=root)
    assert code == 1, out
    assert expected in out
    assert "Niente è stato scritto in site/." in out
    assert tree_digest(root / "site") == before


@pytest.mark.parametrize("path, text, expected", CASES)
def test_check_reports_the_same(make_site, run, path, text, expected):
    root = make_site({path: text})
    code, out = run(["check"], cwd=root)
    assert code == 1
    assert expected in out
    assert not (root / "site").exists()


def test_all_errors_of_all_files_are_collected(make_site, run):
    root = make_site(
        {
            "content/aurora/storie/a.md": story_md("A", date="ieri"),
            "content/dora/storie/b.md": story_md("B", persone="[nessuno]"),
            "content/aurora/persone/c.md": person_md("C", "[sartoriaa]"),
        }
    )
    code, out = run(["check"], cwd=root)
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("content/")]
    assert [line.split(":")[0] for line in lines] == [
        "content/aurora/persone/c.md",
        "content/aurora/storie/a.md",
        "content/dora/storie/b.md",
    ]
    assert "3 problemi" in out


def test_unknown_key_is_a_warning_with_the_closest_key(make_site, run):
    root = make_site({"content/aurora/storie/refuso.md": story_md("Refuso", extra="sommaro: Un riassunto\n")})
    code, out = run([], cwd=root)
    assert code == 0
    assert (
        'content/aurora/storie/refuso.md:5: avviso: chiave sconosciuta "sommaro", sarà ignorata — forse "sommario"?'
        in out
    )
    assert (root / "site/aurora/storie/refuso/index.html").exists()


def test_yaml_errors_report_the_parser_line_inside_the_file(make_site, run):
    text = "---\ntitolo: Prova\ndata: 2025-01-01\npersone: [anna-rossi\ntag: [x]\n---\nTesto\n"
    root = make_site({"content/aurora/storie/rotta.md": text})
    code, out = run(["check"], cwd=root)
    assert code == 1
    assert "content/aurora/storie/rotta.md:5: YAML non valido" in out


def test_yaml_11_words_stay_text(make_site, run):
    # "NO" (Norway) is not a boolean and "10:00" is not a number of seconds.
    root = make_site({"content/aurora/storie/norvegia.md": story_md("NO", extra="sommario: 10:00\n")})
    code, out = run([], cwd=root)
    assert code == 0, out
    html = (root / "site/aurora/storie/norvegia/index.html").read_text()
    assert "<h1>NO</h1>" in html and "10:00" in html


def test_a_clean_check_says_so(make_site, run):
    code, out = run(["check"], cwd=make_site())
    assert code == 0
    assert "Tutto a posto" in out
