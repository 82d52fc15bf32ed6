"""The copy of a territory's content pages that Pagefind reads into one bundle, each in its own language.

- each page keeps the language of its `<html lang>`: Pagefind makes one index per language, with that language's
  stemming (and, for Chinese, word segmentation), and a search page searches the index of its own language;

- elisions written with the typographic apostrophe (l’università, dell’associazione) get the
  ASCII apostrophe, on which Pagefind splits words (it does not split on U+2019), so `università`
  finds `l’università`; the search page shows the typographic apostrophe again in excerpts;
- only pages that mark their main content with `data-pagefind-body` are copied, so list pages
  and a territory without any content page never reach the index.
The copy is a mirror kept in the build cache (`Mirror`), written by the workers that render the pages
(`mirror_page`): a rebuild copies only the pages that changed.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from portale.content.memo import code_version

LANGUAGE = "it"  # of a page that does not say its own
_HTML_LANG = re.compile(r'<html\b[^>]*\blang="([^"]+)"')
BODY_MARKER = b"data-pagefind-body"
TEXT_START = '<div class="testo">'  # the editor's text in the story, person and need templates
_BODY_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\bdata-pagefind-body\b[^>]*>")
# U+2019 (and the look-alikes editors paste: U+2018, U+02BC) between two letters is an elision.
# The mark is matched first and the letter before it checked after: a pattern starting with the look-behind runs it at
# every position of every page (8 times slower).
ELISION = re.compile(r"[\u2019\u2018\u02bc](?<=\w[\u2019\u2018\u02bc])(?=\w)")


def prepare_page(html: str) -> str:
    """The text Pagefind reads: the element marked `data-pagefind-body` alone (Pagefind indexes nothing else of the
    page, and parsing the header, menus and footer of every page is a tenth of its time), with the editor's text
    last (see `_text_last`), elisions split so each word is found on its own."""
    body = _marked_element(html)
    if body is not None:
        said = _HTML_LANG.search(html, 0, 500)
        language = said.group(1) if said else LANGUAGE
        html = f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"></head><body>{_text_last(body)}</body></html>'
    return ELISION.sub("'", html)


def _marked_element(html: str) -> str | None:
    """The element with `data-pagefind-body`, from its start tag to its matching end tag; None when not found."""
    start = _BODY_START.search(html)
    if start is None:
        return None
    end = _element_end(html, start.start(), start.group(1))
    return html[start.start() : end] if end is not None else None


def _element_end(html: str, start: int, tag: str) -> int | None:
    """Where the element of `tag` starting at `start` ends (after its matching end tag); None when it does not."""
    depth = 0
    for found in re.finditer(rf"<(/?){tag}\b[^>]*>", html[start:], re.IGNORECASE):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return start + found.end()
    return None


def _text_last(element: str) -> str:
    """The element with the text an editor wrote (`<div class="testo">`) moved to its end. Pagefind's word index
    records where each word stands in a page: a line added to a story would otherwise move every word of the
    sections after the text (the people named, the themes), and those common words are in most of the index's
    chunks, which Pagefind then compresses and writes again (22 of 29 chunks in a territory of 600 pages, against
    1 or 2). The same pages are found; an excerpt that runs from one part into the next shows them in this order."""
    start = element.find(TEXT_START)
    end = _element_end(element, start, "div") if start >= 0 else None
    close = element.rfind("</")  # the marked element's own end tag
    if end is None or end > close:
        return element
    return element[:start] + element[end:close] + element[start:end] + element[close:]


MIRROR_STATE = ".pagine.json"


def mirror_page(mirror: Path, rel: str, data: bytes) -> bool:
    """Write into `mirror` (one territory's) the copy of its page at `rel`, as Pagefind reads it; True when the page
    is searchable. Called by the workers that render the pages, right after writing them: the pages are neither
    read back nor prepared one after the other in the build's main process. The mirror's state goes first: a build
    killed from now on leaves none (see `Mirror`)."""
    (mirror / MIRROR_STATE).unlink(missing_ok=True)
    target = mirror / rel  # the page's own path: Pagefind gives each result the page's real address
    if BODY_MARKER in data:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(prepare_page(data.decode("utf-8")), encoding="utf-8")
        return True
    target.unlink(missing_ok=True)
    return False


class Mirror:
    """The content pages of one bundle of a territory site, as Pagefind reads them (`prepare_page`). The
    mirror is kept in the build cache from one build to the next, so only pages whose sha changed are copied again
    (and the thousands of folders of a territory are not made and removed on every build). Its state file is
    removed before any page of it changes (`mirror_page`, `update`): a build killed meanwhile leaves no state, and
    the next one copies everything. A mirror whose pages did not change keeps its state file as it is."""

    def __init__(self, folder: Path):
        self.folder = folder
        state_path = folder / MIRROR_STATE
        try:
            saved = json.loads(state_path.read_text(encoding="utf-8"))
            state = (
                saved["pagine"] if saved.get("versione") == code_version() else None
            )  # the preparation may change with the code
        except (OSError, ValueError, KeyError, AttributeError):
            state = None
        if state is None and folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.state: dict[str, list] = state or {}

    def update(self, site: Path, pages: dict[str, str], mirrored: dict[str, bool]) -> int:
        """Bring the mirror up to date with `site` (the territory folder) and write its state; returns how many pages
        are searchable. `pages`: {path in the territory: sha of the page}; `mirrored`: the pages the render workers
        already copied (`mirror_page`), with whether they are searchable. Any other page whose sha changed is copied
        from `site`."""
        state, state_path = self.state, self.folder / MIRROR_STATE
        changed = False
        for rel, sha in sorted(pages.items()):
            known = state.get(rel)
            if rel in mirrored:
                changed |= known != [sha, mirrored[rel]]
                state[rel] = [sha, mirrored[rel]]
            elif known is None or known[0] != sha:
                raw = (site / rel).read_bytes()
                state[rel] = [sha, mirror_page(self.folder, rel, raw)]
                changed = True
        gone = sorted(set(state) - set(pages))  # pages gone from the site (erased stories must leave the cache too)
        if gone:
            state_path.unlink(missing_ok=True)
        for rel in gone:
            (self.folder / rel).unlink(missing_ok=True)
            del state[rel]
        if changed or gone or not state_path.exists():  # the workers that wrote a page of it removed the file
            state_path.write_text(
                json.dumps({"versione": code_version(), "pagine": state}, sort_keys=True), encoding="utf-8"
            )
        return sum(1 for _, searchable in state.values() if searchable)
