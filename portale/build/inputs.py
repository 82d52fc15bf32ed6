"""Which sources each page reads, as one key per page: a rebuild renders again only the pages whose key changed.

A page's key hashes
- what every page depends on: the generator's code and templates, `portale.yml`, `saperi.yml`, `parole.yml`, `servizi.yml`, the list of
  territories, the build date (it opens and closes needs and consents) and whether drafts are shown;
- the path and content hash of every source the page reads, listed below per kind of page.

    word pages        the front matter of the texts they list (`Page.reads`: words.py) and of the people those name,
                      which words and saperi have pages (`Page.shows`), every territory file
    storia.html       the story, its territory, every person it names (published or not), the action it tells, and
                      their territories
    persona.html      the person, its territory, every story naming them (in `persone` or in a recording's segments)
                      and every action they take part in (in any territory), the people those name, and their
                      territories
    azione.html       the action, its territory, its participants and partners, the needs it answers, the stories
                      telling it, and their territories
    territorio, storie, persone, bisogni, azioni, agenda, servizi, bacheca, 404 of a territory
                      every file of the territory (listings, counts, tags, the skills offered there), and the actions
                      of other territories answering its needs (they make a need met): their front matter, and the
                      body of territorio.md only (no listing shows another body)
    bisogno, sapere, saperi and the network's skills, needs, actions, agenda and services pages
                      every person, need, action and territory of the network (who offers what, how far, which needs
                      an action met): their front matter, the body of territorio.md, and a need page's own body (no
                      such page shows another)

    bisogno-stampa    the need and its territory
    moduli            nothing more: the forms are made from the schema (the code) and saperi.yml; the forms'
                      index also lists every territory's board, by name

A sheet's key also says whether it links to its PDF (`build.py stampa`).
A source's hash covers its text as published (names hidden by privacy.redact already replaced); the images,
recordings and captions it names (`media_files`) are covered by their size and mtime, never read.

A page of any other kind gets no key and is rendered on every build: a new kind of page is correct before anyone
teaches this module what it reads. Over-listing inputs only costs a few renders; missing one would leave a page
stale, which tests/test_incremental.py compares against cold builds to catch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from pathlib import Path

from portale.content.load import TOP_FILES, Sources
from portale.content.memo import code_version
from portale.content.privacy import named_people

TERRITORY_WIDE = {
    "territorio.html",
    "storie.html",
    "persone.html",
    "bisogni.html",
    "azioni.html",
    "agenda.html",
    "servizi.html",
    "bacheca.html",
    "404.html",
}
# The printed forms read only the schema (the code) and saperi.yml, both in every key.
FORMS = {"moduli.html", "modulo-saperi.html", "modulo-consenso.html", "modulo-bisogno.html"}
PEOPLE_AND_NEEDS = {
    "bisogno.html",
    "sapere.html",
    "saperi.html",
    "rete-saperi.html",
    "rete-sapere.html",
    "rete-bisogni.html",
}
# The network's actions, agenda and services read the same sources as its needs (actions, their people, the
# portinerie's services in territorio.md); the territory pages of the same templates are TERRITORY_WIDE.
NETWORK_ACTIONS = {"azioni.html", "agenda.html", "rete-servizi.html", "rete-servizio.html"}


def _fingerprints(source) -> tuple[str, str]:
    """Two hashes of the source as the model reads it (checked front matter and body, after privacy.redact replaced
    hidden names: a change of someone's visibility changes exactly the texts that name them), plus the size and
    time of the media files it names: with the body, and without it (what listings show: never a body)."""
    if source.prints is None:
        data = repr(source.data).encode()
        source.prints = (
            hashlib.sha256(data + b"\0" + source.body.encode()).hexdigest(),
            hashlib.sha256(data).hexdigest(),
        )
        published = source.recall("published")
        if published is not None:
            source.remember("published", {**published, "prints": source.prints})
    full, listed = source.prints
    names = media_files(source)
    if not names:
        return full, listed
    from portale.content.media import resolve_in_bundle

    parts = []
    for name in names:
        path, _ = resolve_in_bundle(source, name)
        st = path.stat() if path else None
        parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}" if st else f"{name}:-")
    return "|".join([full, *parts]), "|".join([listed, *parts])


def media_files(source) -> list[str]:
    """The names of the files beside a text that its pages show: images, gallery, recordings, captions, poster, and
    the images its body writes."""
    data = source.data
    names = [
        value["file"] for key in ("immagine", "audio") if isinstance(value := data.get(key), dict) and "file" in value
    ]
    video = data.get("video")
    if isinstance(video, dict):
        names += [video[key] for key in ("file", "sottotitoli", "poster") if key in video]
    names += [entry["file"] for entry in data.get("galleria", []) if "file" in entry]
    if "![" in source.body:
        from portale.content.media import body_images

        names += [image.target for image in body_images(source)]
    return list(dict.fromkeys(names))


def _hash_files(digest, folder: Path, pattern: str) -> None:
    for path in sorted(folder.rglob(pattern)):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")


def global_key(sources: Sources, templates: Path, *, drafts: bool, today: dt.date) -> str:
    digest = hashlib.sha256(code_version().encode())  # the generator's code and libraries
    _hash_files(digest, templates, "*")
    for name in TOP_FILES:
        path = sources.root / "content" / name
        digest.update(path.read_bytes() if path.is_file() else b"-")
    digest.update(f"{sources.territories}|{today.isoformat()}|{drafts}".encode())
    return digest.hexdigest()


def page_keys(pages: list, sources: Sources, base: str) -> list[str | None]:
    prints = {s.rel: _fingerprints(s) for s in sources.files}
    digests = {rel: full for rel, (full, _) in prints.items()}
    # Listings of a territory show the front matter of its stories, people and needs, and the territory's own text.
    listed = {s.rel: prints[s.rel][s.kind != "territorio"] for s in sources.files}
    territory_file = {s.territory: s.rel for s in sources.files if s.kind == "territorio"}
    person_file = {(s.territory, s.slug): s.rel for s in sources.files if s.kind == "persona"}
    by_territory: dict[str, list[str]] = defaultdict(list)
    people_and_needs = sorted(s.rel for s in sources.files if s.kind in ("persona", "bisogno", "azione", "territorio"))
    named: dict[str, list[str]] = defaultdict(list)  # person file -> story and action files naming it
    names: dict[str, list[str]] = defaultdict(list)  # story or action file -> person files it names
    action_file = {(s.territory, s.slug): s.rel for s in sources.files if s.kind == "azione"}
    need_file = {(s.territory, s.slug): s.rel for s in sources.files if s.kind == "bisogno"}
    around: dict[str, list[str]] = defaultdict(list)  # action file -> its needs and the stories telling it
    tells: dict[str, str] = {}  # story file -> the action file it tells

    def ref_of(text: str, home: str) -> tuple[str, str]:
        owner, _, slug = text.rpartition("/")
        return owner or home, slug

    for source in sources.files:
        by_territory[source.territory].append(source.rel)
        refs = []
        if source.kind in ("storia", "persona"):
            refs = named_people(source)  # a story's persone, and the people its recordings name
        if source.kind == "storia":
            told = action_file.get(ref_of(source.data.get("azione", ""), source.territory))
            if told:
                tells[source.rel] = told
                around[told].append(source.rel)
        elif source.kind == "azione":
            refs = [e["chi"] for e in source.data.get("partecipanti", [])] + source.data.get("partner", [])
            for ref in source.data.get("bisogni", []):
                need = need_file.get(ref_of(ref, source.territory))
                if need:
                    around[source.rel].append(need)
                    if need.split("/")[1] != source.territory:  # a need of another territory: met there
                        by_territory[need.split("/")[1]].append(source.rel)
        for ref in refs:
            person = person_file.get(ref_of(ref, source.territory))
            if person:
                names[source.rel].append(person)
                named[person].append(source.rel)

    # A text's page shows the titles of its other versions and the people of its original: it reads them all.
    original_of = {s.rel: s.original.rel for s in sources.files if s.original is not None}
    translations_of: dict[str, list[str]] = defaultdict(list)
    for translation, original in sorted(original_of.items()):
        translations_of[original].append(translation)

    def versions(rel: str) -> tuple[str, list[str]]:
        """The original's file, and every version's file (the original first)."""
        first = original_of.get(rel, rel)
        return first, [first, *translations_of[first]]

    def with_translations(rels: list[str]) -> list[str]:
        """A listed text shows the languages it is in, a named person is linked in the reader's language."""
        return rels + [t for rel in rels for t in translations_of.get(rel, ())]

    def with_territories(rels: list[str]) -> list[str]:
        rels = with_translations(rels)
        return rels + sorted({territory_file.get(rel.split("/")[1], "") for rel in rels})

    groups: dict[str, list[str]] = {}
    digests["#territories"] = hashlib.sha256(
        "".join(digests[r] for r in sorted(territory_file.values())).encode()
    ).hexdigest()

    def group(name: str, rels, prints: dict[str, str]) -> list[str]:
        """Many pages read the same large set of sources: hash it once, as one pseudo-source."""
        if name not in groups:
            digest = hashlib.sha256()
            for rel in rels():
                digest.update(f"{rel}\0{prints.get(rel, '-')}\n".encode())
            digests[f"#{name}"] = digest.hexdigest()
            groups[name] = [f"#{name}"]
        return groups[name]

    read_digests: dict[int, str] = {}  # the texts a word page reads, hashed once per word (words.WordGraph.reads)
    keys: list[str | None] = []
    for page in pages:
        ctx, territory = page.context, page.territory
        own = territory_file.get(territory.slug, "") if territory else ""
        if page.reads is not None:  # a word page: the texts it lists, the people they name, every territory
            # the pages of one word in every territory read the same texts (the same tuple): hashed once
            if id(page.reads) not in read_digests:
                digest = hashlib.sha256()
                for rel in page.reads:
                    for r in with_translations([rel, *names[rel]]):
                        digest.update(f"{r}\0{listed.get(r, '-')}\n".encode())
                read_digests[id(page.reads)] = digest.hexdigest()
            rels = [own, "#territories", f"={page.shows}", f"={read_digests[id(page.reads)]}"]
        elif page.template == "storia.html":
            source, family = versions(ctx["story"].source)
            rels = family + [own] + with_territories(names[source] + ([tells[source]] if source in tells else []))
        elif page.template == "azione.html":
            source, family = versions(ctx["action"].source)
            rels = family + [own] + with_territories(sorted(names[source] + around[source]))
        elif page.template == "persona.html":
            source, family = versions(ctx["person"].source)
            naming = named[source]  # and whom those name: an interview's speakers, on its moments
            rels = family + [own] + with_territories(sorted({*naming, *(p for r in naming for p in names[r])}))
        elif page.template == "bisogno-stampa.html":
            rels = [ctx["need"].source, own]
        elif page.template == "cerca.html":  # the territories' names, which bundles it searches, in which languages
            rels = ["#territories", f"={ctx['bundles']}|{ctx['languages']}"]
        elif page.template == "lingue.html":  # every text with a translation, and the territories' names
            rels = ["#territories"] + group(
                "translations", lambda: sorted({*original_of, *original_of.values()}), listed
            )
        elif page.template in FORMS:
            rels = ["#territories"] if page.template == "moduli.html" else []
        elif page.template in PEOPLE_AND_NEEDS or (page.template in NETWORK_ACTIONS and not territory):
            # who offers what and which needs are open: front matter (and territorio.md whole); a need's page shows
            # its own body too
            rels = group("people and needs", lambda: people_and_needs, listed)
            if page.template == "bisogno.html":
                rels = rels + versions(ctx["need"].source)[1]
        elif page.template in TERRITORY_WIDE and territory:
            rels = group(territory.slug, lambda slug=territory.slug: sorted(by_territory[slug]), listed)
        else:
            keys.append(None)
            continue
        # a sheet links to its PDF when `build.py stampa` writes one
        digest = hashlib.sha256(f"{base}\n{page.template}\n{page.output}\n{ctx.get('pdf')}\n".encode())
        for rel in rels:
            digest.update(f"{rel}\0{digests.get(rel, '-')}\n".encode())
        keys.append(digest.hexdigest())
    return keys
