"""The interface's languages: the gettext catalogues of the templates, and dates as each language writes them.

The templates' strings are Italian, the source language; templates/locale/<lingua>/LC_MESSAGES/messages.po holds
each other language's (CONTRIBUTING.md says how to extract and update them with pybabel). A page in language X uses
X's catalogue where there is one, and Italian for every string it does not translate: a partial catalogue is fine.
The .po files are compiled in memory when the build starts, so a stale .mo can never be published.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from collections.abc import Callable
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from markupsafe import Markup

from portale.content import languages

SOURCE_LANGUAGE = "it"
# Dates use the digits of the language's own numbering system where its readers expect them ("١٤ مارس ٢٠٢٦").
NATIVE_DIGITS = {"ar": "٠١٢٣٤٥٦٧٨٩", "fa": "۰۱۲۳۴۵۶۷۸۹", "ur": "۰۱۲۳۴۵۶۷۸۹"}
# Beside those digits the middle dot that separates a page's details ("Storia · 14 marzo 2026") reads as a zero (٠):
# pages in those languages separate them with a bullet.
SEPARATOR_BESIDE_NATIVE_DIGITS = "•"


class Catalogues:
    """The compiled catalogues under `folder` (templates/locale/), by language."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.available = sorted(
            p.parent.parent.name for p in folder.glob("*/LC_MESSAGES/messages.po") if p.parent.parent.name != "it"
        )
        self._compiled: dict[str, gettext.NullTranslations] = {}
        self._interfaces: dict[str, dict[str, Callable]] = {}

    def catalogue_language(self, code: str) -> str:
        """The catalogue a page in `code` uses: its own ("zh-Hans" -> "zh"), or the source language."""
        code = languages.normalise(code)
        for candidate in (code.replace("-", "_"), languages.primary(code)):
            if candidate in self.available:
                return candidate
        return SOURCE_LANGUAGE

    def translations(self, code: str) -> gettext.NullTranslations:
        name = self.catalogue_language(code)
        if name not in self._compiled:
            if name == SOURCE_LANGUAGE:
                self._compiled[name] = gettext.NullTranslations()
            else:
                with open(self.folder / name / "LC_MESSAGES" / "messages.po", "rb") as handle:
                    catalog = read_po(handle, locale=name)
                buffer = io.BytesIO()
                write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
                buffer.seek(0)
                self._compiled[name] = gettext.GNUTranslations(buffer)
        return self._compiled[name]

    def interface(self, code: str) -> dict[str, Callable]:
        """The template globals that speak `code`'s catalogue (`gettext`, `_`, `ngettext`), for a page in `code`."""
        name = self.catalogue_language(code)
        if name not in self._interfaces:
            self._interfaces[name] = newstyle_callables(self.translations(code))
        return self._interfaces[name]


def newstyle_callables(translations: gettext.NullTranslations) -> dict[str, Callable]:
    """What Jinja2's i18n extension installs with `newstyle=True`, in fewer steps: a translated message is trusted
    markup, formatted with its escaped `%(name)s` values (`%(num)d` for ngettext's number), and `%%` is a percent
    sign. A message without values is looked up once per catalogue: a page has about twenty, and the extension's
    three calls and two Markup copies for each were a tenth of rendering a story."""
    plain: dict[str, Markup] = {}

    def gettext(message: str, **values) -> Markup:
        if values:
            return Markup(translations.gettext(message)) % values
        found = plain.get(message)
        if found is None:
            found = plain[message] = Markup(translations.gettext(message)) % {}
        return found

    def ngettext(singular: str, plural: str, num: int, **values) -> Markup:
        values.setdefault("num", num)
        return Markup(translations.ngettext(singular, plural, num)) % values

    return {"gettext": gettext, "_": gettext, "ngettext": ngettext}


@functools.cache
def long_date(value: dt.date, code: str) -> str:
    """ "14 marzo 2026", "14 March 2026", "١٤ مارس ٢٠٢٦", "2026年3月14日"; in Italian for a language CLDR has no
    dates for."""
    code = languages.normalise(code)
    if languages.primary(code) == "en":
        code = "en-GB"  # the day before the month, as the archive's readers in Europe write it
    locale = languages.babel_locale(code) or languages.babel_locale(SOURCE_LANGUAGE)
    if locale.date_formats["long"].pattern == "y MMMM d":  # CLDR's fallback, for a language it knows little of (pms)
        text = f"{value.day} {locale.months['format']['wide'][value.month]} {value.year}"
    else:
        text = format_date(value, "long", locale=locale)
    digits = NATIVE_DIGITS.get(languages.primary(code))
    return text.translate(str.maketrans("0123456789", digits)) if digits else text
