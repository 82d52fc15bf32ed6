"""Memory of a large build (20,000 stories must stay under 1 GB for the build and every process it starts).

- `shared_heap()` around forking workers: `gc.freeze()` moves every object the parent holds into a generation the
  collector never scans. Without it, the first collection in a worker writes to the header of every object inherited
  from the parent, which copies almost every page of the parent's heap into the worker (at 20,000 stories: 200 MB per
  worker as soon as it starts, 60 MB with the freeze).
- `collect_by_hand()` around a build: the collector does not run by itself in the build's main process. Its runs,
  triggered by counts of new objects, scan a heap that only grows during a build (the sources, the memo entries, the
  archive) and cost about a tenth of a second of a one-edit rebuild; nothing the build drops before its end is
  garbage with cycles that matters. `give_back()` still collects where the build lets a large part go, and forked
  workers collect as usual.
- `give_back()` each time the build lets a large part go (the privacy sieve's texts after redaction, the sources once
  the page keys are made, the archive once everything is written): glibc keeps freed memory in its heap for later,
  `malloc_trim(0)` returns it to the system, so the workers forked next and Pagefind (the largest process of a build)
  do not stand beside memory nobody uses. See bench/README.md, "Memory at 20,000".
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import sys
from typing import Iterator


@contextlib.contextmanager
def shared_heap() -> Iterator[None]:
    """Fork inside this block: the workers' collector leaves the parent's objects (and their pages) alone. The
    parent's garbage is collected first (the build's main process does not collect by itself, see
    `collect_by_hand`): live objects scattered among dead ones would have each worker copy more pages of the heap
    (at 20,000 stories the page workers grew the build's peak by 150 MB)."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # the archive has cycles (a story and its territory): they must be collectable again


@contextlib.contextmanager
def collect_by_hand() -> Iterator[None]:
    """Automatic garbage collection off in this process inside the block (see above); back as it was after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def give_back(collect: bool = True) -> None:
    """Return the free memory of the heap to the system (glibc only; a no-op elsewhere), after collecting the
    garbage with cycles (`collect`, a fraction of a second at 20,000 stories)."""
    if collect:
        gc.collect()
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None).malloc_trim(0)  # the C library the interpreter runs on
    except (OSError, AttributeError):  # musl or another libc without malloc_trim: the memory stays reusable
        pass
