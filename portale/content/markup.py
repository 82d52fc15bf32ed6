"""Markdown bodies -> safe HTML: Python-Markdown, then the nh3 (Ammonia) sanitiser.

Raw HTML is allowed in Markdown, so every body goes through nh3 with an allow-list of tags,
attributes and URL schemes: no script, iframe, style, event handler or javascript: URL survives.

A budget keeps a hostile or broken body from hanging the build. Python-Markdown 3.x is quadratic
on unclosed `[` (8000 of them: 6.5 s) and on raw `<` tags, slow on thousands of headings (the toc
extension) and recursive on nested lists, quotes and definition lists (RecursionError at a few
hundred levels). So, in this order:
1. `check_budget(text)`, deterministic pre-checks run by validation, with the file's line:
   counts of `[`, `<`, headings and abbreviations, and the nesting depth of a line;
2. `render_markdown` turns a RecursionError into `MarkupTooComplex`;
3. a wall-clock guard (SIGALRM, main thread only) stops a body that still takes longer than
   `RENDER_SECONDS`: a last resort for slow patterns nobody has measured yet.
The pre-checks decide in practice, so the result does not depend on the machine's speed.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import signal
import threading
from dataclasses import dataclass
from pathlib import Path

import markdown
import nh3

from portale.common import parallel

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_local = threading.local()


def _converter() -> markdown.Markdown:
    # One reused instance per thread: building a Markdown object costs more than a short story.
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(
            extensions=["extra", "sane_lists", "toc"],
            extension_configs={"toc": {"permalink": False}},
            output_format="html",
        )
        _local.md = md
    return md


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# Limits per body, measured with Python-Markdown 3.11 (see the module docstring): each keeps the
# worst case of its pattern well under a second, and is far above what a real story uses.
MAX_BRACKETS = 1000  # "[": 1000 unclosed take 0.1 s, 8000 take 6.5 s
MAX_ANGLES = 2000  # "<": 3000 unclosed tags take 0.6 s, quadratic
MAX_HEADINGS = 500  # headings: 20000 take 11 s (toc ids)
MAX_ABBREVIATIONS = 200  # "*[ABBR]: ..." definitions: 1000 take 0.6 s
MAX_DEPTH = 20  # nested lists / quotes: RecursionError from about 250 levels
MAX_DEFINITIONS = 200  # definitions (": ...") without a blank line between: RecursionError from about 1000
RENDER_SECONDS = 20.0

_NESTING = re.compile(r"(?:[ ]{4}|\t|>[ ]?|[-*+][ ]+|\d{1,9}[.)][ ]+|:[ ]+)")
# Each nesting mark above takes at least one of these characters: a line nested more than MAX_DEPTH deep starts with
# MAX_DEPTH + 1 of them (a cheap filter with no backtracking; the marks are then counted on those lines only).
_MAYBE_DEEP = re.compile(rf"^[ \t>\-*+0-9.):]{{{MAX_DEPTH + 1}}}", re.M)
_DEFINITION = re.compile(r"^:[ \t]", re.M)
_HEADING = re.compile(r"^(?:#{1,6}(?:[ \t]|$)|=+[ \t]*$|-+[ \t]*$)", re.M)
_ABBREVIATION = re.compile(r"^\*\[", re.M)


@dataclass
class Excess:
    line: int  # 1-based line of the body
    message: str
    hint: str


class MarkupTooComplex(Exception):
    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line


def check_budget(text: str) -> list[Excess]:
    """What in this body would make Markdown too slow or too deep; empty when it is fine."""
    found: list[Excess] = []

    def line_of(index: int) -> int:
        return text.count("\n", 0, index) + 1

    for char, limit, what in (
        ("[", MAX_BRACKETS, "troppe parentesi quadre «[»"),
        ("<", MAX_ANGLES, "troppi segni «<»"),
    ):
        count = text.count(char)
        if count > limit:
            where = _nth(text, char, limit + 1)
            found.append(
                Excess(
                    line_of(where),
                    f"il testo contiene {what} ({count}, al massimo {limit})",
                    "probabilmente è un testo incollato per errore: toglilo o dividi la storia",
                )
            )
    for pattern, limit, what in (
        (_HEADING, MAX_HEADINGS, "titoli"),
        (_ABBREVIATION, MAX_ABBREVIATIONS, "abbreviazioni «*[...]»"),
    ):
        matches = pattern.finditer(text)
        count = 0
        for match in matches:
            count += 1
            if count == limit + 1:
                found.append(
                    Excess(
                        line_of(match.start()),
                        f"il testo contiene troppi {what} (al massimo {limit})",
                        "dividi il testo in più storie",
                    )
                )
                break
    lines = text.split("\n")
    run, run_start = 0, 0
    for number, line in enumerate(lines if _DEFINITION.search(text) else (), 1):
        if line.startswith(":") and line[1:2] in (" ", "\t"):
            run, run_start = run + 1, run_start or number
            if run == MAX_DEFINITIONS + 1:
                found.append(
                    Excess(
                        run_start,
                        f"troppe definizioni («: ...») una dopo l'altra senza righe vuote (più di {MAX_DEFINITIONS})",
                        "separa le definizioni con righe vuote o dividi il testo",
                    )
                )
        elif not line.strip():
            run, run_start = 0, 0
    number, counted = 1, 0
    for candidate in _MAYBE_DEEP.finditer(text):  # only these lines may hold MAX_DEPTH + 1 nesting marks
        number += text.count("\n", counted, candidate.start())
        counted = candidate.start()
        line = lines[number - 1]
        depth, pos = 0, 0
        while depth <= MAX_DEPTH:
            mark = _NESTING.match(line, pos)
            if not mark or mark.end() == pos:
                break
            depth, pos = depth + 1, mark.end()
        if depth > MAX_DEPTH:
            found.append(
                Excess(
                    number,
                    f"elenchi o citazioni annidati troppo in profondità (più di {MAX_DEPTH} livelli)",
                    "togli i rientri, i «>» o i trattini in più all'inizio della riga",
                )
            )
            break
    return found


def _nth(text: str, char: str, n: int) -> int:
    index = -1
    for _ in range(n):
        index = text.index(char, index + 1)
    return index


@contextlib.contextmanager
def _time_limit(seconds: float):
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield  # signals reach only the main thread; the pre-checks still apply
        return

    def expired(signum, frame):
        raise MarkupTooComplex(f"il testo richiede troppo tempo per essere impaginato (più di {seconds:g} secondi)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_markdown(text: str) -> str:
    """Markdown -> sanitised HTML. A level-1 heading in the body becomes level 2: the page title is the h1.

    Raises MarkupTooComplex when the body is too deep or too slow to render (see the module docstring)."""
    md = _converter()
    md.reset()
    try:
        with _time_limit(RENDER_SECONDS):
            html = md.convert(text)
    except RecursionError:
        _local.md = None  # a converter interrupted half-way is not reused
        raise MarkupTooComplex("elenchi, citazioni o definizioni annidati troppo in profondità") from None
    except MarkupTooComplex:
        _local.md = None
        raise
    html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    return sanitize(html)


def _nh3_version() -> str:
    """nh3's version: its own attribute when it has one (reading the installed metadata takes 20 ms)."""
    import nh3

    if getattr(nh3, "__version__", None):
        return nh3.__version__
    from importlib.metadata import version

    return version("nh3")


