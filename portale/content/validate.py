"""Stage 2, validate: sources -> every problem of every file, sorted by path and line.

Each source gets `source.data`, its front matter as checked plain values, which the model uses.
Nothing stops at the first problem: an editor fixes a whole batch in one go.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict

from portale.content import appointments, dictionary, languages, markup, media, privacy, schema
from portale.content.load import FOLDER_OF, Source, Sources
from portale.content.problems import Problem, Problems
from portale.content.slugs import RESERVED_AT_ROOT, collision_key, is_slug, slugify


def check(sources: Sources, today: dt.date | None = None, memo=None) -> list[Problem]:
    sink: list[Problem] = list(sources.problems)
    portal_report = Problems(sources.portal_rel, sink)
    sources.portal_data = schema.check_mapping(sources.portal, schema.PORTALE, portal_report) if sources.portal else {}
    vocabulary = _check_vocabulary(sources, sink)
    sources.vocabulary_data = vocabulary
    sources.words = dictionary.check_dictionary(sources.dictionary, sources.dictionary_rel, sink)
    sources.services_data = _check_service_types(sources, sink)

    for name in sources.missing_territory_files:
        sink.append(
            Problem(
                f"content/{name}",
                0,
                f'la cartella del territorio "{name}" non ha territorio.md',
                f"crea content/{name}/territorio.md con nome, comune, tipo e portinerie",
                "territorio-mancante",
            )
        )
    for name in sources.territories:
        if not is_slug(name):
            sink.append(
                Problem(
                    f"content/{name}",
                    0,
                    f'nome di cartella non valido "{name}"',
                    f'usa solo lettere minuscole, cifre e trattini, per esempio "{slugify(name)}"',
                    "slug",
                )
            )
        elif name in RESERVED_AT_ROOT:
            sink.append(
                Problem(
                    f"content/{name}",
                    0,
                    f'"{name}" è un nome riservato dal portale',
                    "rinomina la cartella del territorio",
                    "slug-riservato",
                )
            )

    for source in sources.files:
        if source.local_problems is None:  # not remembered from an earlier build (memo.py)
            source.local_problems = []
            _check_file(source, Problems(source.rel, source.local_problems))
            source.remember("load", source.checked())
        sink.extend(source.local_problems)

    sink.extend(media.check_media(sources, memo))
    _check_duplicates(sources, sink)
    _check_translations(sources, sink)
    _check_references(sources, vocabulary, sink)
    _check_words(sources, vocabulary, sink)
    _check_actions(sources, vocabulary, sink)
    _check_services(sources, sink)
    privacy.check(sources, today or dt.date.today(), sink)
    privacy.check_allow_list(sources, sink)
    return sorted(set(sink))


def _check_file(source: Source, report: Problems) -> None:
    """What a file alone can be checked for; sets `source.data`, the checked front matter."""
    for line, key in source.duplicate_keys:
        report.error(line, f'la chiave "{key}" è ripetuta', "tieni una sola riga con questa chiave", "chiave-ripetuta")
    fields = schema.TRANSLATION_BY_KIND if source.translation else schema.BY_KIND
    source.data = schema.check_mapping(source.meta, fields[source.kind], report)
    if source.translation:
        _check_translation_file(source, report)
    if source.kind != "territorio" and not is_slug(source.slug):
        report.error(
            1,
            f'nome del file non valido "{source.slug}"',
            f'usa solo lettere minuscole, cifre e trattini: rinomina in "{slugify(source.slug) or "nome-file"}"',
            "slug",
        )
    if source.kind == "persona":
        _check_person(source, report)
    if source.kind == "azione":
        appointments.read_appointments(source.data.get("appuntamenti", []), source.meta.get("appuntamenti"), report)
    for excess in markup.check_budget(source.body):
        report.error(source.body_line + excess.line - 1, excess.message, excess.hint, "testo-complesso")
    for key in ("audio", "video"):
        transcript = source.data.get(key, {}).get("trascrizione")
        for excess in markup.check_budget(transcript or ""):
            report.error(
                source.meta.key_lines.get(key, 1), f"trascrizione: {excess.message}", excess.hint, "testo-complesso"
            )


def _check_translation_file(source: Source, report: Problems) -> None:
    """The language in a translation's file name: a known code, and the same as its `lingua` when it has one."""
    code = source.translation
    if not languages.is_known(code):
        close = languages.closest(code)
        report.error(
            1,
            f'lingua sconosciuta "{code}" nel nome del file',
            (f'forse "{close}" ({languages.italian_name(close)})? ' if close else "")
            + f"una traduzione si chiama <slug>.<codice>.md, per esempio {source.slug}.ar.md (la guida elenca i codici)",
            "lingua",
        )
        return
    said = source.data.get("lingua")
    if said and said != languages.normalise(code):
        report.error(
            source.meta.key_lines.get("lingua", 1),
            f'"lingua: {said}" non è la lingua del nome del file ({code})',
            "togli la riga lingua: in una traduzione la lingua è quella del nome del file",
            "lingua",
        )


