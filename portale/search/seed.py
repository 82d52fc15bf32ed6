"""Start a territory's new Pagefind bundle from its last one, and check what Pagefind kept of it.

Pagefind names page fragments and word-index chunks by their contents (SHA-1 in hex, cut to 7 digits or more) and
does not write such a file when one of that name exists (`WriteBehavior::Immutable` in Pagefind's
`output/mod.rs`); every file it writes is gzipped at the best level. Into a fresh folder it compresses and creates
every file: about half of its time. Into a folder seeded with the last bundle it writes only what changed. A seeded
file the new index no longer names is deleted (an erased page leaves no fragment), and a seeded file it names is
checked against its name: a damaged or truncated file is written again.

What the check cannot see: a seeded file left from the last run (the old version of a changed page or chunk) whose
7-digit name the new run gives to different contents. Pagefind keeps such names unique within one run, not against
the files already there, and its metadata holds only the short name. After one edit a few new names meet a few old
files: about one chance in 10^8 per build that a search result shows another page's excerpt until either changes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import zlib
from pathlib import Path

from portale.search.order import SIGNATURE, read_pagefind_file

# The folders of a bundle whose files are named by their contents (see above).
NAMED_BY_CONTENT = ("fragment", "index")


def seed_bundle(bundle: Path, previous: Path) -> None:
    """Start `bundle` from the page fragments and word-index chunks of the territory's last bundle (`previous`, in the
    live site), hard-linked. Pagefind names these files by their contents and does not write a file that already
    exists, so it compresses (gzip at its best level: about half of its time on a fresh folder) only the pages and
    chunks that changed. A reused staging folder already holds the bundle of the build before: only the files it
    lacks are linked. Only these two folders are seeded: Pagefind truncates and rewrites its other files in place,
    which would write through a hard link into the live site. `prune_bundle` removes what the new index does not
    name and checks the seeded files it names."""
    if not (previous / "pagefind-entry.json").is_file():
        if bundle.exists():
            shutil.rmtree(bundle)
        return
    if bundle.is_dir():
        keep_only_named_by_content(bundle)
    for folder in NAMED_BY_CONTENT:
        source, target = previous / folder, bundle / folder
        if not source.is_dir():
            continue
        target.mkdir(parents=True, exist_ok=True)
        present = set(os.listdir(target))
        for name in os.listdir(source):
            if name not in present:
                os.link(source / name, target / name)


def keep_only_named_by_content(bundle: Path) -> None:
    for item in bundle.iterdir():
        if item.name in NAMED_BY_CONTENT:
            continue
        if item.is_dir():
            shutil.rmtree(item)
        else:
            item.unlink()


def _pagefind_hash(data: bytes) -> str:
    """Pagefind's content hash: SHA-1, each byte in hex without zero padding (Rust's `{:x?}`)."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def seeded_files(bundle: Path) -> list[str]:
    """The files in `bundle`'s folders named by content ("fragment/it_07f3b45.pf_fragment"): the seeded ones, when
    listed before Pagefind runs."""
    return [
        f"{folder}/{name}"
        for folder in NAMED_BY_CONTENT
        if (bundle / folder).is_dir()
        for name in os.listdir(bundle / folder)
    ]


def damaged_seeds(bundle: Path, seeded: list[str]) -> set[str]:
    """The `seeded` files (`seeded_files`) whose contents do not match their name: damaged or truncated since they
    were written. Run while Pagefind indexes into `bundle`: it creates new files there but never rewrites one that
    exists, so the files listed before it started stay as they are."""
    damaged = set()
    for rel in seeded:
        try:
            data = gzip.decompress((bundle / rel).read_bytes())
        except (OSError, EOFError, zlib.error):  # truncated, or not gzip at all
            damaged.add(rel)
            continue
        name = rel.rsplit("/", 1)[1].split(".", 1)[0].partition("_")[2]  # "it_07f3b45.pf_fragment" -> "07f3b45"
        if not name or not _pagefind_hash(data[len(SIGNATURE) :]).startswith(name):
            damaged.add(rel)
    return damaged


def prune_bundle(bundle: Path, damaged: set[str]) -> list[Path]:
    """Delete the files of `bundle` that its metadata does not name (seeded fragments of pages that changed or were
    erased), and return the seeded files it names that are `damaged` (see `damaged_seeds`): Pagefind skipped
    writing them because a file of that name was already there."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    wanted: set[str] = set()
    for info in entry.get("languages", {}).values():
        meta = read_pagefind_file(bundle / f"pagefind.{info['hash']}.pf_meta")
        wanted |= {f"fragment/{page[0]}.pf_fragment" for page in meta[1]}
        wanted |= {f"index/{chunk[2]}.pf_index" for chunk in meta[2]}
        wanted |= {f"filter/{item[1]}.pf_filter" for item in meta[3]}
    wrong = []
    for folder in ("fragment", "index", "filter"):
        for path in (bundle / folder).iterdir() if (bundle / folder).is_dir() else ():
            if f"{folder}/{path.name}" not in wanted:
                path.unlink()
            elif f"{folder}/{path.name}" in damaged:
                wrong.append(path)
    return wrong
