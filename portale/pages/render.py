"""Stage 4, render: Archive -> {output path: HTML bytes}. Jinja2, autoescaped; never touches the disk.

Every page is rendered with `url(target)`, which makes a link relative to the page itself, so a
territory folder works wherever it is copied. A link from one territory to another (or to the
network pages) is absolute, from `base_url`: it leaves the territory's own site.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from portale.content import languages
from portale.content.model import Archive, Territory
from portale.pages import (
    actions,
    affinity,
    directory,
    figures,
    locales,
    matching,
    metadata,
    numbers,
    qr,
    sheets,
    teams,
    translations,
    words,
)


def N_(message: str) -> str:
    """A message for the catalogues (pybabel extract finds N_), translated where it is shown."""
    return message


CATEGORY_NAMES = {
    "terzo-settore": N_("Terzo settore"),
    "scuola": N_("Scuola"),
    "commercio": N_("Commercio"),
    "impresa": N_("Impresa"),
    "abitanti": N_("Abitanti"),
    "istituzione": N_("Istituzione"),
}


@jinja2.pass_context
def category_name(context, slug: str) -> str:
    return context.call(context.resolve("gettext"), CATEGORY_NAMES[slug]) if slug in CATEGORY_NAMES else slug


@jinja2.pass_context
def date_in_page_language(context, value: dt.date) -> str:
    return locales.long_date(value, context["language"])


def italian_km(value: float) -> str:
    """A distance as an Italian reader says it: "800 m", "2,4 km", "37 km"."""
    if value < 1:
        return f"{max(100, round(value * 10) * 100)} m"
    if value < 10:
        return f"{value:.1f} km".replace(".", ",")
    return f"{round(value)} km"


@dataclass
class Page:
    path: str  # output path of the directory, "" for the root, "aurora/storie/festa/" for a story
    template: str
    context: dict[str, Any]
    territory: Territory | None = None  # the territory site the page belongs to
    filename: str = "index.html"
    absolute_links: bool = False  # a page served at any URL (404.html) links with absolute URLs
    # A page computed from the whole archive (a word page) names what it reads: the content files whose front matter
    # it shows (`reads`, the people they name included by build.inputs) and a digest of the rest (`shows`).
    reads: tuple[str, ...] | None = None
    shows: str = ""
    listed: bool = True  # in the sitemaps; False for a page that only sends the reader elsewhere
    language: str = ""  # BCP 47; "" for the portal's language (portale.yml `lingua`)
    text: Any = None  # the story, person, need or action the page shows (its versions are linked in the head)

    @property
    def output(self) -> str:
        return self.path + self.filename


def make_environment(templates: Path, compiled: Path | None = None) -> jinja2.Environment:
    """`compiled`: a folder of the build cache where Jinja keeps the templates' bytecode (keyed by their source)."""
    if compiled is not None:
        compiled.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled is not None else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Interface strings are gettext messages (templates/locale/); Italian, the source language, until a page asks for
    # another. newstyle: `_("… %(n)s", n=x)` formats, and autoescapes, in the template.
    env.install_null_translations(newstyle=True)
    env.filters["data"] = date_in_page_language
    env.filters["km_it"] = italian_km
    env.filters["categoria_it"] = category_name
    env.filters["per_iniziale"] = words.by_initial
    return env


def _relpath(target: str, start: str) -> str:
    """posixpath.relpath for the site's own paths (relative to its root, never with . or ..), without the two
    getcwd() calls relpath makes each time: a page has dozens of links."""
    to = [part for part in target.split("/") if part]
    here = [part for part in start.split("/") if part]
    common = 0
    for a, b in zip(to, here):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def link_maker(page: Page, archive: Archive):
    """url(target): a link from `page` to the output path `target` (a directory ends with /)."""
    base_url = archive.portal.base_url
    here = page.path
    home = page.territory.path if page.territory else ""

    def url(target: Any) -> str:
        target = getattr(target, "path", target)
        if page.absolute_links:
            return base_url + target
        if page.territory and not target.startswith(home):
            return base_url + target  # leaves this territory's self-contained site
        relative = _relpath(target, here)
        if target.endswith("/") or target == "":
            relative = "./" if relative == "." else relative + "/"
        return relative

    def absolute(target: Any) -> str:
        return base_url + getattr(target, "path", target)

    return url, absolute


