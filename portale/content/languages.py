"""The languages a text may be told in: BCP 47 codes, their names, their direction.

Codes are checked against the languages CLDR names (Babel's data: about 670 primary subtags, the ISO 639 codes a
person is likely to speak, Piemontese `pms`, Wolof `wo`, Franco-Provençal `frp` among them) plus the private-use
tags of the regional varieties that have no subtag of their own (`PRIVATE_USE`, listed in the editors' guide).
A code may carry a script or region (`zh-Hans`, `ar-MA`): the primary subtag decides whether it is known.
"""

from __future__ import annotations

import difflib
import functools
import re

from babel import Locale, UnknownLocaleError

DEFAULT = "it"
# Regional varieties without a BCP 47 subtag: a private-use extension of the nearest language, with its own name.
PRIVATE_USE = {
    "pms-x-canavese": ("Piemontèis canavzan", "piemontese del Canavese"),
    "oc-x-alta-valle": ("Occitan de l'Auta Vall", "occitano dell'Alta Valle di Susa"),
}
# Scripts written right to left (ISO 15924), and the languages whose default script is one of them.
RTL_SCRIPTS = {"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg"}
RTL_LANGUAGES = {"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "ks", "ku-Arab"}
# The neutral mention of a person who is not published, in the text's own language (privacy.py).
NEUTRAL_MENTIONS = {
    "it": "una persona della comunità",
    "ar": "شخص من الحيّ",
    "en": "a member of the community",
    "fr": "une personne du quartier",
    "ro": "o persoană din comunitate",
    "zh": "一位社区居民",
    "es": "una persona de la comunidad",
    "pms": "na përson-a dla comunità",
}
# The languages the editors' forms offer first (any known code may be typed in a file).
COMMON = ["it", "ar", "zh", "ro", "fr", "en", "es", "sq", "uk", "wo", "ff", "bn", "pms", "frp", "oc"]
_CODE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


@functools.cache
def _known_primary() -> frozenset[str]:
    return frozenset(code for code in Locale("en").languages if "_" not in code)


def normalise(code: str) -> str:
    """`ZH-hans` -> `zh-Hans`, `ar-ma` -> `ar-MA`: the case BCP 47 recommends (it is not significant)."""
    parts = code.strip().replace("_", "-").split("-")
    out = [parts[0].lower()]
    private = False
    for part in parts[1:]:
        if private or part.lower() == "x":
            private = True
            out.append(part.lower())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha() or len(part) == 3 and part.isdigit():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def is_known(code: str) -> bool:
    code = normalise(code)
    if code in PRIVATE_USE:
        return True
    if not _CODE.match(code) or "-x-" in code:
        return False
    return code.split("-")[0] in _known_primary()


def closest(code: str) -> str | None:
    """The known code an editor most likely meant: "arabo" -> "ar" (by name), "zh_CN" -> "zh-CN", "pm" -> "pms"."""
    code = code.strip()
    folded = code.casefold()
    names = {name.casefold(): c for c, name in Locale("it").languages.items() if "_" not in c}
    names.update({name.casefold(): c for c, name in Locale("en").languages.items() if "_" not in c})
    if folded in names:
        return names[folded]
    normalised = normalise(code)
    if is_known(normalised) and normalised != code:
        return normalised
    found = difflib.get_close_matches(
        folded, [*sorted(_known_primary()), *PRIVATE_USE, *sorted(names)], n=1, cutoff=0.6
    )
    if not found:
        return None
    return names.get(found[0], found[0])


def primary(code: str) -> str:
    return normalise(code).split("-")[0]


# Languages written without spaces between words: only Pagefind's extended build segments them (Chinese with jieba,
# Japanese with lindera), and it loads its dictionaries in every run, so their texts get a search bundle of their own.
SEGMENTED = ("zh", "ja")
SEARCH_BUNDLE = "pagefind"  # a territory's search bundle for every other language


SEARCH_BUNDLES = (SEARCH_BUNDLE, *(f"{SEARCH_BUNDLE}-{code}" for code in SEGMENTED))  # every one a territory may have


def search_bundle(code: str) -> str:
    """The folder of a territory's Pagefind bundle that holds its texts in `code`: "pagefind", or "pagefind-zh" for
    Chinese. The search pages load it (portale.pages), the indexer writes it (portale.search)."""
    first = primary(code)
    return f"{SEARCH_BUNDLE}-{first}" if first in SEGMENTED else SEARCH_BUNDLE


def direction(code: str) -> str:
    """ "rtl" for Arabic, Hebrew, Persian, Urdu… (or any code naming a right-to-left script), else "ltr"."""
    parts = normalise(code).split("-")
    if any(part in RTL_SCRIPTS for part in parts[1:]):
        return "rtl"
    if any(len(part) == 4 and part.isalpha() for part in parts[1:]):  # another script, such as ur-Latn
        return "ltr"
    return "rtl" if parts[0] in RTL_LANGUAGES else "ltr"


@functools.cache
def babel_locale(code: str) -> Locale | None:
    """The Babel locale closest to `code` (for dates and names), or None when CLDR has no data for it."""
    code = normalise(code)
    for candidate in (code.split("-x-")[0], primary(code)):
        try:
            return Locale.parse(candidate.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            continue
    return None


@functools.cache
def autonym(code: str) -> str:
    """The language's name in the language itself, as a reader looks for it: "العربية", "中文", "Italiano"."""
    code = normalise(code)
    if code in PRIVATE_USE:
        return PRIVATE_USE[code][0]
    locale = babel_locale(code)
    name = (locale.languages.get(primary(code)) if locale else None) or Locale("it").languages.get(primary(code), code)
    return name[:1].upper() + name[1:]


@functools.cache
def italian_name(code: str) -> str:
    """The language's name in Italian: "arabo", "cinese", "piemontese"."""
    code = normalise(code)
    if code in PRIVATE_USE:
        return PRIVATE_USE[code][1]
    return Locale("it").languages.get(primary(code), code)


@functools.cache
def name_in(code: str, reader: str) -> str:
    """The name of language `code` in the language `reader` reads: "الإيطالية" for it in an Arabic page."""
    code = normalise(code)
    if code in PRIVATE_USE or primary(reader) == "it":
        return italian_name(code)
    locale = babel_locale(reader)
    return (locale.languages.get(primary(code)) if locale else None) or autonym(code)


def neutral_mention(code: str) -> str:
    return NEUTRAL_MENTIONS.get(primary(code), NEUTRAL_MENTIONS[DEFAULT])
