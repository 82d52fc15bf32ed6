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
from pathlib import Path
from typing import Callable, Iterator

from . import parallel
from .cache import Written

STAGING_SUFFIX = ".nuovo"
OLD_SUFFIX = ".vecchio"
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
            print(f"Un'altra costruzione sta scrivendo {out.name}/: aspetto che finisca...", file=sys.stderr, flush=True)
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


@contextlib.contextmanager
def staging(out: Path) -> Iterator[Path]:
    """Yield a fresh folder; when the block ends without an exception it becomes `out`."""
    out = out.resolve()
    tmp = _hidden_sibling(out, STAGING_SUFFIX)
    try:
        clean_leftovers(out)
        tmp.mkdir(parents=True)
        try:
            yield tmp
            swap_into_place(tmp, out)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    except OSError as exc:
        raise WriteFailed(exc) from exc


def swap_into_place(new: Path, out: Path) -> None:
    if out.exists() and not out.is_symlink():
        if _exchange(new, out):
            return  # `new` now holds the old site and is removed by the caller
        old = _hidden_sibling(out, OLD_SUFFIX)
        os.rename(out, old)
        os.rename(new, out)
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


def write_site(folder: Path, pages: dict[str, bytes]) -> int:
    """Write every page under `folder`. Paths come from slugs that validation already checked;
    the containment check here is a last line of defence, on resolved paths."""
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
        target.write_bytes(pages[rel_path])
    return len(pages)


def _target(root: Path, rel_path: str) -> Path:
    """A path inside the fresh staging folder (no symlinks there), checked without touching the disk."""
    target = os.path.normpath(os.path.join(root, rel_path))
    if not target.startswith(str(root) + os.sep):
        raise ValueError(f"refusing to write outside the output folder: {rel_path!r}")
    return Path(target)


def write_pages(folder: Path, previous_site: Path, pages: list, keys: list[str | None], previous: dict[str, Written], render: Callable, jobs: int, on_done: Callable[[int], None] | None = None) -> dict[str, Written]:
    """Write every page under `folder` and return what was written, for the next build's manifest.

    A page whose key equals the one recorded for the previous build, and whose file in `previous_site` is still the
    one that build wrote, is hard-linked from there (same bytes, no work, and the atomic swap stays cheap). The other
    pages are rendered on all cores, each child writing its own pages: rendered HTML never piles up in memory."""
    root = folder.resolve()
    targets = [_target(root, page.output) for page in pages]
    for parent in sorted({t.parent for t in targets}):
        parent.mkdir(parents=True, exist_ok=True)
    written: dict[str, Written] = {}
    to_render: list[int] = []
    for index, (page, key, target) in enumerate(zip(pages, keys, targets)):
        before = previous.get(page.output)
        old = previous_site / page.output
        if key is not None and before is not None and before.key == key and before.still_at(old):
            try:
                os.link(old, target)
            except OSError:  # another file system, or links not allowed: render it
                to_render.append(index)
                continue
            written[page.output] = before
        else:
            to_render.append(index)
    if on_done:
        on_done(len(written))

    def render_and_write(chunk: list[int]) -> list[Written]:
        out = []
        for index in chunk:
            targets[index].write_bytes(render(pages[index]))
            out.append(Written.of(keys[index] or "", targets[index]))
        return out

    for index, entry in zip(to_render, parallel.fork_map(render_and_write, to_render, jobs, on_chunk=on_done)):
        written[pages[index].output] = entry
    return written


def copy_assets(folder: Path, assets: Path, destinations: list[str]) -> None:
    """Copy the stylesheet (and any other asset) into every site that needs its own copy."""
    for destination in destinations:
        target = folder / destination
        target.mkdir(parents=True, exist_ok=True)
        for item in sorted(assets.iterdir()):
            if item.is_file():
                shutil.copyfile(item, target / item.name)