def _check_translations(sources: Sources, sink: list[Problem]) -> None:
    """Each translation has an original (same folder, same slug), in another language, and names no one the original
    does not: a translation cannot publish a person. Sets `source.original`."""
    default = sources.language
    originals = {
        (s.territory, s.kind, s.slug): s for s in sources.files if s.kind != "territorio" and not s.translation
    }
    for source in sources.files:
        if not source.translation:
            continue
        report = Problems(source.rel, sink)
        original = originals.get((source.territory, source.kind, source.slug))
        if original is None:
            folder = FOLDER_OF[source.kind]
            close = difflib.get_close_matches(
                source.slug, [s for (t, k, s) in originals if t == source.territory and k == source.kind], n=1
            )
            report.error(
                1,
                f"traduzione senza originale: non c'è content/{source.territory}/{folder}/{source.slug}.md",
                (
                    f'forse l\'originale è "{close[0]}": rinomina il file in {close[0]}.{source.translation}.md'
                    if close
                    else f"la traduzione ha lo stesso nome dell'originale più la lingua: <slug>.{source.translation}.md"
                ),
                "traduzione-orfana",
            )
            continue
        source.original = original
        code = languages.normalise(source.translation)
        if code == original.data.get("lingua", default):
            report.error(
                1,
                f"traduzione nella stessa lingua dell'originale ({code}, {languages.italian_name(code)})",
                f"se è un'altra versione del testo, correggi l'originale; se l'originale è in un'altra lingua, scrivilo in {original.rel} con lingua:",
                "traduzione-stessa-lingua",
            )
        own = source.data.get("persone")
        if own is not None:
            theirs = set(original.data.get("persone", []))
            for index, ref in enumerate(own):
                if ref not in theirs:
                    report.error(
                        _item_line(source, "persone", index),
                        f'la traduzione nomina "{ref}", che l\'originale non nomina',
                        f"una traduzione può nominare solo le persone dell'originale: aggiungi la persona in {original.rel} o togli la riga",
                        "traduzione-persona",
                    )


def _check_vocabulary(sources: Sources, sink: list[Problem]) -> dict:
    report = Problems(sources.vocabulary_rel, sink)
    data = schema.check_mapping(sources.vocabulary, schema.SAPERI, report) if sources.vocabulary else {}
    seen: dict[str, int] = {}
    for category in data.get("categorie", []):
        for skill in category.get("saperi", []):
            slug = skill.get("slug")
            if not slug:
                continue
            if not is_slug(slug):
                report.error(
                    skill["_line"],
                    f'slug di sapere non valido "{slug}"',
                    f'usa solo lettere minuscole, cifre e trattini, per esempio "{slugify(slug)}"',
                    "slug",
                )
            elif slug in seen:
                report.error(
                    skill["_line"],
                    f'il sapere "{slug}" è già definito alla riga {seen[slug]}',
                    "ogni sapere deve comparire una volta sola",
                    "slug-doppio",
                )
            else:
                seen[slug] = skill["_line"]
    data["_known"] = seen
    return data


def _check_person(source: Source, report: Problems) -> None:
    data = source.data
    line = source.meta.line
    if data.get("tipo") == "persona" and "consenso" not in source.meta:
        report.error(
            line,
            'manca "consenso": è obbligatorio quando tipo è "persona"',
            "aggiungi consenso: {data: AAAA-MM-GG, riferimento: numero del modulo firmato, ambito: [web]}",
            "consenso",
        )
    if data.get("visibilita") == "pseudonimo" and not data.get("pseudonimo"):
        report.error(
            source.meta.key_lines.get("visibilita", line),
            'con visibilita: pseudonimo serve anche la chiave "pseudonimo"',
            'aggiungi pseudonimo: "Il nome da mostrare"',
            "pseudonimo",
        )
    if "sito" in data and data.get("tipo") == "persona":
        report.error(
            source.meta.key_lines["sito"],
            '"sito" è ammesso solo per le organizzazioni',
            "togli la riga: i lettori contattano la portineria",
            "sito-persona",
        )


