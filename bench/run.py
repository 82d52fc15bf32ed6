"""Benchmark: our build against Hugo + Pagefind on the same generated stories.

    python bench/run.py                      # N = 1000 4000 20000, 3 repeats, median of each figure
    python bench/run.py -n 4000 --repeat 5   # one size
    python bench/run.py -n 4000 --no-hugo    # ours only

Everything generated goes under bench/out/ (git-ignored). Hugo is Debian's (`apt-get install hugo`); without it the
comparison is skipped. Pagefind is the one the project uses (PyPI `pagefind-bin`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import measure  # noqa: E402

from portale.search.index import pagefind_executable  # noqa: E402

TODAY = "2026-06-01"


# The Pagefind binary itself, as our build runs it: `python -m pagefind_bin` would add a Python start (0.1 s).
PAGEFIND = [str(pagefind_executable())]
# Our build runs as on an editor's machine, where Python keeps the compiled bytecode of the generator between runs
# (`__pycache__`); some sandboxes set PYTHONDONTWRITEBYTECODE, which would charge 0.1 s of compiling to every build.
OURS_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def ours_build(root: Path, jobs: int | None) -> measure.Run:
    cmd = [sys.executable, str(PROJECT / "build.py"), "--output", "site", "--oggi", TODAY]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    return measure.run(cmd, root, env=OURS_ENV)


def clear_ours(root: Path) -> None:
    """As on a fresh clone: no site, no cache, and none of the folders a build keeps beside the site."""
    for name in ("site", ".cache", ".site.nuovo", ".site.vecchio", ".site.precedente"):
        if (root / name).exists():
            shutil.rmtree(root / name)


def indexes_itself(site: Path) -> bool:
    """True when the build runs Pagefind itself: each territory then has its pagefind/ folder."""
    return any((t / "pagefind").is_dir() for t in site.iterdir() if t.is_dir())


def pagefind_ours(site: Path, out: Path) -> measure.Run:
    """Pagefind alone over our site: one fresh bundle per territory, as the build does."""
    territories = sorted(t for t in site.iterdir() if t.is_dir() and (t / "index.html").is_file())
    total = measure.Run(0.0, 0.0, 0.0, 0, os.getloadavg()[0])
    for territory in territories:
        fresh = out / "pagefind-ours" / territory.name
        if fresh.exists():
            shutil.rmtree(fresh)
        one = measure.run(PAGEFIND + ["--site", str(territory), "--output-path", str(fresh), "--silent"], site)
        total.seconds += one.seconds
        total.cpu_s += one.cpu_s
        total.max_rss_mb = max(total.max_rss_mb, one.max_rss_mb)
        total.tree_pss_mb = max(total.tree_pss_mb, one.tree_pss_mb)
    return total


def hugo_build(hugo: Path) -> measure.Run:
    for name in ("public", "resources", ".hugo_build.lock"):
        path = hugo / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    return measure.run(["hugo", "--quiet", "--cacheDir", str(hugo / ".hugo-cache")], hugo)


def pagefind_hugo(hugo: Path) -> measure.Run:
    fresh = hugo / "pagefind-fresh"
    if fresh.exists():
        shutil.rmtree(fresh)
    return measure.run(PAGEFIND + ["--site", "public", "--output-path", str(fresh), "--silent"], hugo)


def edit_story(root: Path, rel: str, round_: int) -> None:
    path = root / "content" / rel
    path.write_text(
        path.read_text(encoding="utf-8") + f"\nUna riga aggiunta dal benchmark, giro {round_}.\n", encoding="utf-8"
    )


def edit_person(root: Path, rel: str, round_: int) -> None:
    """Rename the most-named person: every story naming them and the listings change."""
    path = root / "content" / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [f"nome: Persona Rinominata {round_}" if line.startswith("nome: ") else line for line in lines]
    path.write_text("\n".join(lines), encoding="utf-8")


def count_pages(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*.html") if "pagefind" not in p.parts)


def bench_size(n: int, repeat: int, use_hugo: bool, jobs: int | None, out: Path) -> dict:
    base = out / f"n{n}"
    ours = base / "ours"
    started = time.perf_counter()
    info = generate.write_archive(ours, n)
    if use_hugo:
        generate.write_hugo_site(ours, base / "hugo")
    print(
        f"\n== N = {n}: generated in {time.perf_counter() - started:.1f} s ({len(info.stories)} stories, {len(info.people)} people)",
        flush=True,
    )
    story = info.stories[len(info.stories) // 2]
    person = info.most_named_person
    runs: dict[str, list[measure.Run]] = {}

    def note(name: str, result: measure.Run) -> None:
        runs.setdefault(name, []).append(result)
        print(
            f"  {name:<24} {result.seconds:7.2f} s  cpu {result.cpu_s:6.2f} s  max RSS {result.max_rss_mb:6.0f} MB  tree {result.tree_pss_mb:6.0f} MB  load {result.load:.1f}",
            flush=True,
        )

    pages = hugo_pages = 0
    searched = False
    for round_ in range(repeat):
        if use_hugo:
            note("hugo", hugo_build(base / "hugo"))
            note("pagefind (hugo)", pagefind_hugo(base / "hugo"))
            hugo_pages = count_pages(base / "hugo" / "public")
        clear_ours(ours)
        note("cold", ours_build(ours, jobs))
        pages = count_pages(ours / "site")
        searched = indexes_itself(ours / "site")
        note("pagefind alone", pagefind_ours(ours / "site", out))
        note("no change", ours_build(ours, jobs))
        edit_story(ours, story, round_)
        note("one story edited", ours_build(ours, jobs))
        edit_person(ours, person, round_)
        note("one person edited", ours_build(ours, jobs))

    median = {name: statistics.median(r.seconds for r in results) for name, results in runs.items()}
    cpu = {name: statistics.median(r.cpu_s for r in results) for name, results in runs.items()}
    peak = {name: max(r.tree_pss_mb for r in results) for name, results in runs.items()}
    max_rss = {name: max(r.max_rss_mb for r in results) for name, results in runs.items()}
    result = {
        "n": n,
        "pages": pages,
        "hugo_pages": hugo_pages,
        "search_in_build": searched,
        "median_s": median,
        "median_cpu_s": cpu,
        "peak_tree_pss_mb": peak,
        "max_rss_mb": max_rss,
        "repeat": repeat,
        "cores": os.cpu_count(),
    }
    ours_cold = median["cold"] + (0 if searched else median["pagefind alone"])
    print(f"-- N = {n}: {pages} pages; medians of {repeat}")
    for name in median:
        rate = (
            f"{pages / median[name]:8.0f} pages/s"
            if name in ("cold",)
            else (f"{hugo_pages / median[name]:8.0f} pages/s" if name == "hugo" else " " * 15)
        )
        print(
            f"  {name:<24} {median[name]:7.2f} s {rate}  cpu {cpu[name]:6.2f} s  peak tree {peak[name]:6.0f} MB  max RSS {max_rss[name]:6.0f} MB"
        )
    if not searched:
        print(
            f"  (the build does not index yet: 'cold + search' below adds the Pagefind step alone, {median['pagefind alone']:.2f} s)"
        )
    if use_hugo:
        reference = median["hugo"] + median["pagefind (hugo)"]
        result["ratios"] = {
            "cold+search / hugo+pagefind": ours_cold / reference,
            "one story edited / hugo+pagefind": median["one story edited"] / reference,
            "one person edited / hugo+pagefind": median["one person edited"] / reference,
            "no change / hugo+pagefind": median["no change"] / reference,
        }
        print(f"  hugo + pagefind (fresh) {reference:7.2f} s")
        for name, value in result["ratios"].items():
            print(f"  {name:<36} {value:5.2f}x")
    (out / f"results-{n}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def _filesystem(folder: Path) -> str:
    """The type of the file system holding `folder`, from /proc/mounts (Linux): the longest mount point above it."""
    best, kind = "", "unknown"
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            _, point, fstype, *_ = line.split()
            if str(folder.resolve()).startswith(point.rstrip("/") + "/") and len(point) > len(best):
                best, kind = point, fstype
    except OSError:
        pass
    return kind


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, nargs="+", default=[1000, 4000, 20000], help="numbers of stories")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each figure (the median is reported)")
    parser.add_argument("--jobs", type=int, default=None, help="passed to build.py --jobs")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE / "out",
        help="where the stories, sites and results go (default bench/out/; a tmpfs such as /dev/shm/... leaves the disk out of the comparison)",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    use_hugo = not args.no_hugo and shutil.which("hugo") is not None
    if not use_hugo and not args.no_hugo:
        print("hugo not found (apt-get install hugo): the comparison is skipped")
    if use_hugo:
        print(subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip())
    print(
        subprocess.run(PAGEFIND + ["--version"], capture_output=True, text=True).stdout.strip(),
        f"· {os.cpu_count()} cores · load {os.getloadavg()[0]:.2f}",
    )
    print(f"writing under {args.out} ({_filesystem(args.out)})")
    subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "--help"], env=OURS_ENV, stdout=subprocess.DEVNULL, check=True
    )  # writes the bytecode once
    results = [bench_size(n, args.repeat, use_hugo, args.jobs, args.out.resolve()) for n in args.n]
    if len(results) > 1:
        print("\n-- growth (cold build seconds per story, peak tree memory)")
        for r in results:
            print(
                f"  N = {r['n']:>6}: {1000 * r['median_s']['cold'] / r['n']:.2f} ms/story, {r['peak_tree_pss_mb']['cold']:.0f} MB"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
