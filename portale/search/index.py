"""Stage: index. Each territory folder of the staging site gets its own Pagefind bundle,
`<territorio>/pagefind/`, so the folder stays self-contained with working search. The network
search page merges the territory bundles in the browser (Pagefind multisite, `mergeIndex`).

We run the real Pagefind binary from PyPI (`pagefind-bin`; `pagefind-bin-extended`, which segments Chinese, for
a territory with Chinese or Japanese pages) as a subprocess, one per territory, as
soon as the territory's last page is written (`Indexer`), two side by side while they are small
(its memory grows with the pages of a bundle). Pagefind reads a copy of the pages prepared for
Italian (`portale.search.mirror`).

Accents need nothing: Pagefind already matches `citta` with `città`. Synonyms of a sapere are in
the person and need pages (`data-pagefind-index-attrs`), so they are indexed with the page.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from portale.common import parallel
from portale.content import languages
from portale.search.mirror import Mirror, mirror_page
from portale.search.order import make_deterministic
from portale.search.seed import damaged_seeds, keep_only_named_by_content, prune_bundle, seed_bundle, seeded_files

BUNDLE = "pagefind"
PR_SET_PDEATHSIG = 1  # prctl(2)
# Pagefind's other ready-made interfaces. Its Default UI (pagefind-ui.js and .css) stays in every bundle for
# partners and other clients; our search pages use the JS API with a light result list.
UNUSED_FILES = (
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)


class PagefindFailed(RuntimeError):
    """Pagefind failed: a bug or a broken installation, never a content problem."""


@dataclass
class IndexResult:
    pages: dict[str, int]  # indexed pages per territory slug
    seconds: float


# Languages written without spaces between words: Pagefind's extended build segments them (Chinese with jieba,
# Japanese with lindera). It indexes other languages the same, but slower (a territory of 765 pages: 1.16 s against
# 0.80 s, as it loads its dictionaries in every run): it runs only where needed.
SEGMENTED = ("zh", "ja")


def pagefind_executable(segmented: bool = False) -> Path:
    if segmented:
        from pagefind_bin_extended import get_executable as extended

        return Path(extended())
    from pagefind_bin import get_executable

    return Path(get_executable())


def run_pagefind(
    source: Path,
    bundle: Path,
    slot: Callable = contextlib.nullcontext,
    launched: Callable[[], None] = lambda: None,
    segmented: bool = False,
) -> int:
    """Index `source` into `bundle` (fresh, or seeded by `seed_bundle`); returns the page count Pagefind reports.
    Pagefind runs inside `slot()` (see `Indexer`); `launched()` once it runs; `segmented`: some page is in a
    language written without spaces (`SEGMENTED`)."""
    for _ in range(3):
        command = [
            str(pagefind_executable(segmented)),
            "--site",
            str(source),
            "--output-path",
            str(bundle),
            "--silent",
        ]
        seeded = seeded_files(bundle)  # before Pagefind adds its own
        with slot():
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_death_signal()
            )
            launched()
            try:
                damaged = damaged_seeds(
                    bundle, seeded
                )  # while Pagefind runs, not after it (--silent: its pipes stay empty)
            finally:
                stdout, stderr = process.communicate()
        if process.returncode != 0:
            raise PagefindFailed(f"pagefind failed on {source} (exit {process.returncode}): {stdout}{stderr}")
        for name in UNUSED_FILES:
            (bundle / name).unlink(missing_ok=True)
        make_deterministic(bundle)
        wrong = prune_bundle(bundle, damaged)
        if not wrong:
            return _page_count(bundle)
        # A seeded file whose contents do not match its name (damaged, truncated): remove it and everything Pagefind
        # writes every time, then run again so Pagefind writes it.
        for path in wrong:
            path.unlink()
        keep_only_named_by_content(bundle)
    raise PagefindFailed(f"pagefind kept files whose contents do not match their names in {bundle}")


def _death_signal() -> Callable[[], None] | None:
    """For the Pagefind process, before it starts (Linux): to be killed when the build is. A build killed while
    indexing would otherwise leave Pagefind writing into the staging folder that the next build cleans up. The C
    function is looked up here, in the build: the forked child only calls it (no import, no lock)."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return lambda: prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _page_count(bundle: Path) -> int:
    """The number of pages a bundle holds, as Pagefind wrote it in its entry file."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(language.get("page_count", 0) for language in entry.get("languages", {}).values())


# Pagefind holds a territory's whole index in memory, about 0.2 MB per page (575 MB for a territory of 2,900 pages at
# 20,000 stories), and uses more than one core by itself. Two Pagefind processes side by side would double the build's
# peak memory, so they run together only while their pages add up to at most this many (about 600 MB of Pagefind);
# larger territories get Pagefind one at a time.
SIDE_BY_SIDE_PAGES = 3000


class Indexer:
    """Gives every territory of the staging site `folder` its own Pagefind bundle, each as soon as the last of its
    pages is written (`page_written`), while the pages of the next territories are still being rendered: Pagefind
    uses the time the rendering spends waiting on the disk (on a tmpfs, with both cores busy anyway, it gains
    nothing).

    A territory whose pages have the bytes its last bundle was made from keeps that bundle (`bundle_key`): the
    one already in the reused staging folder (`here`: the keys of its bundles) or the live one of `previous_site`
    (`live`). Any other is indexed again, seeded with the live bundle (`seed_bundle`). Pagefind reads the pages
    from a mirror per territory under `mirrors` (in the build cache, see `Mirror`), which the render workers fill
    (`mirror_page`). One thread prepares the territories in turn (keeps, seeds, finishes the mirror) ahead of
    Pagefind; Pagefind processes run side by side only within `SIDE_BY_SIDE_PAGES`, and only once `allow_pagefind`
    is called (a large build first gives its memory back, see portale/build/workspace.py). `launched` is set once a Pagefind process
    runs, or once none will: the build's own Python work waits for it, since it would slow down, through the
    interpreter's lock, the preparing that Pagefind waits for."""

    def __init__(
        self,
        folder: Path,
        pages: dict[str, int],
        previous_site: Path,
        mirrors: Path,
        base: str,
        here: dict[str, str],
        live: dict[str, str],
        *,
        allowed: bool,
    ):
        """`pages`: how many pages each territory has, in the archive's order."""
        self.folder, self.previous_site, self.base = folder, previous_site, base
        self.here, self.live = here, live
        self.slugs = list(pages)
        self.left = dict(pages)  # pages of each territory not written yet
        self.written: dict[str, dict[str, str]] = {slug: {} for slug in self.slugs}  # {path in the territory: sha}
        self.mirrored: dict[str, dict[str, bool]] = {slug: {} for slug in self.slugs}
        self.mirror_of = {slug: Mirror(mirrors / slug) for slug in self.slugs}  # before any worker writes into them
        self.keys: dict[str, str] = {}
        self.segmented: set[str] = set()  # territories with a page in a language Pagefind must segment
        self.launched, self.room = threading.Event(), threading.Event()
        if allowed:
            self.room.set()
        self.budget = parallel.Budget(SIDE_BY_SIDE_PAGES)
        self.lock = threading.Lock()
        self.finished, self.done = 0, None  # territories indexed or kept; progress
        self.started = time.perf_counter()
        self.preparing = ThreadPoolExecutor(1)  # two threads preparing at once would only share the interpreter's lock
        self.indexing = ThreadPoolExecutor(max(1, min(len(self.slugs), os.cpu_count() or 1)))
        self.counts: dict[str, Future] = {}
        if not self.slugs:
            self.launched.set()

    def mirror_page(self, page, data: bytes) -> bool | None:
        """In a render worker: the page's copy in its territory's mirror (None for the network's pages)."""
        if page.territory is None:
            return None
        return mirror_page(self.mirror_of[page.territory.slug].folder, _in_territory(page), data)

    def page_written(self, page, entry, mirrored: bool | None) -> None:
        """In the build's main thread, for every page once it is in the staging folder (rendered, kept or linked)."""
        if page.territory is None:
            return
        slug, rel = page.territory.slug, _in_territory(page)
        self.written[slug][rel] = entry.sha
        if page.language and languages.primary(page.language) in SEGMENTED:
            self.segmented.add(slug)
        if mirrored is not None:
            self.mirrored[slug][rel] = mirrored
        self.left[slug] -= 1
        if self.left[slug] == 0:
            self.keys[slug] = bundle_key(self.base, slug, self.written[slug])
            prepared = self.preparing.submit(self._prepare, slug)
            self.counts[slug] = self.indexing.submit(self._index, slug, prepared)

    def _prepare(self, slug: str) -> tuple[int, bool]:
        """Keep the territory's bundle, or seed it for Pagefind: (pages in its search, whether Pagefind must run).
        0 pages (a territory without stories, people or needs yet): no bundle, the search page says so."""
        count = self.mirror_of[slug].update(self.folder / slug, self.written[slug], self.mirrored[slug])
        key, kept = self.keys[slug], None
        if key == self.here.get(slug):
            kept = keep_bundle(self.folder, slug)
        if kept is None and key == self.live.get(slug):
            kept = keep_bundle(self.folder, slug, self.previous_site)
        if kept is not None:
            return kept, False
        bundle = self.folder / slug / BUNDLE
        seed_bundle(bundle, self.previous_site / slug / BUNDLE)
        if not count and bundle.exists():
            shutil.rmtree(bundle)
        return count, count > 0

    @contextlib.contextmanager
    def _slot(self, slug: str):
        self.room.wait()
        with self.budget.take(len(self.written[slug])):
            yield

    def _index(self, slug: str, prepared: Future) -> int:
        try:
            count, needed = prepared.result()
            if needed:
                count = run_pagefind(
                    self.mirror_of[slug].folder,
                    self.folder / slug / BUNDLE,
                    lambda: self._slot(slug),
                    self.launched.set,
                    slug in self.segmented,
                )
            return count
        finally:
            with self.lock:
                self.finished += 1
                if self.finished == len(self.slugs):
                    self.launched.set()  # every territory is done: nothing will launch
                if self.done:
                    self.done(1)

    def report_to(self, done: Callable[[int], None]) -> None:
        """Progress: `done(1)` for each territory indexed or kept, from now on (and those already finished)."""
        with self.lock:
            self.done = done
            if self.finished:
                done(self.finished)

    def allow_pagefind(self) -> None:
        self.room.set()

    def finish(self) -> IndexResult:
        """Wait for every territory; {slug: pages in its search} in the archive's order, and the time since the start."""
        missing = [slug for slug in self.slugs if slug not in self.counts]
        if missing:
            raise RuntimeError(f"pages of {missing} were never written")
        counts = {slug: self.counts[slug].result() for slug in self.slugs}
        return IndexResult(counts, time.perf_counter() - self.started)

    def close(self) -> None:
        """Stop: nothing more is started, and what runs ends before the staging folder can be removed."""
        self.room.set()
        self.launched.set()
        self.preparing.shutdown(wait=True, cancel_futures=True)
        self.indexing.shutdown(wait=True, cancel_futures=True)


