"""Faults while building: killed, a failing page, a full disk, two builds at once, another machine.
The previous site/ stays whole, stray staging folders go away on the next run, and the same content
gives the same bytes whatever the time zone, locale, hash seed or file order."""

from __future__ import annotations

import errno
import fcntl
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import build_digest, read, story_md, tree_digest

from portale.build import write
from portale.pages import render

PROJECT = Path(__file__).resolve().parent.parent
OGGI = "2026-01-15"

# Runs the real command line in its own process; the write stage stops half-way at a checkpoint
# (a marker file) so that the test can kill it exactly there, with SIGKILL.
STOP_HALF_WAY = """
import pathlib, sys, time
sys.path.insert(0, {project!r})
from portale import cli
from portale.build import write
original = write.write_site
def half_then_wait(folder, pages):
    names = sorted(pages)
    original(folder, {{n: pages[n] for n in names[: len(names) // 2]}})
    pathlib.Path({marker!r}).write_text(str(folder))
    time.sleep(120)
    return original(folder, pages)
write.write_site = half_then_wait
sys.exit(cli.main(sys.argv[1:], root=pathlib.Path({root!r})))
"""


def build_ok(make_site, run, files=None):
    root = make_site(files)
    code, out = run(["--oggi", OGGI], cwd=root)
    assert code == 0, out
    return root


def wait_for(predicate, what: str, seconds: float = 60):
    """Poll until predicate() is true; the limit only keeps a broken build from hanging the suite."""
    end = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.02)


def strays(root: Path) -> list[str]:
    """Folders a build left beside site/, but the lock and the spare kept on purpose (write.SPARE_SUFFIX)."""
    return sorted(
        p.name
        for p in root.iterdir()
        if p.name.startswith(".site.") and p.name not in (".site.lock", ".site.precedente")
    )


def test_sigkill_half_way_leaves_the_old_site_and_the_next_run_cleans_up(make_site, run, tmp_path):
    root = build_ok(make_site, run)
    before = tree_digest(root / "site")
    make_site({"content/aurora/storie/nuova.md": story_md("Una storia nuova")})
    marker = tmp_path / "a-meta"
    script = STOP_HALF_WAY.format(project=str(PROJECT), marker=str(marker), root=str(root))
    process = subprocess.Popen(
        [sys.executable, "-c", script, "--oggi", OGGI], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(marker.exists, "the build to reach half-way")
        staging = Path(marker.read_text())
        assert staging.is_dir() and any(staging.rglob("index.html"))  # really half-written
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
    assert tree_digest(root / "site") == before
    assert strays(root) == [".site.nuovo"]  # what the killed build left

    code, out = run(["--oggi", OGGI], cwd=root)
    assert code == 0, out
    assert strays(root) == []
    assert "Una storia nuova" in read(root, "site/aurora/storie/index.html")


def test_a_build_killed_between_the_two_fallback_renames_gets_its_site_back(make_site, run):
    """Without renameat2 the swap is two renames; dying between them leaves only .site.vecchio."""
    root = build_ok(make_site, run)
    before = tree_digest(root / "site")
    os.rename(root / "site", root / ".site.vecchio")
    write.clean_leftovers(root / "site")
    assert tree_digest(root / "site") == before
    assert strays(root) == []


def test_an_exception_on_one_page_leaves_the_old_site(make_site, run, monkeypatch):
    root = build_ok(make_site, run)
    before = tree_digest(root / "site")
    make_site({"content/aurora/storie/nuova.md": story_md("Nuova")})
    original = render.render_page

    def fails_on_one(env, archive, page, *rest):
        if page.path == "aurora/storie/nuova/":
            raise RuntimeError("a bug in a template")
        return original(env, archive, page, *rest)

    monkeypatch.setattr(render, "render_page", fails_on_one)
    with pytest.raises(RuntimeError):  # a bug keeps its traceback
        run(["--oggi", OGGI], cwd=root)
    assert tree_digest(root / "site") == before
    assert strays(root) == []


def test_an_exception_while_writing_removes_the_staging_folder(make_site, run, monkeypatch):
    root = build_ok(make_site, run)
    before = tree_digest(root / "site")
    original = write.write_site

    def half_then_bug(folder, pages):
        original(folder, dict(list(sorted(pages.items()))[:3]))
        raise RuntimeError("a bug half-way")

    monkeypatch.setattr(write, "write_site", half_then_bug)
    with pytest.raises(RuntimeError):
        run(["--oggi", OGGI], cwd=root)
    assert tree_digest(root / "site") == before
    assert strays(root) == []


def test_a_full_disk_half_way_is_reported_and_leaves_the_old_site(make_site, run, monkeypatch):
    root = build_ok(make_site, run)
    before = tree_digest(root / "site")
    make_site({"content/aurora/storie/nuova.md": story_md("Nuova")})
    written = []
    original = Path.write_bytes

    def disk_fills_up(self, data):
        if len(written) >= 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        written.append(self)
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_fills_up)
    code, out = run(["--oggi", OGGI], cwd=root)
    assert code == 3
    assert "Impossibile scrivere site/: il disco è pieno" in out
    assert "Il sito di prima è rimasto com'era" in out
    assert tree_digest(root / "site") == before
    assert strays(root) == []


