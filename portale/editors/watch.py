"""The preview's state: watch content/ and the templates, rebuild on change, remember the outcome.

Watching is plain polling of file metadata (path -> mtime, size, inode) a few times a second: no
dependency, works the same on every file system and editor (atomic saves included), and an archive
of a few thousand files is scanned in milliseconds. `Preview` keeps the last outcome for the HTTP
server: `generation` changes only when a build succeeds (the open tab then reloads); `problems`
holds the errors of the last failed build while the last good pages stay in the output folder.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from portale.build import pipeline, workspace
from portale.build.write import WriteFailed
from portale.content.problems import ContentError, Problem

Snapshot = dict[str, tuple[int, int, int]]


def snapshot(folders: list[Path]) -> Snapshot:
    """Every file under the folders (hidden ones skipped), with what changes when it is saved."""
    seen: Snapshot = {}
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if name.startswith(".") or name.endswith("~"):
                    continue  # editors' swap and backup files
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue  # removed while scanning
                seen[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return seen


def describe_change(before: Snapshot, after: Snapshot, root: Path) -> str:
    changed = sorted(set(before) ^ set(after) | {p for p in before.keys() & after.keys() if before[p] != after[p]})
    shown = [os.path.relpath(p, root) for p in changed[:3]]
    return ", ".join(shown) + (f" e altri {len(changed) - 3}" if len(changed) > 3 else "")


@dataclass
class Status:
    revision: int = 0  # changes after every build, good or bad
    generation: str = ""  # changes after every good build
    problems: list[Problem] = field(default_factory=list)  # errors and warnings of the last build
    failed: bool = False  # the last build failed: the output folder holds an older build
    base_url: str = ""
    suggestions: list[dict] = field(default_factory=list)  # suggest.py, for the texts saved since the build before

    def as_json(self) -> dict:
        return {
            "suggerimenti": self.suggestions,
            "revisione": self.revision,
            "generazione": self.generation,
            "fallita": self.failed,
            "problemi": [
                {"dove": p.where, "messaggio": p.explain(), "guida": p.code, "avviso": p.warning}
                for p in sorted(self.problems)
            ],
        }


class Preview:
    """Builds `root` into `out` with drafts, and tells waiting clients when the outcome changes."""

    def __init__(
        self,
        root: Path,
        out: Path,
        *,
        drafts: bool = True,
        today: dt.date | None = None,
        say: Callable[[str], None] = print,
    ):
        self.root, self.out, self.drafts, self.today, self.say = root, out, drafts, today, say
        self.status = Status()
        self._session = f"{time.time_ns():x}"
        self._good_builds = 0
        self._changed = threading.Condition()
        self._seen: Snapshot = {}  # the files as they were when the last build started

    def watched(self) -> list[Path]:
        return [self.root / "content", workspace.templates_dir(self.root)]

    def rebuild(self, reason: str = "") -> Status:
        before, self._seen = self._seen, snapshot(self.watched())  # taken before reading: a later save is seen later
        saved = [Path(p) for p, stamp in self._seen.items() if before and before.get(p) != stamp and p.endswith(".md")]
        started = time.perf_counter()
        problems: list[Problem] = []
        failed = True
        base_url = self.status.base_url
        try:
            result = pipeline.build(self.root, self.out, drafts=self.drafts, today=self.today)
            problems, failed, base_url = result.warnings, False, result.base_url
        except ContentError as exc:
            problems = exc.problems
        except jinja2.TemplateError as exc:
            problems = [template_problem(exc, self.root)]
        except WriteFailed as exc:
            where = os.path.relpath(exc.error.filename or self.out, self.root)
            problems = [
                Problem(
                    where,
                    0,
                    f"impossibile scrivere l'anteprima: {exc.error.strerror or exc.error}",
                    "libera spazio sul disco o controlla i permessi della cartella",
                    "scrittura",
                )
            ]
        except Exception as exc:  # noqa: BLE001 - the preview must survive a bug: shown in the terminal and the tab
            traceback.print_exc()
            problems = [
                Problem(
                    "portale",
                    0,
                    f"errore interno del generatore: {type(exc).__name__}: {exc}",
                    "segnalalo a chi cura il portale, con il testo qui sopra",
                    "errore-interno",
                )
            ]
        self._report(problems, failed, reason, time.perf_counter() - started)
        suggestions = self.status.suggestions
        if not failed and saved:
            from portale.editors import suggest

            suggestions = [found.as_json() for found in suggest.suggest_files(self.root, saved, self.today)]
        with self._changed:
            if not failed:
                self._good_builds += 1
            self.status = Status(
                self.status.revision + 1,
                f"{self._session}-{self._good_builds}",
                problems,
                failed,
                base_url,
                suggestions,
            )
            self._changed.notify_all()
        return self.status

    def _report(self, problems: list[Problem], failed: bool, reason: str, seconds: float) -> None:
        clock = time.strftime("%H:%M:%S")
        cause = f" ({reason})" if reason else ""
        for problem in sorted(problems):
            self.say(problem.format())
        if failed:
            errors = sum(1 for p in problems if not p.warning)
            self.say(
                f"[{clock}] {errors} {'problema' if errors == 1 else 'problemi'}{cause}: l'anteprima mostra ancora l'ultima versione buona."
            )
        else:
            fixed = " Errori corretti." if self.status.failed else ""
            self.say(f"[{clock}] Anteprima aggiornata in {seconds:.1f} s{cause}.{fixed}")

    def wait(self, revision: int, timeout: float) -> Status:
        """The status once its revision differs from `revision`, or the current one after `timeout`."""
        with self._changed:
            self._changed.wait_for(lambda: self.status.revision != revision, timeout)
            return self.status

    def watch(self, stop: threading.Event, interval: float = 0.2) -> None:
        """Poll the watched folders until `stop` is set; rebuild once the files stop changing."""
        while not stop.wait(interval):
            now = snapshot(self.watched())
            if now == self._seen:
                continue
            settled = now
            for _ in range(10):  # an editor or `git checkout` writing many files: wait until quiet
                if stop.wait(interval / 2):
                    return
                settled = snapshot(self.watched())
                if settled == now:
                    break
                now = settled
            self.rebuild(describe_change(self._seen, settled, self.root))


def template_problem(exc: jinja2.TemplateError, root: Path) -> Problem:
    """A mistake in a template (templates/*.html) shown like a content problem, with its line."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    try:
        shown = Path(name).resolve().relative_to(root).as_posix()
    except ValueError:
        shown = f"templates/{Path(name).name}" if name != "templates" else name
    return Problem(
        shown,
        getattr(exc, "lineno", 0) or 0,
        f"errore nel modello: {exc.message or exc}",
        "controlla la riga indicata del modello",
        "modello",
    )
