"""`serve --redazione`: Decap CMS's local backend (decap-server, from editor/node_modules) beside the live preview.

The web editor at <preview>/admin/ then reads and writes the files of this repository: a volunteer with the
repository on their laptop edits in the browser, and the preview rebuilds when a file is saved. decap-server listens
on 127.0.0.1 only and stops with `serve`. Commits stay with the volunteer (or with the CMS's git backend once the
site is published): this backend only writes files.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from portale.cms.admin import EDITOR
from portale.cms.config import LOCAL_BACKEND_PORT

SERVER = EDITOR / "node_modules" / "decap-server" / "dist" / "index.js"
START_SECONDS = 10


class BackendError(Exception):
    """The local backend cannot start; the message says why and what to do."""


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def start_backend(root: Path, port: int = LOCAL_BACKEND_PORT) -> subprocess.Popen:
    node = shutil.which("node")
    if not SERVER.is_file() or node is None:
        raise BackendError(
            "l'editor nel browser non è installato: installa Node.js e poi, nella cartella del progetto, "
            "npm ci --prefix editor"
        )
    if _listening(port):
        raise BackendError(
            f"la porta {port} è già in uso: forse c'è già un'altra anteprima con --redazione aperta? chiudila e riprova"
        )
    env = os.environ | {
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",  # never reachable from another computer
        "GIT_REPO_DIRECTORY": str(root.resolve()),
        "MODE": "fs",  # writes files; the preview rebuilds on them, the volunteer commits
        "LOG_LEVEL": "warn",
    }
    process = subprocess.Popen([node, str(SERVER)], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + START_SECONDS
    while not _listening(port):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_backend(process)
            raise BackendError(f"il server locale dell'editor (decap-server) non è partito sulla porta {port}")
        time.sleep(0.05)
    return process


def stop_backend(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
