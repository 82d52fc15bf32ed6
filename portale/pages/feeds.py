"""Feeds and sitemaps: Atom feeds of the latest stories (one per territory, one for the network),
`sitemap.xml` per territory and for the network, and `robots.txt`.

Every URL is absolute, from `base_url`. Dates come from the content (a story's date), never from
the clock, so two builds of the same content are byte-identical. Drafts never appear here.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from functools import partial
from html import escape

from portale.content.media import Video
from portale.content.model import Archive, Story, Territory
from portale.pages import figures

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"  # sitemaps name a page's versions in other languages with xhtml:link
FEED_ENTRIES = 20
NO_DATE = dt.date(2000, 1, 1)  # a feed needs <updated> even before its first story
SKIPPED_PAGES = ("404.html",)


def render_feeds(archive: Archive, pages: dict[str, bytes]) -> dict[str, bytes]:
    """{output path: bytes} of feed.xml, sitemap.xml (network and each territory) and robots.txt."""
    base = archive.portal.base_url
    out: dict[str, bytes] = {}
    stories = [s for s in archive.stories if not s.draft]
    out["feed.xml"] = atom_feed(archive, None, stories[:FEED_ENTRIES])
    for territory in archive.territories:
        own = [s for s in territory.stories if not s.draft]
        out[f"{territory.slug}/feed.xml"] = atom_feed(archive, territory, own[:FEED_ENTRIES])
    dates = _page_dates(archive)
    alternates = _alternates(archive)
    published = sorted(
        (p for p in pages if p.endswith("index.html") and p.removesuffix("index.html") not in dates["drafts"]),
        key=lambda p: p.removesuffix("index.html"),
    )
    out["sitemap.xml"] = sitemap(base, published, dates, alternates)
    for territory in archive.territories:
        out[f"{territory.slug}/sitemap.xml"] = sitemap(
            base, [p for p in published if p.startswith(territory.path)], dates, alternates
        )
    if archive.drafts:  # a preview with drafts must never be indexed
        out["robots.txt"] = b"User-agent: *\nDisallow: /\n"
    else:
        out["robots.txt"] = f"User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n".encode()
    return out


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def atom_feed(archive: Archive, territory: Territory | None, stories: list[Story]) -> bytes:
    portal = archive.portal
    base = portal.base_url
    home = base + (territory.path if territory else "")
    # plain names: ElementTree writes them as they are
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": portal.language})
    _sub(
        feed,
        "title",
        f"Storie di {territory.name} · {portal.title}" if territory else f"Storie della rete · {portal.title}",
    )
    if portal.description:
        _sub(feed, "subtitle", portal.description)
    _sub(feed, "id", home + "feed.xml")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=home + "feed.xml")
    _sub(feed, "link", rel="alternate", type="text/html", href=home)
    newest = max((s.date for s in stories), default=_latest_content_date(archive, territory))
    _sub(feed, "updated", _stamp(newest))
    author = _sub(feed, "author")
    _sub(
        author,
        "name",
        territory.portinerie[0].name
        if territory and territory.portinerie
        else (portal.contacts.get("nome") or portal.title),
    )
    _sub(author, "uri", home)
    _sub(feed, "generator", "Portale dei Saperi")
    for story in stories:
        url = base + story.path
        entry = _sub(feed, "entry")
        entry.set("xml:base", url)  # relative links inside the story body resolve against its page
        entry.set("xml:lang", story.language)
        _sub(entry, "title", story.title if territory else f"{story.title} ({story.territory.name})")
        _sub(entry, "id", url)
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        for version in story.translations:  # the same story in other languages
            _sub(entry, "link", rel="alternate", type="text/html", hreflang=version.language, href=base + version.path)
        _sub(entry, "published", _stamp(story.date))
        _sub(entry, "updated", _stamp(story.date))
        if story.summary:
            _sub(entry, "summary", story.summary)
        _sub(entry, "content", _entry_html(story, base), type="html")
        for tag in story.words:
            _sub(entry, "category", term=tag.slug, label=tag.label)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry_html(story: Story, base: str) -> str:
    parts = []
    if story.image is not None and story.image.variants:
        variant = story.image.main
        parts.append(
            f'<p><img src="{escape(base + variant.path)}" width="{variant.width}" height="{variant.height}" alt="{escape(story.image.alt)}"></p>'
        )
    parts.append(figures.place(story.body_html, story.body_images, partial(_feed_figure, base)))
    if story.audio is not None:
        parts.append(f'<p><a href="{base + story.audio.path}">Ascolta la registrazione</a></p>')
    if isinstance(story.video, Video):
        parts.append(f'<p><a href="{base + story.video.path}">Guarda il video</a></p>')
    elif story.video is not None:
        parts.append(f'<p><a href="{escape(story.video.url)}">{escape(story.video.title)}</a></p>')
    return "\n".join(parts)


def _feed_figure(base: str, picture, alt: str, caption: str, alone: bool) -> str:
    """An image of the body in a feed entry: one copy, at its absolute address (a reader may show it anywhere)."""
    v = picture.main
    img = f'<img src="{escape(base + v.path)}" width="{v.width}" height="{v.height}" alt="{escape(alt)}">'
    if alone and caption:
        return f"<figure>{img}<figcaption>{escape(caption)}</figcaption></figure>"
    return f"<p>{img}</p>" if alone else img


def _latest_content_date(archive: Archive, territory: Territory | None) -> dt.date:
    territories = [territory] if territory else archive.territories
    dates = [n.date for t in territories for n in t.needs if not n.draft]
    return max(dates, default=NO_DATE)


def _page_dates(archive: Archive) -> dict:
    """{page path: date} for dated pages, plus "drafts": the paths of draft pages (never listed)."""
    dates: dict = {"drafts": set()}
    for territory in archive.territories:
        for text in [*territory.stories, *territory.needs]:
            for item in text.versions:
                dates[item.path] = item.date
        for text in [*territory.stories, *territory.needs, *territory.people]:
            for item in text.versions:
                if item.draft:
                    dates["drafts"].add(item.path)
    return dates


def _alternates(archive: Archive) -> dict[str, list[tuple[str, str]]]:
    """{page path: [(language, path) of every version]} for the texts told in more than one language."""
    found: dict[str, list[tuple[str, str]]] = {}
    for territory in archive.territories:
        for text in [*territory.stories, *territory.people, *territory.needs, *territory.actions]:
            if text.translations:
                group = [(v.language, v.path) for v in text.versions if not v.draft]
                for _, path in group:
                    found[path] = group
    return found


def sitemap(base: str, page_files: list[str], dates: dict, alternates: dict | None = None) -> bytes:
    """Written as text, not with ElementTree: the network's sitemap names every page (a quarter of a second for
    5,000 pages with ElementTree, on every build). A page in several languages lists each version, itself
    included, as Google's sitemaps do (xhtml:link hreflang)."""
    alternates = alternates or {}
    lines = ["<?xml version='1.0' encoding='utf-8'?>", f'<urlset xmlns="{SITEMAP}" xmlns:xhtml="{XHTML}">']
    for page in page_files:
        path = page.removesuffix("index.html")
        lastmod = f"<lastmod>{dates[path].isoformat()}</lastmod>" if path in dates else ""
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang="{language}" href="{escape(base + other)}"/>'
            for language, other in alternates.get(path, ())
        )
        lines.append(f"<url><loc>{escape(base + path, quote=False)}</loc>{lastmod}{links}</url>")
    lines.append("</urlset>")
    return "\n".join(lines).encode("utf-8") + b"\n"
