"""`python build.py new storia|persona|bisogno --territorio T "Titolo"`: a ready-to-fill file."""

from __future__ import annotations

import datetime as dt

import pytest

from portale.content import frontmatter, schema
from portale.editors.scaffold import VALUES

FOLDERS = {"storia": "storie", "persona": "persone", "bisogno": "bisogni"}


def front_matter(path):
    return frontmatter.parse_file_text(path.read_text(encoding="utf-8")).meta


@pytest.mark.parametrize("kind", ["storia", "persona", "bisogno"])
def test_new_writes_every_key_with_a_comment_today_and_bozza(make_site, run, kind):
    root = make_site()
    code, out = run(["new", kind, "--territorio", "aurora", "--oggi", "2026-02-03", "Caffè ì Già"], cwd=root)
    assert code == 0, out
    path = root / f"content/aurora/{FOLDERS[kind]}/caffe-i-gia.md"
    assert f"Creato content/aurora/{FOLDERS[kind]}/caffe-i-gia.md" in out
    text = path.read_text(encoding="utf-8")
    meta = front_matter(path)
    assert list(meta) == list(schema.BY_KIND[kind])  # every key of the kind, in the schema's order
    for line in text.split("---")[1].strip().splitlines():
        assert "  # " in line and len(line.split("  # ", 1)[1]) > 5, f"no comment on: {line!r}"
    assert meta["bozza"] == "true"
    assert meta.get("titolo", meta.get("nome")) == "Caffè ì Già"
    if kind != "persona":
        assert meta["data"] == "2026-02-03"


def test_the_new_story_and_need_pass_check_and_stay_out_of_the_site(make_site, run):
    root = make_site()
    assert run(["new", "storia", "--territorio", "dora", "Ore 10: colazione al parco"], cwd=root)[0] == 0
    assert run(["new", "bisogno", "--territorio", "dora", "Un passaggio", "in", "macchina"], cwd=root)[0] == 0
    story = front_matter(root / "content/dora/storie/ore-10-colazione-al-parco.md")
    assert story["titolo"] == "Ore 10: colazione al parco"  # the colon is quoted, not a YAML error
    assert story["data"] == dt.date.today().isoformat()
    assert (root / "content/dora/bisogni/un-passaggio-in-macchina.md").is_file()  # words without quotes joined
    code, out = run([], cwd=root)
    assert code == 0, out
    assert not (root / "site/dora/storie/ore-10-colazione-al-parco").exists()  # a draft until bozza goes
    code, out = run(["--bozze", "--output", "anteprima"], cwd=root)
    assert code == 0, out
    assert "BOZZA" in (root / "anteprima/dora/storie/ore-10-colazione-al-parco/index.html").read_text(encoding="utf-8")


def test_a_new_person_asks_for_the_signed_consent(make_site, run):
    root = make_site()
    code, out = run(["new", "persona", "--territorio", "aurora", "Maria Bianchi"], cwd=root)
    assert code == 0
    assert "consenso" in out
    meta = front_matter(root / "content/aurora/persone/maria-bianchi.md")
    assert meta["tipo"] == "persona"
    assert set(meta["consenso"]) == {"data", "riferimento", "ambito", "revocato"}
    code, out = run(["check"], cwd=root)
    assert code == 1  # no consent is ever made up: check points at the lines to fill
    assert 'content/aurora/persone/maria-bianchi.md:5: "consenso.data" è vuoto' in out
    assert 'content/aurora/persone/maria-bianchi.md:6: "consenso.riferimento" è vuoto' in out


def test_a_new_organisation_needs_no_consent(make_site, run):
    root = make_site()
    code, out = run(["new", "persona", "--organizzazione", "--territorio", "aurora", "Bar Sport"], cwd=root)
    assert code == 0, out
    assert front_matter(root / "content/aurora/persone/bar-sport.md")["tipo"] == "organizzazione"
    assert run(["check"], cwd=root)[0] == 0


def test_new_story_as_a_folder_for_images_and_audio(make_site, run):
    root = make_site()
    code, out = run(["new", "storia", "--cartella", "--territorio", "aurora", "Voci dal mercato"], cwd=root)
    assert code == 0, out
    assert "Creato content/aurora/storie/voci-dal-mercato/index.md" in out
    assert run(["check"], cwd=root)[0] == 0


def test_new_refuses_to_overwrite(make_site, run):
    root = make_site()
    before = (root / "content/aurora/storie/la-festa.md").read_bytes()
    code, out = run(["new", "storia", "--territorio", "aurora", "La Festa!"], cwd=root)
    assert code == 1
    assert "content/aurora/storie/la-festa.md esiste già: non lo sovrascrivo" in out
    assert (root / "content/aurora/storie/la-festa.md").read_bytes() == before
    # a bundle with the same name is the same page
    code, out = run(["new", "storia", "--cartella", "--territorio", "aurora", "La festa"], cwd=root)
    assert code == 1 and "esiste già" in out
    assert not (root / "content/aurora/storie/la-festa").exists()


def test_unknown_territory_names_the_known_ones(make_site, run):
    root = make_site()
    code, out = run(["new", "storia", "--territorio", "aurra", "Una storia"], cwd=root)
    assert code == 2
    assert 'territorio sconosciuto "aurra" — forse "aurora"? territori: aurora, dora' in out
    assert not list((root / "content").rglob("una-storia*"))
    code, out = run(["new", "storia", "Una storia"], cwd=root)
    assert code == 2
    assert "manca --territorio" in out and "territori: aurora, dora" in out


def test_unknown_kind_and_a_title_without_letters_are_usage_errors(make_site, run):
    root = make_site()
    code, out = run(["new", "storie", "--territorio", "aurora", "Una storia"], cwd=root)
    assert code == 2
    assert 'non so creare "storie" — forse "storia"?' in out
    code, out = run(["new", "storia", "--territorio", "aurora", "???"], cwd=root)
    assert code == 2
    assert "--slug" in out
    code, out = run(["new", "storia", "--territorio", "aurora", "--slug", "punti-di-domanda", "???"], cwd=root)
    assert code == 0
    assert (root / "content/aurora/storie/punti-di-domanda.md").is_file()


def test_every_key_of_every_kind_has_a_line_in_the_scaffold():
    for kind, lines in VALUES.items():
        assert set(lines) == set(schema.BY_KIND[kind]), kind


def test_usage_mistakes_are_explained_in_italian(make_site, run):
    root = make_site()
    code, out = run(["new", "storia", "--territorio", "aurora"], cwd=root)
    assert code == 2
    assert "build.py new: manca titolo — per l'aiuto: build.py new --help" in out
    code, out = run(["new", "bisogno", "--cartella", "--territorio", "aurora", "Un bisogno"], cwd=root)
    assert code == 2 and "--cartella vale per storie e persone" in out
    code, out = run(["pubblica"], cwd=root)
    assert code == 2 and 'comando sconosciuto "pubblica"' in out


def test_a_person_can_be_a_folder_for_a_photo(make_site, run):
    root = make_site()
    code, out = run(["new", "persona", "--cartella", "--territorio", "dora", "Samuel Okafor"], cwd=root)
    assert code == 0, out
    assert (root / "content/dora/persone/samuel-okafor/index.md").is_file()
