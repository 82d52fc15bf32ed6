"""Progress of a long build: nothing for a quick one; after a couple of seconds, a counter rewritten in place on a
terminal, or one plain line per finished stage when the output is a log (CI, a pipe)."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None = None, *, after: float = 2.0, enabled: bool = True):
        self.stream = stream or sys.stdout
        self.after = after
        self.enabled = enabled
        try:
            self.tty = enabled and self.stream.isatty()
        except (AttributeError, ValueError):  # no terminal, or a closed stream
            self.tty = False
        self.started = time.perf_counter()
        self.shown = False  # a counter line is on screen and must be cleared

    @classmethod
    def silent(cls) -> Progress:
        return cls(enabled=False)

    def _write(self, text: str) -> None:
        """Progress is never worth failing a build for: a closed pipe or a full terminal just turns it off."""
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = self.tty = False

    def _late(self) -> bool:
        return self.enabled and time.perf_counter() - self.started >= self.after

    @contextlib.contextmanager
    def stage(self, name: str, total: int) -> Iterator[Callable[[int], None]]:
        """`with progress.stage("pagine", n) as done: ... done(k)` after k more items."""
        count = 0
        stage_started = time.perf_counter()
        last_drawn = 0.0

        def done(n: int) -> None:
            nonlocal count, last_drawn
            count += n
            now = time.perf_counter()
            if self.tty and self._late() and (now - last_drawn > 0.1 or count >= total):
                last_drawn = now
                width = 24
                filled = width * count // max(total, 1)
                self._write(f"\r  {name:<7} [{'#' * filled}{'.' * (width - filled)}] {count}/{total}")
                self.shown = True

        yield done
        if self.shown:
            self._write("\r" + " " * 60 + "\r")
            self.shown = False
        if self._late():
            self._write(f"  {name}: {total} in {time.perf_counter() - stage_started:.1f} s\n")
