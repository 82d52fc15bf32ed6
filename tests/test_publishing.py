"""Publishing helpers: the pre-commit hook, the example GitHub Actions workflow, the CODEOWNERS example."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import story_md

from portale import cli

PROJECT = Path(__file__).resolve().parent.parent


def build_commands(text: str) -> list[str]:
    """The commands that run: `entry:` of a hook, `run:` of a workflow step."""
    return re.findall(r"(?:entry|run): (python build\.py[^\n#]*)", text)


def test_every_build_command_in_the_examples_is_a_valid_command_line():
    files = [".pre-commit-config.yaml", "docs/esempi/pubblica.yml"]
    commands = [c.strip() for f in files for c in build_commands((PROJECT / f).read_text(encoding="utf-8"))]
    assert "python build.py check --format github" in commands
    assert "python build.py check" in commands
    for command in commands:
        argv = shlex.split(command)[2:]
        parser = cli.make_parser()
        parser.parse_args(argv or ["build"])  # raises SystemExit(2) on an unknown option


def test_the_workflow_checks_with_annotations_builds_and_publishes_site():
    workflow = yaml.safe_load((PROJECT / "docs/esempi/pubblica.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert runs.index("python build.py check --format github") < runs.index("python build.py")
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "pull_request" in deploy["if"]  # a pull request is checked, never published


def test_codeowners_gives_every_territory_folder_its_own_owner():
    lines = [
        line.split()
        for line in (PROJECT / "docs/esempi/CODEOWNERS").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    owners = {parts[0]: parts[1:] for parts in lines}
    if not (PROJECT / "content").is_dir():
        pytest.skip("no sample content/ in this checkout")
    territories = sorted(p.name for p in (PROJECT / "content").iterdir() if (p / "territorio.md").is_file())
    assert territories, "the sample content has territories"
    teams = set()
    for name in territories:
        assert owners.get(f"/content/{name}/"), f"no owner for content/{name}/"
        teams.add(tuple(owners[f"/content/{name}/"]))
    assert len(teams) == len(territories)  # one portineria per folder


@pytest.mark.skipif(
    shutil.which("pre-commit") is None and not (Path(sys.executable).parent / "pre-commit").exists(),
    reason="pre-commit is in the test extra",
)
def test_the_pre_commit_hook_stops_a_commit_with_a_content_error(make_site, tmp_path):
    root = make_site({"content/aurora/storie/rotta.md": story_md("Rotta", date="ieri")})
    shutil.copy(PROJECT / ".pre-commit-config.yaml", root)
    shutil.copy(PROJECT / "build.py", root)
    env = dict(
        os.environ,
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-cache"),
        GIT_AUTHOR_NAME="Redazione",
        GIT_AUTHOR_EMAIL="r@example.org",
        GIT_COMMITTER_NAME="Redazione",
        GIT_COMMITTER_EMAIL="r@example.org",
        PYTHONPATH=str(PROJECT),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    )

    def git(*args):
        return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True)

    git("init", "-q")
    git("add", ".")
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'content/aurora/storie/rotta.md:3: "data" deve essere una data' in result.stdout
    (root / "content/aurora/storie/rotta.md").write_text(story_md("Rotta", date="2025-01-01"), encoding="utf-8")
    git("add", ".")
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
