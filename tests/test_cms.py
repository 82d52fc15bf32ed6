"""The web editor: one schema, three uses (the build's checks, Decap's config.yml, the JSON Schemas), the admin/
page kept away from readers, and a volunteer writing a story in Chromium through decap-server."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import site_files_text
from media_samples import has_metadata, photo_with_gps
from ruamel.yaml import YAML

from portale.cms import admin
from portale.cms import jsonschema as cms_schema
from portale.cms.config import LOCAL_BACKEND_PORT, cms_config
from portale.content import schema
from portale.content.labels import LABELS

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT / "content"
TERRITORIES = [("aurora", "Aurora"), ("dora", "Dora")]


def dotted_keys(fields: dict, prefix: str = "") -> set[str]:
    """Every key of a schema, nested ones dotted, a list's item keys under the list."""
    keys = set()
    for name, field in fields.items():
        keys.add(prefix + name)
        inner = field.item if isinstance(field, schema.ListField) else field
        if isinstance(inner, schema.MapField):
            keys |= dotted_keys(inner.fields, f"{prefix}{name}.")
    return keys


def config_keys(fields: list[dict], prefix: str = "") -> set[str]:
    keys = set()
    for field in fields:
        keys.add(prefix + field["name"])
        keys |= config_keys(field.get("fields", []), f"{prefix}{field['name']}.")
    return keys


def schema_keys(node: dict, prefix: str = "") -> set[str]:
    keys = set()
    node = node.get("items", node)
    for option in node.get("anyOf", []):
        keys |= schema_keys(option, prefix)
    for name, child in node.get("properties", {}).items():
        keys.add(prefix + name)
        keys |= schema_keys(child, f"{prefix}{name}.")
    return keys


def collections(config: dict) -> dict[str, dict]:
    return {c["name"]: c for c in config["collections"]}


KINDS = {"storia": schema.STORIA, "persona": schema.PERSONA, "bisogno": schema.BISOGNO, "azione": schema.AZIONE}


@pytest.mark.parametrize("kind", [*KINDS, "parole"])
def test_every_key_of_every_kind_has_its_label_its_form_field_and_its_json_schema(kind):
    fields = schema.PAROLE if kind == "parole" else KINDS[kind]
    keys = dotted_keys(fields)
    assert keys - set(LABELS[kind]) == set()  # the label and hint that build.py new, the form and the schema show
    assert schema_keys(cms_schema.kind_schema(kind)) == keys
    config = collections(cms_config({}, "https://x.example/", TERRITORIES))
    if kind == "parole":
        form = config_keys(config["dizionario"]["files"][0]["fields"])
    else:
        folder = {"storia": "storie", "persona": "persone", "bisogno": "bisogni", "azione": "azioni"}[kind]
        form = config_keys(config[f"aurora-{folder}"]["fields"]) - {"body"}
        if kind == "persona":  # persons and organisations: two forms over one schema
            form |= config_keys(config["aurora-organizzazioni"]["fields"]) - {"body"}
    assert form == keys


def test_a_key_added_to_the_schema_reaches_the_form_and_the_json_schema(monkeypatch):
    monkeypatch.setitem(schema.STORIA, "quartiere", schema.TextField(max_length=80))
    monkeypatch.setitem(schema.BY_KIND, "storia", schema.STORIA)
    config = collections(cms_config({}, "https://x.example/", TERRITORIES))
    assert "quartiere" in config_keys(config["dora-storie"]["fields"])
    assert cms_schema.kind_schema("storia")["properties"]["quartiere"] == {
        "type": ["string", "number", "null"],
        "maxLength": 80,
    }


