"""The build workspace: what one build keeps between its stages, and every decision that is not a stage.

`pipeline.build` reads as the stages. What they need from the build around them lives here:
- the build cache (`.cache/`) and the per-file memo, stored once the page keys are made;
- the key of every page, the staging folder and the manifests that say what the live and the spare site hold, from
  which a rebuild decides which pages to render again;
- the search index: each territory is given to Pagefind as soon as its last page is written;
- the memory policy of a large build (`memory.py`): collection and giving memory back at the moments named here.

The workspace is a context manager. Leaving it without an exception puts the new site in place and stores the
manifests; leaving it with one leaves the live site as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

from portale.build import inputs, memory, write
from portale.build.cache import Cache, cache_folder, encode_manifest
from portale.build.progress import Progress
from portale.common import parallel
from portale.content import languages, privacy
from portale.content.load import Sources
from portale.content.memo import Memo, code_version
from portale.search import index as search

PROJECT_DIR = Path(__file__).resolve().parents[2]


def templates_dir(root: Path) -> Path:
    """The project's own templates/, or the ones shipped with the generator."""
    own = root / "templates"
    return own if own.is_dir() else PROJECT_DIR / "templates"


def search_mirrors(root: Path, out: Path) -> Path:
    """Where the pages Pagefind reads are mirrored, per output folder (a preview and the site differ)."""
    return cache_folder(root) / "ricerca" / hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:12]


class Workspace:
    def __init__(self, root: Path, out: Path, *, jobs: int | None = None, progress: Progress | None = None):
        self.root, self.out = root, out
        self.jobs = jobs or parallel.default_jobs()
        self.progress = progress or Progress.silent()
        self.templates = templates_dir(root)
        self.images = cache_folder(root) / "immagini"  # resized copies of photos, by the hash of the original
        # compiled templates, by the generator's code: Jinja compiles a filter's call by what the filter is then
        # (one that reads the page's context is called differently), and keys its bytecode by the template alone
        self.jinja = cache_folder(root) / "jinja" / code_version()
        self.cache = Cache(cache_folder(root))
        self.memo = Memo(self.cache)
        self.bodies: list[str] = []  # the Markdown cache keys this build used: every other one is deleted (erasure)
        self.large = False
        self._exits = contextlib.ExitStack()

    def __enter__(self) -> Workspace:
        self._exits.callback(self.cache.close)
        self._exits.enter_context(memory.collect_by_hand())
        return self

    def __exit__(self, *exc) -> None:
        self._exits.__exit__(*exc)

    def stage(self, name: str, total: int):
        """A stage the terminal counts (`progress.py`)."""
        return self.progress.stage(name, total)

    def checks_done(self) -> None:
        """Reading and checking are over. A large archive gets the automatic collector back (`memory.py`), and what
        the privacy checks sieved goes back to the system before workers are forked."""
        self.large = memory.collect_if_large()
        privacy.forget_texts()
        memory.give_back(collect=False)

    def plan(self, pages: list, sources: Sources, *, drafts: bool, today: dt.date) -> None:
        """The pages of this build and the key of each (`inputs.py`); then the memo is stored, the output locked and
        the staging folder opened, with what the live site and the staging folder already hold. The pages are not
        kept: they reach the archive, which a large build lets go before Pagefind starts."""
        self.base = inputs.global_key(sources, self.templates, drafts=drafts, today=today)
        self.keys = inputs.page_keys(pages, sources, self.base)
        self.memo.save(sources.files)  # what each changed file gave, for the next build
        self._exits.push(self._store_sites)  # runs after the swap below, and only if it happened
        self._exits.enter_context(write.lock(self.out))
        self.folder = self._exits.enter_context(write.staging(self.out, reuse=True))
        self.spare = write.spare_of(self.out)
        self.previous, self.here = self.cache.manifest(self.out), self.cache.manifest(self.spare)
        self.live_bundles = self.cache.bundles(self.out)
        self.per_site = dict(Counter(page.territory.slug if page.territory else "" for page in pages))  # "": network
        territories = {slug: count for slug, count in self.per_site.items() if slug}
        # A large build lets Pagefind start only once the archive's memory is given back (`index`): Pagefind beside
        # the whole archive would pass 1 GB at 20,000 stories.
        self.indexer = search.Indexer(
            self.folder,
            territories,
            self.out,
            search_mirrors(self.root, self.out),
            self.base,
            self.cache.bundles(self.spare),
            self.live_bundles,
            allowed=not self.large,
            language=sources.language,
        )
        self._exits.callback(self.indexer.close)  # also when writing fails: no Pagefind may still write there

    def write_pages(self, pages: list, renderer, done) -> None:
        """Render and write the pages whose key changed (on every core), keep the others; each territory goes to
        Pagefind as soon as its last page is in place."""
        memory.give_back(collect=False)  # the sources, let go once the archive was made, before workers are forked
        indexer = self.indexer
        keep = frozenset(f"{slug}/{name}/" for slug in indexer.slugs for name in languages.SEARCH_BUNDLES)
        self.written = write.write_pages(
            self.folder,
            pages,
            self.keys,
            self.here,
            self.out,
            self.previous,
            renderer,
            self.jobs,
            done,
            after_write=indexer.mirror_page,
            on_page=indexer.page_written,
            keep_folders=keep,
        )
        if not self.large:
            # the Python work that follows would slow, through the interpreter's lock, the preparing Pagefind waits for
            indexer.launched.wait()

    def write_files(self, files: dict[str, bytes | Path], territories: list[str]) -> None:
        """The files that are not pages (open data, feeds, media) and the stylesheets and scripts of every site."""
        write.write_site(self.folder, files)
        write.copy_assets(
            self.folder, self.templates / "assets", ["assets"] + [f"{slug}/assets" for slug in territories]
        )

    def index(self) -> search.IndexResult:
        """Wait for every territory's search bundle; the pages and the archive have been let go by now."""
        with self.stage("ricerca", len(self.indexer.slugs)) as done:
            self.indexer.report_to(done)
            self.cache.forget_markdown_except(self.bodies)  # a deleted story's text must not stay in the cache
            if self.large:
                memory.give_back()  # the archive's memory goes back to the system before Pagefind starts
            self.indexer.allow_pagefind()
            return self.indexer.finish()

    def _store_sites(self, exc_type, exc, tb) -> None:
        """Once the new site is in place: its manifest and the replaced one's (the next staging folder)."""
        if exc_type is None:
            manifests = {self.out: encode_manifest(self.written), self.spare: encode_manifest(self.previous)}
            self.cache.store_sites(manifests, {self.out: self.indexer.keys, self.spare: self.live_bundles})
