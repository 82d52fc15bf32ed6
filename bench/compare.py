"""Compare checkouts of the generator on the same generated stories, interleaved round by round.

    python bench/compare.py --tree before=/tmp/old-checkout --tree after=. -n 4000 --rounds 5
    python bench/compare.py --tree before=/tmp/old --tree after=. -n 20000 --rounds 2 --only cold
    python bench/compare.py --tree before=/tmp/old --tree after=. -n 4000 --own-stories   # each its own generator

Each tree builds its own copy of the stories (its own site and cache) with its own `build.py`. In every round the
trees take turns (cold build, no change, one story edited), so a slower minute of the machine falls on all of them
alike. The medians and the peak memory of the whole process tree are printed, and written to
`<out>/compare-<n>.json`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import measure  # noqa: E402
from run import OURS_ENV, TODAY, clear_ours, edit_story  # noqa: E402

FIGURES = ("cold", "no change", "one story edited")


def build(tree: Path, root: Path) -> measure.Run:
    return measure.run(
        [sys.executable, str(tree / "build.py"), "--output", "site", "--oggi", TODAY], root, env=OURS_ENV
    )


def generator(tree: Path):
    """The `bench/generate.py` of another checkout, as a module."""
    spec = importlib.util.spec_from_file_location(f"generate_{abs(hash(tree))}", tree / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", action="append", required=True, help="name=path of a checkout (repeat)")
    parser.add_argument("-n", type=int, default=4000, help="number of stories")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", choices=FIGURES, action="append", help="measure only these figures")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where the stories and sites go")
    parser.add_argument(
        "--own-stories",
        action="store_true",
        help="each tree generates the stories with its own bench/generate.py (a change to the content model)",
    )
    args = parser.parse_args(argv)
    trees = {name: Path(path).resolve() for name, path in (spec.split("=", 1) for spec in args.tree)}
    figures = args.only or list(FIGURES)
    base = args.out.resolve() / f"compare-{args.n}"
    if base.exists():
        shutil.rmtree(base)
    info = generate.write_archive(base / "stories", args.n)
    for name, tree in trees.items():
        if args.own_stories:
            generator(tree).write_archive(base / name, args.n)
        else:
            shutil.copytree(base / "stories", base / name, symlinks=True)
    story = info.stories[len(info.stories) // 2]  # the same file in every tree: the generators share their stories
    runs: dict[tuple[str, str], list[measure.Run]] = {}
    for round_ in range(args.rounds):
        for name, tree in trees.items():
            root = base / name
            if "cold" in figures or round_ == 0:
                clear_ours(root)
                result = build(tree, root)
                if "cold" in figures:
                    runs.setdefault((name, "cold"), []).append(result)
            if "no change" in figures:
                runs.setdefault((name, "no change"), []).append(build(tree, root))
            if "one story edited" in figures:
                edit_story(root, story, round_)
                runs.setdefault((name, "one story edited"), []).append(build(tree, root))
            for figure in figures:
                last = runs[(name, figure)][-1]
                if last.returncode != 0:
                    raise SystemExit(f"{name}: the build failed ({figure})")
                print(
                    f"round {round_ + 1} {name:<14} {figure:<18} {last.seconds:7.2f} s  tree {last.tree_pss_mb:6.0f} MB",
                    flush=True,
                )
    print(f"\n-- N = {args.n}, {args.rounds} rounds: median seconds, peak memory of the process tree")
    table = {}
    for figure in figures:
        for name in trees:
            results = runs[(name, figure)]
            median = statistics.median(r.seconds for r in results)
            peak = max(r.tree_pss_mb for r in results)
            table[f"{name} / {figure}"] = {
                "median_s": median,
                "peak_tree_pss_mb": peak,
                "seconds": [r.seconds for r in results],
            }
            print(
                f"  {figure:<18} {name:<14} {median:7.2f} s  (runs {min(r.seconds for r in results):.2f}-{max(r.seconds for r in results):.2f})  peak {peak:6.0f} MB"
            )
    (args.out / f"compare-{args.n}.json").write_text(
        json.dumps(
            {"n": args.n, "rounds": args.rounds, "when": time.strftime("%Y-%m-%d %H:%M"), "figures": table}, indent=2
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
