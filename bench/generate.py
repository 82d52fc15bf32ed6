"""Synthetic archives for the benchmark: N stories in our content format, and the same stories as a Hugo site.

Deterministic: the same (n, seed) always writes the same bytes. Stories are 300–900 words of Italian-like text
with headings, lists, links and emphasis, spread over the 8 territories of the network; some name people, the
people offer saperi from the generated `saperi.yml`, and every story, person and need has tags from the generated
dictionary `parole.yml` (the tags of TAGS, each with a few more specific words, associated words and synonyms).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from portale.content.slugs import slugify

TERRITORIES = {
    "porta-palazzo": ("Porta Palazzo", "Torino", 45.0775, 7.6845),
    "aurora": ("Aurora", "Torino", 45.0853, 7.6875),
    "dora": ("Dora", "Torino", 45.0889, 7.6712),
    "borgo-san-paolo": ("Borgo San Paolo", "Torino", 45.0655, 7.6425),
    "madonna-di-campagna": ("Madonna di Campagna", "Torino", 45.1055, 7.6755),
    "rivarolo": ("Rivarolo Canavese", "Rivarolo Canavese", 45.3311, 7.7208),
    "oulx": ("Oulx", "Oulx", 45.0325, 6.8339),
    "avigliana": ("Avigliana", "Avigliana", 45.0795, 7.3970),
}

WORDS = """
casa cortile quartiere portineria vicina vicino bambini ragazzi anziani signora signore famiglia mercato banco
pane forno cucina ricetta pranzo cena festa scuola maestra classe compiti biblioteca libro lettera quaderno
bicicletta officina attrezzi lavoro fabbrica fiume ponte piazza strada via tram autobus stazione giardino orto
pomodori basilico fiori albero parco panchina estate inverno primavera autunno mattina sera sabato domenica
lunedì giovedì settimana anno mese storia ricordo memoria racconto parola lingua dialetto canzone musica
chitarra fisarmonica teatro laboratorio incontro gruppo associazione cooperativa comitato volontari aiuto
sportello pratica modulo documento telefono computer tablet internet corso lezione sapere mestiere sarta
falegname idraulico elettricista cuoca fornaio infermiera medico farmacia ambulatorio chiesa moschea oratorio
campo calcio palestra cammino montagna valle lago collina neve sentiero rifugio baita paese comune città
quando dove perché come sempre ancora poi dopo prima insieme spesso qualche volta oggi ieri domani adesso
piccolo grande nuovo vecchio bello buono lungo breve caldo freddo aperto chiuso pieno vuoto lento veloce
arriva parte racconta insegna impara aiuta cucina ripara coltiva legge scrive canta ascolta guarda aspetta
porta prende lascia trova cerca chiede risponde ricorda dimentica apre chiude torna resta cammina lavora
con senza per tra dentro fuori sopra sotto verso lungo accanto davanti dietro oltre intorno
il la lo gli le un una del della dei delle nel nella al alla che e ma o anche non più molto poco tutto ogni
""".split()
HEADINGS = [
    "Come è cominciato",
    "Una mattina al mercato",
    "Il cortile",
    "Le voci del quartiere",
    "Cosa abbiamo imparato",
    "Un sapere da passare",
    "Le mani e gli attrezzi",
    "Dopo la scuola",
    "La festa",
    "Che cosa resta",
    "Gli incontri del giovedì",
    "Una ricetta",
    "Il laboratorio",
    "Lungo il fiume",
    "In portineria",
]
TAGS = [
    "cucina",
    "memoria",
    "anziani",
    "bambini",
    "scuola",
    "lavoro",
    "orti",
    "biciclette",
    "musica",
    "festa",
    "mercato",
    "lingue",
    "digitale",
    "salute",
    "sport",
    "montagna",
    "casa",
    "migrazioni",
    "artigianato",
    "ambiente",
    "lettura",
    "teatro",
    "volontariato",
    "quartiere",
    "fotografia",
    "cammino",
    "riparazioni",
    "sartoria",
    "pane",
    "donne",
]
FIRST = [
    "Anna",
    "Marco",
    "Giulia",
    "Luca",
    "Fatima",
    "Amina",
    "Chen",
    "Ioana",
    "Samuel",
    "Rosa",
    "Franco",
    "Luciana",
    "Davide",
    "Giuseppe",
    "Maria",
    "Paolo",
    "Elena",
    "Ahmed",
    "Olga",
    "Teresa",
    "Bruno",
    "Sara",
    "Yusuf",
    "Irene",
]
LAST = [
    "Rossi",
    "Bianchi",
    "Gallo",
    "Mulas",
    "Bellone",
    "Diallo",
    "El Amrani",
    "Okafor",
    "Gili",
    "Ferrero",
    "Bertola",
    "Costa",
    "Russo",
    "Popescu",
    "Wei",
    "Lentini",
    "Martin",
    "Conti",
    "Greco",
    "Esposito",
    "Romano",
    "Marino",
]
ORGS = ["Associazione", "Cooperativa", "Comitato", "Circolo", "Gruppo", "Scuola", "Bottega", "Ciclofficina"]
SKILL_CATEGORIES = ["cucina", "riparazioni", "lingue", "digitale", "cura", "orti", "arti", "pratiche"]
CATEGORIES = ["terzo-settore", "scuola", "commercio", "impresa", "abitanti", "istituzione"]


@dataclass
class Generated:
    """What the benchmark needs to know about a generated archive."""

    stories: list[str] = field(default_factory=list)  # content-relative paths
    translations: list[str] = field(default_factory=list)  # content-relative paths of the stories' translations
    people: list[str] = field(default_factory=list)
    mentions: dict[str, int] = field(default_factory=dict)  # person path -> number of stories naming them

    @property
    def most_named_person(self) -> str:
        return max(sorted(self.mentions), key=lambda p: self.mentions[p])


def _sentence(rng: random.Random, low: int = 8, high: int = 20) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    if len(words) > 8 and rng.random() < 0.5:
        words[rng.randint(3, len(words) - 3)] += ","
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?", "!"])


def _paragraph(rng: random.Random, words_left: int) -> tuple[str, int]:
    sentences = [_sentence(rng) for _ in range(rng.randint(3, 7))]
    if rng.random() < 0.3:
        a = rng.choice(WORDS)
        sentences.insert(
            rng.randint(0, len(sentences)),
            f"Vedi [{a} e {rng.choice(WORDS)}](https://www.example.org/{a}) per saperne di più.",
        )
    if rng.random() < 0.3:
        i = rng.randrange(len(sentences))
        sentences[i] = sentences[i].replace(" ", " **", 1).rstrip(".?!") + "**."
    text = " ".join(sentences)
    return text, len(text.split())


def story_body(rng: random.Random) -> str:
    target = rng.randint(300, 900)
    blocks: list[str] = []
    count = 0
    while count < target:
        roll = rng.random()
        if roll < 0.12 and blocks:
            blocks.append("## " + rng.choice(HEADINGS))
            count += 3
        elif roll < 0.2:
            items = [_sentence(rng, 3, 9).rstrip(".?!") for _ in range(rng.randint(3, 5))]
            blocks.append("\n".join(("- " if rng.random() < 0.7 else "1. ") + item for item in items))
            count += sum(len(i.split()) for i in items)
        elif roll < 0.24:
            text = _sentence(rng)
            blocks.append(f"> «{text}»")
            count += len(text.split())
        else:
            text, n = _paragraph(rng, target - count)
            blocks.append(text)
            count += n
    return "\n\n".join(blocks) + "\n"


def _title(rng: random.Random) -> str:
    text = " ".join(rng.choices(WORDS, k=rng.randint(3, 7)))
    return text[0].upper() + text[1:]


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


NARROWER_PER_TAG = 3  # the dictionary: the 30 tags and 90 more specific words, 120 entries


def parole_yml(rng: random.Random) -> tuple[str, list[str]]:
    """The generated dictionary and the forms a tag may use (headwords and synonyms). Each tag of TAGS gets more
    specific words drawn from WORDS and two associated tags; one entry in three has a synonym."""
    nouns = [w for w in dict.fromkeys(WORDS) if len(w) > 4 and w.isascii() and w not in TAGS]
    rng.shuffle(nouns)
    entries: dict[str, dict] = {tag: {"specifiche": [], "correlate": []} for tag in TAGS}
    for i, tag in enumerate(TAGS):
        for word in nouns[i * NARROWER_PER_TAG : (i + 1) * NARROWER_PER_TAG]:
            entries[tag]["specifiche"].append(word)
            entries[word] = {"specifiche": [], "correlate": []}
        entries[tag]["correlate"] = rng.sample([t for t in TAGS[i + 1 :]], min(2, len(TAGS) - i - 1))
    forms, lines = [], ["# Dizionario generato dal benchmark.", "parole:"]
    for word, relations in entries.items():
        lines.append(f"  - parola: {word.capitalize()}")
        forms.append(word)
        if rng.random() < 0.33:
            lines.append(f"    sinonimi: [{word} di quartiere]")
            forms.append(f"{word} di quartiere")
        for key in ("specifiche", "correlate"):
            if relations[key]:
                lines.append(f"    {key}: [{', '.join(relations[key])}]")
    return "\n".join(lines) + "\n", forms


def saperi_yml() -> tuple[str, list[str]]:
    lines = ["# Vocabolario generato dal benchmark.", "categorie:"]
    slugs = []
    for category in SKILL_CATEGORIES:
        lines += [f"  - slug: {category}", f"    nome: {category.capitalize()}", "    saperi:"]
        for i in range(5):
            slug = f"{category}-{i + 1}"
            slugs.append(slug)
            lines += [
                f"      - slug: {slug}",
                f"        nome: {category.capitalize()} {i + 1}",
                f"        descrizione: Il sapere {category} numero {i + 1}.",
                f"        sinonimi: [{category} {i + 1}]",
                f"        parole: [{TAGS[(len(slugs) * 7) % len(TAGS)]}]",
            ]
    return "\n".join(lines) + "\n", slugs


PORTALE = """\
titolo: Portale dei Saperi
sottotitolo: Rete delle Portinerie di comunità
descrizione: Un archivio generato per il benchmark.
base_url: https://saperi.example.org/
lingua: it
"""


def territory_md(slug: str, rng: random.Random) -> str:
    name, comune, lat, lon = TERRITORIES[slug]
    return f"""---
