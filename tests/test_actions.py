"""Actions, appointments, calendars, the portinerie's services, possible teams and a territory in numbers."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
from conftest import need_md, org_md, person_md, read, site_files_text, story_md, territory_md, tree_digest

from portale.content.model import Need, Offer, Person, Skill, Territory
from portale.pages import teams

TODAY = "2026-12-03"
ROME = dt.timezone(dt.timedelta(hours=1))  # CET: every date the tests look at in winter

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
    "      email: portineria@example.org\n",
    "      email: portineria@example.org\n"
    "    servizi:\n"
    "      - tipo: spid\n"
    "        orari: martedì 10–12\n"
    "        con: ciclofficina\n"
    "      - tipo: doposcuola\n"
    "        nome: Compiti insieme\n"
    "        orari: lunedì 15–17\n"
    "        con: Patronato ACLI\n",
)


def action_md(extra: str, title: str = "Cucito al mercato", stato: str = "in-corso", body: str = "Come è nata.") -> str:
    return f"---\ntitolo: {title}\ndata: 2026-09-15\nstato: {stato}\n{extra}---\n{body}\n"


WEEKLY = """\
bisogni: [biciclette]
partecipanti:
  - chi: anna-rossi
    sapere: cucina-etnica
    ruolo: cucina per tutti
  - chi: dora/marco
    sapere: riparazione-biciclette
partner: [ciclofficina, "Circoscrizione 7"]
appuntamenti:
  - inizio: 2026-10-06 17:00
    fine: "19:00"
    luogo: Portineria, via Esempio 1
    ripeti: {ogni: settimana, fino: 2028-06-27}
  - inizio: 2027-05-01
    luogo: Giardini di via Como
