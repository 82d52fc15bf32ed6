"""Errors that teach: every problem links to its section of docs/guida-redazione.md, and
`check --format github` turns problems into GitHub Actions annotations."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import story_md

from portale.cli import github_annotation
from portale.content.problems import GUIDE, Problem

PROJECT = Path(__file__).resolve().parent.parent
CODE_CALLS = {"Problem": 4, "YamlProblem": 3, "error": 3, "warn": 3}  # callable -> index of the `code` argument


def codes_in_source() -> dict[str, str]:
    """Every problem code written in portale/: {code: "file:line"}, read from the calls that make problems."""
    found: dict[str, str] = {}
    for path in sorted((PROJECT / "portale").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                args = [kw.value for kw in node.keywords if kw.arg == "code"]  # code=... in any call
                if name in CODE_CALLS and len(node.args) > CODE_CALLS[name]:
                    args.append(node.args[CODE_CALLS[name]])
                for arg in args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
                        found.setdefault(arg.value, f"{path.name}:{node.lineno}")
            elif isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "code":
                if isinstance(node.value, ast.Constant) and node.value.value:
                    found.setdefault(node.value.value, f"{path.name}:{node.lineno}")  # a default, e.g. "yaml"
    return found


def problems_without_code() -> list[str]:
    """Calls that make a problem (Problem(...), report.error/warn(...)) without a rule code."""
    missing = []
    for path in sorted((PROJECT / "portale").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            receiver = getattr(getattr(node.func, "value", None), "id", "")
            if name not in ("Problem", "error", "warn") or receiver in ("self", "parser", "logging", "logger"):
                continue
            if len(node.args) <= CODE_CALLS[name] and not any(kw.arg == "code" for kw in node.keywords):
                missing.append(f"{path.name}:{node.lineno}")
    return missing


def guide_sections() -> set[str]:
    """Anchors of the guide: a heading whose text is exactly a code (`### data`) gets the id `data`."""
    text = (PROJECT / GUIDE).read_text(encoding="utf-8")
    return set(re.findall(r"^#{2,4} ([a-z0-9]+(?:-[a-z0-9]+)*)\s*$", text, flags=re.M))


def test_every_problem_code_in_the_code_has_a_section_in_the_guide():
    codes = codes_in_source()
    assert {"yaml", "data", "consenso", "sapere-sconosciuto", "chiave-mancante"} <= set(codes)  # the scan works
    missing = {code: where for code, where in codes.items() if code not in guide_sections()}
    assert not missing, f"add a section '### <code>' to {GUIDE} for: {missing}"


def test_every_problem_is_made_with_a_code():
    assert problems_without_code() == []


def test_every_problem_the_checker_reports_has_a_code(make_site, run):
    root = make_site(
        {
            "content/aurora/storie/a.md": story_md("A", date="ieri", extra="sommaro: x\n"),
            "content/aurora/storie/b.md": "titolo: senza trattini\n",
            "content/aurora/storie/c.md": "---\ntitolo: [aperta\n---\n",
            "content/aurora/persone/p.md": "---\nnome: P\ntipo: persona\n---\n",
        }
    )
    code, out = run(["check"], cwd=root)
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("content/")]
    assert len(lines) == 5
    sections = guide_sections()
    for line in lines:
        match = re.search(r" \(guida: docs/guida-redazione\.md#([a-z0-9-]+)\)$", line)
        assert match, line
        assert match.group(1) in sections, line


def test_a_problem_line_names_file_line_message_hint_and_guide(make_site, run):
    root = make_site({"content/aurora/storie/a.md": story_md("A", date="2025-02-30")})
    code, out = run(["check"], cwd=root)
    assert code == 1
    assert (
        'content/aurora/storie/a.md:3: la data "2025-02-30" non esiste — controlla giorno e mese (AAAA-MM-GG) (guida: docs/guida-redazione.md#data)'
        in out
    )


def test_check_format_github_prints_annotations(make_site, run):
    root = make_site(
        {
            "content/aurora/storie/a.md": story_md("A", date="ieri"),
            "content/dora/storie/b.md": story_md("B", extra="sommaro: x\n"),
        }
    )
    code, out = run(["check", "--format", "github"], cwd=root)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        "::error file=content/aurora/storie/a.md,line=3,title=Portale dei Saperi%3A data::"
        '"data" deve essere una data nel formato AAAA-MM-GG, non "ieri" — scrivi per esempio data: 2024-03-15'
        " (guida: docs/guida-redazione.md#data)"
    )
    assert lines[1].startswith(
        "::warning file=content/dora/storie/b.md,line=5,title=Portale dei Saperi%3A chiave-sconosciuta::"
    )
    assert "1 problema, 1 avviso" in out


def test_github_annotations_escape_what_would_break_them():
    problem = Problem("content/a,b.md", 2, "100% sbagliato\nseconda riga", "rimedio", "yaml")
    line = github_annotation(problem)
    assert (
        line
        == "::error file=content/a%2Cb.md,line=2,title=Portale dei Saperi%3A yaml::100%25 sbagliato%0Aseconda riga — rimedio (guida: docs/guida-redazione.md#yaml)"
    )
    assert "\n" not in line


def test_the_guide_links_only_to_its_own_sections_and_files_that_exist():
    import markdown

    text = (PROJECT / GUIDE).read_text(encoding="utf-8")
    page = markdown.markdown(text, extensions=["toc", "tables", "fenced_code"])
    ids = set(re.findall(r' id="([^"]+)"', page))
    for target in re.findall(r'href="#([^"]+)"', page):
        assert target in ids, target
    for target in re.findall(r'(?:src|href)="(?!#|https?://)([^"]+)"', page):
        assert (PROJECT / GUIDE).parent.joinpath(target).is_file(), target
    for rel in re.findall(r"`((?:docs|content)/[\w./-]+\.\w+)`", text):
        if "<" not in rel and not rel.startswith("content/"):
            assert (PROJECT / rel).is_file(), rel
