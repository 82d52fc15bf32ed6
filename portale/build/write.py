"""Stage 5, write: pages -> a staging folder beside the output, swapped into place only when the
whole build succeeded. A failed or killed build leaves the last good site exactly as it was.

The swap uses Linux renameat2(RENAME_EXCHANGE), which exchanges the two folders in one step;
elsewhere, two renames with a very short gap. Leftover staging folders of a killed build are
removed by the next build (or put back, when a build died between the two renames). A lock file
keeps two builds from writing at the same time: the second one says so and waits.

Any OSError while writing (a full disk, a read-only folder, a file-size limit) becomes a
`WriteFailed`, which the command line reports in Italian with its own exit code.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from portale.build.cache import Written
from portale.common import parallel

STAGING_SUFFIX = ".nuovo"
OLD_SUFFIX = ".vecchio"
SPARE_SUFFIX = ".precedente"  # the site before the current one, kept to become the next staging folder
_RENAME_EXCHANGE = 2


class BuildLocked(Exception):
    pass


class WriteFailed(Exception):
    """The output could not be written; the previous site is untouched."""

    def __init__(self, error: OSError):
        super().__init__(str(error))
        self.error = error


def _hidden_sibling(out: Path, suffix: str) -> Path:
    return out.parent / f".{out.name}{suffix}"


@contextlib.contextmanager
def lock(out: Path, wait: bool = True) -> Iterator[None]:
    """One build at a time per output folder: the second waits (or fails when wait=False)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    path = out.parent / f".{out.name}.lock"
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise BuildLocked(str(path)) from None
            print(
                f"Un'altra costruzione sta scrivendo {out.name}/: aspetto che finisca...", file=sys.stderr, flush=True
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def clean_leftovers(out: Path) -> None:
    """Remove what a killed build left behind. A build killed between the two renames of the
    fallback swap left no `out` but a complete old site: that one is put back, not removed."""
    old = _hidden_sibling(out, OLD_SUFFIX)
    if old.is_dir() and not out.exists():
        os.rename(old, out)
    for suffix in (STAGING_SUFFIX, OLD_SUFFIX):
        leftover = _hidden_sibling(out, suffix)
        if leftover.is_symlink() or leftover.is_file():
            leftover.unlink()
        elif leftover.exists():
            shutil.rmtree(leftover)


def spare_of(out: Path) -> Path:
    return _hidden_sibling(out.resolve(), SPARE_SUFFIX)


@contextlib.contextmanager
def staging(out: Path, reuse: bool = False) -> Iterator[Path]:
    """Yield a folder to fill; when the block ends without an exception it becomes `out`.

    Without `reuse` the folder is fresh and the replaced site is deleted. With `reuse`, the folder is the site
    before the last one, which the previous build kept beside `out`, as it is: `write_pages` prunes it of every
    file that is not a page of this build, then replaces only the pages that differ, and the replaced site is kept
    in turn for the next build. Thousands of folders are neither created nor deleted on a rebuild. Files other
    than pages are always written fresh (the pruning removed them). A failed build deletes the spare: the next one
    starts from a fresh folder."""
    out = out.resolve()
    tmp = _hidden_sibling(out, STAGING_SUFFIX)
    spare = spare_of(out)
    try:
        clean_leftovers(out)
        if reuse and spare.is_dir() and not spare.is_symlink():
            os.rename(spare, tmp)
        else:
            if spare.is_dir() and not spare.is_symlink():
                shutil.rmtree(spare)
            tmp.mkdir(parents=True)
        try:
            yield tmp
            swap_into_place(tmp, out, keep_old=reuse)
            if tmp.exists():  # the replaced site
                os.rename(tmp, spare)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    except OSError as exc:
        raise WriteFailed(exc) from exc


def swap_into_place(new: Path, out: Path, keep_old: bool = False) -> None:
    """Put `new` in place of `out`; with keep_old the replaced site is left at `new`, else it is deleted."""
    if out.exists() and not out.is_symlink():
        if _exchange(new, out):
            if not keep_old:
                shutil.rmtree(new)
            return
        old = _hidden_sibling(out, OLD_SUFFIX)
        os.rename(out, old)
        os.rename(new, out)
        if keep_old:
            os.rename(old, new)
        else:
            shutil.rmtree(old)
    else:
        os.rename(new, out)


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.EXDEV, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def prune(folder: Path, keep: set[str], under: str = "", skip: frozenset[str] = frozenset()) -> None:
    """Delete every file under `folder` whose relative path is not in `keep`, then the folders left empty.
    A folder listed in `keep` with a final "/" is kept whole (a search bundle the build may reuse).
    `under`: only that folder of `folder` (a territory's site); `skip`: names left alone at the top (the territories'
    folders, when the network's files are pruned)."""

    def walk(path: str, prefix: str) -> bool:
        left = 0
        with os.scandir(path) as entries:
            for entry in list(entries):
                rel = prefix + entry.name
                if not prefix and entry.name in skip and entry.is_dir(follow_symlinks=False):
                    left += 1
                elif entry.is_dir(follow_symlinks=False):
                    if rel + "/" in keep:
                        left += 1
                    elif walk(entry.path, rel + "/"):
                        os.rmdir(entry.path)
                    else:
                        left += 1
                elif rel in keep:
                    left += 1
                else:
                    os.unlink(entry.path)
        return left == 0

    start = folder / under if under else folder
    if under and (start.is_symlink() or start.is_file()):  # where a site's folder should be: never followed
        start.unlink()
    elif start.is_dir() and walk(str(start), f"{under}/" if under else "") and under:
        os.rmdir(start)


def write_site(folder: Path, pages: dict[str, bytes | Path]) -> int:
    """Write every page under `folder`: bytes, or a file to hard-link (a photo's resized copy in the build cache, which
    is never written into; copied where links are not allowed). Paths come from slugs that validation already
    checked; the containment check here is a last line of defence, on resolved paths."""
    root = folder.resolve()
    made: set[Path] = set()
    for rel_path in sorted(pages):
        target = (root / rel_path).resolve()
        if not target.is_relative_to(root) or target == root:
            raise ValueError(f"refusing to write outside the output folder: {rel_path!r}")
        parent = target.parent
        if parent not in made:
            parent.mkdir(parents=True, exist_ok=True)
            made.add(parent)
        content = pages[rel_path]
        if isinstance(content, Path):
            try:
                os.link(content, target)
            except OSError:  # another file system, or links not allowed
                shutil.copyfile(content, target)
        else:
            target.write_bytes(content)
    return len(pages)


def _target(root: Path, rel_path: str) -> str:
    """A path inside the staging folder, checked by path components without touching the disk
    (`..` folded first): never by string prefix, so `../site-vecchio/` is outside `site/`. The folder
    a page goes into is checked again on the resolved path when it is made (see `write_pages`).
    A string: making thousands of `Path` objects costs more than the checks."""
    target = os.path.normpath(os.path.join(root, rel_path))
    if not target.startswith(os.path.join(root, "")):  # the root and a separator: `site-vecchio` is not in `site`
        raise ValueError(f"refusing to write outside the output folder: {rel_path!r}")
    return target


def write_pages(
    folder: Path,
    pages: list,
    keys: list[str | None],
    here: dict[str, Written],
    previous_site: Path,
    previous: dict[str, Written],
    render: Callable,
    jobs: int,
    on_done: Callable[[int], None] | None = None,
    *,
    after_write: Callable[[Any, bytes], Any] = lambda page, data: None,
    on_page: Callable[[Any, Written, Any], None] = lambda page, entry, extra: None,
    keep_folders: frozenset[str] = frozenset(),
) -> dict[str, Written]:
    """Write every page under `folder`, delete every other file there (but those in `keep_folders`, "<folder>/":
    search bundles the build may reuse), and return what was written, for the next build's manifest.

    A page whose key is unchanged is not rendered: it stays as it is when `folder` (a reused staging folder,
    see `staging`) already holds it (`here` says what each file there was written for), or it is hard-linked
    from `previous_site`, the live site. Either way only if the file is still the one a build wrote. The other
    pages are rendered on all cores, each child writing its own pages: rendered HTML never piles up in memory.
    A file is always replaced, never written into: it may be a hard link shared with the live site.
    `after_write(page, bytes)` runs in the worker right after a page is written (the search mirror); `on_page(page,
    entry, what after_write returned)` in this process as soon as a page is in place, rendered or not (None then).

    The sites (territories, the network) with a page whose key changed go first, pruned, placed and rendered, and
    the others after: after one edit, the edited territory is complete, and its search index can start, before the
    thousands of unchanged files of the other territories are looked at. A cold build has one pass."""
    root = folder.resolve()
    keep = {page.output for page in pages} | keep_folders
    territories = frozenset(page.territory.slug for page in pages if page.territory)
    previous_root = str(previous_site)
    made: set[str] = set()

    real: dict[str, str] = {str(root): str(root)}

    def resolved(path: str) -> str:
        """os.path.realpath(path) for a folder under root, with one lstat per folder not seen yet (realpath
        checks every component: a third of a no-change build's time at 4,000 stories)."""
        if path not in real:
            up = os.path.dirname(path)
            if up == path or os.path.islink(path):
                real[path] = os.path.realpath(path)
            else:
                real[path] = os.path.join(resolved(up), os.path.basename(path))
        return real[path]

    inside = os.path.join(str(root), "")

    def clear(target: str) -> None:
        parent = os.path.dirname(target)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            if not os.path.join(resolved(parent), "").startswith(
                inside
            ):  # a symlinked folder in a reused staging folder
                raise ValueError(f"refusing to write outside the output folder: {target}")
            made.add(parent)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)

    def place(indexes: list[int]) -> list[int]:
        """Keep or link the unchanged pages among `indexes`; the ones to render."""
        to_render: list[int] = []
        for index in indexes:
            page, key = pages[index], keys[index]
            if key is None:
                to_render.append(index)
                continue
            kept, before = here.get(page.output), previous.get(page.output)
            if kept is not None and kept.key == key and kept.still_at(targets[index]):
                written[page.output] = kept
                on_page(page, kept, None)
            elif (
                before is not None
                and before.key == key
                and before.still_at(source := os.path.join(previous_root, page.output))
            ):
                clear(targets[index])
                try:
                    os.link(source, targets[index])
                except OSError:  # another file system, or links not allowed: render it
                    to_render.append(index)
                    continue
                written[page.output] = before
                on_page(page, before, None)
            else:
                to_render.append(index)
        if on_done:
            on_done(len(indexes) - len(to_render))
        return to_render

    def render_and_write(chunk: list[int]) -> list[tuple[Written, Any]]:
        out = []
        for index in chunk:
            data = render(pages[index])
            target = targets[index]
            clear(target)  # here, in the workers: thousands of folders are made on a cold build
            with open(target, "wb") as handle:
                handle.write(data)
            out.append((Written.of(keys[index] or "", target, data), after_write(pages[index], data)))
        return out

    def arrived(start: int, results: list[tuple[Written, Any]]) -> None:
        for index, (entry, extra) in zip(to_render[start : start + len(results)], results):
            written[pages[index].output] = entry
            on_page(pages[index], entry, extra)
        if on_done:
            on_done(len(results))

    targets: list[str] = [""] * len(pages)
    written: dict[str, Written] = {}
    pruned: set[str] = set()
    for group in _changed_sites_first(pages, keys, here, previous):
        for index in group:
            targets[index] = _target(root, pages[index].output)
        for site in dict.fromkeys(_site(pages[index]) for index in group):
            prune(root, keep, under=site, skip=territories if not site else frozenset())
            pruned.add(site)
        to_render = place(group)
        parallel.fork_map(render_and_write, to_render, jobs, on_chunk=arrived)
    if "" not in pruned:  # no page at the top: what is there (a territory gone, for one) goes all the same
        prune(root, keep, skip=territories)
    return written


