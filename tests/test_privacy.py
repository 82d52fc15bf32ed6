"""Consent, privacy levels and contact data: what a person did not allow never reaches site/."""

from __future__ import annotations

import pytest
from conftest import org_md, person_md, read, site_files_text, story_md, tree_digest

SOLO_NOME = "visibilita: solo-nome\n"


def leaks(site, *words: str) -> list[str]:
    """Every output file whose path or text contains one of the words (any case)."""
    found = []
    for rel, text in site_files_text(site).items():
        for word in words:
            if word.casefold() in rel.casefold() or word.casefold() in text.casefold():
                found.append(f"{rel}: {word}")
    return found


def test_solo_nome_hides_the_surname_in_every_output_file(make_site, run):
    files = {
        "content/aurora/persone/anna-rossi.md": None,
        "content/aurora/persone/anna.md": person_md(
            "Anna Rossi",
            "[cucina-etnica]",
            extra=SOLO_NOME + "ruolo: Cuoca, Anna Rossi per gli amici\n",
            body="Mi chiamo Anna Rossi e cucino.",
        ),
        "content/aurora/storie/la-festa.md": story_md(
            "Il cous cous di Anna  Rossi",
            persone="[anna, ciclofficina]",
            extra="sommario: Anna ROSSI racconta\ntag: [anna rossi]\n",
            body="Ieri\nAnna\nRossi ha cucinato.",
        ),
        "content/dora/storie/il-parco.md": story_md(
            "Il parco Dora", persone="[aurora/anna]", body="Al parco c'era anche Anna Rossi."
        ),
    }
    root = make_site(files)
    code, out = run(["--oggi", "2026-01-15"], cwd=root)
    assert code == 0, out
    assert (
        'content/aurora/storie/la-festa.md:2: avviso: il nome completo di "aurora/anna" compare nel testo (4 volte): la persona ha visibilita: solo-nome, quindi sarà sostituito con «Anna»'
        in out
    )
    assert 'content/dora/storie/il-parco.md:6: avviso: il nome completo di "aurora/anna"' in out
    assert leaks(root / "site", "Rossi") == []
    assert "<h1>Anna</h1>" in read(root, "site/aurora/persone/anna/index.html")
    assert "Il cous cous di Anna</h1>" in read(root, "site/aurora/storie/la-festa/index.html")


@pytest.mark.parametrize(
    "files, expected",
    [
        pytest.param(
            {"content/aurora/persone/anna-rossi.md": person_md("Anna Rossi", extra=SOLO_NOME)},
            'content/aurora/persone/anna-rossi.md:1: il nome del file "anna-rossi" contiene la parte nascosta del nome di "aurora/anna-rossi" (visibilita: solo-nome) — rinomina il file, per esempio in "anna"',
            id="surname-in-file-name",
        ),
        pytest.param(
            {
                "content/aurora/persone/anna-rossi.md": None,
                "content/aurora/storie/la-festa.md": story_md("Festa", persone="[anna]"),
                "content/aurora/persone/anna.md": person_md(
                    "Anna Rossi", extra=SOLO_NOME, body="Sono nata a Bari.\nLa signora Rossi cucina."
                ),
            },
            'content/aurora/persone/anna.md:9: compare «rossi», la parte nascosta del nome di "aurora/anna" (visibilita: solo-nome)',
            id="surname-alone-in-own-body",
        ),
        pytest.param(
            {
                "content/aurora/persone/anna-rossi.md": None,
                "content/aurora/storie/la-festa.md": story_md("Festa", persone="[anna]"),
                "content/aurora/persone/anna.md": person_md(
                    "Anna Rossi", extra=SOLO_NOME + "immagine: {file: anna_rossi.jpg, alt: Anna}\n"
                ),
            },
            "content/aurora/persone/anna.md:7: compare «rossi», la parte nascosta del nome",
            id="surname-in-picture-name",
        ),
        pytest.param(
            {
                "content/aurora/persone/anna-rossi.md": None,
                "content/aurora/persone/anna.md": person_md("Anna Rossi", extra=SOLO_NOME),
                "content/aurora/storie/la-festa.md": story_md(
                    "Festa", persone="[anna]", extra="sommario: Dai Rossi si mangia bene\n"
                ),
            },
            'content/aurora/storie/la-festa.md:5: compare «rossi», la parte nascosta del nome di "aurora/anna" (visibilita: solo-nome)',
            id="surname-in-story-that-lists-her",
        ),
        pytest.param(
            {
                "content/aurora/persone/anna-rossi.md": None,
                "content/aurora/storie/la-festa.md": story_md("Festa", persone="[zia]"),
                "content/aurora/persone/zia.md": person_md(
                    "Rosaria Lentini", extra="visibilita: pseudonimo\npseudonimo: Zia Rosa\n", body="Rosaria cucina."
                ),
            },
            'content/aurora/persone/zia.md:9: compare «rosaria», la parte nascosta del nome di "aurora/zia" (visibilita: pseudonimo)',
            id="real-first-name-with-pseudonym",
        ),
        pytest.param(
            {
                "content/aurora/persone/anna-rossi.md": None,
                "content/aurora/storie/la-festa.md": story_md("Festa", persone="[anna]", body="Il banco dei Rossì."),
                "content/aurora/persone/anna.md": person_md("Anna Rossi", extra=SOLO_NOME),
            },
            "content/aurora/storie/la-festa.md:6: compare «rossi»",
            id="accents-and-case-do-not-hide-it",
        ),
    ],
)
def test_hidden_part_of_a_name_is_an_error_with_its_line(make_site, run, files, expected):
    root = make_site()
    code, _ = run([], cwd=root)
    assert code == 0
    before = tree_digest(root / "site")
    make_site(files)
    code, out = run([], cwd=root)
    assert code == 1, out
    assert expected in out
    assert tree_digest(root / "site") == before