def _in_territory(page) -> str:
    """A territory page's path inside its territory's folder: "storie/la-festa/index.html"."""
    return page.output[len(page.territory.slug) + 1 :]


def keep_bundle(folder: Path, slug: str, previous_site: Path | None = None) -> int | None:
    """The territory's pages are the same as when a bundle was made: keep the one already in `folder` (a reused
    staging folder), or hard-link the one of `previous_site`. Returns its page count; None when there is no
    such bundle (then the territory is indexed)."""
    bundle = folder / slug / BUNDLE
    if previous_site is not None:
        source = previous_site / slug / BUNDLE
        if not (source / "pagefind-entry.json").is_file():
            return None
        if bundle.exists():
            shutil.rmtree(bundle)
        link_tree(source, bundle)
    if not (bundle / "pagefind-entry.json").is_file():
        return None
    return _page_count(bundle)


def link_tree(source: Path, target: Path) -> None:
    """Hard-link every file under `source` into `target` (a folder of the previous site that is unchanged)."""
    for dirpath, _, filenames in os.walk(source):
        here = target / os.path.relpath(dirpath, source)
        here.mkdir(parents=True, exist_ok=True)
        for name in filenames:
            os.link(os.path.join(dirpath, name), here / name)


def bundle_key(base: str, slug: str, written: dict[str, str]) -> str:
    """A key of every page of a territory as written (`written`: {path in the territory: sha of its bytes}): its
    search bundle is made from these bytes alone, so an equal key lets the build keep the previous bundle instead of
    running Pagefind again."""
    digest = hashlib.sha256(base.encode())
    for rel in sorted(written):
        digest.update(f"{slug}/{rel}\0{written[rel]}\n".encode())
    return digest.hexdigest()
