"""The whole build, in pipeline order: load -> validate -> model -> render -> write -> index.

This is the first file to read: each line is one stage, each stage one module.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from portale.pages import feeds
from portale.build import inputs
from portale.content import load
from portale.content import markup
from portale.pages import media_copies
from portale.build import memory
from portale.content import model
from portale.pages import opendata
from portale.common import parallel
from portale.content import privacy
from portale.pages import render
from portale.search import index as search
from portale.content import validate
from portale.build import write
from portale.build.cache import Cache, cache_folder, encode_manifest
from portale.content.memo import Memo
from portale.content.problems import ContentError, Problem
from portale.build.progress import Progress

PROJECT_DIR = Path(__file__).resolve().parents[2]


@dataclass
class BuildResult:
    territories: list[str]  # slugs, in the archive's order
    base_url: str
    pages: dict[str, int]  # pages written per site ("" is the network)
    warnings: list[Problem]
    seconds: float
    indexed: search.IndexResult | None = None  # search pages per territory and indexing time


def templates_dir(root: Path) -> Path:
    """The project's own templates/, or the ones shipped with the generator."""
    own = root / "templates"
    return own if own.is_dir() else PROJECT_DIR / "templates"


def search_mirrors(root: Path, out: Path) -> Path:
    """Where the pages Pagefind reads are mirrored, per output folder (a preview and the site differ)."""
    return cache_folder(root) / "ricerca" / hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:12]


def check(root: Path, today: dt.date | None = None, memo: Memo | None = None) -> tuple[load.Sources, list[Problem]]:
    sources = load.read_sources(root / "content", memo)  # files unchanged since the last build come from the memo
    return sources, validate.check(sources, today, memo)


def build(root: Path, out: Path, *, drafts: bool = False, today: dt.date | None = None, jobs: int | None = None, progress: Progress | None = None) -> BuildResult:
    with memory.collect_by_hand():  # the collector would scan a heap that only grows until the end (memory.py)
        return _build(root, out, drafts=drafts, today=today, jobs=jobs, progress=progress)


def _build(root: Path, out: Path, *, drafts: bool, today: dt.date | None, jobs: int | None, progress: Progress | None) -> BuildResult:
    started = time.perf_counter()
    jobs = jobs or parallel.default_jobs()
    progress = progress or Progress.silent()
    today = today or dt.date.today()
    cache = Cache(cache_folder(root))
    memo = Memo(cache)
    sources, problems = check(root, today, memo)
    large = memory.collect_if_large()  # collecting by hand pays only below a size (memory.py)
    if any(not p.warning for p in problems):
        cache.close()
        raise ContentError(problems)  # the output folder is untouched
    privacy.redact(sources, today)  # full names of people not fully public -> what may be shown
    privacy.forget_texts()  # what check and redact sieved: given back before forking workers (memory.py)
    memory.give_back(collect=False)
    with progress.stage("testi", len(sources.files)) as done:
        bodies = markup.render_bodies(sources.files, cache, jobs, done)  # Markdown -> HTML: cached by content, on all cores
    archive = model.build_archive(sources, drafts=drafts, today=today)
    templates = templates_dir(root)
    files = media_copies.publish_media(archive, cache_folder(root) / "immagini", memo)  # before render: pages need the images' sizes
    pages = render.plan_site(archive)
    base = inputs.global_key(sources, templates, drafts=drafts, today=today)
    keys = inputs.page_keys(pages, sources, base)
    with write.lock(out), write.staging(out, reuse=True) as tmp:
        spare = write.spare_of(out)
        previous, here = cache.manifest(out), cache.manifest(spare)  # what the live site and the staging folder hold
        if large or parallel.forks(write.count_changed(pages, keys, here, previous), jobs):
            # the pages need only the archive now: the sources' memory goes back before workers are forked (memory.py);
            # when none are (after one edit), what is left to do with them is done while Pagefind runs, below
            memo.save(sources.files)  # what each changed file gave, for the next build
            sources = None
            memory.give_back(collect=False)
        live = cache.bundles(out)
        # Each territory is indexed by Pagefind (other processes) as soon as its last page is written, while the
        # next territories' pages are rendered; one whose pages are unchanged keeps its bundle. A large build lets
        # Pagefind start only once it has given its memory back: Pagefind beside the whole archive would pass 1 GB at
        # 20,000 stories (memory.py).
        per_site = pages_per_site(pages)
        indexer = search.Indexer(tmp, {slug: n for slug, n in per_site.items() if slug}, out, search_mirrors(root, out), base, cache.bundles(spare), live, allowed=not large)
        try:
            with progress.stage("pagine", len(pages)) as done:  # only pages whose inputs changed are rendered again
                renderer = render.page_renderer(archive, templates, cache_folder(root) / "jinja")
                written = write.write_pages(tmp, pages, keys, here, out, previous, renderer, jobs, done, after_write=indexer.mirror_page, on_page=indexer.page_written, keep_folders=frozenset(f"{slug}/{search.BUNDLE}/" for slug in indexer.slugs))
            slugs, base_url, warnings = [t.slug for t in archive.territories], archive.portal.base_url, problems + archive.warnings
            with progress.stage("ricerca", len(indexer.slugs)) as done:  # before the swap
                indexer.report_to(done)
                if not large:
                    # this thread's Python work would slow, through the interpreter's lock, the preparing that Pagefind waits for
                    indexer.launched.wait()
                if sources is not None:  # a small build stores what each changed file gave here, while Pagefind runs
                    memo.save(sources.files)
                cache.forget_markdown_except(bodies)  # a deleted story's text must not stay in the cache (erasure)
                files |= opendata.export_data(archive)
                files |= feeds.render_feeds(archive, [page.output for page in pages])
                write.write_site(tmp, files)
                write.copy_assets(tmp, templates / "assets", ["assets"] + [f"{t.slug}/assets" for t in archive.territories])
                if large:
                    del archive, files, pages, keys, renderer, sources
                    memory.give_back()  # the archive and its texts go back to the system (memory.py)
                else:
                    memory.free_later(archive, files, pages, keys, renderer, sources)  # not freed beside Pagefind
                indexer.allow_pagefind()
                # the new site's manifest and the replaced one's (kept to be the next staging folder), stored once the
                # new site is in place; encoded now, while Pagefind runs
                manifests = {out: encode_manifest(written), spare: encode_manifest(previous)}
                indexed = indexer.finish()
        finally:
            indexer.close()  # also when writing failed: no Pagefind may still write into the staging folder
        bundles = indexer.keys
    cache.store_sites(manifests, {out: bundles, spare: live})  # only once the new site is in place
    cache.close()
    return BuildResult(slugs, base_url, per_site, warnings, time.perf_counter() - started, indexed=indexed)


def pages_per_site(pages: list) -> dict[str, int]:
    """Pages written per site ("" is the network)."""
    per_site: dict[str, int] = {}
    for page in pages:
        site = page.territory.slug if page.territory else ""
        per_site[site] = per_site.get(site, 0) + 1
    return per_site
