"""The preview's rebuild state, in-process: what the open tab and the terminal are told."""

from __future__ import annotations

import errno
import threading

from conftest import story_md

from portale.build import pipeline
from portale.build.write import WriteFailed
from portale.editors import watch


def make_preview(root, lines):
    return watch.Preview(root, root / ".anteprima", say=lines.append)


def test_a_good_build_changes_the_generation_a_bad_one_keeps_it(make_site):
    root = make_site()
    lines: list[str] = []
    preview = make_preview(root, lines)
    first = preview.rebuild("prima costruzione")
    assert not first.failed and first.generation and first.problems == []
    (root / "content/aurora/storie/la-festa.md").write_text(story_md("Rotta", date="ieri"), encoding="utf-8")
    broken = preview.rebuild()
    assert broken.failed and broken.generation == first.generation  # the tab keeps the last good page
    assert [p.code for p in broken.problems] == ["data"]
    assert any("l'anteprima mostra ancora l'ultima versione buona" in line for line in lines)
    (root / "content/aurora/storie/la-festa.md").write_text(story_md("Aggiustata"), encoding="utf-8")
    fixed = preview.rebuild()
    assert not fixed.failed and fixed.generation != first.generation and fixed.revision == 3
    assert "Errori corretti." in lines[-1]


def test_a_full_disk_is_shown_not_crashed_on(make_site, monkeypatch):
    root = make_site()
    lines: list[str] = []
    preview = make_preview(root, lines)

    def full_disk(*args, **kwargs):
        raise WriteFailed(OSError(errno.ENOSPC, "No space left on device", str(root / ".anteprima")))

    monkeypatch.setattr(pipeline, "build", full_disk)
    status = preview.rebuild()
    assert status.failed
    [problem] = status.problems
    assert problem.code == "scrittura" and problem.path == ".anteprima"
    assert "impossibile scrivere l'anteprima" in lines[0]


def test_the_watcher_rebuilds_once_the_files_stop_changing(make_site):
    root = make_site()
    preview = make_preview(root, [])
    preview.rebuild()
    stop = threading.Event()
    thread = threading.Thread(target=preview.watch, args=(stop, 0.05), daemon=True)
    thread.start()
    try:
        (root / "content/dora/storie/nuova.md").write_text(story_md("Nuova"), encoding="utf-8")
        status = preview.wait(1, timeout=60)
        assert status.revision == 2 and not status.failed
        assert (root / ".anteprima/dora/storie/nuova/index.html").is_file()
    finally:
        stop.set()
        thread.join(timeout=60)


def test_a_snapshot_sees_an_edit_that_keeps_the_size(make_site):
    root = make_site()
    before = watch.snapshot([root / "content"])
    path = root / "content/aurora/storie/la-festa.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("La festa", "La gesta"), encoding="utf-8")
    after = watch.snapshot([root / "content"])
    assert before != after
    assert watch.describe_change(before, after, root) == "content/aurora/storie/la-festa.md"
