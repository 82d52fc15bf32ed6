"""Texts in other languages, as an editor writes them and a reader meets them: translations by file name, the
language and direction of every page, the versions linked to each other, the interface in the text's language,
dates, search per language in Chromium, privacy in every script, feeds, sitemaps and open data."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import BASE_FILES, person_md, read, site_files_text, story_md, write_project
from test_search import results, static_server

from portale import cli
from portale.content import languages
from portale.pages import locales

ARABIC_STORY = """\
---
titolo: عيد شارع كومو
sommario: كل ربيع يطبخ سكان الحي معاً في الشارع.
tradotto_da: متطوعة من البوابة مع Anna Rossi
---
في كل ربيع يخرج سكان أورورا إلى شارع كومو ويطبخون معاً. تحكي Anna Rossi عن الكسكس والخبز.

## السوق

الخبّازة تبيع خبز السميد في السوق كل سبت.
"""
CHINESE_STORY = """\
---
titolo: 科莫街的节日
sommario: 一个关于街区节日的故事。
---
每年春天，奥罗拉街区的居民在科莫街上一起做饭。裁缝师傅带来了她的缝纫机，孩子们学习缝纽扣。
"""
FILES = {
    "content/aurora/storie/la-festa.ar.md": ARABIC_STORY,
    "content/aurora/storie/la-festa.zh.md": CHINESE_STORY,
    # an original told in Romanian, with its Italian translation
    "content/aurora/storie/painea.md": story_md(
        "Pâinea de joi", date="2025-05-02", extra="lingua: ro\n", body="În fiecare joi frământăm pâine împreună."
    ),
    "content/aurora/storie/painea.it.md": "---\ntitolo: Il pane del giovedì\n---\nOgni giovedì impastiamo il pane insieme.\n",
    "content/aurora/persone/anna-rossi.ar.md": "---\nruolo: طبّاخة في الحي\n---\nسيرة آنا.\n",
    "content/aurora/bisogni/biciclette.ro.md": "---\ntitolo: Biciclete pentru copii\n---\nCăutăm ajutor.\n",
}


def build(root: Path, *args: str) -> tuple[int, str]:
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        code = cli.main(["--oggi", "2026-12-06", *args], root=root)
    return code, buffer.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("lingue") / "progetto"
    write_project(root, {**BASE_FILES, **FILES})
    code, out = build(root)
    assert code == 0, out
    return root


def html_root(root: Path, rel: str) -> tuple[str, str]:
    tag = re.search(r"<html\b[^>]*>", read(root, rel)).group(0)
    return re.search(r'lang="([^"]+)"', tag).group(1), re.search(r'dir="([^"]+)"', tag).group(1)


# --- what an editor writes, and what is refused ------------------------------------------------


@pytest.mark.parametrize(
    "files, where, message, hint",
    [
        (
            {"content/aurora/storie/la-festa.md": story_md("La festa", extra="lingua: arabo\n")},
            "content/aurora/storie/la-festa.md:5",
            'codice di lingua sconosciuto "arabo"',
            'forse "ar"',
        ),
        (
            {"content/aurora/storie/la-festa.arb.md": "---\ntitolo: x\n---\ny\n"},
            "content/aurora/storie/la-festa.arb.md:1",
            'lingua sconosciuta "arb"',
            "la-festa.ar.md",
        ),
        (
            {"content/aurora/storie/la-fest.ar.md": "---\ntitolo: عيد\n---\nنص\n"},
            "content/aurora/storie/la-fest.ar.md:1",
            "traduzione senza originale",
            'forse l\'originale è "la-festa": rinomina il file in la-festa.ar.md',
        ),
        (
            {"content/aurora/storie/la-festa.it.md": "---\ntitolo: La festa\n---\nTesto.\n"},
            "content/aurora/storie/la-festa.it.md:1",
            "traduzione nella stessa lingua dell'originale (it, italiano)",
            "lingua:",
        ),
        (
            {"content/aurora/storie/la-festa.ar.md": "---\ntitolo: عيد\npersone: [marco-nuovo]\n---\nنص\n"},
            "content/aurora/storie/la-festa.ar.md:3",
            'la traduzione nomina "marco-nuovo", che l\'originale non nomina',
            "solo le persone dell'originale",
        ),
        (
            {"content/aurora/storie/la-festa.ar.md": "---\ntitolo: عيد\nlingua: zh\n---\nنص\n"},
            "content/aurora/storie/la-festa.ar.md:3",
            '"lingua: zh" non è la lingua del nome del file (ar)',
            "togli la riga lingua:",
        ),
    ],
    ids=["unknown-code", "unknown-code-in-file-name", "orphan", "same-language", "new-person", "two-languages"],
)
def test_a_wrong_language_or_translation_is_an_error_at_its_line_and_nothing_is_written(
    make_site, run, files, where, message, hint
):
    root = make_site()
    assert run([], root)[0] == 0
    before = (root / "site/index.html").read_bytes()
    make_site(files)
    code, out = run([], root)
    assert code == 1
    line = next(line for line in out.splitlines() if message in line)
    assert line.startswith(where), out
    assert hint in out
    assert (root / "site/index.html").read_bytes() == before


def test_a_key_the_translation_takes_from_its_original_is_a_warning(make_site, run):
    root = make_site({"content/aurora/storie/la-festa.ar.md": "---\ntitolo: عيد\ntag: [festa]\n---\nنص\n"})
    code, out = run(["check"], root)
    assert code == 0
    assert 'content/aurora/storie/la-festa.ar.md:3: avviso: una traduzione prende "tag" dal testo originale' in out


def test_a_private_use_tag_for_a_dialect_is_known_and_named():
    assert languages.is_known("pms-x-canavese")
    assert languages.autonym("pms-x-canavese") == "Piemontèis canavzan"
    assert not languages.is_known("pms-x-inventato")
    assert languages.closest("cinese") == "zh"


# --- pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rel, lang, direction",
    [
        ("site/aurora/storie/la-festa/index.html", "it", "ltr"),
        ("site/aurora/storie/la-festa/ar/index.html", "ar", "rtl"),
        ("site/aurora/storie/la-festa/zh/index.html", "zh", "ltr"),
        ("site/aurora/storie/painea/index.html", "ro", "ltr"),
        ("site/aurora/storie/painea/it/index.html", "it", "ltr"),
        ("site/aurora/persone/anna-rossi/ar/index.html", "ar", "rtl"),
        ("site/aurora/bisogni/biciclette/ro/index.html", "ro", "ltr"),
        ("site/aurora/cerca/ar/index.html", "ar", "rtl"),
        ("site/aurora/storie/index.html", "it", "ltr"),
    ],
)
def test_every_page_says_its_language_and_direction_on_its_root(site, rel, lang, direction):
    assert html_root(site, rel) == (lang, direction)


def test_each_version_links_to_the_others_by_their_own_names_and_in_the_head(site):
    html = read(site, "site/aurora/storie/la-festa/ar/index.html")
    nav = re.search(r'<nav class="lingue".*?</nav>', html, re.S).group(0)
    assert '<a href="../" hreflang="it" lang="it" dir="ltr">Italiano</a>' in nav
    assert '<a href="../zh/" hreflang="zh" lang="zh" dir="ltr">中文</a>' in nav
    assert '<span aria-current="page" lang="ar" dir="rtl">العربية</span>' in nav
    head = html.split("</head>")[0]
    for code, path in (("it", ""), ("ar", "ar/"), ("zh", "zh/"), ("x-default", "")):
        assert (
            f'<link rel="alternate" hreflang="{code}" href="https://saperi.example.org/aurora/storie/la-festa/{path}">'
            in head
        )


def test_a_translation_has_its_own_words_and_shares_the_people_and_tags(site):
    html = read(site, "site/aurora/storie/la-festa/ar/index.html")
    assert "<h1>عيد شارع كومو</h1>" in html
    assert "الخبّازة تبيع خبز السميد" in html
    assert "متطوعة من البوابة" in html  # who translated
    assert 'href="../../../persone/anna-rossi/ar/"><bdi>Anna Rossi</bdi></a>' in html  # her Arabic page
    assert "طبّاخة في الحي" in html  # her role, from her own translation
    assert 'href="../../../parole/festa/" lang="it" dir="ltr">festa</a>' in html  # the tags: Italian words, said so


def test_lists_show_the_original_and_mark_its_languages(site):
    html = read(site, "site/aurora/storie/index.html")
    assert html.count(">La festa di via Como</a>") == 1
    assert "عيد شارع كومو" not in html
    assert '<a href="la-festa/ar/" hreflang="ar" lang="ar" dir="rtl">العربية</a>' in html
    assert '<a href="painea/" lang="ro">Pâinea de joi</a>' in html  # an original in Romanian, said so
    needs = read(site, "site/aurora/bisogni/index.html")
    assert '<a href="biciclette/ro/" hreflang="ro" lang="ro" dir="ltr">Română</a>' in needs
    people = read(site, "site/aurora/persone/index.html")
    assert '<a href="anna-rossi/ar/" hreflang="ar" lang="ar" dir="rtl">العربية</a>' in people


def test_the_page_of_texts_by_language_lists_each_language_and_its_texts(site):
    for rel, prefix in (("site/aurora/lingue/index.html", "../"), ("site/lingue/index.html", "../aurora/")):
        html = read(site, rel)
        assert "Storie in altre lingue" in html
        arabic = re.search(r'<section aria-labelledby="lingua-ar">.*?</section>', html, re.S).group(0)
        assert "العربية" in arabic and "arabo" in arabic
        assert f'href="{prefix}storie/la-festa/ar/">عيد شارع كومو</a>' in arabic
        assert f'href="{prefix}persone/anna-rossi/ar/"><bdi>Anna Rossi</bdi></a>' in arabic
        romanian = re.search(r'<section aria-labelledby="lingua-ro">.*?</section>', html, re.S).group(0)
        assert "Pâinea de joi" in romanian and "Biciclete pentru copii" in romanian


# --- the interface in the text's language -------------------------------------------------------


def test_a_page_speaks_its_language_where_a_catalogue_has_it_and_italian_elsewhere(site):
    assert "من يظهر في هذه الحكاية" in read(site, "site/aurora/storie/la-festa/ar/index.html")
    assert "故事中的人物" in read(site, "site/aurora/storie/la-festa/zh/index.html")
    assert "Chi compare in questa storia" in read(site, "site/aurora/storie/la-festa/index.html")


def test_a_partial_catalogue_falls_back_to_italian_string_by_string(tmp_path):
    po = tmp_path / "xx" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Storie"\nmsgstr "Stories"\n\n#, fuzzy\nmsgid "Persone"\nmsgstr "Gente"\n',
        encoding="utf-8",
    )
    catalogues = locales.Catalogues(tmp_path)
    translations = catalogues.translations("xx")
    assert translations.gettext("Storie") == "Stories"
    assert translations.gettext("Persone") == "Persone"  # a fuzzy entry is not published
    assert translations.gettext("Bisogni") == "Bisogni"
    assert catalogues.catalogue_language("pms") == "it"


@pytest.mark.parametrize(
    "code, expected",
    [
        ("it", "14 marzo 2026"),
        ("en", "14 March 2026"),
        ("ar", "١٤ مارس ٢٠٢٦"),
        ("fr", "14 mars 2026"),
        ("ro", "14 martie 2026"),
        ("zh", "2026年3月14日"),
        ("pms", "14 mars 2026"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(code, expected):
    assert locales.long_date(dt.date(2026, 3, 14), code) == expected


def test_a_page_in_arabic_dates_its_story_in_arabic_and_never_puts_a_dot_that_reads_as_zero_beside_it(site):
    html = read(site, "site/aurora/storie/la-festa/ar/index.html")
    assert '<time datetime="2025-03-01">١ مارس ٢٠٢٥</time>' in html
    assert " · " not in html and " • " in html  # "·" beside Arabic-Indic digits looks like ٠
    assert " · " in read(site, "site/aurora/storie/la-festa/zh/index.html")


def test_the_stylesheet_mirrors_with_logical_properties():
    css = (Path(__file__).parents[1] / "templates/assets/style.css").read_text(encoding="utf-8")
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)|(?<![-\w])(?:left|right)\s*:|float:\s*(?:left|right)", css
    )
    assert physical == []


# --- privacy in every language ------------------------------------------------------------------


def test_a_hidden_person_is_hidden_in_every_script_and_never_published_by_a_translation(make_site, run):
    hidden = person_md(
        "Fatima Nascosto", extra="visibilita: solo-nome\nnome_in_altre_scritture: [فاطمة ناسكوستو, 法蒂玛]\n"
    )
    withdrawn = person_md("Omar Ritirato").replace("ambito: [web]", "ambito: [web], revocato: 2026-01-01")
    root = make_site(
        {
            "content/aurora/persone/fatima.md": hidden,
            "content/aurora/persone/omar.md": withdrawn,
            "content/aurora/persone/omar.ar.md": "---\nruolo: خبّاز\n---\nسيرة عمر ريتيراتو.\n",
            "content/aurora/storie/la-festa.md": story_md("La festa", persone="[fatima, omar]"),
            "content/aurora/storie/la-festa.ar.md": "---\ntitolo: العيد\n---\nجاءت فاطمة ناسكوستو ووفاطمة ناسكوستو، وأيضاً Omar Ritirato.\n",
            "content/aurora/storie/la-festa.zh.md": "---\ntitolo: 节日\n---\n法蒂玛来了。Omar Ritirato 也来了。\n",
        }
    )
    code, out = run(["--oggi", "2026-12-06"], root)
    assert code == 0, out
    arabic = read(root, "site/aurora/storie/la-festa/ar/index.html")
    assert "ناسكوستو" not in arabic and "Ritirato" not in arabic
    assert "شخص من الحيّ" in arabic  # the neutral mention, in Arabic
    chinese = read(root, "site/aurora/storie/la-festa/zh/index.html")
    assert "法蒂玛" not in chinese and "Ritirato" not in chinese
    assert not (root / "site/aurora/persone/omar").exists()  # no page, in no language
    everything = "\n".join(site_files_text(root / "site").values())
    for name in ("ناسكوستو", "法蒂玛", "ريتيراتو", "Ritirato", "Nascosto"):
        assert name not in everything


def test_a_draft_translation_is_published_nowhere(make_site, run):
    root = make_site({"content/aurora/storie/la-festa.ar.md": "---\ntitolo: عيد\nbozza: true\n---\nكلمةسرية\n"})
    assert run(["--oggi", "2026-12-06"], root)[0] == 0
    assert not (root / "site/aurora/storie/la-festa/ar").exists()
    everything = "\n".join(site_files_text(root / "site").values())
    assert "كلمةسرية" not in everything and "la-festa/ar/" not in everything
    assert run(["--oggi", "2026-12-06", "--bozze", "--output", "anteprima"], root)[0] == 0
    assert 'class="avviso-bozza"' in read(root, "anteprima/aurora/storie/la-festa/ar/index.html")


# --- feeds, sitemaps, open data -----------------------------------------------------------------


def test_feeds_sitemaps_and_open_data_carry_the_languages(site):
    atom = "{http://www.w3.org/2005/Atom}"
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    feed = ET.fromstring((site / "site/aurora/feed.xml").read_bytes())
    assert feed.get(xml_lang) == "it"
    entries = {e.find(f"{atom}title").text: e for e in feed.iter(f"{atom}entry")}
    assert entries["Pâinea de joi"].get(xml_lang) == "ro"
    festa = entries["La festa di via Como"]
    assert festa.get(xml_lang) == "it"
    assert {(link.get("hreflang"), link.get("href")) for link in festa.iter(f"{atom}link") if link.get("hreflang")} == {
        ("ar", "https://saperi.example.org/aurora/storie/la-festa/ar/"),
        ("zh", "https://saperi.example.org/aurora/storie/la-festa/zh/"),
    }
    sitemap = ET.fromstring((site / "site/sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {u.find("s:loc", ns).text: u for u in sitemap.findall("s:url", ns)}
    arabic = urls["https://saperi.example.org/aurora/storie/la-festa/ar/"]
    assert {link.get("hreflang") for link in arabic.findall("x:link", ns)} == {"it", "ar", "zh"}
    rows = {row["titolo"]: row for row in json.loads((site / "site/dati/storie.json").read_text(encoding="utf-8"))}
    assert rows["Pâinea de joi"]["lingua"] == "ro"
    assert rows["La festa di via Como"]["traduzioni"] == [
        {"lingua": "ar", "titolo": "عيد شارع كومو", "url": "https://saperi.example.org/aurora/storie/la-festa/ar/"},
        {"lingua": "zh", "titolo": "科莫街的节日", "url": "https://saperi.example.org/aurora/storie/la-festa/zh/"},
    ]


# --- search per language, in Chromium ----------------------------------------------------------


@pytest.fixture(scope="module")
def base(site):
    with static_server(site / "site") as url:
        yield url


def indexed_languages(bundle: Path) -> set[str]:
    return {p.name.split(".")[1].split("_")[0] for p in bundle.glob("pagefind.*.pf_meta")}


def test_each_language_has_its_index_and_chinese_a_bundle_of_its_own(site):
    assert indexed_languages(site / "site/aurora/pagefind") == {"it", "ar", "ro"}
    assert indexed_languages(site / "site/aurora/pagefind-zh") == {"zh"}  # segmented by Pagefind's extended build
    form = re.search(r"data-indici='([^']*)'", read(site, "site/aurora/cerca/zh/index.html")).group(1)
    assert json.loads(form) == ["../../pagefind-zh/"]
    assert not (site / "site/dora/pagefind-zh").exists()  # no text in Chinese, no Chinese bundle


def test_an_edit_in_italian_keeps_the_chinese_bundle_and_the_last_chinese_text_takes_it_away(make_site, run):
    root = make_site({"content/aurora/storie/la-festa.zh.md": CHINESE_STORY})
    argv = ["--oggi", "2026-12-06"]
    assert run(argv, root)[0] == 0
    entry = lambda folder: root / "site/aurora" / folder / "pagefind-entry.json"  # noqa: E731
    chinese, italian = entry("pagefind-zh").stat().st_ino, entry("pagefind").read_bytes()
    story = root / "content/aurora/storie/la-festa.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nUna parola nuova: girandola.\n", encoding="utf-8")
    assert run(argv, root)[0] == 0
    assert entry("pagefind").read_bytes() != italian  # indexed again
    assert entry("pagefind-zh").stat().st_ino == chinese  # the live bundle's own file: Pagefind did not run for it
    (root / "content/aurora/storie/la-festa.zh.md").unlink()
    for _ in range(2):  # the second build reuses the staging folder that still holds the Chinese bundle
        assert run(argv, root)[0] == 0
        assert not (root / "site/aurora/pagefind-zh").exists()
        assert "缝纫机" not in "\n".join(site_files_text(root / "site").values())


def test_an_arabic_word_finds_the_arabic_story(page, base):
    assert results(page, base + "aurora/cerca/ar/?q=السميد") == ["عيد شارع كومو"]
    assert results(page, base + "cerca/ar/?q=السميد") == ["عيد شارع كومو"]  # the network's search, merged


def test_the_network_search_in_a_language_merges_only_the_bundles_holding_it(site):
    form = re.search(r"data-indici='([^']*)'", read(site, "site/cerca/ar/index.html")).group(1)
    assert json.loads(form) == ["../../aurora/pagefind/"]  # dora has nothing in Arabic: not its Italian index


def test_a_chinese_word_finds_the_chinese_story(page, base):
    assert results(page, base + "aurora/cerca/zh/?q=缝纫机") == ["科莫街的节日"]
    assert results(page, base + "aurora/cerca/zh/?q=孩子们学习") == ["科莫街的节日"]


def test_an_italian_query_still_stems_as_italian_and_finds_no_other_language(page, base):
    assert results(page, base + "aurora/cerca/?q=giovedi") == ["Il pane del giovedì"]
    assert "Pâinea de joi" not in results(page, base + "aurora/cerca/?q=pane")


def test_the_reader_chooses_the_language_and_keeps_the_words(page, base):
    results(page, base + "aurora/cerca/?q=festa")
    link = page.locator('a[hreflang="ar"][data-mantieni-ricerca]')
    assert link.inner_text() == "العربية"
    assert link.get_attribute("href").endswith("ar/?q=festa")
    assert page.locator("#cerca-stato").inner_text().startswith("1 risultato")
    results(page, base + "aurora/cerca/ar/?q=كومو")
    assert page.locator("#cerca-stato").inner_text() != ""
    assert "risultat" not in page.locator("#cerca-stato").inner_text()  # the script speaks Arabic here


def test_an_arabic_story_reads_right_to_left_on_a_phone(site, base, page):
    page.goto(base + "aurora/storie/la-festa/ar/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    paragraph = page.locator(".testo p").first
    assert paragraph.evaluate("p => getComputedStyle(p).direction") == "rtl"
    box = paragraph.bounding_box()
    assert box["x"] + box["width"] > 330  # the text starts at the right edge