def test_a_surname_in_a_story_that_does_not_list_the_person_is_not_judged(make_site, run):
    """Another family may share the surname: only the full name is replaced, everywhere."""
    files = {
        "content/aurora/persone/anna-rossi.md": None,
        "content/aurora/persone/anna.md": person_md("Anna Rossi", extra=SOLO_NOME),
        "content/dora/storie/il-parco.md": story_md("Il parco", body="Il bar dei Rossi ha riaperto."),
        "content/aurora/storie/la-festa.md": story_md("La festa", persone="[anna]"),
    }
    root = make_site(files)
    code, out = run([], cwd=root)
    assert code == 0, out
    assert "Il bar dei Rossi" in read(root, "site/dora/storie/il-parco/index.html")


def test_revoked_consent_takes_the_person_off_the_whole_site(make_site, run):
    revoked = person_md("Rita Ritirata", "[cucina-etnica]").replace(
        "ambito: [web]", "ambito: [web, foto], revocato: 2025-06-01"
    )
    files = {
        "content/aurora/persone/rita.md": revoked,
        "content/aurora/storie/la-festa.md": story_md(
            "Rita Ritirata alla festa", persone="[rita, anna-rossi]", body="Rita Ritirata ha portato il pane."
        ),
        "content/dora/storie/il-parco.md": story_md("Il parco", body="Al parco c'era Rita  Ritirata."),
    }
    root = make_site(files)
    code, out = run(["--oggi", "2025-05-31"], cwd=root)
    assert code == 0, out
    assert (root / "site/aurora/persone/rita/index.html").exists()  # the day before the withdrawal
    code, out = run(["--oggi", "2025-06-01"], cwd=root)
    assert code == 0, out
    assert 'content/aurora/storie/la-festa.md:4: avviso: la persona "rita" non è pubblicata' in out
    assert (
        'content/aurora/storie/la-festa.md:2: avviso: il nome completo di "aurora/rita" compare nel testo (2 volte)'
        in out
    )
    assert 'content/dora/storie/il-parco.md:6: avviso: il nome completo di "aurora/rita"' in out
    assert not (root / "site/aurora/persone/rita").exists()
    assert leaks(root / "site", "Ritirata") == []
    story = read(root, "site/aurora/storie/la-festa/index.html")
    assert "<h1>una persona della comunità alla festa</h1>" in story
    assert "una persona della comunità ha portato il pane" in story


def test_person_without_web_consent_is_nowhere(make_site, run):
    files = {
        "content/aurora/persone/ugo.md": person_md("Ugo Nascosto", "[cucina-etnica]").replace(
            "ambito: [web]", "ambito: [ricerca]"
        )
    }
    root = make_site(files)
    code, out = run([], cwd=root)
    assert code == 0, out
    assert leaks(root / "site", "Nascosto", "/ugo") == []


# --- contact data ---------------------------------------------------------------------------