def search_bundles(territories: list[Territory], code: str) -> list[str]:
    """The Pagefind bundles a search page in language `code` loads: territories without content pages have none."""
    folder = languages.search_bundle(code)
    return [f"{t.slug}/{folder}/" for t in territories if t.stories or t.people or t.needs or t.actions or t.services]


def pages(archive: Archive, pdf: bool = False) -> Iterator[Page]:
    """Every page, each territory's pages together (its skill directory included): the build indexes a territory
    as soon as the last of its pages is written, while the next territory's pages are rendered."""
    graph = words.WordGraph(archive)
    yield Page("", "home.html", {"title": archive.portal.title})
    yield Page("", "404.html", {"title": "Pagina non trovata"}, filename="404.html", absolute_links=True)
    yield from search_pages(archive, None)
    yield Page("lingue/", "lingue.html", {"title": "Storie in altre lingue", "shelves": shelved(archive, None)})
    for territory in archive.territories:
        t = territory
        yield Page(t.path, "territorio.html", {"title": t.name}, t)
        yield Page(t.path, "404.html", {"title": "Pagina non trovata"}, t, filename="404.html", absolute_links=True)
        yield from search_pages(archive, t)
        yield Page(
            f"{t.slug}/lingue/",
            "lingue.html",
            {"title": f"Storie in altre lingue · {t.name}", "shelves": shelved(archive, t)},
            t,
        )
        yield Page(f"{t.slug}/storie/", "storie.html", {"title": f"Storie · {t.name}"}, t)
        for story in t.stories:
            for version in story.versions:  # the original, then each translation at <path>/<lingua>/
                yield Page(
                    version.path, "storia.html", {"title": version.title, "story": version}, t, **told_in(version)
                )
        yield Page(f"{t.slug}/persone/", "persone.html", {"title": f"Persone e organizzazioni · {t.name}"}, t)
        for person in t.people:
            for version in person.versions:
                yield Page(
                    version.path, "persona.html", {"title": person.name, "person": version}, t, **told_in(version)
                )
        yield Page(f"{t.slug}/bisogni/", "bisogni.html", {"title": f"Bisogni · {t.name}"}, t)
        for need in t.needs:
            nearby, farther = matching.nearest_enough(
                matching.match_need(need, archive.territories) if need.is_open else []
            )
            context = {
                "title": need.title,
                "need": need,
                "nearby": nearby,
                "farther": farther,
                "affine": affinity.affine_for_need(need, archive) if need.is_open else [],
                "team": teams.possible_team(need, archive.territories),
            }
            for version in need.versions:
                yield Page(
                    version.path,
                    "bisogno.html",
                    {**context, "title": version.title, "need": version},
                    t,
                    **told_in(version),
                )
            if need.is_open:
                yield Page(
                    f"{need.path}stampa/",
                    "bisogno-stampa.html",
                    {"title": f"Da stampare: {need.title}", "need": need, "pdf": None},
                    t,
                )
        yield from action_pages(archive, t)
        yield Page(f"{t.slug}/servizi/", "servizi.html", {"title": f"Servizi della portineria · {t.name}"}, t)
        board = {"title": f"Bacheca · {t.name}", "board": sheets.notice_board(archive, t), "pdf": pdf and "bacheca.pdf"}
        yield Page(f"{t.slug}/bacheca/", "bacheca.html", board, t)
        yield from word_pages(graph, t)
        yield from territory_directory_pages(archive, t)
    yield from network_directory_pages(archive)
    yield from network_action_pages(archive)
    yield from form_pages(archive, pdf)
    yield from word_pages(graph, None)


FORMS = {  # path under moduli/: template, title
    "scheda-dei-saperi": ("modulo-saperi.html", "La scheda dei saperi"),
    "consenso": ("modulo-consenso.html", "Il modulo del consenso"),
    "bisogno": ("modulo-bisogno.html", "Un bisogno del quartiere"),
}