def test_a_real_file_size_limit_is_reported_by_a_real_build(make_site, run):
    """The kernel refuses the writes (RLIMIT_FSIZE, EFBIG), like a disk that is full."""
    root = build_ok(make_site, run)
    before = tree_digest(root / "site")

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    done = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "--oggi", OGGI],
        cwd=root,
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3, done.stdout + done.stderr
    assert "Impossibile scrivere site/: un file supera la dimensione massima concessa" in done.stderr
    assert "Traceback" not in done.stderr
    assert tree_digest(root / "site") == before
    assert strays(root) == []


def test_a_second_build_waits_for_the_first(make_site, run, tmp_path):
    root = build_ok(make_site, run)
    before = tree_digest(root / "site")
    make_site({"content/aurora/storie/nuova.md": story_md("Nuova")})
    errors = tmp_path / "stderr.txt"
    with open(root / ".site.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # the first build, still writing
        with open(errors, "w") as stderr:
            second = subprocess.Popen(
                [sys.executable, str(PROJECT / "build.py"), "--oggi", OGGI],
                cwd=root,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        try:
            wait_for(lambda: "aspetto che finisca" in errors.read_text(), "the second build to say it waits")
            assert second.poll() is None
            assert tree_digest(root / "site") == before and strays(root) == []
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)
    try:
        assert second.wait(timeout=120) == 0
    finally:
        if second.poll() is None:
            second.kill()
    assert (root / "site/aurora/storie/nuova/index.html").is_file()
    assert strays(root) == []


def test_lock_without_waiting_fails_clearly(tmp_path):
    out = tmp_path / "site"
    with write.lock(out):
        with pytest.raises(write.BuildLocked):
            with write.lock(out, wait=False):
                pass


# --- the same bytes on every machine --------------------------------------------------------


def copy_content(source: Path, target: Path, reverse: bool) -> None:
    """Copy a content tree creating files in the opposite order, with other modification times."""
    files = sorted(p for p in source.rglob("*") if p.is_file())
    for index, path in enumerate(reversed(files) if reverse else files):
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
        stamp = 1_000_000_000 + (len(files) - index if reverse else index) * 3600
        os.utime(dest, (stamp, stamp))


def test_builds_under_other_tz_locale_hash_seed_and_file_order_are_identical(tmp_path):
    sample = PROJECT / "content"
    if not (sample / "portale.yml").is_file():
        pytest.skip("the sample content is not in this checkout")
    runs = [
        {"TZ": "UTC", "LC_ALL": "C", "LANG": "C", "PYTHONHASHSEED": "0"},
        {"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "LANG": "it_IT.UTF-8", "PYTHONHASHSEED": "4242"},
    ]
    digests = []
    for index, extra in enumerate(runs):
        root = tmp_path / f"macchina-{index}"
        copy_content(sample, root / "content", reverse=bool(index))
        env = {k: v for k, v in os.environ.items() if k not in ("TZ", "LC_ALL", "LANG", "PYTHONHASHSEED")} | extra
        done = subprocess.run(
            [sys.executable, str(PROJECT / "build.py"), "--oggi", OGGI],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        digests.append(build_digest(root / "site"))  # all but Pagefind's filter index (conftest)
    assert digests[0].keys() == digests[1].keys()
    assert [k for k in digests[0] if digests[0][k] != digests[1][k]] == []


# --- writing stays inside the output folder ---------------------------------------------------


@pytest.mark.parametrize(
    "rel",
    ["../site-vecchio/index.html", "../site/../site2/x.html", "/tmp/assoluto.html", "aurora/../../fuori.html", "."],
)
def test_no_page_path_writes_outside_the_output_folder(tmp_path, rel):
    """A last line of defence below validation: containment by path, not by string prefix."""
    out = tmp_path / "site"
    out.mkdir()
    with pytest.raises(ValueError):
        write.write_site(out, {rel: b"x"})
    with pytest.raises(ValueError):
        write._target(out.resolve(), rel)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["site"]


def test_a_symlinked_folder_in_the_staging_folder_is_not_followed(tmp_path):
    out = tmp_path / "site"
    (out / "aurora").mkdir(parents=True)
    outside = tmp_path / "altrove"
    outside.mkdir()
    (out / "aurora" / "storie").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ValueError):
        write.write_site(out, {"aurora/storie/x/index.html": b"x"})
    assert list(outside.iterdir()) == []
