"""The per-file memo (portale/memo.py): a rebuild that skips reading and checking unchanged files must report
exactly what a build from scratch reports, and re-check unchanged files when what they are checked against changes."""

from __future__ import annotations

import shutil

from conftest import person_md, story_md

TODAY = ["--oggi", "2026-06-01"]

FILES = {
    # a warning of the file alone (unknown key) and a privacy warning (a full name replaced)
    "content/aurora/storie/la-festa.md": story_md("La festa di via Como", persone="[anna-rossi, lucia]", extra="sottotitolo: Una festa\ntag: [festa]\n", body="Lucia Verdi ha cucinato per tutti, con Anna Rossi."),
    "content/aurora/persone/lucia.md": person_md("Lucia Verdi", "[cucina-etnica]", extra="visibilita: solo-nome\n", body="Cucino."),
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
    make_site({**FILES, "content/aurora/storie/la-festa.md": FILES["content/aurora/storie/la-festa.md"].replace("con Anna Rossi.", "con Anna. Grazie, signora Rossi.")})
    assert run(TODAY, cwd=root)[0] == 0
    make_site({**FILES, "content/aurora/storie/la-festa.md": FILES["content/aurora/storie/la-festa.md"].replace("con Anna Rossi.", "con Anna. Grazie, signora Rossi."), "content/aurora/persone/anna-rossi.md": person_md("Anna Rossi", "[cucina-etnica]", extra="visibilita: solo-nome\n")})
    code, out = run(TODAY, cwd=root)
    assert code == 1, out
    assert any(line.startswith("content/aurora/storie/la-festa.md:") and "«rossi»" in line for line in problem_lines(out)), out
    # and the published story never showed the surname meanwhile: the failed build left the last good site
    assert "signora Rossi" in (root / "site/aurora/storie/la-festa/index.html").read_text(encoding="utf-8")


def test_the_memo_is_only_a_shortcut(make_site, run):
    root = make_site(FILES)
    assert run(TODAY, cwd=root)[0] == 0
    memo_site = {p.relative_to(root / "site").as_posix(): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    shutil.rmtree(root / ".cache")
    shutil.rmtree(root / "site")
    assert run(TODAY, cwd=root)[0] == 0
    assert {p.relative_to(root / "site").as_posix(): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()} == memo_site