def form_pages(archive: Archive, pdf: bool) -> Iterator[Page]:
    """The printable interview forms of the network, and the page listing them with every notice board."""
    yield Page("moduli/", "moduli.html", {"title": "Moduli e bacheche da stampare", "pdf": pdf})
    form = sheets.skills_form(archive)
    for name, (template, title) in FORMS.items():
        yield Page(f"moduli/{name}/", template, {"title": title, "form": form, "pdf": pdf and f"{name}.pdf"})


def pdf_sheets(pages: list[Page]) -> list[Page]:
    """The sheets `build.py stampa` also writes as PDF, each beside its page as the file its `pdf` names."""
    return [page for page in pages if page.context.get("pdf") and page.template != "moduli.html"]


def search_pages(archive: Archive, t: Territory | None) -> Iterator[Page]:
    """The search page, and one per other language its texts are in: Pagefind searches the index of the page's own
    language (`<html lang>`), with that language's stemming or word segmentation."""
    places = [t] if t else archive.territories
    offered = translations.search_languages(archive, places)
    held = {p.slug: translations.search_languages(archive, [p]) for p in places}
    home = f"{t.slug}/cerca/" if t else "cerca/"
    for code in offered:
        path = home if code == archive.portal.language else f"{home}{code.lower()}/"
        # only the bundles holding texts in this language: Pagefind would search another bundle's largest index
        holding = [p for p in places if code in held[p.slug]]
        context = {
            "title": "Cerca",
            "bundles": search_bundles(holding, code),
            "languages": offered,
            "search_home": home,
        }
        yield Page(path, "cerca.html", context, t, language=code)


def shelved(archive: Archive, t: Territory | None) -> list[translations.Shelf]:
    return translations.shelves([t] if t else archive.territories, archive.portal.language)


def told_in(text) -> dict[str, str]:
    """A text's page speaks the text's language."""
    return {"language": text.language, "text": text}


def action_pages(archive: Archive, t: Territory) -> Iterator[Page]:
    """A territory's actions by state, each action's page, and its agenda of the months ahead."""
    yield Page(
        f"{t.slug}/azioni/", "azioni.html", {"title": f"Azioni · {t.name}", "groups": actions.by_state(t.actions)}, t
    )
    for action in t.actions:
        dates = actions.action_dates(action, archive.today)
        for version in action.versions:
            context = {"title": version.title, "action": version, "dates": dates}
            yield Page(version.path, "azione.html", context, t, **told_in(version))
    context = {"title": f"Agenda · {t.name}", "months": actions.agenda(t.actions, archive.today)}
    yield Page(f"{t.slug}/agenda/", "agenda.html", context, t)


def network_action_pages(archive: Archive) -> Iterator[Page]:
    """The network's actions and agenda, and where in the network one finds each kind of service."""
    everything = archive.actions
    yield Page("azioni/", "azioni.html", {"title": "Azioni della rete", "groups": actions.by_state(everything)})
    yield Page(
        "agenda/", "agenda.html", {"title": "Agenda della rete", "months": actions.agenda(everything, archive.today)}
    )
    kinds = list(archive.service_kinds.values())
    yield Page("servizi/", "rete-servizi.html", {"title": "Servizi delle portinerie", "kinds": kinds})
    for kind in kinds:
        by_place = sorted(kind.services, key=lambda s: (s.territory.name.casefold(), s.portineria.name.casefold()))
        yield Page(kind.path, "rete-servizio.html", {"title": kind.name, "kind": kind, "services": by_place})


def word_pages(graph: words.WordGraph, t: Territory | None) -> Iterator[Page]:
    """The words of a territory (or of the network), each word's page, and the old `tag/` addresses sending there."""
    home = t.path if t else ""
    where = f" · {t.name}" if t else " della rete"
    shared = graph.links_digest(t)  # which words and saperi have a page here: every link of a word page
    listing = {"title": f"Parole{where}", "make_view": partial(graph.list_view, t)}
    # the network's list has long itineraries over the whole archive: no key, rendered on every build
    yield Page(f"{home}parole/", "parole.html", listing, t, reads=graph.texts_of(t) if t else None, shows=shared)
    for word in graph.words_in(t) if t else graph.network_words():
        path = words.word_path(word.slug, t)
        context = {"title": word.label, "make_view": partial(graph.view, word, t)}
        yield Page(path, "parola.html", context, t, reads=graph.reads(word), shows=shared)
        if t:
            for tag in sorted(word.tag_slugs):
                yield redirect(f"{home}tag/{tag}/", path, word.label, t)
    if t:
        yield redirect(f"{home}tag/", f"{home}parole/", f"Parole · {t.name}", t)


