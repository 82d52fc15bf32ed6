"""Memory of a large build (20,000 stories must stay under 1 GB for the build and every process it starts).

- `collect_by_hand()` around a build: the collector does not run by itself in the build's main process. Its runs,
  triggered by counts of new objects, scan a heap that only grows during a build (the sources, the memo entries, the
  archive) and cost about a tenth of a second of a one-edit rebuild. It collects before forking workers (garbage
  among live objects makes each worker copy more of the heap: +150 MB at 20,000 stories) and, in a large build,
  before Pagefind runs; forked workers collect as usual. A large archive gets the automatic collector back
  (`collect_if_large`).
- `give_back()` each time the build lets a large part go (the privacy sieve's texts after redaction, the sources once
  the page keys are made, the archive once everything is written): glibc keeps freed memory in its heap for later,
  `malloc_trim(0)` returns it to the system, so the workers forked next and Pagefind (the largest process of a build)
  do not stand beside memory nobody uses. Before Pagefind, only above `LARGE_MB`.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import sys
from collections.abc import Iterator

# Above this once the sources are read, an archive is large (about 540 MB at 20,000 stories; 130 MB at 4,000, where
# collecting by hand and letting Pagefind start first pay).
LARGE_MB = 300


@contextlib.contextmanager
def collect_by_hand() -> Iterator[None]:
    """Automatic garbage collection off in this process inside the block (see above); back as it was after it.
    Kept: with the collector on, a no-change rebuild at 4,000 stories took 1.95 s against 1.72 s (bench/README.md)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collect_if_large() -> bool:
    """Inside `collect_by_hand`, once the sources are read: a large archive gets the automatic collector back, and
    the build gives its memory back before Pagefind starts (workspace.py); returns whether it is large. Its
    garbage, left among live objects until a collection before forking, has the forked page workers copy more of the
    heap: a rebuild after a code change at 20,000 stories peaked at 1,054 MB by hand, 882 MB with the collector, in the
    same time. Below `LARGE_MB` collecting by hand saves a tenth of a second of a one-edit rebuild."""
    large = resident_mb() > LARGE_MB
    if large:
        gc.enable()
    return large


def resident_mb() -> float:
    """This process's resident memory (Linux; elsewhere infinite: every archive counts as large)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return float("inf")


def give_back(collect: bool = True) -> None:
    """Return the free memory of the heap to the system (glibc only; a no-op elsewhere), after collecting the
    garbage with cycles (`collect`, a fraction of a second at 20,000 stories). Kept: without it the cold build's
    peak at 4,000 stories is 514 MB instead of 444 MB (bench/README.md)."""
    if collect:
        gc.collect()
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None).malloc_trim(0)  # the C library the interpreter runs on
    except (OSError, AttributeError):  # musl or another libc without malloc_trim: the memory stays reusable
        pass
