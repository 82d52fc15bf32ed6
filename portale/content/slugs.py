"""Slugs: the URL-safe names of files, tags and saperi."""

from __future__ import annotations

import re
import unicodedata

from portale.content.languages import SEARCH_BUNDLES

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Names that the generator itself writes inside a territory folder or at the network root:
# a slug with one of these names would overwrite a generated page.
RESERVED_IN_TERRITORY = {
    "assets",
    *SEARCH_BUNDLES,  # "pagefind", "pagefind-zh"…
    "cerca",
    "dati",
    "feed.xml",
    "sitemap.xml",
    "index.html",
    "robots.txt",
    "404.html",
    "storie",
    "persone",
    "bisogni",
    "saperi",
    "tag",
    "parole",
    "lingue",
}
RESERVED_AT_ROOT = RESERVED_IN_TERRITORY


def strip_accents(text: str) -> str:
    """ "Nicolò" -> "Nicolo": the letters without their combining marks."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    # Look at each distinct character once: a whole story has a few dozen, and most texts have no accent left.
    marks = {ord(c): None for c in set(decomposed) if unicodedata.combining(c)}
    return decomposed.translate(marks) if marks else decomposed


def slugify(text: str) -> str:
    """ "Caffè ì Già" -> "caffe-i-gia": accents folded, apostrophes and spaces become hyphens."""
    folded = (
        strip_accents(text)
        .lower()
        .replace("ß", "ss")
        .replace("æ", "ae")
        .replace("œ", "oe")
        .replace("ø", "o")
        .replace("đ", "d")
        .replace("ł", "l")
    )
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def is_slug(text: str) -> bool:
    return bool(SLUG_RE.match(text))


def collision_key(text: str) -> str:
    """Two names that would become the same URL on a case-insensitive or normalising file system."""
    return unicodedata.normalize("NFKC", text).casefold()
