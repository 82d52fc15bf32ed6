"""How the word pages' work grows with the archive: the word graph and every word page's view, timed in-process.

    python bench/words.py -n 1000 4000 20000 --out /dev/shm/words

For each N it generates the archive (generate.py), reads, checks and models it as the build does, then times
`WordGraph(archive)` and the views of every word page (each territory's and the network's, with their itineraries),
and prints the seconds per 1,000 (text, word) pairs: a flat column is linear growth.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

from portale.build import pipeline  # noqa: E402
from portale.content import model, privacy  # noqa: E402
from portale.pages import words  # noqa: E402

TODAY = dt.date(2026, 6, 1)


def measure(n: int, out: Path) -> dict:
    root = out / f"words-{n}"
    generate.write_archive(root, n)
    sources, problems = pipeline.check(root, TODAY)
    assert not [p for p in problems if not p.warning], problems[:3]
    privacy.redact(sources, TODAY)
    for source in sources.files:  # word pages never show a body: leave Markdown out of it
        source.body_html = ""
    archive = model.build_archive(sources, today=TODAY)
    texts = [t for territory in archive.territories for t in (*territory.stories, *territory.people, *territory.needs)]
    pairs = sum(len(t.words) for t in texts)
    started = time.perf_counter()
    graph = words.WordGraph(archive)
    built = time.perf_counter() - started
    pages = 0
    for territory in [*archive.territories, None]:
        graph.list_view(territory)
        for word in graph.words_in(territory) if territory else graph.network_words():
            graph.view(word, territory)
            pages += 1
    total = time.perf_counter() - started
    return {"n": n, "texts": len(texts), "pairs": pairs, "pages": pages, "graph": built, "total": total}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, nargs="+", default=[1000, 4000, 20000])
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args(argv)
    print("| stories | texts | (text, word) pairs | word pages | graph | graph + every view | per 1,000 pairs |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for n in args.n:
        r = measure(n, args.out.resolve())
        per = r["total"] / r["pairs"] * 1000
        print(
            f"| {r['n']:,} | {r['texts']:,} | {r['pairs']:,} | {r['pages']:,} | {r['graph']:.2f} s | "
            f"{r['total']:.2f} s | {per * 1000:.1f} ms |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