def code_version() -> str:
    """What changes a body's HTML besides its text: this module and the versions of Markdown and nh3."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(f"{markdown.__version__}|{_nh3_version()}".encode())
    return digest.hexdigest()[:16]


def render_bodies(sources: list, cache, jobs: int, on_done=None) -> list[str]:
    """Set `source.body_html` on every source: remembered in the file's memo entry (privacy.redact set it), or from
    the cache when the same text was rendered before by the same code, otherwise on all cores; new results go into
    the cache and the memo entries. Returns the cache keys of every body: the cache must forget the others
    (`Cache.forget_markdown_except`), which the build does while Pagefind runs."""
    code = code_version()
    keys = []
    for source in sources:
        published = source.recall("published")
        remembered = source.body_html is not None and published is not None and published["markdown"] is not None
        keys.append(
            published["markdown"] if remembered else hashlib.sha256(f"{code}\n{source.body}".encode()).hexdigest()
        )
    todo = [i for i, source in enumerate(sources) if source.body_html is None]
    known = cache.markdown(keys[i] for i in todo)
    missing = [i for i in todo if keys[i] not in known]
    if on_done:
        on_done(len(sources) - len(missing))
    fresh = parallel.fork_map(
        lambda chunk: [_render_or_none(sources[i].body) for i in chunk],
        missing,
        jobs,
        on_chunk=(lambda _, chunk: on_done(len(chunk))) if on_done else None,
    )
    new = {keys[i]: html for i, html in zip(missing, fresh) if html is not None}
    known.update(new)
    if new:
        cache.store_markdown(new)
    for i in todo:
        source = sources[i]
        source.body_html = known.get(keys[i])  # None: too complex, the model renders it again to report where
        published = source.recall("published")
        if published is not None and source.body_html is not None:
            source.remember("published", {**published, "markdown": keys[i], "html": source.body_html})
    return keys


def _render_or_none(text: str) -> str | None:
    try:
        return render_markdown(text)
    except MarkupTooComplex:
        return None