def _check_duplicates(sources: Sources, sink: list[Problem]) -> None:
    """Two files that would write the same page, also when they differ only by case or accents."""
    by_url: dict[tuple, list[Source]] = defaultdict(list)
    for source in sources.files:
        if source.kind != "territorio":
            key = (collision_key(source.territory), source.kind, collision_key(source.slug), source.translation.lower())
            by_url[key].append(source)
    for group in by_url.values():
        if len(group) > 1:
            group.sort(key=lambda s: s.rel)
            first = group[0]
            for other in group[1:]:
                sink.append(
                    Problem(
                        other.rel,
                        1,
                        f'slug doppio "{other.slug}": {first.rel} pubblica già la stessa pagina',
                        "rinomina uno dei due file",
                        "slug-doppio",
                    )
                )


def _check_references(sources: Sources, vocabulary: dict, sink: list[Problem]) -> None:
    known_skills = vocabulary.get("_known", {})
    people = {(s.territory, s.slug) for s in sources.originals if s.kind == "persona"}
    for source in sources.files:
        report = Problems(source.rel, sink)
        if source.kind == "storia":
            for index, ref in enumerate(source.data.get("persone", [])):
                territory, _, slug = ref.rpartition("/")
                territory = territory or source.territory
                if (territory, slug) not in people:
                    candidates = [s for (t, s) in people if t == territory] or [f"{t}/{s}" for t, s in people]
                    close = difflib.get_close_matches(slug, candidates, n=1)
                    hint = f'forse "{close[0]}"?' if close else f"crea content/{territory}/persone/{slug}.md"
                    if territory not in sources.territories:
                        hint = f'il territorio "{territory}" non esiste; territori: {", ".join(sources.territories)}'
                    report.error(
                        _item_line(source, "persone", index),
                        f'persona sconosciuta "{ref}"',
                        f"{hint} (le persone sono i file in content/{territory}/persone/)",
                        "persona-sconosciuta",
                    )
        if source.kind in ("persona", "bisogno"):
            for index, entry in enumerate(source.data.get("saperi", [])):
                slug = entry["sapere"] if isinstance(entry, dict) else entry
                if slug not in known_skills:
                    close = difflib.get_close_matches(slug, list(known_skills), n=1, cutoff=0.5)
                    hint = (
                        f'forse "{close[0]}"? (vedi {sources.vocabulary_rel})'
                        if close
                        else f"aggiungilo a {sources.vocabulary_rel} o scegli un sapere che c'è già"
                    )
                    line = (entry.get("_line") if isinstance(entry, dict) else None) or _item_line(
                        source, "saperi", index
                    )
                    report.error(line, f'sapere sconosciuto "{slug}"', hint, "sapere-sconosciuto")


def _check_words(sources: Sources, vocabulary: dict, sink: list[Problem]) -> None:
    """A sapere's `parole` must be in the dictionary (an error); a tag outside it is a warning, and still works."""
    words = sources.words
    report = Problems(sources.vocabulary_rel, sink)
    for category in vocabulary.get("categorie", []):
        for skill in category.get("saperi", []):
            for slug in skill.get("parole", []):
                if slug not in words.entries:
                    report.error(
                        _list_item_line(sources.vocabulary, skill["_line"], slug),
                        f'parola sconosciuta "{slug}" nelle parole del sapere "{skill.get("slug", "")}"',
                        dictionary.unknown_word_hint(words, slug)
                        if words.present
                        else f"crea {sources.dictionary_rel} con la parola, o togli la riga parole:",
                        "parola-sconosciuta",
                    )
    if not words.present:
        return
    for source in sources.files:
        for index, label in enumerate(source.data.get("tag", [])):
            if words.resolve(label) is None and slugify(label):
                close = words.closest(label)
                hint = f'forse "{close}"? Altrimenti ' if close else ""
                Problems(source.rel, sink).warn(
                    _item_line(source, "tag", index),
                    f'il tag "{label}" non è nel dizionario ({sources.dictionary_rel})',
                    f"{hint}aggiungilo al dizionario come parola o come sinonimo: intanto il tema funziona lo stesso",
                    "tag-fuori-dizionario",
                )


def _list_item_line(vocabulary, skill_line: int, slug: str) -> int:
    """The line of `slug` in a sapere's `parole` list of saperi.yml (the sapere's line when not found)."""
    for category in vocabulary.get("categorie", []) or []:
        for skill in category.get("saperi", []) or []:
            if getattr(skill, "line", 0) == skill_line:
                for item in skill.get("parole", []) or []:
                    if str(item) == slug:
                        return getattr(item, "line", 0) or skill_line
    return skill_line


