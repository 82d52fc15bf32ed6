"""Stage 6, index: each territory folder of the staging site gets its own Pagefind bundle,
`<territorio>/pagefind/`, so the folder stays self-contained with working search. The network
search page merges the territory bundles in the browser (Pagefind multisite, `mergeIndex`).

We run the real Pagefind binary from PyPI (`pagefind-bin`) as a subprocess, one per territory,
two side by side while they are small (its memory grows with the pages of a bundle). Pagefind
reads a *copy* of the pages, prepared for Italian:

- elisions written with the typographic apostrophe (l’università, dell’associazione) get the
  ASCII apostrophe, on which Pagefind splits words (it does not split on U+2019), so `università`
  finds `l’università`; the search page shows the typographic apostrophe again in excerpts;
- only pages that mark their main content with `data-pagefind-body` are copied, so list pages
  and a territory without any content page never reach the index.
The copy is a mirror kept in the build cache (`mirror_pages`): a rebuild copies only the pages that changed.

Accents need nothing: Pagefind already matches `citta` with `città`. Synonyms of a sapere are in
the person and need pages (`data-pagefind-index-attrs`), so they are indexed with the page.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import parallel
from .memo import code_version
from .search_order import make_deterministic
from .search_seed import keep_only_named_by_content, prune_bundle, seed_bundle

BUNDLE = "pagefind"
PR_SET_PDEATHSIG = 1  # prctl(2)
LANGUAGE = "it"
BODY_MARKER = b"data-pagefind-body"
TEXT_START = '<div class="testo">'  # the editor's text in the story, person and need templates
# Pagefind's own ready-made interfaces: the search pages use the JS API with a light result list.
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
_BODY_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\bdata-pagefind-body\b[^>]*>")
# U+2019 (and the look-alikes editors paste: U+2018, U+02BC) between two letters is an elision.
# The mark is matched first and the letter before it checked after: a pattern starting with the look-behind runs it at
# every position of every page (8 times slower).
ELISION = re.compile(r"[\u2019\u2018\u02bc](?<=\w[\u2019\u2018\u02bc])(?=\w)")


class PagefindFailed(RuntimeError):
    """Pagefind failed: a bug or a broken installation, never a content problem."""


@dataclass
class IndexResult:
    pages: dict[str, int]  # indexed pages per territory slug
    seconds: float


def pagefind_executable() -> Path:
    from pagefind_bin import get_executable

    return get_executable()


def prepare_page(html: str) -> str:
    """The text Pagefind reads: the element marked `data-pagefind-body` alone (Pagefind indexes nothing else of the
    page, and parsing the header, menus and footer of every page is a tenth of its time), with the editor's text
    last (see `_text_last`), elisions split so each word is found on its own."""
    body = _marked_element(html)
    if body is not None:
        html = f'<!DOCTYPE html><html lang="{LANGUAGE}"><head><meta charset="utf-8"></head><body>{_text_last(body)}</body></html>'
    return ELISION.sub("'", html)


def _marked_element(html: str) -> str | None:
    """The element with `data-pagefind-body`, from its start tag to its matching end tag; None when not found."""
    start = _BODY_START.search(html)
    if start is None:
        return None
    end = _element_end(html, start.start(), start.group(1))
    return html[start.start() : end] if end is not None else None


def _element_end(html: str, start: int, tag: str) -> int | None:
    """Where the element of `tag` starting at `start` ends (after its matching end tag); None when it does not."""
    depth = 0
    for found in re.finditer(rf"<(/?){tag}\b[^>]*>", html[start:], re.IGNORECASE):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return start + found.end()
    return None


def _text_last(element: str) -> str:
    """The element with the text an editor wrote (`<div class="testo">`) moved to its end. Pagefind's word index
    records where each word stands in a page: a line added to a story would otherwise move every word of the
    sections after the text (the people named, the themes), and those common words are in most of the index's
    chunks, which Pagefind then compresses and writes again (22 of 29 chunks in a territory of 600 pages, against
    1 or 2). The same pages are found; an excerpt that runs from one part into the next shows them in this order."""
    start = element.find(TEXT_START)
    end = _element_end(element, start, "div") if start >= 0 else None
    close = element.rfind("</")  # the marked element's own end tag
    if end is None or end > close:
        return element
    return element[:start] + element[end:close] + element[start:end] + element[close:]


MIRROR_STATE = ".pagine.json"


def mirror_pages(site: Path, mirror: Path, pages: dict[str, str]) -> int:
    """Make `mirror` hold the content pages of one territory site, prepared for Italian, as Pagefind reads them;
    returns how many. `pages`: {path in the territory: sha of the page}. The mirror is kept
    in the build cache from one build to the next, so only pages whose sha changed are copied again (and the
    thousands of folders of a territory are not made and removed on every build). Its state file is removed
    while it is being changed: a build killed meanwhile leaves no state, and the next one copies everything."""
    state_path = mirror / MIRROR_STATE
    version = code_version()  # the preparation of pages may change with the code
    try:
        saved = json.loads(state_path.read_text(encoding="utf-8"))
        state = saved["pagine"] if saved.get("versione") == version else None
    except (OSError, ValueError, KeyError, AttributeError):
        state = None
    if state is None and mirror.exists():
        shutil.rmtree(mirror)
    state = state or {}
    mirror.mkdir(parents=True, exist_ok=True)
    state_path.unlink(missing_ok=True)
    count = 0
    for rel, sha in sorted(pages.items()):
        known = state.get(rel)
        if known is None or known[0] != sha:
            raw = (site / rel).read_bytes()
            target = mirror / rel
            if BODY_MARKER in raw:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(prepare_page(raw.decode("utf-8")), encoding="utf-8")
            else:
                target.unlink(missing_ok=True)
            known = state[rel] = [sha, BODY_MARKER in raw]
        count += known[1]
    for rel in sorted(set(state) - set(pages)):  # pages gone from the site (erased stories must leave the cache too)
        (mirror / rel).unlink(missing_ok=True)
        del state[rel]
        with contextlib.suppress(OSError):
            (mirror / rel).parent.rmdir()
    state_path.write_text(json.dumps({"versione": version, "pagine": state}, sort_keys=True), encoding="utf-8")
    return count


def pages_of(written: dict, slug: str) -> dict[str, str]:
    """{path in the territory: sha of the page} of the territory's HTML pages, from the build's manifest."""
    prefix = f"{slug}/"
    return {output[len(prefix) :]: entry.sha for output, entry in written.items() if output.startswith(prefix) and output.endswith(".html")}


def run_pagefind(source: Path, bundle: Path, slot: Callable = contextlib.nullcontext, launched: Callable[[], None] = lambda: None) -> int:
    """Index `source` into `bundle` (fresh, or seeded by `seed_bundle`); returns the page count Pagefind reports.
    Pagefind runs inside `slot()` (see `index_site`); `launched()` once it runs."""
    started = time.time_ns()
    for _ in range(3):
        command = [str(pagefind_executable()), "--site", str(source), "--output-path", str(bundle), "--force-language", LANGUAGE, "--silent"]
        with slot():
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_death_signal())
            launched()
            stdout, stderr = process.communicate()
        if process.returncode != 0:
            raise PagefindFailed(f"pagefind failed on {source} (exit {process.returncode}): {stdout}{stderr}")
        for name in UNUSED_FILES:
            (bundle / name).unlink(missing_ok=True)
        make_deterministic(bundle)
        wrong = prune_bundle(bundle, started)
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


def prepare_territory(folder: Path, slug: str, mirror: Path, previous_site: Path, pages: dict[str, str]) -> int:
    """Seed the territory's bundle and bring its mirror up to date; returns the pages Pagefind will read. 0 pages (a
    territory without stories, people or needs yet): no bundle, the search page says so."""
    bundle = folder / slug / BUNDLE
    seed_bundle(bundle, previous_site / slug / BUNDLE)
    count = mirror_pages(folder / slug, mirror, pages)
    if not count and bundle.exists():
        shutil.rmtree(bundle)
    return count


# Pagefind holds a territory's whole index in memory, about 0.2 MB per page (575 MB for a territory of 2,900 pages at
# 20,000 stories), and uses more than one core by itself. Two Pagefind processes side by side would double the build's
# peak memory, so they run together only while their pages add up to at most this many (about 600 MB of Pagefind);
# larger territories get Pagefind one at a time.
SIDE_BY_SIDE_PAGES = 3000


def index_site(folder: Path, slugs: list[str], done: Callable[[int], None] | None, previous_site: Path, mirrors: Path, written: dict, launched: threading.Event, room: threading.Event) -> IndexResult:
    """Give every territory in `slugs` under `folder` (the staging site) its own Pagefind bundle, seeded with the bundle
    of `previous_site` (the live site) when there is one. Pagefind reads the pages from a mirror per territory under
    `mirrors` (in the build cache), brought up to date with `written`, the build's manifest of pages. `done(1)` after
    each territory (the build's progress). Pagefind processes run side by side only within `SIDE_BY_SIDE_PAGES`.
    `launched` is set once a Pagefind process runs (or none will): the caller's own Python work waits for it, since
    it would slow down, through the interpreter's lock, the mirroring and seeding that Pagefind waits for. Pagefind
    itself starts only once `room` is set (a large build first gives its memory back, see pipeline.py)."""
    started = time.perf_counter()
    budget = parallel.Budget(SIDE_BY_SIDE_PAGES)
    pages = {slug: pages_of(written, slug) for slug in slugs}

    @contextlib.contextmanager
    def slot(slug: str):
        room.wait()
        with budget.take(len(pages[slug])):
            yield

    def index(slug: str, prepared: Future) -> int:
        count = 0
        if prepared.result():
            bundle = folder / slug / BUNDLE
            count = run_pagefind(mirrors / slug, bundle, lambda: slot(slug), launched.set)
        if done:
            done(1)
        return count

    workers = max(1, min(len(slugs), os.cpu_count() or 1))
    try:
        # One thread prepares the territories in turn, ahead of Pagefind: two threads preparing at once would only
        # share the interpreter's lock, and Pagefind would wait for both.
        with ThreadPoolExecutor(1) as preparing, ThreadPoolExecutor(max_workers=workers) as indexing:
            prepared = {slug: preparing.submit(prepare_territory, folder, slug, mirrors / slug, previous_site, pages[slug]) for slug in slugs}
            counts = list(indexing.map(lambda slug: index(slug, prepared[slug]), slugs))
    finally:
        launched.set()
    return IndexResult(dict(zip(slugs, counts)), time.perf_counter() - started)


def keep_bundle(folder: Path, slug: str, previous_site: Path | None = None) -> int | None:
    """The territory's pages are the same as when a bundle was made: keep the one already in `folder` (a reused
    staging folder), or hard-link the one of `previous_site`. Returns its page count; None when there is no
    such bundle (then the territory is indexed)."""
    from .write import link_tree

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


def reuse_bundles(folder: Path, previous_site: Path, keys: dict[str, str], here: dict[str, str], previous: dict[str, str]) -> dict[str, int]:
    """{territory: page count} of the bundles that need no indexing: `keys` (inputs.bundle_keys) equal to the
    key of the bundle already in the reused staging `folder` (`here`) or in the previous site (`previous`)."""
    kept = {}
    for slug, key in keys.items():
        count = keep_bundle(folder, slug) if key == here.get(slug) else None
        if count is None and key == previous.get(slug):
            count = keep_bundle(folder, slug, previous_site)
        if count is not None:
            kept[slug] = count
    return kept
