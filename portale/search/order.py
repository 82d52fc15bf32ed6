"""Make a Pagefind bundle byte-identical from one build to the next.

Pagefind 1.5 writes its filter index from a hash map, so the order of filter values (and of the
filters in the bundle's metadata) changes on every run; the file names are hashes of the contents,
so the names change too. Two builds of the same content must give the same files, so after
Pagefind has run we rewrite those files in sorted order and name them by their new contents:

- `filter/<lang>_<hash>.pf_filter`: [filter name, [[value, [page numbers]], ...]], values sorted;
- `pagefind.<lang>_<hash>.pf_meta`: its list of [filter name, file hash], sorted by name;
- `pagefind-entry.json`: the metadata file's new hash, and its languages (one index per page language, from a hash
  map too) in the order of their codes.

The files are gzip (no timestamp) of b"pagefind_dcd" + CBOR, as Pagefind writes them; the
search script finds them by the names written in the metadata and the entry file.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import cbor2

SIGNATURE = b"pagefind_dcd"


def read_pagefind_file(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"not a Pagefind file: {path}")
    return cbor2.loads(data[len(SIGNATURE) :])


def _encode(value) -> tuple[bytes, str]:
    """Compressed bytes, and the hex digest of the uncompressed contents (for the file name)."""
    data = SIGNATURE + cbor2.dumps(value)
    return gzip.compress(data, compresslevel=9, mtime=0), hashlib.sha256(data).hexdigest()


def make_deterministic(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for _language, info in sorted(entry.get("languages", {}).items()):
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = read_pagefind_file(meta_path)
        prefix = info["hash"].split("_", 1)[0]  # the language part of the names, e.g. "it"
        filters = meta[3]
        renamed = []
        for name, file_hash in filters:
            old = bundle / "filter" / f"{file_hash}.pf_filter"
            filter_name, values = read_pagefind_file(old)
            values = sorted(([value, sorted(pages)] for value, pages in values), key=lambda item: item[0])
            data, digest = _encode([filter_name, values])
            new_hash = f"{prefix}_{digest[:7]}"
            old.unlink()
            (bundle / "filter" / f"{new_hash}.pf_filter").write_bytes(data)
            renamed.append([name, new_hash])
        meta[3] = sorted(renamed)
        data, digest = _encode(meta)
        new_meta_hash = f"{prefix}_{digest[:10]}"
        meta_path.unlink()
        (bundle / f"pagefind.{new_meta_hash}.pf_meta").write_bytes(data)
        info["hash"] = new_meta_hash
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
