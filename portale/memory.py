"""Memory of a large build (20,000 stories must stay under 1 GB for the build and every process it starts).

- `shared_heap()` around forking workers: `gc.freeze()` moves every object the parent holds into a generation the
  collector never scans. Without it, the first collection in a worker writes to the header of every object inherited
  from the parent, which copies almost every page of the parent's heap into the worker (at 20,000 stories: 200 MB per
  worker as soon as it starts, 60 MB with the freeze).
- `give_back()` once the pages are written: the archive's texts are freed, but glibc keeps freed memory in its heap
  for later; `malloc_trim(0)` returns it to the system before Pagefind, the largest process of a build, starts.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import sys
from typing import Iterator


@contextlib.contextmanager
def shared_heap() -> Iterator[None]:
    """Fork inside this block: the workers' collector leaves the parent's objects (and their pages) alone."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # the archive has cycles (a story and its territory): they must be collectable again


def give_back(collect: bool = True) -> None:
    """Return the free memory of the heap to the system (glibc only; a no-op elsewhere), after collecting the
    garbage with cycles (`collect`, a fraction of a second at 20,000 stories)."""
    if collect:
        gc.collect()
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # musl or another libc without malloc_trim: the memory stays reusable
        pass