def _item_line(source: Source, key: str, index: int) -> int:
    """The line of item `index` of the list under `key`, or of the key. Looked up only for a problem: the front matter
    of a file the memo remembers is unpickled when needed (load.Source.meta)."""
    meta = source.meta
    raw = meta.get(key)
    line = getattr(raw[index], "line", 0) if isinstance(raw, list) and index < len(raw) else 0
    return line or meta.key_lines.get(key, 1)


def _split_ref(ref: str, home: str) -> tuple[str, str]:
    """A reference to a file of a territory: "slug" (the same territory) or "territorio/slug"."""
    territory, _, slug = ref.rpartition("/")
    return territory or home, slug


def _unknown_hint(sources: Sources, territory: str, slug: str, known: set[tuple[str, str]], folder: str) -> str:
    """The closest existing file to a reference that names none: in its territory first, then in the network."""
    if territory not in sources.territories:
        return f'il territorio "{territory}" non esiste; territori: {", ".join(sources.territories)}'
    candidates = [s for (t, s) in known if t == territory] or [f"{t}/{s}" for t, s in known]
    close = difflib.get_close_matches(slug, sorted(candidates), n=1, cutoff=0.5)
    return (
        f'forse "{close[0]}"? (i file sono in content/{territory}/{folder}/)'
        if close
        else f"i file sono in content/{territory}/{folder}/; per un altro territorio scrivi territorio/nome-del-file"
    )


def _nested_line(source: Source, key: str, index: int, sub: str) -> int:
    """The line of `sub` in item `index` of the list of mappings under `key` (the item's line when not found)."""
    raw = source.meta.get(key)
    item = raw[index] if isinstance(raw, list) and index < len(raw) else None
    return getattr(item, "key_lines", {}).get(sub, 0) or getattr(item, "line", 0) or source.meta.key_lines.get(key, 1)


def _looks_like_ref(text: str) -> bool:
    """A partner or a service's `con` written as a file's slug ("il-ponte", "aurora/ciclofficina"), not a plain name."""
    return all(is_slug(part) for part in text.split("/")) and text.count("/") <= 1


def _check_actions(sources: Sources, vocabulary: dict, sink: list[Problem]) -> None:
    """An action's needs, participants, saperi and partners, and a story's `azione`, name what exists."""
    known_skills = vocabulary.get("_known", {})
    needs = {(s.territory, s.slug) for s in sources.originals if s.kind == "bisogno"}
    actions = {(s.territory, s.slug) for s in sources.originals if s.kind == "azione"}
    people = {(s.territory, s.slug): s for s in sources.originals if s.kind == "persona"}
    for source in sources.files:
        report = Problems(source.rel, sink)
        if source.kind == "storia" and "azione" in source.data:
            territory, slug = _split_ref(source.data["azione"], source.territory)
            if (territory, slug) not in actions:
                report.error(
                    source.meta.key_lines.get("azione", 1),
                    f'azione sconosciuta "{source.data["azione"]}"',
                    _unknown_hint(sources, territory, slug, actions, "azioni"),
                    "azione-sconosciuta",
                )
        if source.kind != "azione":
            continue
        for index, ref in enumerate(source.data.get("bisogni", [])):
            territory, slug = _split_ref(ref, source.territory)
            if (territory, slug) not in needs:
                report.error(
                    _item_line(source, "bisogni", index),
                    f'bisogno sconosciuto "{ref}"',
                    _unknown_hint(sources, territory, slug, needs, "bisogni"),
                    "bisogno-sconosciuto",
                )
        for index, entry in enumerate(source.data.get("partecipanti", [])):
            territory, slug = _split_ref(entry["chi"], source.territory)
            person = people.get((territory, slug))
            if person is None:
                report.error(
                    _nested_line(source, "partecipanti", index, "chi"),
                    f'persona sconosciuta "{entry["chi"]}" tra i partecipanti',
                    _unknown_hint(sources, territory, slug, set(people), "persone"),
                    "persona-sconosciuta",
                )
            skill = entry.get("sapere")
            if skill is None:
                continue
            line = _nested_line(source, "partecipanti", index, "sapere")
            if skill not in known_skills:
                close = difflib.get_close_matches(skill, list(known_skills), n=1, cutoff=0.5)
                hint = f'forse "{close[0]}"? ' if close else ""
                report.error(
                    line,
                    f'sapere sconosciuto "{skill}"',
                    f"{hint}i saperi sono in {sources.vocabulary_rel}",
                    "sapere-sconosciuto",
                )
            elif person is not None:
                offered = [e["sapere"] for e in person.data.get("saperi", []) if isinstance(e, dict)]
                if skill not in offered:
                    report.warn(
                        line,
                        f'{person.data.get("nome", slug)} non offre il sapere "{skill}" nella sua scheda ({person.rel})',
                        f"aggiungi {skill} ai suoi saperi, o scegli uno di questi: {', '.join(offered)}"
                        if offered
                        else f"aggiungi saperi: [{skill}] alla sua scheda",
                        "sapere-non-offerto",
                    )
        for index, name in enumerate(source.data.get("partner", [])):
            _check_organisation(sources, source, name, _item_line(source, "partner", index), people, report)


