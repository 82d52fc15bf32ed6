"""The sanitiser against hostile snippets, in bodies and in front matter."""

from __future__ import annotations

import re

import pytest
from conftest import read, story_md

from portale.content.markup import render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<IMG SRC=x ONERROR=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<iframe src=https://evil.example></iframe>",
    "<object data=x></object><embed src=x>",
    "<svg onload=alert(1)><circle/></svg>",
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<form action=https://evil.example><input name=p></form>",
    "<meta http-equiv=refresh content='0;url=https://evil.example'>",
    '<p onmouseover="alert(1)">ciao</p>',
    "[clic](javascript:alert(1))",
    "[clic](JAVASCRIPT:alert(1))",
    "![img](javascript:alert(1))",
    "<details open ontoggle=alert(1)>x</details>",
    "<base href=https://evil.example/>",
]

DANGER = re.compile(
    r"<script|<iframe|<object|<embed|<svg|<style|<form|<meta|<base|\son\w+\s*=|javascript:|vbscript:|data:|style=", re.I
)


@pytest.mark.parametrize("snippet", HOSTILE)
def test_hostile_markup_is_neutralised(snippet):
    html = render_markdown(f"Testo.\n\n{snippet}\n\nFine.")
    assert not DANGER.search(html), html
    assert "Fine." in html


def test_ordinary_markdown_survives():
    html = render_markdown("## Titolo\n\n- uno\n- due\n\n> citazione\n\n[sito](https://example.org) e **grassetto**")
    assert '<h2 id="titolo">Titolo</h2>' in html
    assert "<li>uno</li>" in html and "<blockquote>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">sito</a>' in html
    assert "<strong>grassetto</strong>" in html


def test_front_matter_values_are_escaped_in_pages(make_site, run):
    title = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    files = {
        "content/aurora/storie/attacco.md": story_md(
            "'" + title.replace("'", "''") + "'", extra="sommario: '<b onclick=x()>ciao</b>'\n"
        )
    }
    root = make_site(files)
    code, out = run([], cwd=root)
    assert code == 0, out
    html = read(root, "site/aurora/storie/attacco/index.html")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b onclick" not in html
    listing = read(root, "site/aurora/storie/index.html")
    assert "<script>alert(1)" not in listing
