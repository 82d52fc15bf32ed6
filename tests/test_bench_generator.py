"""The benchmark's generator writes valid content (the benchmark itself is not part of the suite)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "generate.py"


def load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_generated_archive_is_valid_deterministic_and_names_people(tmp_path, run):
    generate = load_generator()
    info = generate.write_archive(tmp_path / "a", 20)
    generate.write_archive(tmp_path / "b", 20)
    code, out = run(["check"], cwd=tmp_path / "a")
    assert code == 0, out
    assert "0 avvisi" in out
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.md"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.md"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert len(info.stories) == 20 and len({s.split("/")[0] for s in info.stories}) > 4
    assert info.mentions[info.most_named_person] >= 2
    body = (tmp_path / "a" / "content" / info.stories[0]).read_text(encoding="utf-8")
    assert 300 <= len(body.split("---\n", 2)[2].split()) <= 1000
