"""The whole build, in pipeline order: load -> validate -> model -> render -> write -> index.

This is the first file to read: each line is one stage. What the stages need from the build around them (the
cache, the page keys, the staging folder, the search scheduling, the memory policy) is the `Workspace`
(workspace.py). The build has two halves, each a function, so that what a half holds is let go when it returns:
the sources once the archive is made, the archive once the pages are written, before Pagefind needs the memory.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from portale.build.progress import Progress
from portale.build.workspace import Workspace
from portale.cms import admin
from portale.content import load, markup, model, privacy, validate
from portale.content.memo import Memo
from portale.content.problems import ContentError, Problem
from portale.pages import calendars, feeds, media_copies, opendata, pdf, render
from portale.search.index import IndexResult


@dataclass
class BuildResult:
    territories: list[str]  # slugs, in the archive's order
    base_url: str
    pages: dict[str, int]  # pages written per site ("" is the network)
    warnings: list[Problem]
    seconds: float = 0.0
    indexed: IndexResult | None = None  # search pages per territory and indexing time


@dataclass
class Planned:
    archive: model.Archive
    pages: list[render.Page]
    files: dict[str, bytes | Path]  # the published copies of images and audio
    problems: list[Problem]  # warnings only


def check(root: Path, today: dt.date | None = None, memo: Memo | None = None) -> tuple[load.Sources, list[Problem]]:
    sources = load.read_sources(root / "content", memo)  # files unchanged since the last build come from the memo
    return sources, validate.check(sources, today, memo)


def build(
    root: Path,
    out: Path,
    *,
    drafts: bool = False,
    today: dt.date | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    pdfs: bool = False,
) -> BuildResult:
    started, today = time.perf_counter(), today or dt.date.today()
    with Workspace(root, out, jobs=jobs, progress=progress) as work:
        # load, validate, model; then render, write (the archive is passed on, never held here: memory)
        result = write_site(work, read_archive(work, drafts=drafts, today=today, pdfs=pdfs))
        result.indexed = work.index()  # index: every territory's Pagefind bundle; the new site goes live on leaving
    result.seconds = time.perf_counter() - started
    return result


def read_archive(work: Workspace, *, drafts: bool, today: dt.date, pdfs: bool = False) -> Planned:
    sources, problems = check(work.root, today, work.memo)  # load, validate
    if any(not problem.warning for problem in problems):
        raise ContentError(problems)  # the output folder is untouched
    privacy.redact(sources, today)  # full names of people not fully public -> what may be shown
    work.checks_done()
    with work.stage("testi", len(sources.files)) as done:  # Markdown -> HTML: cached by content, on all cores
        work.bodies = markup.render_bodies(sources.files, work.cache, work.jobs, done)
    archive = model.build_archive(sources, drafts=drafts, today=today)  # model
    files = media_copies.publish_media(archive, work.images, work.memo)  # before render: pages need the images' sizes
    pages = render.plan_site(archive, pdf=pdfs)  # pdfs: the sheets link to the PDFs written below
    work.plan(pages, sources, drafts=drafts, today=today)  # what each page reads: only changed ones are rendered
    return Planned(archive, pages, files, problems)


def write_site(work: Workspace, planned: Planned) -> BuildResult:
    archive, pages = planned.archive, planned.pages
    with work.stage("pagine", len(pages)) as done:  # render, write; each territory indexed once its pages are in
        work.write_pages(pages, render.page_renderer(archive, work.templates, work.jinja), done)
    calendar_files = calendars.render_calendars(archive)
    files = (
        planned.files
        | opendata.export_data(archive, calendar_files["agenda.ics"])
        | calendar_files
        | feeds.render_feeds(archive, [page.output for page in pages if page.listed])
        | admin.admin_files(archive, render.make_environment(work.templates, work.jinja))  # the web editor
    )
    work.write_files(files, [territory.slug for territory in archive.territories])
    if sheets := render.pdf_sheets(pages):  # `stampa`: the sheets just written, with their stylesheet, as PDF
        work.write_files(pdf.render_pdfs(work.folder, sheets), [])
    return BuildResult(
        [territory.slug for territory in archive.territories],
        archive.portal.base_url,
        work.per_site,
        planned.problems + archive.warnings,
    )
