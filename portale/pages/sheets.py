"""What the printed sheets hold: a territory's notice board (`bacheca/`), a need's shop-window sheet
(`bisogni/<slug>/stampa/`) and the interview forms (`moduli/`).

The notice board is at most two A4 pages. Every item has a fixed height in the print stylesheet (`fogli.css`,
the `--h-*` sizes) and its text is shortened here to fit it, so what fits is a sum: the build picks the open needs
first, then the next appointments, then as many saperi as the rest of the two pages holds, and says on the sheet
how many more are on the site. The sheets read the archive as every page does: no drafts, nobody without consent,
shown names only, and no contact of a person (only the portineria's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portale.content.model import Archive, Need, Skill, Territory
from portale.content.schema import CATEGORIES, CONSENT_SCOPES, PERSONA
from portale.pages import actions, directory

# Heights in millimetres, the same as in fogli.css: an A4 page less its margins, and each block of the board.
PAGE_MM = 273  # 297 mm less 12 mm at the top and at the bottom
HEADER_MM = 40  # the title and the date
PORTINERIA_MM = 24  # each portineria's address, hours and contacts
FOOTER_MM = 40  # "the rest is on the site", with the territory's QR code
SECTION_MM = 13  # a section's heading
NEED_MM = 38
MEETING_MM = 24
SKILL_ROW_MM = 24  # two saperi side by side
BOARD_PAGES = 2
MAX_NEEDS = 4
MAX_MEETINGS = 4

# What each line may hold, in characters, at the board's type sizes.
TITLE_CHARS = 80
SUMMARY_CHARS = 100
LINE_CHARS = 64
SKILL_CHARS = 44


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.–- ")
    return cut + "…"


def need_order(need: Need):
    """Soonest deadline first (the ones without last), then the newest."""
    return (need.deadline or dt.date.max, -need.date.toordinal(), need.title.casefold(), need.slug)


@dataclass(frozen=True)
class BoardSkill:
    skill: Skill
    names: str  # the shown names of who offers it in the territory, shortened


@dataclass(frozen=True)
class Board:
    needs: list[Need]
    more_needs: int
    meetings: list[actions.Meeting]
    more_meetings: int
    skills: list[BoardSkill]
    more_skills: int

    @property
    def left_out(self) -> bool:
        return bool(self.more_needs or self.more_meetings or self.more_skills)


def board_space(header_mm: int) -> int:
    """Millimetres left for the three sections' items on the board's pages: each page break may leave unused up to
    the tallest item (items never split across pages), and a heading left alone at a page's foot moves on too."""
    pages = BOARD_PAGES * PAGE_MM - (BOARD_PAGES - 1) * (NEED_MM + SECTION_MM)
    return pages - header_mm - FOOTER_MM - 3 * SECTION_MM


def notice_board(archive: Archive, territory: Territory) -> Board:
    needs = sorted(territory.open_needs, key=need_order)
    upcoming = actions.meetings(territory.actions, archive.today, actions.agenda_end(archive.today))
    # each action's next meeting, with how often it repeats: four Tuesdays of one course say less than four actions
    following: dict[int, actions.Meeting] = {}
    for meeting in upcoming:
        following.setdefault(id(meeting.action), meeting)
    offered = sorted(
        directory.offered(archive, territory),
        key=lambda s: (-len(directory.offers_in(s, territory)), directory.skill_order(s)),
    )
    header_mm = HEADER_MM + PORTINERIA_MM * len(territory.portinerie)
    space = board_space(header_mm)
    shown_needs = needs[:MAX_NEEDS]
    space -= NEED_MM * len(shown_needs)
    shown_meetings = list(following.values())[:MAX_MEETINGS]
    space -= MEETING_MM * len(shown_meetings)
    rows = max(0, space // SKILL_ROW_MM)
    shown_skills = offered[: 2 * rows]
    return Board(
        shown_needs,
        len(needs) - len(shown_needs),
        shown_meetings,
        len(upcoming) - len(shown_meetings),
        [BoardSkill(s, offerers(s, territory)) for s in shown_skills],
        len(offered) - len(shown_skills),
    )


LIMITS = {"title": TITLE_CHARS, "summary": SUMMARY_CHARS, "line": LINE_CHARS, "skill": SKILL_CHARS}


def offerers(skill: Skill, territory: Territory) -> str:
    names = sorted({offer.person.name for offer in directory.offers_in(skill, territory)}, key=str.casefold)
    return shorten(", ".join(names), SKILL_CHARS)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


# The plain-Italian words of the forms for the schema's choices. A choice without words here is printed as it is
# written in the files.
VISIBILITY_WORDS = {
    "pubblica": "Nome e cognome",
    "solo-nome": "Solo il nome",
    "pseudonimo": "Un nome di fantasia (pseudonimo), che scrivo qui:",
}
KIND_WORDS = {"persona": "Una persona", "organizzazione": "Un’organizzazione, un negozio, una scuola, un gruppo"}
CATEGORY_WORDS = {
    "terzo-settore": "Associazione, cooperativa, volontariato",
    "scuola": "Scuola",
    "commercio": "Negozio, banco del mercato",
    "impresa": "Impresa, artigiano",
    "abitanti": "Abitante del quartiere",
    "istituzione": "Ente pubblico",
}


def choices(values, words: dict[str, str]) -> list[Choice]:
    return [Choice(v, words.get(v, v)) for v in values]


def skills_form(archive: Archive) -> dict:
    """The skills form's parts, from the person schema and saperi.yml: every choice of the schema has its box."""
    visibility = PERSONA["visibilita"].choices
    return {
        "kinds": choices(PERSONA["tipo"].choices, KIND_WORDS),
        "visibility": choices(visibility, VISIBILITY_WORDS),
        "categories": choices(CATEGORIES, CATEGORY_WORDS),
        "shelves": [(c, list(c.skills)) for c in archive.categories],
        "scopes": consent_scopes(),
    }


def consent_scopes() -> list[Choice]:
    return [Choice(scope, text) for scope, text in CONSENT_SCOPES.items()]
