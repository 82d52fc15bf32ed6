"""privacy.Sieve, the fast pre-check before the full-name patterns: it may let through a text without the name,
never hold back one with it (a hidden name must always be replaced)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from portale.content import privacy

NAMES = [
    "Anna Rossi",
    "Nicolò D'Amico",
    "Žofie Dvořák",
    "Σοφία Παπαδοπούλου",
    "Ayşe Yılmaz",
    "Jean-Luc Muß",
    "İbrahim Işık",
]


def shield_of(name: str):
    data = {"nome": name, "tipo": "persona", "visibilita": "solo-nome", "consenso": {"data": dt.date(2025, 1, 1)}}
    source = SimpleNamespace(kind="persona", data=data, territory="aurora", slug="x", rel="content/aurora/persone/x.md")
    sources = SimpleNamespace(files=[source])
    return privacy.shields(sources, dt.date(2026, 1, 1))[0]


SHIELDS = [shield_of(n) for n in NAMES]
SIEVE = privacy.Sieve(SHIELDS)


def variants(name: str):
    def one(char: str):
        options = [char, char.lower(), char.upper(), privacy.fold(char), privacy.fold(char).upper()]
        return st.sampled_from([o for o in options if len(o) == 1] or [char])

    return st.tuples(*[one(c) for c in name]).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(range(len(NAMES))).flatmap(lambda i: st.tuples(st.just(i), variants(NAMES[i]))),
    st.text(max_size=20),
    st.text(max_size=20),
)
def test_a_text_holding_a_full_name_is_always_a_suspect(pair, before, after):
    index, spelled = pair
    text = f"{before} {spelled.replace(' ', chr(160))} {after}"
    shield = SHIELDS[index]
    if shield.full_name.search(text):
        assert id(shield) in SIEVE.suspects([text])


def test_texts_without_the_name_are_not_suspects():
    assert SIEVE.suspects(["Una storia di cortile, senza nomi."]) == set()
    assert SIEVE.suspects(["La signora ROSSI è arrivata"]) == {id(SHIELDS[0])}