tag: [cucina]
"""

ACTION_FILES = {
    "content/servizi.yml": SERVIZI,
    "content/aurora/territorio.md": AURORA_WITH_SERVICES,
    "content/aurora/azioni/cucito.md": action_md(WEEKLY),
    "content/dora/persone/marco.md": person_md("Marco Bellone", "[riparazione-biciclette, panificazione]"),
    "content/aurora/storie/il-primo-martedi.md": story_md("Il primo martedì", extra="azione: cucito\n"),
}


@pytest.fixture
def action_site(make_site):
    return make_site(ACTION_FILES)


def build(run, root: Path, *extra: str, today: str = TODAY) -> tuple[int, str]:
    return run(["build", "--oggi", today, *extra], root)


def built(run, root: Path, *extra: str, today: str = TODAY) -> Path:
    code, out = build(run, root, *extra, today=today)
    assert code == 0, out
    return root / "site"


def calendar_of(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def starts(path: Path, since: dt.date, before: dt.date) -> list[dt.datetime | dt.date]:
    """What a calendar client shows between two days: the events expanded by recurring-ical-events."""
    events = recurring_ical_events.of(calendar_of(path)).between(since, before)
    return sorted((e["DTSTART"].dt for e in events), key=lambda d: (str(type(d)), d))


# --- validation ----------------------------------------------------------------------------------


def appointment(lines: str) -> str:
    return action_md("appuntamenti:\n" + lines)


BAD_ACTIONS = {
    "end before start": (
        appointment("  - inizio: 2026-10-06 17:00\n    fine: 2026-10-06 16:00\n"),
        7,
        "finisce",
        "fine-prima-inizio",
    ),
    "time with a dot": (appointment("  - inizio: 2026-10-06 17.00\n"), 6, "HH:MM", "orario"),
    "hour 25": (appointment("  - inizio: 2026-10-06 25:00\n"), 6, "HH:MM", "orario"),
    "all-day start, timed end": (
        appointment("  - inizio: 2026-10-06\n    fine: 2026-10-06 18:00\n"),
        7,
        "tutto il giorno",
        "orario",
    ),
    "repetition without fino": (
        appointment("  - inizio: 2026-10-06 17:00\n    ripeti: {ogni: settimana}\n"),
        7,
        "fino",
        "ripeti-senza-fino",
    ),
    "repetition over two years": (
        appointment("  - inizio: 2026-10-06 17:00\n    ripeti: {ogni: mese, fino: 2028-10-07}\n"),
        7,
        "2 anni",
        "ripeti-troppo-lunga",
    ),
    "two appointments at once": (
        appointment("  - inizio: 2026-10-06 17:00\n  - inizio: 2026-10-06 17:00\n"),
        7,
        "riga 6",
        "appuntamento-doppio",
    ),
    "unknown need": (action_md("bisogni: [bicilette]\n"), 5, 'forse "biciclette"', "bisogno-sconosciuto"),
    "unknown person": (
        action_md("partecipanti:\n  - chi: anna-rosi\n    sapere: cucina-etnica\n"),
        6,
        'forse "anna-rossi"',
        "persona-sconosciuta",
    ),
    "unknown sapere": (
        action_md("partecipanti:\n  - chi: anna-rossi\n    sapere: cucina-etnika\n"),
        7,
        'forse "cucina-etnica"',
        "sapere-sconosciuto",
    ),
    "unknown partner": (action_md("partner: [ciclofficna]\n"), 5, 'forse "ciclofficina"', "organizzazione-sconosciuta"),
    "a person as partner": (action_md("partner: [anna-rossi]\n"), 5, "è una persona", "organizzazione-sconosciuta"),
}


@pytest.mark.parametrize("case", list(BAD_ACTIONS), ids=list(BAD_ACTIONS))
def test_a_wrong_action_stops_the_build_at_its_line_and_keeps_the_site(make_site, run, case):
    root = make_site(ACTION_FILES)
    before = tree_digest(built(run, root))
    text, line, words, code = BAD_ACTIONS[case]
    root = make_site({**ACTION_FILES, "content/aurora/azioni/nuova.md": text})
    status, out = build(run, root)
    assert status == 1, out
    assert f"content/aurora/azioni/nuova.md:{line}: " in out, out
    assert words in out and f"#{code}" in out, out
    assert tree_digest(root / "site") == before


def test_a_story_naming_an_unknown_action_and_a_service_of_an_unknown_kind_are_errors(make_site, run):
    root = make_site(
        {
            **ACTION_FILES,
            "content/aurora/storie/il-primo-martedi.md": story_md("Il primo martedì", extra="azione: cucitto\n"),
            "content/aurora/territorio.md": AURORA_WITH_SERVICES.replace("tipo: spid", "tipo: identita-digitale"),
        }
    )
    code, out = build(run, root)
    assert code == 1
    assert 'content/aurora/storie/il-primo-martedi.md:5: azione sconosciuta "cucitto" — forse "cucito"?' in out
    assert 'content/aurora/territorio.md:14: tipo di servizio sconosciuto "identita-digitale" — forse "spid"?' in out
    assert not (root / "site").exists()


def test_a_participant_bringing_a_sapere_they_do_not_offer_is_a_warning(make_site, run):
    text = action_md("partecipanti:\n  - chi: anna-rossi\n    sapere: sartoria\n")
    root = make_site({**ACTION_FILES, "content/aurora/azioni/nuova.md": text})
    code, out = build(run, root)
    assert code == 0, out
    assert 'content/aurora/azioni/nuova.md:7: avviso: Anna Rossi non offre il sapere "sartoria"' in out
    assert "cucina-etnica" in out  # what she does offer
    page = read(root, "site/aurora/azioni/nuova/index.html")
    assert "Sartoria" in page and "saperi/sartoria/" not in page  # named, not linked to a page that may not exist


# --- pages ---------------------------------------------------------------------------------------


def test_an_action_page_shows_who_brings_what_its_needs_dates_and_stories(action_site, run):
    site = built(run, action_site)
    html = read(action_site, "site/aurora/azioni/cucito/index.html")
    assert (
        '<a href="../../persone/anna-rossi/">Anna Rossi</a>: <a href="../../saperi/cucina-etnica/">Cucina etnica</a> — cucina per tutti'
        in html
    )
    assert "Marco Bellone</a> (Dora)" in html  # a participant from another territory
    assert "Ciclofficina Aurora</a>, Circoscrizione 7." in html  # an organisation's page and a plain name
    assert '<a href="../../bisogni/biciclette/">Biciclette per i ragazzi</a>' in html
    assert "ogni martedì, 17:00–19:00, dal 6 ottobre 2026 al 27 giugno 2028" in html
    upcoming = html[html.index("Gli incontri in arrivo") : html.index("Già fatti")]
    assert "martedì 8 dicembre 2026, 17:00–19:00" in upcoming and "1 dicembre 2026" not in upcoming
    past = html[html.index("Già fatti") :]
    assert "martedì 1 dicembre 2026" in past  # before --oggi: on the action's page only
    assert "Il primo martedì" in html  # the story that tells it
    assert 'href="calendario.ics"' in html and (site / "aurora/azioni/cucito/calendario.ics").is_file()
    story = read(action_site, "site/aurora/storie/il-primo-martedi/index.html")
    assert 'Racconta l’azione <a href="../../azioni/cucito/">Cucito al mercato</a>' in story
    for person in ("site/aurora/persone/anna-rossi/index.html", "site/aurora/persone/ciclofficina/index.html"):
        assert "Le azioni a cui partecipa" in read(action_site, person) and "Cucito al mercato" in read(
            action_site, person
        )
    need = read(action_site, "site/aurora/bisogni/biciclette/index.html")
    assert "Le azioni per questo bisogno" in need and "In corso" in need


def test_the_agenda_shows_twelve_months_from_the_build_date_grouped_by_month(action_site, run):
    built(run, action_site)
    html = read(action_site, "site/aurora/agenda/index.html")
    months = re.findall(r'<h2 id="mese-\d+">([^<]+)</h2>', html)
    assert months[0] == "Dicembre 2026" and months[-1] == "Novembre 2027" and len(months) == 12
    days = re.findall(r'<time datetime="([0-9T:-]+)">', html)
    assert days[0] == "2026-12-08T17:00"  # 1 December is before --oggi 3 December
    assert days[-1] == "2027-11-30T17:00"  # the last Tuesday before 3 December 2027
    assert "2027-05-01" in days  # the all-day appointment, between the Tuesdays
    assert len(days) == 52 + 1
    assert html.count("Aggiungi al calendario") == len(days)
    later = built(run, action_site, today="2028-06-01")
    assert len(re.findall(r"<time datetime=", read(action_site, "site/aurora/agenda/index.html"))) == 4  # until 27 June
    network = (later / "agenda/index.html").read_text(encoding="utf-8")
    assert "Cucito al mercato" in network and "Aurora" in network


def test_a_concluded_action_meets_its_need_even_when_the_need_was_left_open(make_site, run):
    root = make_site({**ACTION_FILES, "content/aurora/azioni/cucito.md": action_md(WEEKLY, stato="conclusa")})
    built(run, root)
    need = read(root, "site/aurora/bisogni/biciclette/index.html")
    assert "Risolto con Cucito al mercato" in need
    assert 'risolto con l’azione <a href="../../azioni/cucito/">Cucito al mercato</a>' in need
    assert "Chi può aiutare" not in need
    listing = read(root, "site/aurora/bisogni/index.html")
    assert listing.index('id="risolti"') < listing.index("Biciclette per i ragazzi")
    assert "Biciclette per i ragazzi" not in read(root, "site/bisogni/index.html")  # not open anywhere
    numbers = json.loads(read(root, "site/dati/numeri.json"))
    aurora = numbers["territori"][0]
    assert (aurora["bisogni_aperti"], aurora["bisogni_risolti"], aurora["azioni_in_corso"]) == (0, 1, 0)


def test_services_are_listed_per_portineria_and_per_kind_across_the_network(action_site, run):
    built(run, action_site)
    own = read(action_site, "site/aurora/servizi/index.html")
    assert (
        '<h3 data-pagefind-index-attrs="data-sinonimi" data-sinonimi="identità digitale, CIE">SPID e identità digitale</h3>'
        in own
    )
    assert "martedì 10–12" in own and '<a href="../persone/ciclofficina/">Ciclofficina Aurora</a>' in own
    assert "Compiti insieme" in own and "Patronato ACLI" in own
    assert '<span data-pagefind-filter="tipo">servizio</span>' in own and "data-pagefind-body" in own
    spid = read(action_site, "site/servizi/spid/index.html")
    assert "Portineria di comunità Aurora" in spid and "martedì 10–12" in spid and "011 000 0001" in spid
    assert '<a href="../../aurora/servizi/#spid">' in spid
    home = read(action_site, "site/aurora/index.html")
    assert '<a href="servizi/#spid">SPID e identità digitale</a>' in home
    assert "Aiuto compiti" in read(action_site, "site/servizi/index.html")


def test_a_search_for_a_service_finds_the_portineria_with_the_service_filter(action_site, run, serve_dir, page):
    site = built(run, action_site)
    page.goto(serve_dir(site) + "aurora/cerca/")
    found = page.evaluate(
        """async () => {
            const pagefind = await import('/aurora/pagefind/pagefind.js');
            const search = await pagefind.search('CIE', {filters: {tipo: 'servizio'}});
            return Promise.all(search.results.map(async r => (await r.data()).url));
        }"""
    )
    assert found == ["/aurora/servizi/"]


# --- calendars -----------------------------------------------------------------------------------


def test_calendars_are_read_back_and_expanded_as_a_calendar_client_does(action_site, run):
    site = built(run, action_site)
    cal = calendar_of(site / "aurora/agenda.ics")
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Rome"]
    weekly = next(e for e in cal.walk("VEVENT") if "RRULE" in e)
    assert weekly["DTSTART"].params["TZID"] == "Europe/Rome"
    assert weekly["DTSTART"].dt == dt.datetime(2026, 10, 6, 17, 0, tzinfo=weekly["DTSTART"].dt.tzinfo)
    assert weekly["UID"] == "aurora-cucito-20261006T1700@saperi.example.org"
    assert str(weekly["LOCATION"]) == "Portineria, via Esempio 1"
    assert "Anna Rossi (Cucina etnica)" in str(weekly["DESCRIPTION"])
    seen = starts(site / "aurora/agenda.ics", dt.date(2026, 12, 3), dt.date(2027, 12, 3))
    agenda = re.findall(r'<time datetime="([0-9T:-]+)">', read(action_site, "site/aurora/agenda/index.html"))
    shown = [d.strftime("%Y-%m-%dT%H:%M") if isinstance(d, dt.datetime) else d.isoformat() for d in seen]
    assert sorted(shown) == sorted(agenda)  # the page and a calendar client agree, day by day
    last = starts(site / "aurora/agenda.ics", dt.date(2028, 6, 20), dt.date(2028, 7, 20))
    assert [d.date() for d in last] == [dt.date(2028, 6, 20), dt.date(2028, 6, 27)]  # `fino` is the last day
    summer = starts(site / "aurora/agenda.ics", dt.date(2027, 7, 6), dt.date(2027, 7, 7))
    assert summer[0].utcoffset() == dt.timedelta(hours=2)  # 17:00 in Rome in July is CEST
    all_day = next(e for e in cal.walk("VEVENT") if "RRULE" not in e)
    assert all_day["DTSTART"].dt == dt.date(2027, 5, 1) and all_day["DTEND"].dt == dt.date(2027, 5, 2)
    assert (site / "agenda.ics").read_bytes() == (site / "dati/agenda.ics").read_bytes()
    assert len(calendar_of(site / "agenda.ics").walk("VEVENT")) == 2


def test_a_monthly_repetition_from_the_31st_skips_the_short_months_on_the_page_and_in_the_calendar(make_site, run):
    text = appointment("  - inizio: 2027-01-31 10:00\n    ripeti: {ogni: mese, fino: 2027-08-31}\n")
    root = make_site({**ACTION_FILES, "content/aurora/azioni/cucito.md": text})
    site = built(run, root)
    seen = starts(site / "aurora/azioni/cucito/calendario.ics", dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert [d.month for d in seen] == [1, 3, 5, 7, 8]
    agenda = re.findall(r'<time datetime="([0-9-]+)T10:00">', read(root, "site/aurora/agenda/index.html"))
    assert [int(d[5:7]) for d in agenda] == [1, 3, 5, 7, 8]


def test_text_that_looks_like_ical_cannot_add_a_property(make_site, run):
    text = action_md(
        'sommario: "Prima riga\\nDTSTART:19990101T000000"\nappuntamenti:\n'
        '  - inizio: 2027-01-12 17:00\n    luogo: "Via Roma 1, scala B; citofono\\nX-EVIL: 1"\n',
        title='"Cena; musica, e balli"',
    )
    root = make_site({**ACTION_FILES, "content/aurora/azioni/cucito.md": text})
    site = built(run, root)
    raw = (site / "aurora/azioni/cucito/calendario.ics").read_text(encoding="utf-8")
    assert "\nX-EVIL" not in raw and "\nDTSTART:1999" not in raw
    (event,) = calendar_of(site / "aurora/azioni/cucito/calendario.ics").walk("VEVENT")
    assert str(event["SUMMARY"]) == "Cena; musica, e balli"
    assert str(event["LOCATION"]) == "Via Roma 1, scala B; citofono\nX-EVIL: 1"
    assert "X-EVIL" not in event and event["DTSTART"].dt.year == 2027


def test_two_builds_write_the_same_calendars_whatever_the_clock(action_site, run):
    site = built(run, action_site)
    first = {
        p: (site / p).read_bytes() for p in ("agenda.ics", "aurora/agenda.ics", "aurora/azioni/cucito/calendario.ics")
    }
    stamps = re.findall(r"DTSTAMP:(\S+)", first["agenda.ics"].decode())
    assert set(stamps) == {"20260915T000000Z"}  # the action's date, not the build's time
    import shutil

    shutil.rmtree(site)
    shutil.rmtree(action_site / ".cache")
    site = built(run, action_site, today="2027-02-01")
    assert {p: (site / p).read_bytes() for p in first} == first


# --- the possible team ---------------------------------------------------------------------------


def test_a_need_asking_for_several_saperi_shows_the_smallest_nearest_team(make_site, run):
    files = {
        **ACTION_FILES,
        "content/aurora/bisogni/cena.md": need_md("Cena in cortile", "[cucina-etnica, panificazione, sartoria]"),
        "content/aurora/persone/lia.md": person_md("Lia", "[sartoria]"),
        "content/aurora/persone/sarte.md": org_md("Sarte unite", "[sartoria, panificazione]"),
    }
    root = make_site(files)
    built(run, root)
    html = read(root, "site/aurora/bisogni/cena/index.html")
    team = html[html.index("Una squadra possibile") : html.index("</section>", html.index("Una squadra possibile"))]
    # Anna (cucina etnica) and the organisation (sartoria and panificazione): two members, both in Aurora,
    # rather than Lia and Marco from Dora
    assert re.findall(r">([^<]+)</a>[^<]*: ([^<]+)</li>", team) == [
        ("Sarte unite", ", organizzazione: Sartoria, Panificazione"),
        ("Anna Rossi", "Cucina etnica"),
    ] or ("Sarte unite" in team and "Anna Rossi" in team and "Lia" not in team and "Marco" not in team)
    assert "Manca ancora" not in team


def test_a_team_that_cannot_cover_everything_says_what_is_missing(make_site, run):
    root = make_site(
        {
            **ACTION_FILES,
            "content/saperi.yml": read_base_saperi() + "      - slug: apicoltura\n        nome: Apicoltura\n",
            "content/aurora/bisogni/arnie.md": need_md("Arnie nel cortile", "[apicoltura, riparazione-biciclette]"),
        }
    )
    built(run, root)
    html = read(root, "site/aurora/bisogni/arnie/index.html")
    assert 'Manca ancora:</strong> <a href="https://saperi.example.org/saperi/apicoltura/">Apicoltura</a>' in html
    assert "Ciclofficina Aurora" in html[html.index("Una squadra possibile") :]
    network = read(root, "site/bisogni/index.html")
    missing = network[network.index("Che cosa manca ancora") :]
    assert "Apicoltura" in missing and "Arnie nel cortile" in missing


def read_base_saperi() -> str:
    from conftest import SAPERI

    return SAPERI


def _territories(count: int) -> list[Territory]:
    return [
        Territory(f"t{i}", f"Territorio {i}", "Torino", "quartiere", "", (45.0 + i * 0.05, 7.6), [], "")
        for i in range(count)
    ]


def _brute_force(need: Need, territories: list[Territory]) -> tuple:
    """Every subset of the candidates: the best covering team by the rule the need page states."""
    from portale.pages.matching import by_distance

    rank = {t.slug: i for i, (t, _) in enumerate(by_distance(need.territory, territories))}
    people = list({id(o.person): o.person for s in need.skills for o in s.offers}.values())
    asked = {s.slug for s in need.skills}
    offered = {id(p): {o.skill.slug for o in p.offers} & asked for p in people}
    reachable = set().union(*offered.values()) if people else set()
    best = None
    for size in range(1, len(people) + 1):
        for team in itertools.combinations(people, size):
            if set().union(*(offered[id(p)] for p in team)) >= reachable:
                ranks = [rank[p.territory.slug] for p in team]
                key = (
                    size,
                    max(ranks),
                    sum(p.kind == "persona" for p in team),
                    sum(ranks),
                    tuple(sorted((p.name.casefold(), p.territory.slug, p.slug) for p in team)),
                )
                best = key if best is None or key < best else best
        if best is not None:
            return best
    return ()


@pytest.mark.parametrize("seed", range(60))
def test_the_team_is_the_best_of_every_possible_team(seed):
    rng = random.Random(seed)
    territories = _territories(rng.randint(1, 4))
    skills = [Skill(f"s{i}", f"Sapere {i}", "", [], None) for i in range(rng.randint(2, 5))]
    for n in range(rng.randint(1, 9)):
        kind = rng.choice(["persona", "organizzazione"])
        person = Person(rng.choice(territories), f"p{n}", rng.choice("ABCD") + str(n), kind, "", "", "", "", False, "")
        for skill in rng.sample(skills, rng.randint(1, min(3, len(skills)))):
            offer = Offer(person, skill, "")
            person.offers.append(offer)
            skill.offers.append(offer)
    asked = rng.sample(skills, rng.randint(2, len(skills)))
    need = Need(rng.choice(territories), "n", "Bisogno", dt.date(2026, 1, 1), asked, "aperto", None, "", "", False, "")
    team = teams.possible_team(need, territories)
    chosen = [m.person for m in team.members]
    expected = _brute_force(need, territories)
    from portale.pages.matching import by_distance

    rank = {t.slug: i for i, (t, _) in enumerate(by_distance(need.territory, territories))}
    assert (teams.team_key(chosen, rank) if chosen else ()) == expected
    covered = {s.slug for m in team.members for s in m.skills}
    assert covered | {s.slug for s in team.missing} == {s.slug for s in asked}
    assert all(not s.offers for s in team.missing)


# --- numbers -------------------------------------------------------------------------------------


def test_the_numbers_match_a_count_by_hand_and_link_to_their_lists(make_site, run):
    files = {
        **ACTION_FILES,
        "content/aurora/bisogni/chiuso.md": need_md("Un bisogno chiuso", "[sartoria]", extra="stato: chiuso\n"),
        "content/aurora/bisogni/scaduto.md": need_md("Scaduto", "[sartoria]", extra="scadenza: 2026-10-01\n"),
        "content/aurora/azioni/fatta.md": action_md("bisogni: [chiuso]\n", title="Fatta", stato="conclusa"),
        "content/aurora/storie/bozza.md": story_md("Una bozza", extra="bozza: true\n"),
        "content/aurora/azioni/proposta.md": action_md(
            "appuntamenti:\n  - inizio: 2026-12-20\n", title="Una proposta", stato="proposta"
        ),
    }
    root = make_site(files)
    built(run, root)
    numbers = json.loads(read(root, "site/dati/numeri.json"))
    aurora = next(t for t in numbers["territori"] if t["territorio"] == "aurora")
    # by hand: 2 published stories (la-festa, il-primo-martedi), Anna and the ciclofficina, 2 saperi offered,
    # 1 open need (biciclette), 1 met by the concluded action, 1 past its deadline (neither), 1 action in corso; Tuesdays 8, 15, 22, 29 December and the 20th
    assert aurora == {
        "territorio": "aurora",
        "territorio_nome": "Aurora",
        "storie": 2,
        "persone": 2,
        "saperi": 2,
        "bisogni_aperti": 1,
        "bisogni_risolti": 1,
        "azioni_in_corso": 1,
        "appuntamenti_30_giorni": 5,
    }
    assert numbers["totale"]["storie"] == 3 and numbers["totale"]["persone"] == 3 and numbers["totale"]["saperi"] == 3
    assert numbers["aggiornato_al"] == TODAY
    home = read(root, "site/aurora/index.html")
    section = home[home.index("Aurora in numeri") :]
    assert '<a href="storie/"><strong>2</strong> storie raccolte</a>' in section
    assert '<a href="bisogni/#risolti"><strong>1</strong> bisogni risolti</a>' in section
    assert '<a href="agenda/"><strong>5</strong> appuntamenti entro 30 giorni</a>' in section
    network = read(root, "site/index.html")
    assert '<a href="azioni/"><strong>1</strong> azioni in corso</a>' in network


# --- drafts, consent, open data ------------------------------------------------------------------


def test_a_draft_action_is_absent_from_every_output(make_site, run):
    draft = action_md(WEEKLY.replace("tag: [cucina]", "tag: [cucina]\nbozza: true"), title="Segretissima")
    root = make_site({**ACTION_FILES, "content/aurora/azioni/cucito.md": draft})
    site = built(run, root)
    found = [path for path, text in site_files_text(site).items() if "Segretissima" in text or "azioni/cucito" in text]
    assert found == []
    assert len(calendar_of(site / "agenda.ics").walk("VEVENT")) == 0
    preview = built(run, root, "--bozze")
    assert "Segretissima" in (preview / "aurora/azioni/cucito/index.html").read_text(encoding="utf-8")
    assert "Segretissima" not in (preview / "dati/azioni.json").read_text(encoding="utf-8")
    assert "Segretissima" not in (preview / "agenda.ics").read_text(encoding="utf-8")


def test_revoked_consent_removes_the_person_from_actions_calendars_and_open_data(make_site, run):
    revoked = person_md("Anna Rossi", "[cucina-etnica]").replace("ambito: [web]", "ambito: [web], revocato: 2026-11-01")
    root = make_site({**ACTION_FILES, "content/aurora/persone/anna-rossi.md": revoked})
    code, out = build(run, root)
    assert code == 0, out
    assert 'content/aurora/azioni/cucito.md:7: avviso: la persona "anna-rossi" non è pubblicata' in out
    site = root / "site"
    leaks = [path for path, text in site_files_text(site).items() if "Anna" in text or "anna-rossi" in text]
    assert leaks == []
    html = (site / "aurora/azioni/cucito/index.html").read_text(encoding="utf-8")
    assert "<li>una persona della comunità: Cucina etnica — cucina per tutti</li>" in html
    (action,) = json.loads((site / "dati/azioni.json").read_text(encoding="utf-8"))
    assert action["partecipanti"] == [{"chi": "Marco Bellone", "sapere": "riparazione-biciclette"}]


def test_open_data_lists_actions_and_validates_as_a_frictionless_package(action_site, run):
    site = built(run, action_site)
    (action,) = json.loads((site / "dati/azioni.json").read_text(encoding="utf-8"))
    assert action["stato"] == "in-corso" and action["territorio"] == "aurora"
    assert action["bisogni"] == ["https://saperi.example.org/aurora/bisogni/biciclette/"]
    assert action["appuntamenti"][0] == {
        "inizio": "2026-10-06T17:00",
        "fine": "2026-10-06T19:00",
        "luogo": "Portineria, via Esempio 1",
        "ripeti": {"ogni": "settimana", "fino": "2028-06-27"},
    }
    assert "Come è nata" not in json.dumps(action)  # never a body
    package = json.loads((site / "dati/datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in package["resources"]}
    on_disk = {p.name for p in (site / "dati").iterdir() if p.is_file() and p.suffix != ".html"}
    assert described == on_disk - {"datapackage.json"}
    result = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
        cwd=site / "dati",
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)
    assert report["valid"], result.stdout[:3000]
    (site / "dati/saperi.csv").write_text("sapere,sapere_nome\nuno\n", encoding="utf-8")  # the check can fail
    spoiled = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
        cwd=site / "dati",
        capture_output=True,
        text=True,
    )
    assert not json.loads(spoiled.stdout)["valid"]
