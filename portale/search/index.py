"""Stage: index. Each territory folder of the staging site gets its own Pagefind bundle,
`<territorio>/pagefind/`, so the folder stays self-contained with working search, and one more for its texts in
Chinese or Japanese, `<territorio>/pagefind-zh/` (`languages.search_bundle`). The network search page merges the
territory bundles in the browser (Pagefind multisite, `mergeIndex`).

We run the real Pagefind binary from PyPI (`pagefind-bin`; `pagefind-bin-extended`, which segments Chinese and
Japanese, for their bundles) as a subprocess, one per bundle, as soon as the territory's last page is written
(`Indexer`), two side by side while they are small (its memory grows with the pages of a bundle). Pagefind reads a
copy of the pages prepared for their languages (`portale.search.mirror`).

Accents need nothing: Pagefind already matches `citta` with `città`. Synonyms of a sapere are in
the person and need pages (`data-pagefind-index-attrs`), so they are indexed with the page.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
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


# Pagefind's extended build indexes other languages the same, but slower (a territory of 797 pages: 1.0 s against
# 0.8 s, as it loads its segmentation dictionaries in every run, and 170 MB against 125): it indexes only the bundles
# of the languages it must segment (`languages.SEGMENTED`), 43 pages of that territory in 0.2 s. An edit of any
# other text leaves their bundle as it was.


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
    """Gives every territory of the staging site `folder` its Pagefind bundles (`languages.SEARCH_BUNDLES`: one for most languages,
    one for each language Pagefind must segment), as soon as the last of its pages is written (`page_written`),
    while the pages of the next territories are still being rendered: Pagefind uses the time the rendering spends
    waiting on the disk (on a tmpfs, with both cores busy anyway, it gains nothing).

    A bundle whose pages have the bytes it was last made from is kept (`bundle_key`): the one already in the reused
    staging folder (`here`: the keys of its bundles, by "<territory>/<folder>") or the live one of `previous_site`
    (`live`). Any other is indexed again, seeded with the live bundle (`seed_bundle`). Pagefind reads the pages
    from a mirror per bundle under `mirrors` (in the build cache, see `Mirror`), which the render workers fill
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
        language: str = languages.DEFAULT,
    ):
        """`pages`: how many pages each territory has, in the archive's order; `language`: the portal's, of the
        pages that do not say theirs."""
        self.folder, self.previous_site, self.base = folder, previous_site, base
        self.language = language
        self.here, self.live = here, live
        self.slugs = list(pages)
        self.left = dict(pages)  # pages of each territory not written yet
        # each bundle by its path in the site, "aurora/pagefind-zh"; its mirror at mirrors/pagefind-zh/aurora, made
        # before any worker writes into it (no bundle's mirror holds another's)
        folders = {f"{slug}/{name}": mirrors / name / slug for slug in self.slugs for name in languages.SEARCH_BUNDLES}
        self.written: dict[str, dict[str, str]] = {b: {} for b in folders}  # {path in the territory: sha}
        self.mirrored: dict[str, dict[str, bool]] = {b: {} for b in folders}
        self.mirror_of = {b: Mirror(folder) for b, folder in folders.items()}
        self.keys: dict[str, str] = {}  # of the bundles that have pages
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
        """In a render worker: the page's copy in its bundle's mirror (None for the network's pages)."""
        if page.territory is None:
            return None
        return mirror_page(self.mirror_of[self._bundle_of(page)].folder, _in_territory(page), data)

    def page_written(self, page, entry, mirrored: bool | None) -> None:
        """In the build's main thread, for every page once it is in the staging folder (rendered, kept or linked)."""
        if page.territory is None:
            return
        slug, bundle, rel = page.territory.slug, self._bundle_of(page), _in_territory(page)
        self.written[bundle][rel] = entry.sha
        if mirrored is not None:
            self.mirrored[bundle][rel] = mirrored
        self.left[slug] -= 1
        if self.left[slug] == 0:
            prepared = self.preparing.submit(self._prepare, slug)
            self.counts[slug] = self.indexing.submit(self._index, slug, prepared)

    def _bundle_of(self, page) -> str:
        """The bundle that holds a territory page: "aurora/pagefind", or "aurora/pagefind-zh" for a page in Chinese."""
        return f"{page.territory.slug}/{languages.search_bundle(page.language or self.language)}"

    def _prepare(self, slug: str) -> list[tuple[str, int, bool]]:
        """Keep each bundle of the territory, or seed it for Pagefind: [(bundle folder, pages in its search, whether
        Pagefind must run)]. A bundle with 0 pages (a territory without stories, people or needs yet, or without
        texts in Chinese) is not written: the search page says so, or does not load it."""
        return [(name, *self._prepare_bundle(slug, f"{slug}/{name}")) for name in languages.SEARCH_BUNDLES]

    def _prepare_bundle(self, slug: str, bundle: str) -> tuple[int, bool]:
        written = self.written[bundle]
        count = self.mirror_of[bundle].update(self.folder / slug, written, self.mirrored[bundle])
        target = self.folder / bundle
        if not count:
            if target.exists():
                shutil.rmtree(target)  # a reused staging folder's: its texts are gone
            return 0, False
        key = self.keys[bundle] = bundle_key(self.base, bundle, written)
        kept = None
        if key == self.here.get(bundle):
            kept = keep_bundle(self.folder, bundle)
        if kept is None and key == self.live.get(bundle):
            kept = keep_bundle(self.folder, bundle, self.previous_site)
        if kept is not None:
            return kept, False
        seed_bundle(target, self.previous_site / bundle)
        return count, True

    @contextlib.contextmanager
    def _slot(self, bundle: str):
        self.room.wait()
        with self.budget.take(len(self.written[bundle])):
            yield

    def _index(self, slug: str, prepared: Future) -> int:
        """Index the territory's bundles that need it, one after the other; the pages in all its bundles."""
        try:
            total = 0
            for name, count, needed in prepared.result():
                if needed:
                    bundle = f"{slug}/{name}"
                    count = run_pagefind(
                        self.mirror_of[bundle].folder,
                        self.folder / bundle,
                        functools.partial(self._slot, bundle),
                        self.launched.set,
                        segmented=name != languages.SEARCH_BUNDLE,
                    )
                total += count
            return total
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


def keep_bundle(folder: Path, bundle_path: str, previous_site: Path | None = None) -> int | None:
    """A bundle's pages (`bundle_path`: "aurora/pagefind") are the same as when it was made: keep the one already in
    `folder` (a reused staging folder), or hard-link the one of `previous_site`. Returns its page count; None when
    there is no such bundle (then it is indexed)."""
    bundle = folder / bundle_path
    if previous_site is not None:
        source = previous_site / bundle_path
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


def bundle_key(base: str, bundle: str, written: dict[str, str]) -> str:
    """A key of every page of a bundle (`bundle`: "aurora/pagefind") as written (`written`: {path in the territory:
    sha of its bytes}): the bundle is made from these bytes alone, so an equal key lets the build keep the previous
    bundle instead of running Pagefind again."""
    digest = hashlib.sha256(base.encode())
    for rel in sorted(written):
        digest.update(f"{bundle}/{rel}\0{written[rel]}\n".encode())
    return digest.hexdigest()