nome: {name}
comune: {comune}
tipo: {"quartiere" if comune == "Torino" else "comune"}
coordinate: {{lat: {lat}, lon: {lon}}}
portinerie:
  - nome: Portineria di comunità {name}
    indirizzo: Via Esempio 1, {comune}
    orari: lunedì–venerdì 9–13
    contatti:
      telefono: "011 000 0001"
      email: {slug}@example.org
---
{_paragraph(rng, 80)[0]}
"""


SERVICE_KINDS = ["spid", "inps", "lavoro", "doposcuola", "italiano", "biblioteca", "pacchi", "traduzioni"]
SERVIZI_YML = "servizi:\n" + "".join(
    f"  - tipo: {kind}\n    nome: Servizio {kind}\n    sinonimi: [aiuto {kind}]\n" for kind in SERVICE_KINDS
)


def services_yaml(rng: random.Random) -> str:
    """The `servizi` of a portineria in territorio.md: three kinds with their hours."""
    lines = ["    servizi:\n"]
    for kind in rng.sample(SERVICE_KINDS, 3):
        lines.append(f"      - tipo: {kind}\n        orari: {rng.choice(WEEKDAYS)} 10–12\n")
    return "".join(lines)


WEEKDAYS = ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì"]


def action_md(rng: random.Random, i: int, people: list[tuple[str, list[str]]], needs: list[str]) -> str:
    """An action of a territory: two or three of its people with a sapere each, a need, a weekly or single meeting."""
    state = rng.choice(["in-corso", "in-corso", "proposta", "conclusa"])
    team = rng.sample(people, min(len(people), rng.randint(2, 3)))
    lines = [f"titolo: Azione {_title(rng)} {i}", f"data: 2026-0{1 + i % 9}-1{i % 10}", f"stato: {state}"]
    if needs:
        lines.append(f"bisogni: [{rng.choice(needs)}]")
    lines.append("partecipanti:")
    lines += [f"  - {{chi: {slug}, sapere: {offered[0]}, ruolo: {rng.choice(WORDS)}}}" for slug, offered in team]
    day = dt.date(2026, 9, 1) + dt.timedelta(days=rng.randrange(60)) if state != "conclusa" else dt.date(2025, 3, 3)
    lines.append("appuntamenti:")
    if state == "in-corso":
        until = day + dt.timedelta(days=rng.randrange(200, 700))
        lines.append(
            f"  - {{inizio: {day} 17:00, fine: '19:00', luogo: Portineria, ripeti: {{ogni: settimana, fino: {until}}}}}"
        )
    else:
        lines.append(f"  - {{inizio: {day} 10:00, fine: '12:00', luogo: Giardini}}")
    lines.append(f"sommario: {_yaml_text(_sentence(rng))}")
    return "---\n" + "\n".join(lines) + f"\n---\n{_paragraph(rng, 100)[0]}\n"


TRANSLATED_SHARE = 0.1  # a tenth of the stories have a translation (storie/<slug>.<lingua>.md)
TRANSLATION_WORDS = {  # a few words of each language, for bodies of the right script and word lengths
    "ar": "السوق الحي البيت الخبز الشاي المدرسة الجيران الطبخ الكتاب الصباح المساء العمل اللغة الذاكرة".split(),
    "ro": "piața cartierul casa pâinea ceaiul școala vecinii bucătăria cartea dimineața seara munca limba".split(),
    "fr": "le marché le quartier la maison le pain le thé l'école les voisins la cuisine le livre".split(),
    "zh": "市场 街区 房子 面包 茶 学校 邻居 厨房 书 早上 晚上 工作 语言 记忆 故事".split(),
}


def translated_text(rng: random.Random, language: str) -> tuple[str, str]:
    """A title and a body of about 300 words in `language`."""
    words = TRANSLATION_WORDS[language]
    joiner = "" if language == "zh" else " "
    end = "。" if language == "zh" else "."
    sentences = [joiner.join(rng.choice(words) for _ in range(rng.randint(8, 16))) + end for _ in range(24)]
    paragraphs = ["\n".join(sentences[i : i + 6]) for i in range(0, 24, 6)]
    return joiner.join(rng.choice(words) for _ in range(4)), "\n\n".join(paragraphs) + "\n"


def write_archive(root: Path, n: int, seed: int = 8) -> Generated:
    """Write `root/content/` with n stories (about n/10 people, n/50 needs and n/100 actions). Returns what was
    written."""
    rng = random.Random(seed)
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)
    content.mkdir(parents=True)
    (content / "portale.yml").write_text(PORTALE, encoding="utf-8")
    vocabulary, skills = saperi_yml()
    (content / "saperi.yml").write_text(vocabulary, encoding="utf-8")
    words_rng = random.Random(seed + 1)  # its own sequence: the stories stay those of an archive without it
    dictionary, forms = parole_yml(words_rng)
    (content / "parole.yml").write_text(dictionary, encoding="utf-8")
    (content / "servizi.yml").write_text(SERVIZI_YML, encoding="utf-8")
    actions_rng = random.Random(seed + 2)  # its own sequence too: actions and services leave the rest as it was
    info = Generated()
    slugs = list(TERRITORIES)
    offering: dict[str, list[tuple[str, list[str]]]] = {t: [] for t in slugs}
    need_slugs: dict[str, list[str]] = {t: [] for t in slugs}
    people: dict[str, list[str]] = {t: [] for t in slugs}
    for territory in slugs:
        (content / territory).mkdir()
        text = territory_md(territory, rng).replace("\n---\n", "\n" + services_yaml(actions_rng) + "---\n", 1)
        (content / territory / "territorio.md").write_text(text, encoding="utf-8")
        for folder in ("storie", "persone", "bisogni", "azioni"):
            (content / territory / folder).mkdir()
    for i in range(max(16, n // 10)):
        territory = slugs[i % len(slugs)]
        offered = rng.sample(skills, rng.randint(1, 3))
        if rng.random() < 0.7:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            head = f"nome: {name}\ntipo: persona\ncategoria: abitanti\nruolo: {_title(rng)}\nconsenso: {{data: 2024-01-10, riferimento: modulo {i}, ambito: [web]}}\n"
            if rng.random() < 0.2:  # the surname is hidden: not in the file name either
                head += "visibilita: solo-nome\n"
                name = name.split()[0]
        else:
            name = f"{rng.choice(ORGS)} {rng.choice(WORDS).capitalize()} {i}"
            head = f"nome: {name}\ntipo: organizzazione\ncategoria: {rng.choice(CATEGORIES)}\nruolo: {_title(rng)}\n"
        slug = f"{slugify(name)}-{i}"
        head += f"tag: [{', '.join(words_rng.sample(forms, 2))}]\n"
        text = (
            f"---\n{head}saperi: [{', '.join(offered)}]\n---\n{_paragraph(rng, 120)[0]}\n\n{_paragraph(rng, 120)[0]}\n"
        )
        rel = f"{territory}/persone/{slug}.md"
        (content / rel).write_text(text, encoding="utf-8")
        people[territory].append(slug)
        offering[territory].append((slug, offered))
        info.people.append(rel)
    start = dt.date(2012, 1, 1)
    for i in range(n):
        territory = slugs[rng.randrange(len(slugs))]
        title = _title(rng)
        slug = f"{slugify(title)[:40].strip('-')}-{i}"
        date = start + dt.timedelta(days=rng.randrange(5000))
        named: list[str] = []
        if rng.random() < 0.4:
            for _ in range(rng.randint(1, 3)):
                owner = territory if rng.random() < 0.85 else rng.choice(slugs)
                person = rng.choice(people[owner])
                ref = person if owner == territory else f"{owner}/{person}"
                if ref not in named:
                    named.append(ref)
                    key = f"{owner}/persone/{person}.md"
                    info.mentions[key] = info.mentions.get(key, 0) + 1
        tags = rng.sample(TAGS, rng.randint(1, 3))
        tags += [f for f in words_rng.sample(forms, words_rng.randint(1, 2)) if f not in tags]
        head = f"titolo: {_yaml_text(title)}\ndata: {date.isoformat()}\ncategoria: {rng.choice(CATEGORIES)}\npersone: [{', '.join(named)}]\ntag: [{', '.join(tags)}]\nsommario: {_yaml_text(_sentence(rng))}\n"
        rel = f"{territory}/storie/{slug}.md"
        (content / rel).write_text(f"---\n{head}---\n{story_body(rng)}", encoding="utf-8")
        info.stories.append(rel)
    translations_rng = random.Random(seed + 3)  # its own sequence: an archive without translations stays the same
    for rel in list(info.stories):
        if translations_rng.random() < TRANSLATED_SHARE:
            language = translations_rng.choice(sorted(TRANSLATION_WORDS))
            title, body = translated_text(translations_rng, language)
            target = f"{rel[:-3]}.{language}.md"
            (content / target).write_text(f"---\ntitolo: {_yaml_text(title)}\n---\n{body}", encoding="utf-8")
            info.translations.append(target)
    for i in range(max(8, n // 50)):
        territory = slugs[i % len(slugs)]
        title = _title(rng)
        asked = rng.sample(skills, rng.randint(1, 2))
        text = f"---\ntitolo: {_yaml_text(title)}\ndata: 2026-0{1 + i % 9}-1{i % 10}\nsaperi: [{', '.join(asked)}]\nstato: aperto\ntag: [{words_rng.choice(forms)}]\n---\n{_paragraph(rng, 100)[0]}\n"
        need = f"{slugify(title)[:40].strip('-')}-{i}"
        (content / f"{territory}/bisogni/{need}.md").write_text(text, encoding="utf-8")
        need_slugs[territory].append(need)
    for i in range(max(8, n // 100)):
        territory = slugs[i % len(slugs)]
        text = action_md(actions_rng, i, offering[territory], need_slugs[territory])
        (content / f"{territory}/azioni/azione-{i}.md").write_text(text, encoding="utf-8")
    return info


HUGO_CONFIG = """\
baseURL = "https://saperi.example.org/"
languageCode = "it"
title = "Portale dei Saperi"
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]
[taxonomies]
  tag = "tags"
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="it">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title><link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><header><a href="{{ "" | relURL }}">{{ .Site.Title }}</a>
<nav><ul>{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>{{ .Site.Title }}</p></footer></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
{{ with .Params.sommario }}<p>{{ . }}</p>{{ end }}
<div>{{ .Content }}</div>
{{ with .Params.persone }}<ul>{{ range . }}<li><a href="{{ printf "/%s/" . | relURL }}">{{ . }}</a></li>{{ end }}</ul>{{ end }}
{{ with .GetTerms "tags" }}<p>Temi: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3><p>{{ .Date.Format "2006-01-02" }}</p>{{ with .Params.sommario }}<p>{{ . }}</p>{{ end }}</li>{{ end }}</ul>
{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1>
<ul>{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<ul>{{ range first 8 (where .Site.RegularPages "Section" "!=" "") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
""",
}


def write_hugo_site(root: Path, hugo: Path) -> None:
    """The same archive as a Hugo site: the same Markdown bodies, minimal layouts, no theme."""
    import yaml

    if hugo.exists():
        shutil.rmtree(hugo)
    (hugo / "content").mkdir(parents=True)
    (hugo / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (hugo / "static").mkdir()
    (hugo / "static" / "style.css").write_text("body{font-family:sans-serif}\n", encoding="utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        (hugo / "layouts" / rel).parent.mkdir(parents=True, exist_ok=True)
        (hugo / "layouts" / rel).write_text(text, encoding="utf-8")
    content = root / "content"
    for territory in sorted(p for p in content.iterdir() if p.is_dir()):
        target = hugo / "content" / territory.name
        _, meta, body = (territory / "territorio.md").read_text(encoding="utf-8").split("---\n", 2)
        target.mkdir()
        (target / "_index.md").write_text(
            f"---\ntitle: {_yaml_text(yaml.safe_load(meta)['nome'])}\n---\n{body}", encoding="utf-8"
        )
        for folder in ("storie", "persone", "bisogni"):
            (target / folder).mkdir()
            (target / folder / "_index.md").write_text(f"---\ntitle: {folder.capitalize()}\n---\n", encoding="utf-8")
            for page in sorted((territory / folder).glob("*.md")):
                _, meta, body = page.read_text(encoding="utf-8").split("---\n", 2)
                data = yaml.safe_load(meta)
                out = {"title": str(data.get("titolo") or data.get("nome"))}
                if "data" in data:
                    out["date"] = str(data["data"])
                for ours, theirs in (("tag", "tags"), ("persone", "persone"), ("sommario", "sommario")):
                    if data.get(ours):
                        out[theirs] = data[ours]
                header = yaml.safe_dump(out, allow_unicode=True, sort_keys=True)
                (target / folder / page.name).write_text(f"---\n{header}---\n{body}", encoding="utf-8")
