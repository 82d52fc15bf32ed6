"""The build cache in `.cache/` beside `content/` (never inside the output): what a rebuild can reuse.

One SQLite file holds
- the per-file memo of loading, validation and privacy checks (see memo.py);
- the sanitised HTML of every Markdown body, keyed by a hash of the body and of the code that renders it;
- per output folder, the manifest of the last build that reached it: for each page, the key of its inputs and the
  identity (inode, size, mtime) of the file written, so an unchanged page is hard-linked from the previous site
  instead of rendered again, and only if that file is still the one the build wrote.

Deleting `.cache/` is always safe: the next build is a cold one and writes the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS markdown (key TEXT PRIMARY KEY, html TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS manifest (output TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bundles (output TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS memo (key TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS memo_used (stage TEXT PRIMARY KEY, keys TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS file_stats (folder TEXT PRIMARY KEY, data TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Written:
    """A file of the previous build: the key of its inputs and the identity of the file on disk."""

    key: str
    inode: int
    size: int
    mtime_ns: int
    sha: str  # of the bytes: what the search index of the page's territory reads

    @classmethod
    def of(cls, key: str, path: Path | str, data: bytes) -> Written:
        st = os.stat(path)
        return cls(key, st.st_ino, st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest()[:32])

    def still_at(self, path: Path | str) -> bool:
        try:
            st = os.stat(path)
        except OSError:
            return False
        return (st.st_ino, st.st_size, st.st_mtime_ns) == (self.inode, self.size, self.mtime_ns)


class Cache:
    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(folder / "portale.sqlite", timeout=30)
        # Erasure: a deleted story's text must not linger in the file's free pages (SQLite keeps them).
        self.db.execute("PRAGMA secure_delete = ON")
        self.db.executescript(SCHEMA)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One transaction. If it fails (a full disk, a file-size limit) the build goes on without storing it: the
        cache is only a shortcut, and writing the site then meets the same limit and reports it."""
        try:
            with self.db:
                yield
        except sqlite3.Error:
            pass

    def close(self) -> None:
        self.db.close()

    def _select_many(self, table: str, column: str, keys: Iterable[str]) -> dict:
        """{key: column} of the rows of `table` with these keys, a few hundred keys per query."""
        keys = list(dict.fromkeys(keys))
        found: dict = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            found.update(
                self.db.execute(f"SELECT key, {column} FROM {table} WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            )
        return found

    def _delete_except(self, table: str, keep: Iterable[str]) -> None:
        """Inside a transaction: delete the rows of `table` whose key is not in `keep`."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM keep")
        self.db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((k,) for k in keep))
        self.db.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM keep)")

    def markdown(self, keys: Iterable[str]) -> dict[str, str]:
        return self._select_many("markdown", "html", keys)

    def store_markdown(self, items: dict[str, str]) -> None:
        with self._writing():
            self.db.executemany("INSERT OR REPLACE INTO markdown (key, html) VALUES (?, ?)", items.items())

    def forget_markdown_except(self, keep: Iterable[str]) -> None:
        """Drop the HTML of bodies that no longer exist, so the cache does not grow forever."""
        with self._writing():
            self._delete_except("markdown", keep)

    def memo(self, key: str) -> bytes | None:
        row = self.db.execute("SELECT data FROM memo WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def memo_many(self, keys: list[str]) -> dict[str, bytes]:
        return self._select_many("memo", "data", keys)

    def memo_used(self) -> tuple[list[str] | None, str | None]:
        """The names of the memo entries the last build kept (None when no build stored any), and the code version
        that made them (memo.code_version)."""
        row = self.db.execute("SELECT keys FROM memo_used WHERE stage = 'file'").fetchone()
        listed = json.loads(row[0]) if row else None
        if isinstance(listed, dict):
            return listed["keys"], listed["code"]
        return listed, None  # a list alone: stored before the code version was

    def file_stats(self) -> dict[str, list]:
        """{path: [inode, size, mtime_ns, ctime_ns, sha256]} of the content files the last build read (memo.py)."""
        row = self.db.execute("SELECT data FROM file_stats WHERE folder = 'content'").fetchone()
        return json.loads(row[0]) if row else {}

    def store_file_stats(self, stats: dict[str, list]) -> None:
        with self._writing():
            self.db.execute(
                "INSERT OR REPLACE INTO file_stats (folder, data) VALUES ('content', ?)",
                (json.dumps(stats, separators=(",", ":")),),
            )

    def store_memo(self, items: dict[str, bytes], used: set[str], last: set[str] | None, code: str) -> None:
        """Store `items` and keep exactly the entries in `used`, in one transaction, so the table always holds what
        `memo_used` lists. `last`: what it listed before (the entries to delete are then `last - used`); None when
        unknown, and every entry not used is deleted. `code`: the code version that made them."""
        with self._writing():
            self.db.executemany("INSERT OR REPLACE INTO memo (key, data) VALUES (?, ?)", items.items())
            if last is None:
                self._delete_except("memo", used)
            else:
                self.db.executemany("DELETE FROM memo WHERE key = ?", ((k,) for k in sorted(last - used)))
            self.db.execute(
                "INSERT OR REPLACE INTO memo_used (stage, keys) VALUES ('file', ?)",
                (json.dumps({"code": code, "keys": sorted(used)}),),
            )

    def manifest(self, out: Path) -> dict[str, Written]:
        row = self.db.execute("SELECT data FROM manifest WHERE output = ?", (str(out.resolve()),)).fetchone()
        if not row:
            return {}
        entries = json.loads(row[0])
        if any(len(values) != len(Written.__dataclass_fields__) for values in entries.values()):
            return {}  # written by another version: nothing is reused
        return {path: Written(*values) for path, values in entries.items()}

    def bundles(self, out: Path) -> dict[str, str]:
        """{territory: key of the pages its search bundle in `out` was made from}."""
        row = self.db.execute("SELECT data FROM bundles WHERE output = ?", (str(out.resolve()),)).fetchone()
        return json.loads(row[0]) if row else {}

    def store_sites(self, manifests: dict[Path, str], bundles: dict[Path, dict[str, str]]) -> None:
        """What a build leaves for the next one, per output folder, in one transaction: the manifest of its pages
        (`encode_manifest`) and the keys of its search bundles."""
        with self._writing():
            for out, data in manifests.items():
                self.db.execute(
                    "INSERT OR REPLACE INTO manifest (output, data) VALUES (?, ?)", (str(out.resolve()), data)
                )
            for out, keys in bundles.items():
                self.db.execute(
                    "INSERT OR REPLACE INTO bundles (output, data) VALUES (?, ?)",
                    (str(out.resolve()), json.dumps(keys, sort_keys=True)),
                )


def encode_manifest(written: dict[str, Written]) -> str:
    """A manifest as the cache stores it (`Cache.store_sites`); the build encodes it while Pagefind runs."""
    return json.dumps(
        {p: [w.key, w.inode, w.size, w.mtime_ns, w.sha] for p, w in sorted(written.items())}, separators=(",", ":")
    )


def cache_folder(root: Path) -> Path:
    return Path(os.environ.get("PORTALE_CACHE", root / ".cache"))
