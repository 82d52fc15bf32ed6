"""A territory in numbers: a few figures counted from the archive, each with the list it counts (the home pages,
and `dati/numeri.json`). Drafts previewed with --bozze are not counted: the figures are those of the published site.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from portale.content.model import Archive, Territory
from portale.pages.actions import SOON_DAYS, meetings


@dataclass(frozen=True)
class Figure:
    key: str  # the name in numeri.json
    label: str  # as the home page says it, after the number
    count: int
    path: str  # the page listing what it counts (an output path)
    anchor: str = ""  # where on that page


def figures(archive: Archive, territory: Territory | None) -> list[Figure]:
    places = [territory] if territory else archive.territories
    home = territory.path if territory else ""

    def published(items):
        return [item for item in items if not item.draft]

    stories = [s for t in places for s in published(t.stories)]
    people = [p for t in places for p in published(t.people)]
    needs = [n for t in places for n in published(t.needs)]
    actions = [a for t in places for a in published(t.actions)]
    met = sum(n.met for n in needs)
    offered = {o.skill.slug for p in people for o in p.offers}
    soon = meetings(actions, archive.today, archive.today + dt.timedelta(days=SOON_DAYS))
    # the network has no list of its own stories or people: its figures link to the territories' lists on its home
    lists = (
        {"storie": (f"{home}storie/", ""), "persone": (f"{home}persone/", ""), "azioni": (f"{home}azioni/", "")}
        if territory
        else {"storie": ("", "sezione-territori"), "persone": ("", "sezione-territori"), "azioni": ("azioni/", "")}
    )
    return [
        Figure("storie", "storie raccolte", len(stories), *lists["storie"]),
        Figure("persone", "persone e organizzazioni", len(people), *lists["persone"]),
        Figure("saperi", "saperi offerti", len(offered), f"{home}saperi/"),
        Figure("bisogni_aperti", "bisogni aperti", sum(n.is_open for n in needs), f"{home}bisogni/"),
        Figure(
            "bisogni_risolti",
            "bisogni risolti",
            met,
            f"{home}bisogni/",
            "risolti" if territory and met else "",  # the list of met needs, which a territory without any lacks
        ),
        Figure("azioni_in_corso", "azioni in corso", sum(a.status == "in-corso" for a in actions), *lists["azioni"]),
        Figure("appuntamenti_30_giorni", f"appuntamenti entro {SOON_DAYS} giorni", len(soon), f"{home}agenda/"),
    ]


def numbers_json(archive: Archive) -> bytes:
    """Every territory's figures and the network's, with the day they were counted (the build's date)."""

    def row(territory: Territory | None) -> dict:
        out = {f.key: f.count for f in figures(archive, territory)}
        return {"territorio": territory.slug, "territorio_nome": territory.name, **out} if territory else out

    data = {
        "aggiornato_al": archive.today.isoformat(),  # not "data": Frictionless would read that key as the rows
        "territori": [row(t) for t in archive.territories],
        "totale": row(None),
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