def redirect(path: str, target: str, title: str, t: Territory | None) -> Page:
    """An old address that sends the reader to `target` (no JavaScript: a refresh and a link)."""
    return Page(path, "rimando.html", {"title": title, "target": target}, t, reads=(), shows=target, listed=False)


def territory_directory_pages(archive: Archive, t: Territory) -> Iterator[Page]:
    """The skills directory of a territory: the skills offered or asked there, each with who offers it nearby."""
    everywhere = archive.territories
    shelves = directory.shelve(archive, directory.offered(archive, t))
    yield Page(
        f"{t.slug}/saperi/",
        "saperi.html",
        {"title": f"Saperi · {t.name}", "shelves": shelves, "wanted": directory.wanted(archive, t)},
        t,
    )
    for skill in directory.territory_skill_pages(archive, t):
        groups, farther = matching.nearest_enough(matching.offers_by_territory(skill, t, everywhere))
        context = {
            "title": skill.name,
            "skill": skill,
            "here": next((g for g in groups if g.home), None),
            "elsewhere": [g for g in groups if not g.home],
            "farther": farther,
            "needs": matching.nearest_first(skill.needs, t, everywhere),
            "affine": affinity.affine_offers(skill, t, archive),
        }
        yield Page(directory.skill_path(skill, t), "sapere.html", context, t)


def network_directory_pages(archive: Archive) -> Iterator[Page]:
    """The network's skills directory, its open needs and the open data page."""
    everywhere = archive.territories
    shelves = directory.shelve(archive, directory.offered(archive))
    yield Page(
        "saperi/",
        "rete-saperi.html",
        {"title": "Saperi della rete", "shelves": shelves, "wanted": directory.wanted(archive)},
    )
    for skill in directory.network_skill_pages(archive):
        context = {
            "title": skill.name,
            "skill": skill,
            "groups": matching.offers_by_territory(skill, None, everywhere),
            "affine": affinity.affine_offers(skill, None, archive),
        }
        yield Page(directory.skill_path(skill), "rete-sapere.html", context)
    open_needs = directory.open_needs(archive)
    needs = [
        need_summary(n, matching.match_need(n, everywhere), affinity.affine_for_need(n, archive)) for n in open_needs
    ]
    context = {"title": "Bisogni aperti della rete", "needs": needs, "missing": missing_saperi(open_needs)}
    yield Page("bisogni/", "rete-bisogni.html", context)
    yield Page("dati/", "dati.html", {"title": "Dati aperti"})


def missing_saperi(needs) -> list[tuple[Any, list]]:
    """The saperi that open needs ask for and nobody in the network offers, each with those needs (by name)."""
    missing: dict[str, tuple[Any, list]] = {}
    for need in needs:
        for skill in need.skills:
            if not skill.offers:
                missing.setdefault(skill.slug, (skill, []))[1].append(need)
    return sorted(missing.values(), key=lambda pair: (pair[0].name.casefold(), pair[0].slug))


def need_summary(need, groups: list[matching.Nearby], affine=(), named: int = 3) -> dict[str, Any]:
    """A need on the network's list: the first `named` helpers, nearest first, and how many there are; `affine`
    when only someone offering a sapere near the one asked could meet it."""
    helpers = [(h, g.territory) for g in groups for h in g.helpers]
    near = sum(len(g.helpers) for g in groups if g.home)
    return {
        "need": need,
        "first": helpers[:named],
        "more": max(0, len(helpers) - named),
        "near": near,
        "far": len(helpers) - near,
        "affine": list(affine) if not helpers else [],
    }


def word_link(word, territory: Territory | None) -> str:
    """The output path of a word carried by a text of `territory`: its page there, the network's page otherwise."""
    return words.word_path(word.slug, territory)


def plan_site(archive: Archive, pdf: bool = False) -> list[Page]:
    """Every page; `pdf`: the sheets link to their PDF (`build.py stampa` writes them)."""
    return list(pages(archive, pdf))