def test_widgets_follow_the_schema():
    skills = [("sartoria", "Sartoria (Mani)"), ("cucina-etnica", "Cucina etnica (Cucina)")]
    settings = {"backend": "gitea", "repo": "rete/portale"}
    config = collections(cms_config(settings, "https://x.example/", TERRITORIES, skills))
    story = {f["name"]: f for f in config["aurora-storie"]["fields"]}
    assert story["data"]["widget"] == "datetime" and story["data"]["format"] == "YYYY-MM-DD"
    assert story["categoria"] == story["categoria"] | {"widget": "select", "options": schema.CATEGORIES}
    assert story["persone"]["widget"] == "relation" and story["persone"]["collection"] == "aurora-schede"
    assert story["persone"]["multiple"] is True and story["persone"]["value_field"] == "{{slug}}"
    assert story["bozza"]["default"] is True and story["titolo"]["required"] is True
    image = {f["name"]: f for f in story["immagine"]["fields"]}
    assert image["file"]["widget"] == "image" and "alt" in image  # optional: a story without image still saves
    assert not story["immagine"]["required"] and not image["alt"]["required"]
    assert config["aurora-storie"]["path"] == "{{slug}}/index" and config["aurora-storie"]["media_folder"] == ""
    person = {f["name"]: f for f in config["aurora-persone"]["fields"]}
    assert person["consenso"]["required"] is True
    assert all(f["required"] for f in person["consenso"]["fields"] if f["name"] in ("data", "riferimento"))
    assert person["tipo"] == person["tipo"] | {"widget": "hidden", "default": "persona", "required": False}
    assert config["aurora-persone"]["filter"] == {"field": "tipo", "value": "persona"}
    assert config["aurora-organizzazioni"]["filter"] == {"field": "tipo", "value": "organizzazione"}
    assert "consenso" not in {f["name"] for f in config["aurora-organizzazioni"]["fields"]}
    sapere = {f["name"]: f for f in person["saperi"]["fields"]}["sapere"]
    assert sapere["widget"] == "select" and sapere["options"][0] == {"label": "Sartoria (Mani)", "value": "sartoria"}
    need = {f["name"]: f for f in config["dora-bisogni"]["fields"]}
    assert need["stato"]["options"] == ["aperto", "chiuso"] and need["saperi"]["multiple"] is True
    assert [o["value"] for o in need["saperi"]["options"]] == ["sartoria", "cucina-etnica"]
    action = {f["name"]: f for f in config["dora-azioni"]["fields"]}
    assert action["bisogni"]["collection"] == "dora-bisogni" and action["stato"]["options"] == schema.ACTION_STATES
    whole = cms_config({"backend": "gitea", "repo": "rete/portale"}, "https://x.example/", TERRITORIES)
    assert whole["backend"] == {"name": "gitea", "repo": "rete/portale", "branch": "main"} and whole["locale"] == "it"


def test_the_config_names_no_secret():
    settings = {"backend": "gitea", "repo": "a/b", "api_root": "https://git.example/api/v1", "app_id": "pubblico-1"}
    settings |= {"token": "s3greto-1", "client_secret": "s3greto-2"}  # keys someone might add to portale.yml
    text = json.dumps(cms_config(settings, "https://x.example/", TERRITORIES))
    assert "s3greto" not in text and "secret" not in text.lower() and "token" not in text.lower()
    backend = cms_config(settings, "https://x.example/", TERRITORIES)["backend"]
    assert backend == {
        "name": "gitea",
        "repo": "a/b",
        "branch": "main",
        "api_root": "https://git.example/api/v1",
        "app_id": "pubblico-1",  # public, as OAuth PKCE wants it
        "auth_type": "pkce",
        "base_url": "https://git.example",  # sign-in on the same server
    }


def test_the_review_flow_is_asked_only_of_backends_that_have_it():
    for name, expected in (("github", "editorial_workflow"), ("gitlab", "editorial_workflow"), ("gitea", None)):
        config = cms_config({"backend": name, "repo": "a/b", "flusso": "revisione"}, "https://x.example/", TERRITORIES)
        assert config.get("publish_mode") == expected, name


def front_matter(path: Path):
    """The front matter as the editors' YAML tools read it (YAML 1.2), dates as text, as check-jsonschema does."""
    text = path.read_text(encoding="utf-8")
    data = YAML(typ="safe").load(text.split("---", 2)[1]) if path.suffix == ".md" else YAML(typ="safe").load(text)

    def plain(value):
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date) else value

    return plain(data)


def sample_files():
    for folder, kind in (("storie", "storia"), ("persone", "persona"), ("bisogni", "bisogno"), ("azioni", "azione")):
        for path in sorted(SAMPLE.glob(f"*/{folder}/*.md")) + sorted(SAMPLE.glob(f"*/{folder}/*/index*.md")):
            translated = path.name.count(".") > 1  # <slug>.<lingua>.md, index.<lingua>.md
            yield f"traduzione-{kind}" if translated else kind, path
    yield "parole", SAMPLE / "parole.yml"


