"""The per-file memo: what reading, checking and privacy-filtering each content file gave, kept in the build cache
so that a rebuild parses, validates and privacy-checks again only the files that changed.

Every entry is keyed by a hash of everything its result depends on:
- `load`: the file's bytes and place (path, kind, territory, slug) and the generator's code. It holds the parsed
  front matter (with its lines), the body, the checked values and the problems found in the file alone;
- `privacy`: the `load` key, the hidden names of the whole archive (who is hidden, shown how) and the
  organisations allowed to show contacts. It holds the file's privacy problems;
- `redact`: the `load` key and the hidden names. It holds the file's values and body as published.
Checks across files (references, duplicates, media) run on every build: they are cheap, and their inputs are many.

Entries not used by a build are deleted at its end, with SQLite's secure delete on: the text of an erased story
or person does not stay in the cache (see docs/rimozione.md). Deleting `.cache/` is always safe.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

import yaml

PACKAGE = Path(__file__).resolve().parent
_CODE: list[str] = []


def code_version() -> str:
    """The generator's code (any module may change what a file yields) and the YAML parser's version."""
    if not _CODE:
        digest = hashlib.sha256(yaml.__version__.encode())
        for path in sorted(PACKAGE.glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        _CODE.append(digest.hexdigest()[:16])
    return _CODE[0]


def key(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


class Memo:
    """get/put of picklable values by key, backed by the build cache; `Memo(None)` remembers nothing.

    Each stage (load, privacy, redact) asks for one entry per file. To spare a query per entry, `prefetch(stage)`
    reads in a few queries the entries that the stage used in the last build (most of them are the same)."""

    def __init__(self, cache=None):
        self.cache = cache
        self.used: dict[str, set[str]] = {}  # stage -> names of the entries used by this build
        self.new: dict[str, bytes] = {}
        self.fetched: dict[str, bytes] = {}
        self.last = cache.memo_used() if cache is not None else {}

    def prefetch(self, stage: str) -> None:
        if self.cache is not None:
            self.fetched = self.cache.memo_many(self.last.get(stage, []))

    def get(self, name: str, stage: str) -> Any | None:
        if self.cache is None:
            return None
        data = self.fetched.pop(name, None) or self.new.get(name) or self.cache.memo(name)
        if data is None:
            return None
        self.used.setdefault(stage, set()).add(name)
        return pickle.loads(data)

    def put(self, name: str, value: Any, stage: str) -> None:
        if self.cache is None:
            return
        self.used.setdefault(stage, set()).add(name)
        self.new[name] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    def save(self) -> None:
        """Store the new entries and forget the ones this build did not use."""
        if self.cache is None:
            return
        self.fetched.clear()
        self.cache.store_memo(self.new, {stage: sorted(names) for stage, names in self.used.items()})
        self.cache.forget_memo_except(set().union(*self.used.values()))
        self.new.clear()
