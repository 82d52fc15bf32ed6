"""`python build.py serve`: started as a real process on a free port, edited while it runs.

Waits poll the server's status with a bounded timeout; nothing sleeps for a fixed time.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import story_md

PROJECT = Path(__file__).resolve().parent.parent
TIMEOUT = 60  # seconds: a bound on a busy CI machine, never a sleep


class Server:
    def __init__(self, root: Path, *extra: str):
        shutil.copy(PROJECT / "build.py", root)
        env = dict(os.environ, PYTHONPATH=str(PROJECT), PYTHONUNBUFFERED="1")
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "build.py", "serve", "--port", "0", *extra],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for_line(" su http://").split(" su ", 1)[1].split()[0]

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for_line(self, text: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                assert self.process.poll() is None, "serve stopped:\n" + "\n".join(self.output)
                continue
            self.output.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} in:\n" + "\n".join(self.output))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=TIMEOUT) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def raw(self, path: str, **headers: str) -> tuple[int, bytes]:
        """A request with the path exactly as written (urllib and browsers would clean up "..")."""
        host, port = self.url.split("//")[1].strip("/").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
        conn.putrequest("GET", path, skip_host=False)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, body

    def status(self) -> dict:
        return json.loads(self.get("__anteprima/stato")[1])

    def wait_for_build(self, after: int) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            status = self.status()
            if status["revisione"] > after:
                return status
            time.sleep(0.05)
        raise AssertionError("no rebuild within the timeout:\n" + "\n".join(self.output))

    def edit(self, rel: str, text: str) -> dict:
        """Write a file and wait for the rebuild it causes."""
        revision = self.status()["revisione"]
        (self.root / rel).write_text(text, encoding="utf-8")
        return self.wait_for_build(revision)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def serve(make_site):
    servers = []

    def start(files=None, *extra, own_templates=False):
        root = make_site(files)
        if own_templates:
            shutil.copytree(PROJECT / "templates", root / "templates")
        (root / "pyproject.toml").write_text("[project]\nname = 'SEGRETO'\n", encoding="utf-8")
        servers.append(Server(root, *extra))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def test_serve_shows_drafts_rebuilds_on_edit_and_keeps_the_last_good_page(serve):
    server = serve({"content/aurora/storie/in-cantiere.md": story_md("In cantiere", extra="bozza: true\n")})
    assert server.url.startswith("http://127.0.0.1:")
    code, page = server.get("aurora/storie/la-festa/")
    assert code == 200 and "<h1>La festa di via Como</h1>" in page
    assert "/__anteprima/anteprima.js" in page  # the live-reload script, in the response only
    built = server.root / ".anteprima/aurora/storie/la-festa/index.html"
    assert "__anteprima" not in built.read_text(encoding="utf-8")
    assert not (server.root / "site").exists()  # the preview never touches the publishable site
    code, page = server.get("aurora/storie/in-cantiere/")
    assert code == 200 and "BOZZA" in page
    # a link to another territory goes to the published base_url in site/, to the preview when served
    built = (server.root / ".anteprima/dora/storie/il-parco/index.html").read_text(encoding="utf-8")
    assert 'href="https://saperi.example.org/aurora/persone/anna-rossi/"' in built
    page = server.get("dora/storie/il-parco/")[1]
    assert 'href="/aurora/persone/anna-rossi/"' in page and "https://saperi.example.org/" not in page

    # an edit shows up after the rebuild
    status = server.edit("content/aurora/storie/la-festa.md", story_md("La festa grande", persone="[anna-rossi]"))
    assert status["problemi"] == [] and not status["fallita"]
    assert "<h1>La festa grande</h1>" in server.get("aurora/storie/la-festa/")[1]
    server.wait_for_line("Anteprima aggiornata")

    # a broken file: its error in the status (for the tab) and in the terminal; the last good page stays
    status = server.edit("content/aurora/storie/la-festa.md", story_md("La festa rotta", date="ieri"))
    assert status["fallita"]
    assert status["problemi"] == [
        {
            "dove": "content/aurora/storie/la-festa.md:3",
            "messaggio": '"data" deve essere una data nel formato AAAA-MM-GG, non "ieri" — scrivi per esempio data: 2024-03-15',
            "guida": "data",
            "avviso": False,
        }
    ]
    server.wait_for_line('content/aurora/storie/la-festa.md:3: "data" deve essere una data')
    assert "<h1>La festa grande</h1>" in server.get("aurora/storie/la-festa/")[1]

    # fixing it clears the errors
    status = server.edit("content/aurora/storie/la-festa.md", story_md("La festa sistemata"))
    assert status["problemi"] == [] and not status["fallita"]
    assert "<h1>La festa sistemata</h1>" in server.get("aurora/storie/la-festa/")[1]
    server.wait_for_line("Errori corretti")


def test_serve_never_serves_files_outside_the_preview_folder(serve, tmp_path):
    server = serve()
    secret = tmp_path / "fuori.txt"
    secret.write_text("SEGRETO", encoding="utf-8")
    (server.root / ".anteprima/aurora/scorciatoia").symlink_to(tmp_path)
    for path in [
        "/../pyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/%2E%2E/%2E%2E/progetto/pyproject.toml",
        "/aurora/..%2f..%2fpyproject.toml",
        "/aurora/../../pyproject.toml",
        "//etc/passwd",
        "/aurora/scorciatoia/fuori.txt",
        "/aurora/%00/index.html",
    ]:
        code, body = server.raw(path)
        assert code in (403, 404), path
        assert b"SEGRETO" not in body and b"root:" not in body, path
    assert server.raw("/aurora/")[0] == 200  # the same server still serves its own pages
    code, body = server.raw("/aurora/storie/non-esiste/")
    assert code == 404 and body == server.raw("/aurora/404.html")[1]  # the territory's own 404 page


def test_serve_keeps_a_broken_first_build_waiting_and_recovers(serve):
    server = serve({"content/aurora/storie/la-festa.md": story_md("Rotta", date="ieri")})
    assert server.status()["fallita"]
    code, page = server.get("aurora/")
    assert code == 503 and "non è ancora pronta" in page and "/__anteprima/anteprima.js" in page
    status = server.edit("content/aurora/storie/la-festa.md", story_md("Aggiustata"))
    assert not status["fallita"]
    assert server.get("aurora/storie/la-festa/")[0] == 200


def test_serve_explains_the_errors_in_the_guide(serve):
    server = serve()
    code, page = server.get("__anteprima/guida")
    assert code == 200
    assert '<h3 id="data">data</h3>' in page
    assert 'src="img/anteprima-errori.png"' in page
    code, image = server.raw("/__anteprima/img/anteprima-errori.png")
    assert code == 200 and image.startswith(b"\x89PNG")
    assert server.raw("/__anteprima/img/../guida-redazione.md")[0] == 404


def test_serve_answers_byte_ranges_so_audio_can_seek(serve):
    server = serve()
    whole = server.raw("/aurora/assets/style.css")[1]
    code, part = server.raw("/aurora/assets/style.css", Range="bytes=10-19")
    assert code == 206 and part == whole[10:20]
    code, part = server.raw("/aurora/assets/style.css", Range="bytes=-5")
    assert code == 206 and part == whole[-5:]


def test_serve_says_when_the_port_is_taken(make_site, run):
    root = make_site()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out = run(["serve", "--port", str(port)], cwd=root)
    assert code == 2
    assert f"non riesco ad aprire la porta {port}" in out and "--port 0" in out
    assert not (root / ".anteprima").exists()


def test_the_open_tab_reloads_by_itself_and_shows_the_errors(serve, page):
    server = serve()
    page.goto(server.url + "aurora/storie/la-festa/")
    assert page.locator("h1").inner_text() == "La festa di via Como"

    server.edit("content/aurora/storie/la-festa.md", story_md("La festa cambiata"))
    page.wait_for_function("document.querySelector('h1')?.textContent === 'La festa cambiata'", timeout=TIMEOUT * 1000)

    server.edit("content/aurora/storie/la-festa.md", story_md("La festa rotta", date="ieri"))
    box = page.locator("#anteprima-errori")
    box.wait_for(timeout=TIMEOUT * 1000)
    assert box.get_attribute("role") == "alert"
    assert "1 errore nei contenuti" in box.inner_text()
    assert 'content/aurora/storie/la-festa.md:3: "data" deve essere una data' in box.inner_text()
    assert box.get_by_role("link").get_attribute("href") == "/__anteprima/guida#data"
    assert page.locator("h1").inner_text() == "La festa cambiata"  # the last good page stays

    server.edit("content/aurora/storie/la-festa.md", story_md("La festa sistemata"))
    page.wait_for_function("document.querySelector('h1')?.textContent === 'La festa sistemata'", timeout=TIMEOUT * 1000)
    assert box.count() == 0


def test_serve_watches_the_templates_and_the_css(serve):
    server = serve(own_templates=True)
    revision = server.status()["revisione"]
    css = server.root / "templates/assets/style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.segno-di-prova { color: red }\n", encoding="utf-8")
    server.wait_for_build(revision)
    assert ".segno-di-prova" in server.get("aurora/assets/style.css")[1]

    story = server.root / "templates/storia.html"
    good = story.read_text(encoding="utf-8")
    status = server.edit("templates/storia.html", good.replace("{% block main %}", "{% block main %}{% if %}", 1))
    assert status["fallita"]
    [problem] = status["problemi"]
    assert problem["dove"].startswith("templates/storia.html:") and problem["guida"] == "modello"
    assert server.get("aurora/storie/la-festa/")[0] == 200  # still the last good pages
    status = server.edit("templates/storia.html", good.replace("<h1>", '<h1 class="nuovo-titolo">', 1))
    assert not status["fallita"]
    assert 'class="nuovo-titolo"' in server.get("aurora/storie/la-festa/")[1]


def test_serve_refuses_an_output_that_would_mix_drafts_and_the_site_or_loop(make_site, run):
    root = make_site()
    code, out = run(["serve", "--port", "0", "--output", "site"], cwd=root)
    assert code == 2 and "non va in site/" in out
    code, out = run(["serve", "--port", "0", "--output", "content/anteprima"], cwd=root)
    assert code == 2 and "non può stare dentro content/" in out
    assert not (root / "site").exists() and not (root / "content/anteprima").exists()


def listening_addresses(port: int) -> set[str]:
    """The IPv4 addresses with a socket listening on `port`, read from /proc/net/tcp (Linux)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
            found.add(".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)))
    return found


def test_serve_redazione_runs_the_web_editor_s_local_backend_on_127_0_0_1_and_stops_with_it(serve):
    from portale.cms.config import LOCAL_BACKEND_PORT

    server = serve({}, "--redazione")
    server.wait_for_line("Redazione su ")
    status, page = server.get("admin/")
    assert status == 200 and "decap-cms.js" in page
    request = urllib.request.Request(
        f"http://127.0.0.1:{LOCAL_BACKEND_PORT}/api/v1",
        data=json.dumps(
            {
                "action": "entriesByFolder",
                "params": {"branch": "main", "folder": "content/aurora/storie", "extension": "md", "depth": 1},
            }
        ).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        entries = json.loads(response.read())
    assert {e["file"]["path"] for e in entries} == {"content/aurora/storie/la-festa.md"}  # this project's files
    assert listening_addresses(LOCAL_BACKEND_PORT) == {"127.0.0.1"}
    # a file the editor saves is rebuilt into the preview
    revision = server.status()["revisione"]
    persist = {
        "action": "persistEntry",
        "params": {
            "branch": "main",
            "entry": {
                "slug": "nuova",
                "path": "content/aurora/storie/nuova/index.md",
                "raw": "---\ntitolo: Nuova\ndata: 2026-01-10\nbozza: true\n---\nDal browser.\n",
            },
            "assets": [],
            "options": {"commitMessage": "Nuova storia", "useWorkflow": False, "status": "draft"},
        },
    }
    urllib.request.urlopen(
        urllib.request.Request(request.full_url, data=json.dumps(persist).encode(), headers=request.headers),
        timeout=TIMEOUT,
    ).read()
    server.wait_for_build(revision)
    assert "Dal browser." in server.get("aurora/storie/nuova/")[1]
    server.stop()
    assert listening_addresses(LOCAL_BACKEND_PORT) == set()  # decap-server stopped with serve
