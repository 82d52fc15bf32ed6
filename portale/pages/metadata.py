"""Page metadata for search engines and link previews: canonical URL, description, OpenGraph and
schema.org JSON-LD (Article, Person or Organization, Place with its portinerie, the network).

Only what the page itself shows is described: a person's shown name (pseudonym respected), role,
skills and picture when consented; never a contact of a persona (readers go to the portineria).
The JSON-LD dict is serialised by Jinja's `tojson`, which escapes `<`, `>`, `&` and `'`, so a
title containing `</script>` cannot close the script element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from portale.content.media import Picture
from portale.content.model import Archive, Person, Story, Territory

CONTEXT = "https://schema.org"
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class Meta:
    canonical: str
    description: str
    og_type: str  # website | article | profile
    image: Picture | None
    image_url: str
    jsonld: dict | None
    published: str = ""  # article:published_time


def describe(page, archive: Archive) -> Meta:
    base = archive.portal.base_url
    canonical = base + page.path + ("" if page.filename == "index.html" else page.filename)
    context = page.context
    story: Story | None = context.get("story")
    person: Person | None = context.get("person")
    need = context.get("need")
    territory: Territory | None = page.territory
    description = archive.portal.description
    og_type, image, jsonld, published = "website", None, None, ""
    if story is not None:
        description = story.summary or _excerpt(story.body_html) or story.title
        og_type, image, published = "article", story.image, story.date.isoformat()
        jsonld = article(story, archive)
    elif person is not None:
        description = person.role or _excerpt(person.body_html) or person.name
        og_type, image = "profile" if person.kind == "persona" else "website", person.image
        jsonld = person_ld(person, archive)
    elif need is not None:
        description = need.summary or _excerpt(need.body_html) or need.title
    elif (action := context.get("action")) is not None:
        description = action.summary or _excerpt(action.body_html) or action.title
        image = action.image
    elif page.template == "territorio.html" and territory is not None:
        description = territory.summary or _excerpt(territory.body_html) or description
        image = territory.image
        jsonld = place(territory, archive)
    elif page.path == "" and page.template == "home.html":
        jsonld = network(archive)
    elif territory is not None:
        description = territory.summary or description
    image_url = base + image.largest.path if image is not None and image.variants else ""
    return Meta(canonical, description, og_type, image if image_url else None, image_url, jsonld, published)


def _excerpt(html: str, limit: int = 200) -> str:
    text = " ".join(_TAGS.sub(" ", html).split())
    text = (
        text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&#x27;", "'")
    )
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _image_urls(picture: Picture | None, base: str) -> list[str]:
    return [base + picture.largest.path] if picture is not None and picture.variants else []


def portineria_ld(territory: Territory, base: str) -> list[dict]:
    out = []
    for index, p in enumerate(territory.portinerie):
        item: dict[str, Any] = {
            "@type": "Organization",
            "@id": f"{base}{territory.path}#portineria-{index + 1}",
            "name": p.name,
            "url": base + territory.path,
        }
        if p.address:
            item["address"] = {
                "@type": "PostalAddress",
                "streetAddress": p.address,
                "addressLocality": territory.comune,
                "addressCountry": "IT",
            }
        if p.phone:
            item["telephone"] = p.phone
        if p.email:
            item["email"] = p.email
        if p.site:
            item["sameAs"] = p.site
        item["areaServed"] = {"@id": f"{base}{territory.path}#luogo"}
        out.append(item)
    return out


def place(territory: Territory, archive: Archive) -> dict:
    base = archive.portal.base_url
    item: dict[str, Any] = {
        "@type": "Place",
        "@id": f"{base}{territory.path}#luogo",
        "name": territory.name,
        "url": base + territory.path,
        "containedInPlace": {"@type": "City", "name": territory.comune},
    }
    if territory.summary:
        item["description"] = territory.summary
    if territory.coordinates:
        item["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": territory.coordinates[0],
            "longitude": territory.coordinates[1],
        }
    if images := _image_urls(territory.image, base):
        item["image"] = images
    return {"@context": CONTEXT, "@graph": [item, *portineria_ld(territory, base)]}


def _publisher(territory: Territory, archive: Archive) -> dict:
    base = archive.portal.base_url
    if territory.portinerie:
        return {"@type": "Organization", "name": territory.portinerie[0].name, "url": base + territory.path}
    return {"@type": "Organization", "name": archive.portal.title, "url": base}


def _person_ref(person: Person, base: str) -> dict:
    return {
        "@type": "Person" if person.kind == "persona" else "Organization",
        "name": person.name,
        "url": base + person.path,
    }


def article(story: Story, archive: Archive) -> dict:
    base = archive.portal.base_url
    url = base + story.path
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Article",
        "headline": story.title,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": story.date.isoformat(),
        "inLanguage": "it",
        "publisher": _publisher(story.territory, archive),
        "author": _publisher(story.territory, archive),
        "contentLocation": {"@type": "Place", "name": story.territory.name, "url": base + story.territory.path},
    }
    if story.summary:
        item["description"] = story.summary
    if images := _image_urls(story.image, base):
        item["image"] = images
    if story.words:
        item["keywords"] = ", ".join(t.label for t in story.words)
    mentions = [_person_ref(m.person, base) for m in story.mentions if m.person is not None]
    if mentions:
        item["mentions"] = mentions
    if story.audio is not None and story.audio.path:
        item["audio"] = {
            "@type": "AudioObject",
            "contentUrl": base + story.audio.path,
            "encodingFormat": story.audio.mime,
            "transcript": _excerpt(story.audio.transcript_html + "".join(s.html for s in story.audio.segments), 5000),
        }
    return item


def person_ld(person: Person, archive: Archive) -> dict:
    base = archive.portal.base_url
    item: dict[str, Any] = {"@context": CONTEXT, **_person_ref(person, base)}
    if person.role:
        item["description"] = person.role
    if person.offers:
        item["knowsAbout"] = [o.skill.name for o in person.offers]
    if images := _image_urls(person.image, base):
        item["image"] = images
    place_ref = {"@type": "Place", "name": person.territory.name, "url": base + person.territory.path}
    if person.kind == "persona":
        item["homeLocation"] = place_ref  # the neighbourhood only: never an address, phone or e-mail
    else:
        item["areaServed"] = place_ref
        if person.site:
            item["sameAs"] = person.site
    return item


def network(archive: Archive) -> dict:
    portal = archive.portal
    contacts = portal.contacts
    org: dict[str, Any] = {
        "@type": "Organization",
        "@id": portal.base_url + "#rete",
        "name": contacts.get("nome") or portal.subtitle or portal.title,
        "url": portal.base_url,
    }
    if contacts.get("email"):
        org["email"] = contacts["email"]
    if contacts.get("indirizzo"):
        org["address"] = {"@type": "PostalAddress", "streetAddress": contacts["indirizzo"], "addressCountry": "IT"}
    site = {
        "@type": "WebSite",
        "name": portal.title,
        "url": portal.base_url,
        "inLanguage": "it",
        "publisher": {"@id": portal.base_url + "#rete"},
    }
    if portal.description:
        site["description"] = portal.description
    return {"@context": CONTEXT, "@graph": [site, org]}
