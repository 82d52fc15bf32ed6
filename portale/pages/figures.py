"""Images written in a body, placed as their published copies.

A body's HTML (content.markup) keeps `<img src="foto.jpg" alt="..." title="...">` as the editor wrote it, with the
name of the original. `place(html, pictures, figure)` replaces each one by what `figure(picture, alt, caption, alone)` renders
(templates/partials/figura.html: the copies with `srcset`, `width`/`height`, lazy loading; with a caption, a
`<figure>`). An image alone in its paragraph takes the paragraph's place, since a `<figure>` cannot sit in a `<p>`.
An image whose file is not published (a person's photo without `foto` consent) is left out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from portale.content.media import Picture

_IMG = re.compile(r"(<p>\s*)?<img\b([^>]*)>(\s*</p>)?")
_ATTRIBUTE = re.compile(r'([a-z]+)="([^"]*)"')


def place(body_html: str, pictures: dict[str, Picture], figure: Callable[[Picture, str, str, bool], str]) -> str:
    if "<img" not in body_html:
        return body_html

    def replace(match: re.Match) -> str:
        attributes = {k: html.unescape(v) for k, v in _ATTRIBUTE.findall(match.group(2))}
        picture = pictures.get(attributes.get("src", ""))
        alone = bool(match.group(1) and match.group(3))
        opening, closing = ("", "") if alone else (match.group(1) or "", match.group(3) or "")
        if picture is None or not picture.variants:
            return "" if alone else opening + closing
        alt, caption = attributes.get("alt", picture.alt), attributes.get("title", "")
        return opening + figure(picture, alt, caption, alone).strip() + closing

    return _IMG.sub(replace, body_html)
