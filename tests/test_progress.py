"""Progress of long builds and --jobs: a counter on a terminal, plain lines in a log, nothing for quick builds."""

from __future__ import annotations

import io

from conftest import build_digest, story_md

from portale.build.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_stage(progress: Progress, total: int = 10) -> None:
    with progress.stage("pagine", total) as done:
        for _ in range(total):
            done(1)


def test_a_log_gets_one_plain_line_per_stage_once_the_build_is_slow():
    log = io.StringIO()
    run_stage(Progress(log, after=0))
    assert log.getvalue().startswith("  pagine: 10 in ")
    assert "\r" not in log.getvalue()


def test_a_terminal_gets_a_counter_rewritten_in_place():
    terminal = Terminal()
    run_stage(Progress(terminal, after=0))
    assert "\r  pagine  [" in terminal.getvalue() and "10/10" in terminal.getvalue()


def test_a_quick_build_prints_nothing():
    log = io.StringIO()
    run_stage(Progress(log, after=60))
    assert log.getvalue() == ""


def test_a_closed_output_never_fails_the_build():
    closed = io.StringIO()
    closed.close()
    run_stage(Progress(closed, after=0))  # no exception


def test_jobs_option_changes_nothing_in_the_output(make_site, run, tmp_path):
    # enough pages and bodies to be spread over worker processes
    root = make_site(
        {
            f"content/aurora/storie/storia-{i}.md": story_md(
                f"Storia {i}", persone="[anna-rossi]", body=f"Testo **{i}**."
            )
            for i in range(80)
        }
    )
    assert run(["--jobs", "1", "--oggi", "2026-06-01", "--output", str(tmp_path / "uno")], cwd=root)[0] == 0
    assert run(["--jobs", "2", "--oggi", "2026-06-01", "--output", str(tmp_path / "due")], cwd=root)[0] == 0
    assert build_digest(tmp_path / "uno") == build_digest(tmp_path / "due")


def test_jobs_must_be_a_positive_number(make_site, run):
    code, out = run(["--jobs", "0"], cwd=make_site())
    assert code == 2
    assert 'numero di processi non valido "0"' in out
