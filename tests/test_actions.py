"""Actions, appointments, calendars, the portinerie's services, possible teams and a territory in numbers."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from pathlib import Path

import pytest
from conftest import BASE_FILES, need_md, org_md, person_md, read, story_md, territory_md, tree_digest

TODAY = "2026-12-03"

SERVIZI = """\
servizi:
  - tipo: spid
    nome: SPID e identità digitale
    descrizione: Attivare e usare SPID.
    sinonimi: [identità digitale, CIE]
  - tipo: doposcuola
    nome: Aiuto compiti
    sinonimi: [compiti]
"""

AURORA_WITH_SERVICES = territory_md("Aurora").replace(
    '      email: portineria@example.org\n',
    '      email: portineria@example.org\n'
    "    servizi:\n"
    "      - tipo: spid\n"
    "        orari: martedì 10–12\n"
    "        con: ciclofficina\n"
    "      - tipo: doposcuola\n"
    "        nome: Compiti insieme\n"
    "        orari: lunedì 15–17\n"
    "        con: Patronato ACLI\n",
)


def action_md(title: str = "Cucito al mercato", extra: str = "", stato: str = "in-corso", body: str = "Come è nata.") -> str:
    return f"---\ntitolo: {title}\ndata: 2026-09-15\nstato: {stato}\n{extra}---\n{body}\n"


WEEKLY = """\
bisogni: [biciclette]
partecipanti:
  - chi: anna-rossi
    sapere: cucina-etnica
    ruolo: cucina per tutti
partner: [ciclofficina, "Circoscrizione 7"]
appuntamenti:
  - inizio: 2026-10-06 17:00
    fine: 19:00
    luogo: Portineria, via Esempio 1
    ripeti: {ogni: settimana, fino: 2028-06-27}
  - inizio: 2027-05-01
    luogo: Giardini di via Como
tag: [cucina]
"""

ACTION_FILES = {
    "content/servizi.yml": SERVIZI,
    "content/aurora/territorio.md": AURORA_WITH_SERVICES,
    "content/aurora/azioni/cucito.md": action_md(extra=WEEKLY),
}


@pytest.fixture
def action_site(make_site):
    return make_site(ACTION_FILES)


def build(run, root: Path, *extra: str) -> tuple[int, str]:
    return run(["build", "--oggi", TODAY, *extra], root)


def test_smoke(action_site, run):
    code, out = build(run, action_site)
    assert code == 0, out
