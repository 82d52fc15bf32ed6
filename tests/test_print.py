"""On paper: the notice board, a need's shop-window sheet, the interview forms, printed stories; their QR codes read
back by a real decoder (zbarimg) from the pages Chromium (and WeasyPrint, when installed) prints."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import need_md, org_md, person_md, read

from portale.content import schema
from portale.pages import pdf

TODAY = "2026-12-03"
BASE = "https://saperi.example.org/"

PRINT_FILES = {
    # open, with a deadline; closed; a draft; one met by a concluded action
    "content/aurora/bisogni/biciclette.md": need_md(
        "Biciclette per i ragazzi", "[riparazione-biciclette]", "scadenza: 2027-03-31\nsommario: Dieci bici.\n"
    ),
    "content/aurora/bisogni/chiuso.md": need_md("Un forno per la festa", "[panificazione]", "stato: chiuso\n"),
    "content/aurora/bisogni/segreto.md": need_md("Un bisogno in bozza", "[sartoria]", "bozza: true\n"),
    "content/aurora/bisogni/orlo.md": need_md("Accorciare i pantaloni", "[sartoria]"),
    "content/aurora/azioni/cucito.md": (
        "---\ntitolo: Cucito in cortile\ndata: 2026-01-10\nstato: conclusa\nbisogni: [orlo]\n"
        "appuntamenti:\n  - inizio: 2026-02-01 10:00\n---\nCome è andata.\n"
    ),
    "content/aurora/azioni/merende.md": (
        "---\ntitolo: Merende al parco\ndata: 2026-10-01\nstato: in-corso\n"
        'appuntamenti:\n  - inizio: 2026-12-10 16:00\n    fine: "18:00"\n    luogo: Parco Dora\n'
        "    ripeti: {ogni: settimana, fino: 2027-06-30}\n---\nOgni giovedì.\n"
    ),
    "content/aurora/azioni/bozza.md": (
        "---\ntitolo: Un’azione in bozza\ndata: 2026-10-01\nstato: proposta\nbozza: true\n"
        "appuntamenti:\n  - inizio: 2026-12-12 10:00\n---\nNon ancora.\n"
    ),
    "content/aurora/persone/la-sarta.md": person_md(
        "Giovanna Ferrero", "[sartoria]", "visibilita: pseudonimo\npseudonimo: La sarta del cortile\n"
    ),
    "content/aurora/persone/mario.md": person_md("Mario Bellone", "[panificazione]", "visibilita: solo-nome\n"),
    "content/aurora/persone/senza.md": (
        "---\nnome: Teresa Gallo\ntipo: persona\nconsenso: {data: 2025-01-10, riferimento: modulo 9, ambito: [ricerca]}\n"
        "saperi: [cucina-etnica]\n---\nNon sul web.\n"
    ),
}


def build(make_site, run, files=None, command="build") -> Path:
    root = make_site({**PRINT_FILES, **(files or {})})
    code, out = run([command, "--oggi", TODAY], root)
    assert code == 0, out
    return root


def board_html(root: Path, slug: str = "aurora") -> str:
    return read(root, f"site/{slug}/bacheca/index.html")


def test_the_board_shows_open_needs_next_meetings_shown_names_and_the_portineria_only(make_site, run):
    root = build(make_site, run)
    html = board_html(root)
    assert "Biciclette per i ragazzi" in html and "entro il 31 marzo 2027" in html
    for absent in ("Un forno per la festa", "Un bisogno in bozza", "Accorciare i pantaloni", "Un’azione in bozza"):
        assert absent not in html  # closed, draft, met by a concluded action, draft action
    assert "Merende al parco" in html and "giovedì 10 dicembre 2026" in html and "(ogni settimana)" in html
    assert "Cucito in cortile" not in html  # a past meeting is not on the board
    # the saperi offered here, by the names the pages show
    assert "La sarta del cortile" in html and "Giovanna" not in html and "Ferrero" not in html
    assert "Mario" in html and "Bellone" not in html
    assert "Teresa" not in html and "Gallo" not in html  # no web consent: neither name nor what only she offers
    assert "Cucina etnica" in html  # Anna Rossi offers it too, with consent
    assert "011 000 0001" in html and "lunedì–venerdì 9–13" in html  # the portineria's hours and contacts


def test_every_address_on_a_sheet_is_under_base_url_and_names_a_page_of_the_site(make_site, run):
    root = build(make_site, run)
    for rel in ("aurora/bacheca/index.html", "aurora/bisogni/biciclette/stampa/index.html"):
        text = re.sub(r"<[^>]+>", " ", read(root, f"site/{rel}"))
        addresses = set(re.findall(r"https?://[^\s<\"']+", text))
        assert addresses, rel
        for address in addresses:
            assert address.startswith(BASE), address
            assert (root / "site" / urlsplit(address).path.lstrip("/") / "index.html").is_file(), address


def test_only_an_open_need_has_a_shop_window_sheet(make_site, run):
    root = build(make_site, run)
    assert (root / "site/aurora/bisogni/biciclette/stampa/index.html").is_file()
    for slug in ("chiuso", "orlo", "segreto"):
        assert not (root / f"site/aurora/bisogni/{slug}/stampa").exists(), slug
    assert 'href="stampa/"' in read(root, "site/aurora/bisogni/biciclette/index.html")
    assert "stampa/" not in read(root, "site/aurora/bisogni/chiuso/index.html")


def test_the_forms_have_a_box_for_every_consent_scope_and_every_sapere_of_the_vocabulary(make_site, run, monkeypatch):
    monkeypatch.setitem(schema.CONSENT_SCOPES, "video", "I video in cui compaio possono essere pubblicati.")
    root = build(make_site, run)
    form = read(root, "site/moduli/scheda-dei-saperi/index.html")
    consent = read(root, "site/moduli/consenso/index.html")
    for scope, text in schema.CONSENT_SCOPES.items():
        for page in (form, consent):
            assert f'<span class="ambito">{scope}</span> {text}' in page
    assert form.count('class="casella"') >= len(schema.CONSENT_SCOPES) + 4  # scopes and the saperi at least
    for name in ("Cucina etnica", "Panificazione", "Riparazione biciclette", "Sartoria"):
        assert name in form and name in read(root, "site/moduli/bisogno/index.html")
    for choice in ("Nome e cognome", "Solo il nome", "pseudonimo"):  # visibilita's three choices
        assert choice in form
    assert "Numero del modulo" in form and "ritirare il consenso" in form and "La tua storia" in form


# --- printed, decoded ---------------------------------------------------------------------------------------

needs_tools = pytest.mark.skipif(
    not (shutil.which("zbarimg") and shutil.which("pdftoppm") and shutil.which("pdfinfo")),
    reason="zbarimg (zbar-tools) and pdftoppm/pdfinfo (poppler-utils) are needed: scripts/test.sh installs them",
)


def chromium_pdf(browser, page_file: Path, out: Path) -> Path:
    tab = browser.new_page()
    tab.goto(page_file.as_uri())
    tab.pdf(path=str(out), prefer_css_page_size=True, print_background=True)
    tab.close()
    return out


def page_count(pdf_file: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf_file)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def decoded(pdf_file: Path, tmp: Path) -> list[str]:
    """Every QR code on every page, as zbarimg reads it from a 150 dpi rendering."""
    prefix = tmp / pdf_file.stem
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf_file), str(prefix)], check=True)
    images = sorted(str(p) for p in tmp.glob(f"{pdf_file.stem}-*.png"))
    done = subprocess.run(["zbarimg", "--quiet", "--raw", *images], capture_output=True, text=True)
    return [line for line in done.stdout.splitlines() if line.strip()]


def printed_text(pdf_file: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf_file), "-"], capture_output=True, text=True, check=True).stdout


def assert_opens_pages(root: Path, codes: list[str]) -> None:
    for code in codes:
        assert code.startswith(BASE), code
        assert (root / "site" / code[len(BASE) :] / "index.html").is_file(), code


@needs_tools
def test_the_printed_board_fits_two_pages_and_each_code_opens_the_page_of_its_item(make_site, run, browser, tmp_path):
    root = build(make_site, run)
    sheet = chromium_pdf(browser, root / "site/aurora/bacheca/index.html", tmp_path / "bacheca.pdf")
    assert page_count(sheet) <= 2
    codes = decoded(sheet, tmp_path)
    assert_opens_pages(root, codes)
    expected = {
        f"{BASE}aurora/bisogni/biciclette/",
        f"{BASE}aurora/azioni/merende/",
        f"{BASE}aurora/saperi/sartoria/",
        f"{BASE}aurora/saperi/panificazione/",
        f"{BASE}aurora/saperi/cucina-etnica/",
        f"{BASE}aurora/saperi/riparazione-biciclette/",
        f"{BASE}aurora/",
    }
    assert set(codes) == expected and len(codes) == len(expected)


@needs_tools
def test_a_crowded_territory_still_prints_on_two_pages_and_says_how_much_more_is_online(
    make_site, run, browser, tmp_path
):
    many = {}
    for i in range(14):
        many[f"content/aurora/bisogni/bisogno-{i}.md"] = need_md(
            f"Un bisogno numero {i} con un titolo molto lungo che va a capo più di una volta sulla carta",
            "[sartoria, panificazione, cucina-etnica]",
            "sommario: " + "Una descrizione lunga di quello che serve, " * 6 + "\n",
        )
        many[f"content/aurora/persone/persona-{i}.md"] = person_md(
            f"Persona Numero{i}", "[cucina-etnica, panificazione, sartoria, riparazione-biciclette]"
        )
    for i in range(9):
        many[f"content/aurora/azioni/azione-{i}.md"] = (
            f"---\ntitolo: Un’azione numero {i} dal titolo lungo quanto una riga intera della bacheca\n"
            "data: 2026-10-01\nstato: in-corso\n"
            f"appuntamenti:\n  - inizio: 2026-12-{10 + i} 16:00\n    luogo: {'Un luogo con un nome lungo ' * 4}\n"
            "---\nUna.\n"
        )
    saperi = "\n".join(
        f"      - slug: sapere-{i}\n        nome: Un sapere dal nome piuttosto lungo numero {i}" for i in range(30)
    )
    vocabulary = read(make_site(), "content/saperi.yml") + (
        f"  - slug: altri\n    nome: Altri saperi\n    saperi:\n{saperi}\n"
    )
    many["content/saperi.yml"] = vocabulary
    many["content/aurora/persone/tuttofare.md"] = org_md(
        "Tuttofare", "[" + ", ".join(f"sapere-{i}" for i in range(30)) + "]"
    )
    root = build(make_site, run, many)
    sheet = chromium_pdf(browser, root / "site/aurora/bacheca/index.html", tmp_path / "piena.pdf")
    assert page_count(sheet) == 2
    html = board_html(root)
    assert re.search(
        r"Sul sito c’è di più:</strong>\s*\d+ altri bisogni, \d+ altri appuntamenti, \d+ altri saperi", html
    )
    codes = decoded(sheet, tmp_path)
    assert_opens_pages(root, codes)
    assert len(codes) == html.count('<svg aria-hidden="true"')  # every code printed reads back
    assert f"{BASE}aurora/" in codes  # where the rest is


@needs_tools
def test_a_need_sheet_is_one_page_and_a_printed_story_ends_with_its_address(make_site, run, browser, tmp_path):
    root = build(make_site, run)
    sheet = chromium_pdf(browser, root / "site/aurora/bisogni/biciclette/stampa/index.html", tmp_path / "vetrina.pdf")
    assert page_count(sheet) == 1
    assert decoded(sheet, tmp_path) == [f"{BASE}aurora/bisogni/biciclette/"]
    assert "011 000 0001" in printed_text(sheet)

    story = chromium_pdf(browser, root / "site/aurora/storie/la-festa/index.html", tmp_path / "storia.pdf")
    assert decoded(story, tmp_path) == [f"{BASE}aurora/storie/la-festa/"]
    text = printed_text(story)
    assert "La festa di via Como" in text and f"{BASE}aurora/storie/la-festa/" in text
    assert "Cerca in Aurora" not in text and "Persone\n" not in text  # no search form, no navigation


@needs_tools
def test_the_forms_print_and_the_consent_form_is_one_page(make_site, run, browser, tmp_path):
    root = build(make_site, run)
    form = chromium_pdf(browser, root / "site/moduli/scheda-dei-saperi/index.html", tmp_path / "scheda.pdf")
    assert 2 <= page_count(form) <= 4
    text = printed_text(form)
    assert all(scope in text for scope in schema.CONSENT_SCOPES)
    consent = chromium_pdf(browser, root / "site/moduli/consenso/index.html", tmp_path / "consenso.pdf")
    assert page_count(consent) == 1


# --- PDFs with WeasyPrint -----------------------------------------------------------------------------------


@pytest.mark.skipif(not pdf.available(), reason="WeasyPrint is not installed: pip install -e '.[stampa]'")
@needs_tools
def test_stampa_writes_the_pdfs_the_sheets_link_to_and_a_plain_build_takes_them_away(make_site, run, tmp_path):
    root = build(make_site, run, command="stampa")
    board = root / "site/aurora/bacheca/bacheca.pdf"
    assert page_count(board) <= 2
    assert 'href="bacheca.pdf"' in board_html(root)
    codes = decoded(board, tmp_path)
    assert f"{BASE}aurora/bisogni/biciclette/" in codes
    assert_opens_pages(root, codes)
    for name in ("scheda-dei-saperi", "consenso", "bisogno"):
        assert (root / f"site/moduli/{name}/{name}.pdf").read_bytes().startswith(b"%PDF-")
        assert f'href="{name}.pdf"' in read(root, f"site/moduli/{name}/index.html")
    assert "La sarta del cortile" in printed_text(board) and "Ferrero" not in printed_text(board)

    code, out = run(["build", "--oggi", TODAY], root)
    assert code == 0, out
    assert not board.exists() and "bacheca.pdf" not in board_html(root)


def test_stampa_without_weasyprint_says_how_to_install_it_and_writes_nothing(make_site, run, monkeypatch):
    root = make_site(PRINT_FILES)
    monkeypatch.setattr(pdf, "available", lambda: False)
    code, out = run(["stampa", "--oggi", TODAY], root)
    assert code == 2
    assert "pip install -e '.[stampa]'" in out and "libpango" in out
    assert not (root / "site").exists()
