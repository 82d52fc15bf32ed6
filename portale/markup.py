"""Markdown bodies -> safe HTML: Python-Markdown, then the nh3 (Ammonia) sanitiser.

Raw HTML is allowed in Markdown, so every body goes through nh3 with an allow-list of tags,
attributes and URL schemes: no script, iframe, style, event handler or javascript: URL survives.
"""

from __future__ import annotations

import threading

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul",
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
        md = markdown.Markdown(extensions=["extra", "sane_lists", "toc"], extension_configs={"toc": {"permalink": False}}, output_format="html")
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


def render_markdown(text: str) -> str:
    """Markdown -> sanitised HTML. A level-1 heading in the body becomes level 2: the page title is the h1."""
    md = _converter()
    md.reset()
    html = md.convert(text)
    html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    return sanitize(html)
