"""The whole build, in pipeline order: load -> validate -> model -> render -> write.

This is the first file to read: each line is one stage, each stage one module.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import feeds, load, media, model, opendata, privacy, render, validate, write
from .model import Archive
from .problems import ContentError, Problem

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass
class BuildResult:
    archive: Archive
    pages: dict[str, int]  # pages written per site ("" is the network)
    warnings: list[Problem]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)


def templates_dir(root: Path) -> Path:
    """The project's own templates/, or the ones shipped with the generator."""
    own = root / "templates"
    return own if own.is_dir() else PROJECT_DIR / "templates"


def check(root: Path, today: dt.date | None = None) -> tuple[load.Sources, list[Problem]]:
    sources = load.read_sources(root / "content")
    return sources, validate.check(sources, today)


def build(root: Path, out: Path, *, drafts: bool = False, today: dt.date | None = None) -> BuildResult:
    started = time.perf_counter()
    today = today or dt.date.today()
    sources, problems = check(root, today)
    if any(not p.warning for p in problems):
        raise ContentError(problems)  # the output folder is untouched
    privacy.redact(sources, today)  # full names of people not fully public -> what may be shown
    archive = model.build_archive(sources, drafts=drafts, today=today)
    templates = templates_dir(root)
    files = media.publish_media(archive)  # before render: pages need the images' sizes
    pages = render.render_site(archive, templates)
    pages.update(opendata.export_data(archive))
    files |= feeds.render_feeds(archive, pages)
    with write.lock(out), write.staging(out) as tmp:
        write.write_site(tmp, pages | files)
        write.copy_assets(tmp, templates / "assets", ["assets"] + [f"{t.slug}/assets" for t in archive.territories])
    per_site: dict[str, int] = {}
    for path in pages:
        site = path.split("/", 1)[0] if "/" in path and path.split("/", 1)[0] in {t.slug for t in archive.territories} else ""
        per_site[site] = per_site.get(site, 0) + 1
    return BuildResult(archive, per_site, problems + archive.warnings, time.perf_counter() - started)
