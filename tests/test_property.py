"""Property: whatever an editor types as front matter and Markdown, the build answers with exit code 0 or 1
(a site, or `path:line` problems) and never crashes with a traceback."""

from __future__ import annotations

import contextlib
import io
import textwrap
from pathlib import Path

from conftest import PORTALE, SAPERI, person_md, territory_md
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portale import cli

KEYS = [
    "titolo",
    "data",
    "persone",
    "categoria",
    "tag",
    "sommario",
    "immagine",
    "audio",
    "bozza",
    "nome",
    "tipo",
    "consenso",
    "visibilita",
    "pseudonimo",
    "saperi",
    "sito",
    "file",
    "alt",
    "ambito",
    "revocato",
    "x",
]
# the characters that mean something to YAML, Markdown, HTML or a shell, plus accents, bidi and controls
TRICKY = ":-[]{}#&*!|>'\"%@`,?\\/<>=()\t\n ~.0123456789aAzè€\u202e\u200b\x07\x00"
text = st.text(alphabet=st.sampled_from(TRICKY) | st.characters(codec="utf-8"), max_size=40)
scalar = st.one_of(
    text,
    st.sampled_from(
        [
            "2024-02-30",
            "2025-01-01",
            "true",
            "NO",
            "on",
            "012345",
            "10:00",
            "1.10",
            "javascript:alert(1)",
            "<script>alert(1)</script>",
            "~",
            "",
            "[",
            "{",
            "&a",
            "*a",
            "!!python/object:os.system",
        ]
    ),
)
value = st.recursive(
    scalar,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(KEYS), children, max_size=3),
    max_leaves=6,
)


def as_yaml(mapping: dict) -> str:
    """A loose YAML writer: it makes the kind of text an editor writes, mistakes included."""

    def render(v, indent: int) -> str:
        pad = "  " * indent
        if isinstance(v, dict):
            return "".join(f"\n{pad}{k}:{render(x, indent + 1)}" for k, x in v.items()) or " {}"
        if isinstance(v, list):
            return "".join(f"\n{pad}-{render(x, indent + 1)}" for x in v) or " []"
        return " " + str(v)

    return render(mapping, 0).lstrip("\n") + "\n"


front_matter = st.one_of(st.dictionaries(st.sampled_from(KEYS), value, max_size=6).map(as_yaml), text)
markdown_body = st.lists(
    st.sampled_from(
        [
            "[",
            "]",
            "(",
            ")",
            "<",
            ">",
            "*",
            "_",
            "`",
            "#",
            "-",
            "1.",
            ">",
            "    ",
            "\n",
            "\n\n",
            ": ",
            "*[A]: x",
            "[^1]",
            "<div>",
            "</div>",
            "<script>",
            "&amp;",
            "parola",
            "![x](y.jpg)",
            "[a](javascript:x)",
            "|a|b|\n|-|-|",
            "---",
        ]
    )
    | text,
    max_size=60,
).map("".join)
whole_file = st.one_of(
    st.tuples(front_matter, markdown_body).map(lambda p: f"---\n{p[0]}---\n{p[1]}"),
    st.tuples(front_matter, markdown_body).map(lambda p: f"---\n{p[0]}{p[1]}"),  # unclosed
    st.binary(max_size=200).map(lambda b: b"---\ntitolo: x\n---\n" + b),
)


def base_site(root: Path) -> None:
    files = {
        "content/portale.yml": PORTALE,
        "content/saperi.yml": SAPERI,
        "content/aurora/territorio.md": territory_md("Aurora"),
        "content/aurora/persone/anna-rossi.md": person_md("Anna Rossi", "[cucina-etnica]"),
    }
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content), encoding="utf-8")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    content=whole_file,
    where=st.sampled_from(["storie/casuale.md", "persone/casuale.md", "bisogni/casuale.md", "territorio.md"]),
)
def test_random_front_matter_and_markdown_never_crash_the_build(tmp_path, content, where):
    root = tmp_path / "progetto"
    base_site(root)  # every example starts from the same good site
    for old in (root / "content/aurora").glob("*/casuale.md"):
        old.unlink()
    target = root / "content/aurora" / where
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        code = cli.main(["--oggi", "2026-01-01"], root=root)  # an exception here fails the test with its traceback
    out = buffer.getvalue()
    assert code in (0, 1), out
    if code == 1:
        assert "content/aurora/" in out and "Niente è stato scritto" in out
    assert "Traceback" not in out
