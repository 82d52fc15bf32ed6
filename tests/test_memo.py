"""The per-file memo (portale/content/memo.py): a rebuild that skips reading and checking unchanged files must report
exactly what a build from scratch reports, and re-check unchanged files when what they are checked against changes."""

from __future__ import annotations

import os
import shutil

from conftest import person_md, story_md

from portale.content import load, memo

TODAY = ["--oggi", "2026-06-01"]

FILES = {
    # a warning of the file alone (unknown key) and a privacy warning (a full name replaced)
    "content/aurora/storie/la-festa.md": story_md(
        "La festa di via Como",
        persone="[anna-rossi, lucia]",
        extra="sottotitolo: Una festa\ntag: [festa]\n",
        body="Lucia Verdi ha cucinato per tutti, con Anna Rossi.",
    ),
    "content/aurora/persone/lucia.md": person_md(
        "Lucia Verdi", "[cucina-etnica]", extra="visibilita: solo-nome\n", body="Cucino."
    ),
}


def problem_lines(out: str) -> list[str]:
    return sorted(line for line in out.splitlines() if line.startswith("content/"))


def test_a_rebuild_reports_what_a_build_from_scratch_reports(make_site, run):
    root = make_site(FILES)
    code, first = run(TODAY, cwd=root)
    assert code == 0, first
    assert any("sottotitolo" in line for line in problem_lines(first)), first
    assert any("nome-sostituito" in line or "Lucia Verdi" in line for line in problem_lines(first)), first
    code, again = run(TODAY, cwd=root)  # every file comes from the memo
    assert code == 0, again
    assert problem_lines(again) == problem_lines(first)
    assert "Anna Rossi" in (root / "site/aurora/storie/la-festa/index.html").read_text(encoding="utf-8")
    assert "Lucia Verdi" not in (root / "site/aurora/storie/la-festa/index.html").read_text(encoding="utf-8")


def test_hiding_a_person_checks_the_unchanged_stories_again(make_site, run):
    root = make_site(FILES)
    assert run(TODAY, cwd=root)[0] == 0
    # Anna asks to show her first name only: the unchanged story still has her surname alone
    make_site(
        {
            **FILES,
            "content/aurora/storie/la-festa.md": FILES["content/aurora/storie/la-festa.md"].replace(
                "con Anna Rossi.", "con Anna. Grazie, signora Rossi."
            ),
        }
    )
    assert run(TODAY, cwd=root)[0] == 0
    make_site(
        {
            **FILES,
            "content/aurora/storie/la-festa.md": FILES["content/aurora/storie/la-festa.md"].replace(
                "con Anna Rossi.", "con Anna. Grazie, signora Rossi."
            ),
            "content/aurora/persone/anna-rossi.md": person_md(
                "Anna Rossi", "[cucina-etnica]", extra="visibilita: solo-nome\n"
            ),
        }
    )
    code, out = run(TODAY, cwd=root)
    assert code == 1, out
    assert any(
        line.startswith("content/aurora/storie/la-festa.md:") and "«rossi»" in line for line in problem_lines(out)
    ), out
    # and the published story never showed the surname meanwhile: the failed build left the last good site
    assert "signora Rossi" in (root / "site/aurora/storie/la-festa/index.html").read_text(encoding="utf-8")


def test_the_memo_is_only_a_shortcut(make_site, run):
    root = make_site(FILES)
    assert run(TODAY, cwd=root)[0] == 0
    memo_site = {
        p.relative_to(root / "site").as_posix(): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()
    }
    shutil.rmtree(root / ".cache")
    shutil.rmtree(root / "site")
    assert run(TODAY, cwd=root)[0] == 0
    assert {
        p.relative_to(root / "site").as_posix(): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()
    } == memo_site


# --- files not read again: their identity (inode, size, times) is the one the last build read ---------------------


def _count_reads(monkeypatch) -> list[str]:
    reads: list[str] = []
    original = load._read_with_stat
    monkeypatch.setattr(load, "_read_with_stat", lambda path, *args: reads.append(path.name) or original(path, *args))
    return reads


def test_only_the_edited_file_is_read_again(make_site, run, monkeypatch):
    monkeypatch.setattr(memo, "TRUST_AFTER_NS", -(10**10))  # the files just written count as old enough to be trusted
    root = make_site(FILES)
    assert run(TODAY, cwd=root)[0] == 0
    reads = _count_reads(monkeypatch)
    story = root / "content/aurora/storie/la-festa.md"
    story.write_text(story.read_text(encoding="utf-8").replace("per tutti", "per tutte"), encoding="utf-8")
    assert run(TODAY, cwd=root)[0] == 0
    assert reads == ["portale.yml", "saperi.yml", "la-festa.md"]  # the two settings files are always read
    assert "per tutte" in (root / "site/aurora/storie/la-festa/index.html").read_text(encoding="utf-8")
    reads.clear()
    assert run(TODAY, cwd=root)[0] == 0  # the files trusted last time are trusted again
    assert reads == ["portale.yml", "saperi.yml"]


def test_a_file_changed_with_its_size_and_time_put_back_is_read_again(make_site, run, monkeypatch):
    """As `cp -p` or a careless sync tool may leave it: only the change time, which no tool can set, tells."""
    monkeypatch.setattr(memo, "TRUST_AFTER_NS", -(10**10))
    root = make_site(FILES)
    assert run(TODAY, cwd=root)[0] == 0
    story = root / "content/aurora/storie/la-festa.md"
    before = story.stat()
    story.write_text(story.read_text(encoding="utf-8").replace("per tutti", "per tutte"), encoding="utf-8")
    os.utime(story, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = story.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    assert run(TODAY, cwd=root)[0] == 0
    assert "per tutte" in (root / "site/aurora/storie/la-festa/index.html").read_text(encoding="utf-8")


def test_files_changed_just_before_a_build_are_read_again_by_the_next(make_site, run, monkeypatch):
    """A file changed twice within one tick of the file system's clock can keep its times: a file younger than
    memo.TRUST_AFTER_NS when a build reads it is not trusted by the next build."""
    root = make_site(FILES)
    assert run(TODAY, cwd=root)[0] == 0
    reads = _count_reads(monkeypatch)
    assert run(TODAY, cwd=root)[0] == 0
    assert sorted(reads) == sorted(p.name for p in (root / "content").rglob("*") if p.suffix in (".md", ".yml"))


def test_a_problem_in_an_unchanged_file_names_the_line_a_build_from_scratch_names(make_site, run):
    """The front matter of a remembered file (with the line of each value) is read back only when a problem needs it."""
    files = {
        **FILES,
        "content/aurora/storie/la-festa.md": story_md(
            "La festa di via Como", persone="\n  - anna-rossi\n  - lucia", body="Una festa."
        ),
    }
    root = make_site(files)
    assert run(TODAY, cwd=root)[0] == 0
    make_site({**files, "content/aurora/persone/lucia.md": None})  # the story, unchanged, now names nobody known
    code, again = run(TODAY, cwd=root)
    assert code == 1
    assert 'content/aurora/storie/la-festa.md:6: persona sconosciuta "lucia"' in again, again
    shutil.rmtree(root / ".cache")
    code, scratch = run(TODAY, cwd=root)
    assert problem_lines(scratch) == problem_lines(again)
