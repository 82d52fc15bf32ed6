"""Work spread over all cores by forking: the children inherit the parent's archive, templates and sources, so
only small index ranges travel to them and only their results travel back.

`fork_map(work, items, jobs)` calls `work(chunk)` on consecutive chunks of `items` and returns the results in
order. With one job, few items, or no `fork` (not Linux), it runs in this process: same results, same order.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_work: Callable | None = None  # set just before forking; inherited by the children
_items: Sequence | None = None


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _run_chunk(bounds: tuple[int, int]) -> list:
    start, stop = bounds
    return _work(_items[start:stop])


def forks(count: int, jobs: int, min_items: int = 64) -> bool:
    """Whether `fork_map` forks workers for `count` items."""
    return jobs > 1 and count >= min_items and "fork" in multiprocessing.get_all_start_methods()


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


def fork_map(
    work: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    jobs: int,
    *,
    min_items: int = 64,
    on_chunk: Callable[[int, list[R]], None] | None = None,
) -> list[R]:
    """`work` takes a chunk of items and returns one result per item. As each chunk comes back, in order,
    `on_chunk(position of its first item, its results)`."""
    global _work, _items
    jobs = max(1, jobs)
    if not forks(len(items), jobs, min_items):
        results = []
        step = max(1, len(items) // 20)
        for start in range(0, len(items), step):
            chunk = work(items[start : start + step])
            results.extend(chunk)
            if on_chunk:
                on_chunk(start, chunk)
        return results
    # Small chunks keep both cores busy to the end and the progress counter moving.
    size = max(8, min(256, len(items) // (jobs * 8) or 1))
    bounds = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _work, _items = work, items
    try:
        # the workers collect their own garbage as usual (the build's main process does not: memory.collect_by_hand)
        with shared_heap(), multiprocessing.get_context("fork").Pool(jobs, initializer=gc.enable) as pool:
            results = []
            for chunk in pool.imap(_run_chunk, bounds):
                if on_chunk:
                    on_chunk(len(results), chunk)
                results.extend(chunk)
            return results
    finally:
        _work = _items = None


class Budget:
    """Threads share a budget (pages, megabytes): `with budget.take(n):` waits until `n` more fit within `limit`,
    or until nothing else holds any of it (so a task larger than the whole budget still runs, alone)."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0
        self.changed = threading.Condition()

    @contextlib.contextmanager
    def take(self, amount: int) -> Iterator[None]:
        with self.changed:
            self.changed.wait_for(lambda: self.used == 0 or self.used + amount <= self.limit)
            self.used += amount
        try:
            yield
        finally:
            with self.changed:
                self.used -= amount
                self.changed.notify_all()
