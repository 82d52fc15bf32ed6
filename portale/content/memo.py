"""The per-file memo: what reading, checking, privacy-filtering and rendering each content file gave, kept in the
build cache so that a rebuild parses, validates, privacy-checks and renders again only the files that changed.

One entry per file, named by a hash of its bytes, its place (path, kind, territory, slug) and the generator's code:
- `load`: the parsed front matter (with its lines), the body, the checked values and the problems of the file alone;
- `privacy`: the file's privacy problems, valid while the archive's hidden names and the organisations allowed to
  show contacts keep the same `signature` (privacy.py);
- `published`: the values and body as published (None: as read), valid while the hidden names keep the same
  `signature`, and what later stages add: the Markdown key and body HTML, the fingerprints of the page keys.
The stages read and write the parts through `Source.recall` and `Source.remember` (load.py).
Checks across files (references, duplicates, media) run on every build: they are cheap, and their inputs are many.

A file whose identity (inode, size, modification and change times) is the one the last build read is not read
again: its hash comes from the memo, as git does for its index. Only files that were already this many seconds old
when they were read are trusted (`TRUST_AFTER_NS`): a file changed again within the same tick of the file system's
clock can keep its times, so a file that young is always read (git's "racily clean" files). The change time cannot
be set back by any tool (`touch`, `cp -p`, an editor): any write changes it.

Entries not used by a build are deleted at its end, with SQLite's secure delete on: the text of an erased story
or person does not stay in the cache (see docs/rimozione.md). Deleting `.cache/` is always safe.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from pathlib import Path

import yaml

PACKAGE = Path(__file__).resolve().parent.parent  # portale/
_CODE: list[str] = []


def code_version() -> str:
    """The generator's code (any module may change what a file yields) and the versions of the libraries that
    parse, render and sanitise it."""
    if not _CODE:
        from portale.content.markup import code_version as markup_version  # Markdown's and nh3's versions

        digest = hashlib.sha256(f"{yaml.__version__}|{markup_version()}".encode())
        for path in sorted(PACKAGE.rglob("*.py")):
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
        _CODE.append(digest.hexdigest()[:16])
    return _CODE[0]


def hash_key(*parts: str | bytes) -> str:
    """One sha256 of the parts, each followed by a NUL (so "ab", "c" and "a", "bc" differ)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


TRUST_AFTER_NS = 2_000_000_000  # see the module docstring: coarser than any file system's clock (FAT: 2 s)


class Memo:
    """Entries by name, backed by the build cache; `Memo(None)` remembers nothing. `prefetch()` reads in a few
    queries the entries the last build used (after one edit, all but one are the same)."""

    def __init__(self, cache=None):
        self.cache = cache
        self.used: set[str] = set()
        self.new: dict[str, bytes] = {}
        self.fetched: dict[str, bytes] = {}
        self.last: set[str] | None = None  # the entries the last build kept, once read by prefetch
        self.same_code = True  # whether the last build ran the same code (prefetch)
        self.stats_before: dict[str, list] = {}  # {path: [inode, size, mtime_ns, ctime_ns, sha256]} of the last build
        self.stats: dict[str, list] = {}  # the same, for this build's files old enough to be trusted next time
        self.started_ns = time.time_ns()

    @property
    def enabled(self) -> bool:
        return self.cache is not None

    def prefetch(self) -> None:
        if self.cache is not None:
            listed, code = self.cache.memo_used()
            self.last = set(listed) if listed is not None else None
            # Entry names include the code version: after a change of the code (an upgrade) none can be found, and
            # fetching them all would only hold 250 MB at 20,000 stories for nothing.
            self.same_code = code == code_version()
            self.fetched = self.cache.memo_many(listed or []) if self.same_code else {}
            self.stats_before = self.cache.file_stats()

    def known_digest(self, path: str, kind: str = "") -> str | None:
        """The hash of the file at `path` as the last build read it, when its identity has not changed since (see
        the module docstring); None when it must be read. `kind` names another hash of the file than its sha256
        (media.py: the key of an image's resized copies, or that it was verified)."""
        known = self.stats_before.get(kind + path)
        if known is None:
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        if [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns] != known[:4]:
            return None
        self.stats[kind + path] = known  # still trusted by the next build
        return known[4]

    def note_read(self, path: str, st: os.stat_result, digest: str, kind: str = "") -> None:
        """This build read the file at `path`, of this identity and hash: remembered for the next build if the file
        was old enough to be trusted."""
        if max(st.st_mtime_ns, st.st_ctime_ns) < self.started_ns - TRUST_AFTER_NS:
            self.stats[kind + path] = [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, digest]

    def entry(self, name: str) -> dict | None:
        if self.cache is None:
            return None
        data = self.fetched.pop(name, None) or (self.cache.memo(name) if self.same_code else None)
        if data is None:
            return None
        self.used.add(name)
        return pickle.loads(data)

    def forget_unread(self) -> None:
        """Every file has been read: the prefetched entries no file asked for (files edited or erased, or every entry
        after a change of the code) are let go now, not held through the build (250 MB at 20,000 stories)."""
        self.fetched.clear()

    def store(self, name: str, entry: dict) -> None:
        if self.cache is None:
            return
        self.used.add(name)
        self.new[name] = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)

    def save(self, sources=()) -> None:
        """Store the entries of `sources` that a stage filled in this build, and forget the ones no file used."""
        if self.cache is None:
            return
        for source in sources:
            if source.memo_dirty and source.memo_entry is not None:
                self.store(source.memo_key, source.memo_entry)
                source.memo_dirty = False
                if len(self.new) >= 5000:  # stored a few thousand at a time: all 20,000 at once took 300 MB more
                    self._flush()
        self._flush()
        self.cache.store_file_stats(self.stats)

    def _flush(self) -> None:
        """Store the new entries and keep the used ones. Every lookup is done by now, so `used` already names every
        entry this build keeps, except new ones not stored yet (not in the table either)."""
        self.cache.store_memo(self.new, self.used, self.last, code_version())
        self.last = set(self.used)
        self.new.clear()