def test_every_sample_file_is_valid_against_its_json_schema():
    validators = {k: jsonschema.Draft202012Validator(cms_schema.kind_schema(k)) for k in cms_schema.KINDS}
    checked, problems = 0, []
    for kind, path in sample_files():
        for error in validators[kind].iter_errors(front_matter(path)):
            problems.append(f"{path.relative_to(PROJECT)}: {error.json_path}: {error.message}")
        checked += 1
    assert checked > 100 and problems == []


@pytest.mark.parametrize(
    "kind, data, where",
    [
        ("storia", {"data": "2026-01-01"}, "$"),  # no titolo
        ("storia", {"titolo": "Una", "data": "1 marzo"}, "$.data"),
        ("storia", {"titolo": "Una", "data": "2026-01-01", "bozza": "forse"}, "$.bozza"),
        ("storia", {"titolo": "Una", "data": "2026-01-01", "titlo": "x"}, "$"),  # an unknown key
        ("storia", {"titolo": "Una", "data": "2026-01-01", "immagine": {"file": "a.jpg"}}, "$.immagine"),
        ("persona", {"nome": "Ada", "tipo": "persona"}, "$"),  # a person without consent
        ("persona", {"nome": "Ada", "tipo": "gruppo"}, "$.tipo"),
        ("bisogno", {"titolo": "Un", "data": "2026-01-01", "saperi": ["a"], "stato": "risolto"}, "$.stato"),
        (
            "azione",
            {"titolo": "Un", "data": "2026-01-01", "stato": "conclusa", "partecipanti": [{"ruolo": "x"}]},
            "$.partecipanti[0]",
        ),
    ],
)
def test_a_broken_file_is_invalid_for_the_right_key(kind, data, where):
    errors = list(jsonschema.Draft202012Validator(cms_schema.kind_schema(kind)).iter_errors(data))
    assert errors and {e.json_path for e in errors} == {where}