def _changed(output: str, key: str | None, here: dict[str, Written], previous: dict[str, Written]) -> bool:
    """Whether the page at `output` has no key (rendered on every build) or another key than both earlier builds
    wrote it with (`here`: the reused staging folder; `previous`: the live site)."""
    kept, before = here.get(output), previous.get(output)
    return key is None or not ((kept is not None and kept.key == key) or (before is not None and before.key == key))


def _site(page) -> str:
    """The site a page belongs to: its territory's slug, or "" for the network."""
    return page.territory.slug if page.territory else ""


def _changed_sites_first(
    pages: list, keys: list[str | None], here: dict[str, Written], previous: dict[str, Written]
) -> list[list[int]]:
    """The indexes of `pages` in two groups, each in the pages' order: the pages of the sites (a territory, or the
    network) where some page's key differs from what both earlier builds wrote, then the rest (empty when every
    site changed). A page without a key (rendered on every build: a search page) does not make its site changed."""

    changed = {
        _site(page) for page, key in zip(pages, keys) if key is not None and _changed(page.output, key, here, previous)
    }
    first = [i for i, page in enumerate(pages) if _site(page) in changed]
    rest = [i for i, page in enumerate(pages) if _site(page) not in changed]
    return [group for group in (first, rest) if group]


def copy_assets(folder: Path, assets: Path, destinations: list[str]) -> None:
    """Copy the stylesheet (and any other asset) into every site that needs its own copy."""
    for destination in destinations:
        target = folder / destination
        target.mkdir(parents=True, exist_ok=True)
        for item in sorted(assets.iterdir()):
            if item.is_file():
                shutil.copyfile(item, target / item.name)