def page_renderer(archive: Archive, templates: Path, compiled: Path | None = None) -> Callable[[Page], bytes]:
    """render(page) -> bytes, with every template compiled now (once, before the work is forked)."""
    env = make_environment(templates, compiled)
    for name in env.list_templates(filter_func=lambda n: n.endswith(".html")):
        env.get_template(name)
    # A catalogue is compiled when a page in its language is rendered: a rebuild of Italian pages compiles none.
    catalogues = locales.Catalogues(templates / "locale")
    return lambda page: render_page(env, archive, page, catalogues)


def body_with_images(env: jinja2.Environment, text: Any, url: Callable[[Any], str]) -> str:
    """A text's body HTML with the images it writes placed as their published copies (partials/figura.html)."""
    if "<img" not in text.body_html:  # most texts: no template to look up
        return text.body_html
    figure = env.get_template("partials/figura.html")
    pictures = getattr(text, "body_images", {})
    return figures.place(
        text.body_html,
        pictures,
        lambda picture, alt, caption, alone: figure.render(
            picture=picture, alt=alt, caption=caption, alone=alone, url=url
        ),
    )


def render_page(
    env: jinja2.Environment,
    archive: Archive,
    page: Page,
    catalogues: locales.Catalogues | None = None,
) -> bytes:
    language = page.language or archive.portal.language
    # A page in another language shows a text in it, so its site has a search page in that language (search_pages).
    search_page = (f"{page.territory.slug}/cerca/" if page.territory else "cerca/") + (
        f"{language.lower()}/" if language != archive.portal.language else ""
    )
    # The page's interface strings in its language, where its catalogue has them (Italian otherwise).
    if catalogues is not None:
        env.globals.update(catalogues.interface(language))
    url, absolute = link_maker(page, archive)

    def lang_attrs(code: str) -> Markup:
        """` lang="ar" dir="rtl"` for a title or name in another language than the page's; nothing otherwise."""
        code = languages.normalise(code)
        if code == language:
            return Markup("")
        own = languages.direction(code)
        return Markup(f' lang="{escape(code)}"' + (f' dir="{own}"' if own != languages.direction(language) else ""))

    made = {"view": page.context["make_view"]()} if "make_view" in page.context else {}  # only for pages rendered
    context = {
        "archive": archive,
        "portal": archive.portal,
        "territory": page.territory,
        "page": page,
        "url": url,
        "absolute": absolute,
        "assets": url(f"{page.territory.slug}/assets/" if page.territory else "assets/"),
        "home": url(page.territory.path if page.territory else ""),
        "skill_path": directory.skill_path,
        "offer_counts": directory.offer_counts,
        "offers_in": directory.offers_in,
        "directory_offered": lambda t: sorted(directory.offered(archive, t), key=directory.skill_order),
        "word_link": lambda word: word_link(word, page.territory),
        "search_forms": words.search_forms,
        "when": actions.when,
        "repeats": actions.repeats,
        "rule": actions.rule,
        "iso": actions.iso,
        "figures": lambda t: numbers.figures(archive, t),
        "qr": qr.qr_svg,
        "shorten": sheets.shorten,
        "limits": sheets.LIMITS,
        "meta": metadata.describe(page, archive),
        "language": language,
        "direction": languages.direction(language),
        "lang_attrs": lang_attrs,
        "search_page": search_page,
        # a text as this page's reader best reads it: its version in the page's language, or the original
        "in_page_language": lambda text: next((v for v in text.versions if v.language == language), text),
        "language_in_page": lambda code: languages.name_in(code, language),
        "direction_of": languages.direction,
        "autonym": languages.autonym,
        "language_name": languages.italian_name,
        "testo": lambda text: body_with_images(env, text, url),
        "moment_refs": lambda moments: words.moment_refs(moments, page.territory),
        **page.context,
        **made,
    }
    html = env.get_template(page.template).render(context)
    if languages.primary(language) in locales.NATIVE_DIGITS:
        html = html.replace(" · ", f" {locales.SEPARATOR_BESIDE_NATIVE_DIGITS} ")
    return html.encode("utf-8")