def test_the_published_schemas_are_check_jsonschema_s_and_valid_schemas(tmp_path):
    for name, text in cms_schema.schema_files("https://x.example/").items():
        jsonschema.Draft202012Validator.check_schema(json.loads(text))
        (tmp_path / name).write_text(text, encoding="utf-8")
    target = tmp_path / "parole.yml"
    shutil.copy(SAMPLE / "parole.yml", target)
    result = subprocess.run(
        ["check-jsonschema", "--schemafile", str(tmp_path / "parole.schema.json"), str(target)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    target.write_text("parole:\n  - descrizione: senza la parola\n", encoding="utf-8")
    result = subprocess.run(
        ["check-jsonschema", "--schemafile", str(tmp_path / "parole.schema.json"), str(target)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "'parola' is a required property" in result.stdout


def test_admin_is_for_editors_only(make_site, run):
    root = make_site()
    code, out = run(["--oggi", "2026-01-15"], cwd=root)
    assert code == 0, out
    site = root / "site"
    page = html.unescape((site / "admin/index.html").read_text(encoding="utf-8"))
    assert '<html lang="it">' in page and '<meta name="robots" content="noindex, nofollow">' in page
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'' in page
    config = yaml.safe_load((site / "admin/config.yml").read_text(encoding="utf-8"))
    assert config["locale"] == "it" and "aurora-storie" in collections(config)
    assert json.loads((site / "admin/schemi/storia.schema.json").read_text())["$schema"].endswith("2020-12/schema")
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts == [
        '<script src="decap-cms.js">',
        '<script src="js-yaml.min.js">',
        '<script src="redazione.js">',
    ]  # only files of this folder, never a CDN
    assert "style=" not in page and "<style" not in page
    assert (site / "admin/decap-cms.js").stat().st_size > 1_000_000  # npm ci --prefix editor (the test command)
    others = [p for p in site.rglob("*") if p.is_file() and "admin" not in p.relative_to(site).parts]
    for path in others:
        if path.suffix in (".html", ".xml", ".json", ".txt", ".js", ".css", ".ics", ".csv"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "admin/" not in text and "decap" not in text.lower(), path
    searchable = site_files_text(site / "aurora/pagefind")
    assert searchable and not any("Redazione" in text for text in searchable.values())  # not in the search index


def test_the_editor_can_be_turned_off(make_site, run):
    root = make_site()
    portal = (root / "content/portale.yml").read_text(encoding="utf-8")
    (root / "content/portale.yml").write_text(portal + "redazione: {attiva: false}\n", encoding="utf-8")
    code, out = run(["--oggi", "2026-01-15"], cwd=root)
    assert code == 0, out
    assert not (root / "site/admin").exists()


def test_a_script_saved_from_the_editor_is_sanitised(make_site, run):
    # as Decap's markdown widget saves it: front matter in block style, the body after it
    written = (
        "---\ntitolo: Una merenda\ndata: 2026-01-10\npersone:\n  - anna-rossi\ntag:\n  - cortile\nbozza: false\n"
        "---\nCi siamo visti in cortile.<script>alert('ZQX')</script>\n\n<a href='javascript:alert(1)' onclick='alert(2)'>un link</a>\n"
    )
    root = make_site({"content/aurora/storie/una-merenda/index.md": written})
    code, out = run(["--oggi", "2026-01-15"], cwd=root)
    assert code == 0, out
    page = (root / "site/aurora/storie/una-merenda/index.html").read_text(encoding="utf-8")
    assert "Ci siamo visti in cortile." in page and "un link" in page
    assert "alert(" not in page and "onclick" not in page and "javascript:" not in page


# --- end to end: Decap CMS in Chromium, over decap-server, on a git repository of the sample ----------------


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def sample_repository(tmp_path):
    repo = tmp_path / "portale"
    shutil.copytree(SAMPLE, repo / "content")
    shutil.copy(PROJECT / ".gitignore", repo / ".gitignore")  # site/ and .cache/ stay out of every commit
    for command in (
        ["init", "-q", "-b", "main"],
        ["config", "user.name", "Volontaria"],
        ["config", "user.email", "volontaria@example.org"],
        ["add", "-A"],
        ["commit", "-qm", "sample"],
    ):
        subprocess.run(["git", *command], cwd=repo, check=True)
    return repo


@pytest.fixture
def decap_server(sample_repository, request):
    """decap-server over the sample repository: mode "fs" writes files (as `serve --redazione` does), mode "git"
    commits and keeps each proposal on its own branch (the editorial workflow, as a pull request on GitHub)."""
    mode = getattr(request, "param", "fs")
    server = admin.EDITOR / "node_modules/decap-server/dist/index.js"
    assert server.is_file(), "the web editor is not installed: npm ci --prefix editor (scripts/test.sh does it)"
    assert port_is_free(LOCAL_BACKEND_PORT), f"port {LOCAL_BACKEND_PORT} is taken: decap-server needs it"
    env = os.environ | {
        "PORT": str(LOCAL_BACKEND_PORT),
        "BIND_HOST": "127.0.0.1",
        "GIT_REPO_DIRECTORY": str(sample_repository),
        "MODE": mode,
    }
    log = open(sample_repository.parent / "decap-server.log", "wb")  # a pipe nobody reads would fill and stall it
    process = subprocess.Popen(["node", str(server)], env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(100):
        if not port_is_free(LOCAL_BACKEND_PORT):
            break
        time.sleep(0.1)
    yield sample_repository
    process.terminate()
    process.wait(10)
    log.close()


def open_form(tab, url: str, first_field: str) -> None:
    """Open an entry's form afresh (Decap keeps the last form when only the address's #fragment changes), signing
    in again if the reload asks for it."""
    sign_in = tab.get_by_role("button", name="Accedi")
    field = tab.get_by_label(first_field, exact=True)
    for attempt in range(3):  # Decap may still move to the entry just saved, after this goto: go again
        tab.goto(url)
        tab.reload()
        try:
            sign_in.or_(field).first.wait_for(timeout=15_000)
            break
        except Exception:
            if attempt == 2:
                raise
    if sign_in.is_visible():
        sign_in.click()
        tab.get_by_text("Aurora · Storie").first.wait_for()
        tab.goto(url)
    field.wait_for()


def publish(tab, before_choosing=None) -> None:
    """Pubblica -> Pubblica ora, as a volunteer does, and wait for Decap's «Voce salvata»."""
    tab.keyboard.press("Escape")  # a menu left open would take the first click
    tab.get_by_role("button", name="Pubblica").first.click()
    tab.get_by_text("Pubblica ora").wait_for()
    if before_choosing:
        before_choosing()
    tab.get_by_text("Pubblica ora").click()
    tab.get_by_text("Voce salvata").last.wait_for()
    tab.get_by_text("Modifiche salvate", exact=False).first.wait_for()  # and the editor has moved to the saved entry


def saved(tab, path: Path, needle: str, what: str) -> str:
    """The file's text once decap-server has written it (it writes after answering the browser)."""
    for _ in range(150):
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if needle in text and text.rstrip().count("---") >= 2:
            return text
        tab.wait_for_timeout(100)
    raise AssertionError(f"{path.name}: {what} not saved: {text!r}")


GUIDE_IMAGES = PROJECT / "docs/img/redazione"


def snapshot(tab, tmp_path: Path, name: str) -> None:
    """A screenshot of the step, for the editors' guide: kept in tmp_path, or written into docs/img/redazione/
    when PORTALE_SCREENSHOTS=1 (how the guide's pictures are made: see CONTRIBUTING.md)."""
    folder = GUIDE_IMAGES if os.environ.get("PORTALE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    tab.wait_for_timeout(400)  # Decap's menus and dialogs fade in
    tab.screenshot(path=str(folder / f"{name}.png"))


def test_a_volunteer_writes_a_story_in_the_browser(decap_server, run, serve_dir, browser, tmp_path):
    repo = decap_server
    code, out = run(["--oggi", "2026-12-06"], cwd=repo)
    assert code == 0, out
    base = serve_dir(repo / "site")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    tab = context.new_page()
    elsewhere = []
    tab.on(
        "request",
        lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else elsewhere.append(r.url),
    )
    tab.on("dialog", lambda dialog: dialog.accept())  # "leave this entry?" once it is saved
    refused = []  # what the page's Content-Security-Policy blocked: the CMS must need nothing it forbids
    tab.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    # "leave this entry?" once it is saved
    tab.goto(base + "admin/")
    tab.get_by_role("button", name="Accedi").wait_for()
    snapshot(tab, tmp_path, "1-accedi")
    tab.get_by_role("button", name="Accedi").click()
    tab.get_by_text("Aurora · Storie").first.wait_for()
    snapshot(tab, tmp_path, "2-raccolte")

    tab.goto(base + "admin/#/collections/aurora-storie/new")
    tab.get_by_label("Titolo", exact=True).fill("La merenda in cortile")
    tab.locator("[id^='persone-field']").first.click()  # the story's people (the video's come later)
    tab.keyboard.type("Samuel")
    tab.get_by_text("Samuel Okafor", exact=True).click()
    snapshot(tab, tmp_path, "3-nuova-storia")
    tab.get_by_role("button", name="Aggiungi parole chiave").click()
    tab.locator("input[id^='tag-field']").last.fill("cortile")
    tab.locator("[data-slate-editor='true']").first.click()
    tab.keyboard.type("Il sabato pomeriggio, in cortile, si fa merenda insieme.")
    publish(tab, lambda: snapshot(tab, tmp_path, "6-pubblica"))
    written = repo / "content/aurora/storie/la-merenda-in-cortile/index.md"
    text = saved(tab, written, "---\n", "body")
    assert "titolo: La merenda in cortile" in text and "samuel-okafor" in text and "cortile" in text
    assert "bozza: true" in text  # a draft until someone publishes it

    # the same volunteer adds a sapere to a person whose saperi were written by hand in the short form
    person = repo / "content/aurora/persone/samuel-okafor.md"
    before = person.read_text(encoding="utf-8")
    assert "saperi: [alfabetizzazione-digitale, spid-e-servizi-online," in before
    open_form(tab, base + "admin/#/collections/aurora-persone/entries/samuel-okafor", "Nome")
    tab.get_by_role("button", name="Aggiungi saperi").click()
    tab.locator("[id^='sapere-field']").last.click()
    tab.keyboard.type("sartor")
    tab.get_by_text("Sartoria (", exact=False).first.click()
    tab.locator("[class*='singleValue']", has_text="Sartoria (").wait_for()  # the choice is in the form
    publish(tab)
    saved(tab, person, "sartoria", "saperi")
    after = front_matter(person)
    assert after["saperi"] == [
        "alfabetizzazione-digitale",
        "spid-e-servizi-online",
        "riparazione-computer",
        "lingua-inglese",
        "sartoria",
    ]  # still plain slugs, the new one last
    assert after["consenso"] == {
        "data": "2025-01-20",
        "riferimento": "modulo 2025/002",
        "ambito": ["web", "foto", "ricerca"],
    }
    assert person.read_text(encoding="utf-8").split("---", 2)[2] == before.split("---", 2)[2]  # the text, untouched
    # a new person, with the consent the form asks for
    open_form(tab, base + "admin/#/collections/aurora-persone/new", "Nome")
    tab.get_by_label("Nome", exact=True).fill("Giulia Ferraris")
    tab.get_by_label("Data della firma", exact=False).fill("2026-12-01")
    tab.get_by_label("Numero del modulo", exact=False).fill("modulo 2026/031")
    tab.locator("[id^='ambito-field']").click()
    tab.get_by_text("web", exact=True).last.click()
    tab.keyboard.press("Escape")
    tab.get_by_role("button", name="Aggiungi saperi").click()
    tab.locator("[id^='sapere-field']").last.click()
    tab.get_by_text("Sartoria (", exact=False).first.click()
    tab.locator("[class*='singleValue']", has_text="Sartoria (").wait_for()
    tab.get_by_label("Nome", exact=True).scroll_into_view_if_needed()  # the consent block, under the name
    snapshot(tab, tmp_path, "4-persona-consenso")
    publish(tab)
    giulia_file = repo / "content/aurora/persone/giulia-ferraris.md"
    saved(tab, giulia_file, "consenso", "the new person")
    giulia = front_matter(giulia_file)
    assert giulia["tipo"] == "persona" and giulia["bozza"] is True and giulia["saperi"] == ["sartoria"]
    assert giulia["consenso"] == {"data": "2026-12-01", "riferimento": "modulo 2026/031", "ambito": ["web"]}

    # a story with a photo: it goes into a bundle, the photo beside the text
    photo = tmp_path / "cortile.jpg"
    photo.write_bytes(photo_with_gps())
    open_form(tab, base + "admin/#/collections/aurora-storie/new", "Titolo")
    tab.get_by_label("Titolo", exact=True).fill("Il cortile in festa")
    # the story's own photo (the video's poster and the gallery have their own buttons)
    tab.locator("[id^='immagine-field']").get_by_role("button", name="Scegli un'immagine").click()
    tab.locator("input[type=file]").set_input_files(str(photo))
    tab.get_by_text("cortile.jpg").first.wait_for()
    snapshot(tab, tmp_path, "5-foto")
    tab.get_by_role("button", name="Prendi selezionato").click()
    tab.get_by_label("Descrizione dell'immagine", exact=False).first.fill("Tavoli e lanterne nel cortile di via Cuneo")
    tab.locator("[data-slate-editor='true']").first.click()
    tab.keyboard.type("Una sera di giugno il cortile si è riempito di tavoli.")
    publish(tab)
    bundle = repo / "content/aurora/storie/il-cortile-in-festa"
    saved(tab, bundle / "index.md", "immagine", "the story with a photo")
    with_photo = front_matter(bundle / "index.md")
    assert with_photo["immagine"] == {"file": "cortile.jpg", "alt": "Tavoli e lanterne nel cortile di via Cuneo"}
    assert (bundle / "cortile.jpg").read_bytes() == photo.read_bytes()
    context.close()
    assert elsewhere == [] and refused == []

    code, out = run(["check"], cwd=repo)
    assert code == 0, out
    code, out = run(["--bozze", "--oggi", "2026-12-06"], cwd=repo)
    assert code == 0, out
    story = (repo / "site/aurora/storie/la-merenda-in-cortile/index.html").read_text(encoding="utf-8")
    assert "La merenda in cortile" in story and "si fa merenda insieme" in story and "Samuel Okafor" in story
    profile = (repo / "site/aurora/persone/samuel-okafor/index.html").read_text(encoding="utf-8")
    assert "Sartoria" in profile
    published = sorted((repo / "site/aurora/storie/il-cortile-in-festa").glob("cortile-*.jpg"))
    assert published and all(has_metadata(p.read_bytes()) == [] for p in published)  # resized, GPS and EXIF gone
    assert not (repo / "site/aurora/storie/il-cortile-in-festa/cortile.jpg").exists()


def test_what_the_form_cannot_check_reaches_the_pull_request_as_an_annotation(make_site, run):
    # as the editor writes them: block lists, the form's field order
    pseudonym = (
        "---\nnome: Maria Gallo\ntipo: persona\nconsenso:\n  data: 2026-01-05\n  riferimento: modulo 2026/004\n"
        "  ambito:\n    - web\nvisibilita: pseudonimo\npseudonimo: Nonna Lina\nsaperi:\n  - sartoria\n---\nUna vita.\n"
    )
    story = (
        "---\ntitolo: La merenda\ndata: 2026-01-10\npersone:\n  - maria-gallo\nbozza: false\n---\n"
        "Ieri Maria Gallo ha portato la torta.\n"
    )
    need = (
        "---\ntitolo: Orli per la recita\ndata: 2026-01-10\nsaperi:\n  - sartorie\nstato: aperto\n---\nServe aiuto.\n"
    )
    root = make_site(
        {
            "content/aurora/persone/maria-gallo.md": pseudonym,
            "content/aurora/storie/la-merenda/index.md": story,
            "content/aurora/bisogni/orli.md": need,
        }
    )
    code, out = run(["check", "--format", "github"], cwd=root)
    assert code == 1, out
    lines = out.splitlines()
    assert any(
        line.startswith("::error file=content/aurora/bisogni/orli.md,line=5,") and "sartoria" in line for line in lines
    ), out
    named = [line for line in lines if "file=content/aurora/storie/la-merenda/index.md,line=8," in line]
    assert named and "Nonna Lina" in named[0], out  # the real name in the text, on its line
    # the editor names a new person's file after `nome`: for a pseudonym, the build asks to rename it
    assert any(line.startswith("::error file=content/aurora/persone/maria-gallo.md,line=1,") for line in lines), out


def test_the_schemas_kept_in_the_repository_are_up_to_date():
    kept = {p.name: p.read_text(encoding="utf-8") for p in (PROJECT / cms_schema.REPOSITORY_FOLDER).glob("*.json")}
    assert kept == cms_schema.schema_files(), "run: python -m portale.cms.jsonschema"


@pytest.mark.parametrize("decap_server", ["git"], indirect=True)
def test_with_the_review_flow_a_story_becomes_a_proposal_on_its_own_branch(
    decap_server, run, serve_dir, browser, tmp_path
):
    repo = decap_server
    code, out = run(["--oggi", "2026-12-06"], cwd=repo)  # the sample's portale.yml asks for flusso: revisione
    assert code == 0, out
    base = serve_dir(repo / "site")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    tab = context.new_page()
    tab.on("dialog", lambda dialog: dialog.accept())
    tab.goto(base + "admin/")
    tab.get_by_role("button", name="Accedi").click()
    tab.get_by_text("Aurora · Storie").first.wait_for()
    tab.goto(base + "admin/#/collections/aurora-storie/new")
    tab.get_by_label("Titolo", exact=True).fill("Una merenda ogni mese")
    tab.locator("[data-slate-editor='true']").first.click()
    tab.keyboard.type("Proviamo a fare merenda in cortile il primo sabato del mese.")
    tab.get_by_role("button", name="Salva").first.click()
    tab.get_by_text("Voce salvata").last.wait_for()
    tab.get_by_role("button", name="Stato: Bozza").click()
    tab.get_by_text("In revisione").first.wait_for()
    snapshot(tab, tmp_path, "7-revisione")
    tab.get_by_text("In revisione").first.click()
    branch = "cms/aurora-storie/una-merenda-ogni-mese/index"
    path = "content/aurora/storie/una-merenda-ogni-mese/index.md"

    def git(*args):
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True).stdout.strip()

    for _ in range(100):
        if git("config", f"branch.{branch}.description") == "decap-cms/pending_review":
            break
        tab.wait_for_timeout(100)
    context.close()
    assert git("config", f"branch.{branch}.description") == "decap-cms/pending_review"
    assert git("branch", "--show-current") == "main" and not (repo / path).exists()  # main is untouched
    assert git("log", "-1", "--format=%an", branch) == "Volontaria"  # a commit of its own, on the proposal's branch
    proposal = git("show", f"{branch}:{path}")
    assert "titolo: Una merenda ogni mese" in proposal and "bozza: true" in proposal
    review = tmp_path / "revisione"
    subprocess.run(["git", "worktree", "add", "-q", str(review), branch], cwd=repo, check=True)
    code, out = run(["check"], cwd=review)  # what the pull request's CI runs
    assert code == 0, out


FORMAT_PROBE = """
global.formats = {};
global.CMS = { registerCustomFormat: (name, ext, format) => { formats[name] = format; } };
global.jsyaml = require(process.argv[1]);
require(process.argv[2]);
const input = require("fs").readFileSync(0, "utf8");
const format = formats["portale-md-saperi"];
const data = format.fromFile(input);
data.saperi.push({ sapere: "sartoria" });
data.azione = "il-banco/index";
data.persone = ["anna-rossi", "chen-wei/index"];
const need = formats["portale-md"].fromFile("---\\ntitolo: Orli\\nsaperi: [sartoria, cucito]\\n---\\n");
process.stdout.write(JSON.stringify({ read: format.fromFile(input), written: format.toFile(data, ["nome", "saperi"]), need }));
"""


def test_the_editor_s_front_matter_format_keeps_short_saperi_dates_and_bundle_references():
    """cms/redazione.js, run by Node as the browser runs it: what Decap's own format could not open."""
    node = shutil.which("node")
    assert node and admin.YAML_SCRIPT.is_file(), "npm ci --prefix editor (scripts/test.sh does it)"
    text = (
        "---\nnome: Chen Wei\nsaperi: [sartoria-su-misura, {sapere: cucina-etnica, descrizione: ravioli}]\n"
        "consenso: {data: 2025-03-01, riferimento: modulo 7, ambito: [web]}\nfine: 19:00\n---\nIl testo.\n\nResta.\n"
    )
    result = subprocess.run(
        [node, "-e", FORMAT_PROBE, str(admin.YAML_SCRIPT), str(admin.OWN_SCRIPT)],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(result.stdout)
    assert out["read"]["saperi"] == [
        {"sapere": "sartoria-su-misura"},
        {"sapere": "cucina-etnica", "descrizione": "ravioli"},
    ]
    assert out["read"]["consenso"]["data"] == "2025-03-01" and out["read"]["fine"] == "19:00"  # text, not dates
    assert out["read"]["body"] == "Il testo.\n\nResta.\n"
    written = out["written"]
    assert written.endswith("---\nIl testo.\n\nResta.\n") and written.startswith("---\nnome: Chen Wei\nsaperi:\n")
    data = yaml.safe_load(written.split("---")[1])
    assert data["saperi"] == ["sartoria-su-misura", {"sapere": "cucina-etnica", "descrizione": "ravioli"}, "sartoria"]
    assert data["azione"] == "il-banco" and data["persone"] == ["anna-rossi", "chen-wei"]
    assert out["need"]["saperi"] == ["sartoria", "cucito"]  # a need's saperi: plain slugs, as its select stores them
    assert "  data: 2025-03-01\n" in written and "fine: '19:00'\n" in written  # read back as text by the build


def test_without_the_npm_package_admin_says_how_to_install_it_and_the_site_is_the_same(make_site, run, monkeypatch):
    monkeypatch.setattr(admin, "DIST", Path("/nonexistent/decap-cms/dist"))
    root = make_site()
    code, out = run(["--oggi", "2026-01-15"], cwd=root)
    assert code == 0, out
    page = (root / "site/admin/index.html").read_text(encoding="utf-8")
    assert "<script" not in page and "npm ci --prefix editor" in page
    assert sorted(p.name for p in (root / "site/admin").iterdir()) == ["config.yml", "index.html", "schemi"]


@pytest.mark.parametrize("kind", ["storia", "bisogno", "azione", "persona"])
def test_a_file_from_build_py_new_is_valid_where_check_finds_it_valid(kind, make_site, run):
    root = make_site()
    code, out = run(["new", kind, "--territorio", "aurora", "Una prova"], cwd=root)
    assert code == 0, out
    (path,) = [p for p in (root / "content/aurora").rglob("una-prova*.md")]
    errors = {
        e.json_path
        for e in jsonschema.Draft202012Validator(cms_schema.kind_schema(kind)).iter_errors(front_matter(path))
    }
    # a person's consent is left for the editor to fill: check reports the same two keys
    assert errors == ({"$.consenso.data", "$.consenso.riferimento"} if kind == "persona" else set())