def _check_organisation(sources: Sources, source: Source, name: str, line: int, people: dict, report: Problems) -> None:
    """A partner or a service's `con` that looks like a slug names an organisation's file; a plain name is free text."""
    if not _looks_like_ref(name):
        return
    territory, slug = _split_ref(name, source.territory)
    person = people.get((territory, slug))
    if person is not None and person.data.get("tipo") == "organizzazione":
        return
    organisations = {key for key, s in people.items() if s.data.get("tipo") == "organizzazione"}
    hint = _unknown_hint(sources, territory, slug, organisations, "persone")
    what = (
        f'"{name}" è una persona, non un\'organizzazione'
        if person is not None
        else f'organizzazione sconosciuta "{name}"'
    )
    report.error(
        line,
        what,
        f"{hint}; per un ente senza pagina scrivi il nome per esteso, es. Circoscrizione 7",
        "organizzazione-sconosciuta",
    )


def _check_service_types(sources: Sources, sink: list[Problem]) -> dict:
    """content/servizi.yml: the kinds of service, each `tipo` once."""
    if sources.services is None:
        return {"_known": {}}
    report = Problems(sources.services_rel, sink)
    data = schema.check_mapping(sources.services, schema.SERVIZI, report)
    known: dict[str, dict] = {}
    for entry in data.get("servizi", []):
        slug = entry.get("tipo")
        if not slug:
            continue
        if not is_slug(slug):
            report.error(
                entry["_line"],
                f'tipo di servizio non valido "{slug}"',
                f'usa solo lettere minuscole, cifre e trattini, per esempio "{slugify(slug)}"',
                "slug",
            )
        elif slug in known:
            report.error(
                entry["_line"],
                f'il servizio "{slug}" è già definito alla riga {known[slug]["_line"]}',
                "ogni tipo di servizio deve comparire una volta sola",
                "slug-doppio",
            )
        else:
            known[slug] = entry
    data["_known"] = known
    return data


def _check_services(sources: Sources, sink: list[Problem]) -> None:
    """Each service of a portineria has a `tipo` of servizi.yml; its `con`, when a slug, is an organisation."""
    known = sources.services_data.get("_known", {})
    people = {(s.territory, s.slug): s for s in sources.originals if s.kind == "persona"}
    for source in sources.files:
        if source.kind != "territorio":
            continue
        report = Problems(source.rel, sink)
        raw_places = source.meta.get("portinerie")
        for p_index, place in enumerate(source.data.get("portinerie", [])):
            raw_place = raw_places[p_index] if isinstance(raw_places, list) and p_index < len(raw_places) else None
            raw_services = raw_place.get("servizi") if hasattr(raw_place, "get") else None
            for s_index, service in enumerate(place.get("servizi", [])):
                raw = raw_services[s_index] if isinstance(raw_services, list) and s_index < len(raw_services) else None
                lines = getattr(raw, "key_lines", {})
                kind = service["tipo"]
                if kind not in known:
                    report.error(
                        lines.get("tipo", service["_line"]),
                        f'tipo di servizio sconosciuto "{kind}"',
                        _service_hint(sources, kind),
                        "servizio-sconosciuto",
                    )
                if "con" in service:
                    line = lines.get("con", service["_line"])
                    _check_organisation(sources, source, service["con"], line, people, report)


def _service_hint(sources: Sources, kind: str) -> str:
    known = sources.services_data.get("_known", {})
    if not known:
        return f"crea {sources.services_rel} con i tipi di servizio (vedi la guida, «I servizi delle portinerie»)"
    folded = slugify(kind)  # accents, case and spaces aside: "identita-digitale" is "identità digitale"
    for slug, entry in known.items():
        if folded in (slugify(s) for s in [entry.get("nome", ""), *entry.get("sinonimi", [])]):
            return f'forse "{slug}"? ("{kind}" è un suo sinonimo in {sources.services_rel})'
    close = difflib.get_close_matches(kind, list(known), n=1, cutoff=0.5)
    hint = f'forse "{close[0]}"? ' if close else ""
    return f"{hint}i tipi possibili sono in {sources.services_rel}: {', '.join(known)}"