CONTACTS = [
    pytest.param(
        "ruolo: Sarta, anna.rossi@gmail.com\n",
        "",
        6,
        "un indirizzo e-mail («anna.rossi@gmail.com»)",
        id="email-in-front-matter",
    ),
    pytest.param(
        "",
        "Scrivetemi: anna [at] gmail [dot] com",
        7,
        "un indirizzo e-mail («anna [at] gmail [dot] com»)",
        id="obfuscated-email",
    ),
    pytest.param(
        "", "Ciao.\n\nChiamatemi al 333 123 4567.", 9, "un numero di telefono («333 123 4567»)", id="mobile-in-body"
    ),
    pytest.param(
        "",
        "Il mio fisso: +39 011-765-4321",
        7,
        "un numero di telefono («+39 011-765-4321»)",
        id="landline-international",
    ),
    pytest.param(
        "saperi: [{sapere: sartoria, descrizione: in Corso Giulio Cesare 45/b}]\n",
        "",
        5,
        "un indirizzo («Corso Giulio Cesare 45/b»)",
        id="address-in-skill-description",
    ),
    pytest.param(
        "", "Abito in via Como, 12, al secondo piano.", 7, "un indirizzo («via Como, 12»)", id="address-in-body"
    ),
]


@pytest.mark.parametrize("extra, body, line, expected", CONTACTS)
def test_contact_data_of_a_persona_is_an_error(make_site, run, extra, body, line, expected):
    text = person_md(
        "Anna Rossi", "[cucina-etnica]" if "saperi" not in extra else "[]", extra=extra, body=body or "Una biografia."
    )
    if "saperi:" in extra:
        text = text.replace("saperi: []\n", "")
    root = make_site({"content/aurora/persone/anna-rossi.md": text})
    code, out = run(["check"], cwd=root)
    assert code == 1, out
    assert f"content/aurora/persone/anna-rossi.md:{line}: c'è {expected}: i contatti personali non si pubblicano" in out


@pytest.mark.parametrize(
    "body",
    [
        "Abita in via Como da trent'anni.",
        "Nel 1998 ha aperto il banco, 3 figli.",
        "Il corso di italiano 2 volte a settimana.",
        "Dal 03/05/2019 al 2024-03-15, 30 000 visite.",
    ],
)
def test_ordinary_numbers_and_street_names_are_fine(make_site, run, body):
    root = make_site({"content/aurora/persone/anna-rossi.md": person_md("Anna Rossi", body=body)})
    code, out = run(["check"], cwd=root)
    assert code == 0, out


def test_organisations_need_the_allow_list_to_show_contacts(make_site, run):
    library = org_md("Biblioteca civica", extra="ruolo: Biblioteca del Comune, via Como 5, tel. 011 011 1234\n")
    root = make_site({"content/aurora/persone/biblioteca.md": library})
    code, out = run(["check"], cwd=root)
    assert code == 1
    assert "content/aurora/persone/biblioteca.md:6: c'è un numero di telefono" in out

    portal = (root / "content/portale.yml").read_text() + "contatti_pubblici: [aurora/biblioteca]\n"
    make_site({"content/portale.yml": portal})
    code, out = run([], cwd=root)
    assert code == 0, out
    assert "011 011 1234" in read(root, "site/aurora/persone/biblioteca/index.html")
    # the portineria's own contacts in territorio.md were never a problem
    assert "011 000 0001" in read(root, "site/aurora/index.html")


@pytest.mark.parametrize(
    "entry, expected",
    [
        (
            "aurora/anna-rossi",
            'content/portale.yml:6: "contatti_pubblici": "aurora/anna-rossi" è una persona, non un\'organizzazione',
        ),
        ("aurora/nessuno", 'content/portale.yml:6: "contatti_pubblici": "aurora/nessuno" non esiste'),
    ],
)
def test_allow_list_names_existing_organisations_only(make_site, run, entry, expected):
    root = make_site()
    portal = (root / "content/portale.yml").read_text() + f"contatti_pubblici: [{entry}]\n"
    make_site({"content/portale.yml": portal})
    code, out = run(["check"], cwd=root)
    assert code == 1
    assert expected in out


def test_a_draft_person_with_solo_nome_is_protected_already(make_site, run):
    files = {
        "content/aurora/persone/anna-rossi.md": None,
        "content/aurora/persone/anna.md": person_md("Anna Rossi", extra=SOLO_NOME + "bozza: true\n"),
        "content/dora/storie/il-parco.md": story_md("Il parco", body="Al parco c'era Anna Rossi."),
        "content/aurora/storie/la-festa.md": story_md("La festa"),
    }
    root = make_site(files)
    code, out = run([], cwd=root)
    assert code == 0, out
    assert leaks(root / "site", "Rossi") == []
    assert "Al parco c'era Anna." in read(root, "site/dora/storie/il-parco/index.html")
