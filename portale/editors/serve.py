"""`serve`: a live preview on 127.0.0.1, like `hugo server`, for editors.

It builds with drafts into its own folder (`.anteprima/`, never `site/`: a preview with drafts must
never be taken for the publishable site), serves that folder, rebuilds when content/ or the
templates change (`watch.Preview`), and adds one script to the HTML *responses* (never to the files)
that reloads the tab after a good build and shows the errors of a bad one above the last good page.

Only files inside the output folder are served: the request path is decoded, joined and resolved
(symlinks included), and refused unless it is still inside the resolved output folder.
"""

from __future__ import annotations

import html
import http.server
import json
import mimetypes
import re
import signal
import sys
import threading
import urllib.parse
from pathlib import Path

import markdown

from portale.build import workspace
from portale.content.problems import GUIDE
from portale.editors import backend
from portale.editors.watch import Preview, Status

PREFIX = "/__anteprima/"  # the preview's own URLs; no content slug starts with "_"
SCRIPT = Path(__file__).with_name("anteprima.js")
SSE_PING_SECONDS = 10
mimetypes.add_type("text/yaml", ".yml")  # the web editor's config.yml (admin/), which Decap asks to be YAML


def resolve_request(out: Path, raw_path: str) -> Path | None:
    """The file a URL path names inside `out`, or None when it would leave `out`."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(raw_path).path)
    if "\x00" in path or "\\" in path:
        return None
    root = out.resolve()
    candidate = (root / path.lstrip("/")).resolve()
    if candidate != root and not candidate.is_relative_to(root):
        return None
    return candidate


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """`bytes=START-END`, `bytes=START-` or `bytes=-SUFFIX` -> (first, last byte), or None to send it all."""
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", header.strip())
    if not match or not size or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    return (start, end) if start <= end < size else None


def inject(page: bytes, status: Status) -> bytes:
    """The live-reload script before </body>; links to the published base_url made local."""
    tag = f'<script src="{PREFIX}anteprima.js" data-generazione="{html.escape(status.generation)}"></script>\n'.encode()
    if status.base_url:
        page = page.replace(status.base_url.encode(), b"/")
    at = page.rfind(b"</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag


def guide_path(root: Path) -> Path:
    return root / GUIDE if (root / GUIDE).is_file() else workspace.PROJECT_DIR / GUIDE


def render_guide(root: Path) -> bytes:
    body = markdown.markdown(guide_path(root).read_text(encoding="utf-8"), extensions=["toc", "tables", "fenced_code"])
    return (
        '<!doctype html><html lang="it"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Guida per la redazione</title>'
        "<style>body{font:17px/1.5 system-ui,sans-serif;max-width:46rem;margin:auto;padding:1rem}"
        "pre{overflow:auto;background:#f4f4f4;padding:.5rem}h3:target{background:#fff3bf}</style>"
        f"</head><body>{body}</body></html>"
    ).encode()


WAITING_PAGE = (
    '<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Anteprima</title></head><body>'
    "<h1>L'anteprima non è ancora pronta</h1><p>I contenuti hanno degli errori: correggili e salva, "
    "la pagina si aggiorna da sola.</p></body></html>"
).encode()


def make_handler(preview: Preview, root: Path):
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "PortaleAnteprima"
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # noqa: A002 - the terminal is for the editor's messages
            pass

        def do_HEAD(self):
            self.do_GET(head=True)

        def do_GET(self, head: bool = False):
            path = urllib.parse.urlsplit(self.path).path
            if path.startswith(PREFIX):
                return self.preview_route(path[len(PREFIX) :], head)
            target = resolve_request(preview.out, self.path)
            if target is None:
                return self.reply(403, b"Fuori dalla cartella dell'anteprima.\n", "text/plain; charset=utf-8", head)
            if target.is_dir():
                if not path.endswith("/"):
                    return self.redirect(path + "/")
                target = target / "index.html"
            if target.is_file():
                return self.send_file(target, 200, head)
            if not preview.out.is_dir() or preview.status.failed and not (preview.out / "index.html").is_file():
                return self.reply(503, inject(WAITING_PAGE, preview.status), "text/html; charset=utf-8", head)
            for folder in [*target.parents]:  # the territory's own 404 page, else the network's
                if folder.is_relative_to(preview.out.resolve()) and (folder / "404.html").is_file():
                    return self.send_file(folder / "404.html", 404, head)
            page = b'<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Non trovata</title></head><body><h1>Pagina non trovata</h1></body></html>'
            return self.reply(404, inject(page, preview.status), "text/html; charset=utf-8", head)

        def send_file(self, target: Path, code: int, head: bool) -> None:
            try:
                data = target.read_bytes()
            except OSError:
                return self.reply(404, b"Non trovato.\n", "text/plain; charset=utf-8", head)
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind == "text/html":
                data = inject(data, preview.status)
            elif code == 200 and (span := byte_range(self.headers.get("Range", ""), len(data))):
                start, end = span  # an audio player seeking: one range of bytes
                return self.reply(
                    206, data[start : end + 1], kind, head, {"Content-Range": f"bytes {start}-{end}/{len(data)}"}
                )
            if kind.startswith("text/") or kind in ("application/javascript", "application/json", "application/xml"):
                kind += "; charset=utf-8"
            self.reply(code, data, kind, head)

        def preview_route(self, name: str, head: bool) -> None:
            if name == "anteprima.js":
                return self.reply(200, SCRIPT.read_bytes(), "text/javascript; charset=utf-8", head)
            if name == "stato":
                return self.reply(
                    200,
                    json.dumps(preview.status.as_json(), ensure_ascii=False).encode(),
                    "application/json; charset=utf-8",
                    head,
                )
            if name == "guida":
                return self.reply(200, render_guide(root), "text/html; charset=utf-8", head)
            if name.startswith("img/"):  # the guide's screenshots
                image = resolve_request(guide_path(root).parent / "img", name[4:])
                if image is not None and image.is_file():
                    return self.send_file(image, 200, head)
            if name == "eventi" and not head:
                return self.events()
            return self.reply(404, b"Non trovato.\n", "text/plain; charset=utf-8", head)

        def events(self) -> None:
            """Server-Sent Events: the status now, then every time it changes (a comment keeps it alive)."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            status, sent = preview.status, None
            try:
                while not getattr(self.server, "stopping", False):
                    if status.revision != sent:
                        self.wfile.write(f"data: {json.dumps(status.as_json(), ensure_ascii=False)}\n\n".encode())
                        sent = status.revision
                    else:
                        self.wfile.write(b": ancora qui\n\n")
                    self.wfile.flush()
                    status = preview.wait(sent, SSE_PING_SECONDS)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the tab was closed or reloaded

        def redirect(self, location: str) -> None:
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def reply(self, code: int, body: bytes, kind: str, head: bool = False, headers: dict | None = None) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Accept-Ranges", "bytes" if not kind.startswith("text/html") else "none")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if not head:
                self.wfile.write(body)

    return Handler


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def run_serve(root: Path, args) -> int:
    out = args.output if args.output.is_absolute() else root / args.output
    if out.resolve() == (root / "site").resolve() and args.bozze:
        print("l'anteprima con le bozze non va in site/, che è il sito da pubblicare — usa --output .anteprima")
        return 2
    for watched in (root / "content", workspace.templates_dir(root)):
        if out.resolve().is_relative_to(watched.resolve()):
            print(
                f"la cartella dell'anteprima non può stare dentro {watched.relative_to(root) if watched.is_relative_to(root) else watched}/: si ricostruirebbe all'infinito — usa --output .anteprima"
            )
            return 2
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)
    preview = Preview(root, out, drafts=args.bozze, today=args.oggi)
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(preview, root))
    except OSError as exc:
        print(
            f"non riesco ad aprire la porta {args.port} ({exc.strerror}) — è già in uso? prova --port {args.port + 1} oppure --port 0"
        )
        return 2
    editor = None
    if args.redazione:
        try:
            editor = backend.start_backend(root)
        except backend.BackendError as exc:
            server.server_close()
            print(exc)
            return 2
    server.daemon_threads = True
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # `kill` closes it like Ctrl+C, decap-server too
    try:
        return _serve(preview, server, editor, root, out, args)
    except KeyboardInterrupt:  # during the first build
        server.server_close()
        print("Anteprima chiusa.")
        return 0
    finally:
        if editor is not None:
            backend.stop_backend(editor)


def _serve(preview: Preview, server, editor, root: Path, out: Path, args) -> int:
    preview.rebuild("prima costruzione")
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    shown = out.relative_to(root) if out.is_relative_to(root) else out
    print(f"Anteprima{' con le bozze' if args.bozze else ''} su {url} (cartella {shown}/, da non pubblicare)")
    if editor is not None:
        print(
            f"Redazione su {url}admin/ : premi «Accedi», i file salvati finiscono in content/ e l'anteprima si aggiorna."
        )
    print("Controllo content/ e templates/: salva un file e la pagina si aggiorna. Ctrl+C per chiudere.")
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    watcher.start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("Anteprima chiusa.")
    finally:
        stop.set()
        server.stopping = True
        server.server_close()
    return 0
