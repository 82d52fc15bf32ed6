"""The appointments of an action: when and where it meets, once or again every week or month.

Editors write local Europe/Rome times as text (`2026-10-06 17:00`, a date alone for an all-day event, `fine: 19:00`
for the same day); this module reads them, reports what is wrong at the value's line, and expands repetitions the way
a calendar client expands the RRULE that pages/calendars.py writes (python-dateutil's rrule, RFC 5545 rules: a monthly
repetition from the 31st skips the months without one).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from dateutil import rrule

from portale.content.problems import Problems

ZONE = ZoneInfo("Europe/Rome")
LONGEST_REPEAT_YEARS = 2  # a repetition nobody will check again after two years is a calendar that lies
_MOMENT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?: (\d{1,2})[:.](\d{2}))?$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_FREQUENCY = {"settimana": rrule.WEEKLY, "mese": rrule.MONTHLY}


@dataclass(frozen=True)
class Appointment:
    start: dt.datetime | dt.date  # local time (naive, Europe/Rome); a date for an all-day event
    end: dt.datetime | dt.date | None  # None: no end given; an all-day event's end is its last day
    place: str
    every: str | None = None  # "settimana" | "mese"
    until: dt.date | None = None  # the last day a repetition may fall on

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)

    @property
    def first_day(self) -> dt.date:
        return self.start.date() if isinstance(self.start, dt.datetime) else self.start

    def starts(self, since: dt.date, before: dt.date) -> list[dt.datetime | dt.date]:
        """The starts of this appointment and its repetitions falling on days from `since` to before `before`."""
        if self.every is None:
            return [self.start] if since <= self.first_day < before else []
        first = self.start if isinstance(self.start, dt.datetime) else dt.datetime.combine(self.start, dt.time())
        rule = rrule.rrule(
            _FREQUENCY[self.every], dtstart=first, until=dt.datetime.combine(self.until, dt.time(23, 59, 59))
        )
        found = rule.between(dt.datetime.combine(since, dt.time()), dt.datetime.combine(before, dt.time()), inc=True)
        found = [s for s in found if s.date() < before]
        return found if isinstance(self.start, dt.datetime) else [s.date() for s in found]

    def occurrences(self, since: dt.date, before: dt.date) -> list[Occurrence]:
        return [Occurrence(self, start, self._end_for(start)) for start in self.starts(since, before)]

    def _end_for(self, start):
        if self.end is None:
            return None
        return start + (self.end - self.start)

    @property
    def last_day(self) -> dt.date:
        """The day of the last start (the repetition's last one falls on or before `until`)."""
        if self.every is None:
            return self.first_day
        return max(
            s.date() if isinstance(s, dt.datetime) else s
            for s in self.starts(self.first_day, self.until + dt.timedelta(days=1))
        )


@dataclass(frozen=True)
class Occurrence:
    """One meeting of an appointment: its own start (a repetition's date) and end."""

    appointment: Appointment
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date | None

    @property
    def day(self) -> dt.date:
        return self.start.date() if isinstance(self.start, dt.datetime) else self.start


def read_appointments(items: list[dict], raw: Any = None, report: Problems | None = None) -> list[Appointment]:
    """The checked `appuntamenti` of an action as Appointments; with `report`, every problem at its line (`raw`: the
    front matter's list, for the lines of the values). A wrong appointment is left out."""
    out: list[Appointment] = []
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        lines = _lines(raw, index, item.get("_line", 1))
        appointment = _read_one(item, lines, report)
        if appointment is None:
            continue
        if appointment.start in seen:
            if report:
                report.error(
                    lines["inizio"],
                    f"due appuntamenti iniziano insieme ({item['inizio']}): il primo è alla riga {seen[appointment.start]}",
                    "togli quello in più, o correggi la data di uno dei due",
                    "appuntamento-doppio",
                )
            continue
        seen[appointment.start] = lines["inizio"]
        out.append(appointment)
    return out


def _lines(raw: Any, index: int, fallback: int) -> dict[str, int]:
    entry = raw[index] if isinstance(raw, list) and index < len(raw) else None
    key_lines = getattr(entry, "key_lines", {})
    lines = {key: key_lines.get(key, fallback) for key in ("inizio", "fine", "ripeti")}
    repeat = entry.get("ripeti") if hasattr(entry, "get") else None
    lines["fino"] = getattr(repeat, "key_lines", {}).get("fino", lines["ripeti"])
    return lines


def _read_one(item: dict, lines: dict[str, int], report: Problems | None) -> Appointment | None:
    start = _moment(item["inizio"], "inizio", lines["inizio"], report)
    if start is None:
        return None
    end = None
    if "fine" in item:
        end = _end(item["fine"], start, lines["fine"], report)
        if end is False:
            return None
        if end is not None and end < start:
            if report:
                report.error(
                    lines["fine"],
                    f"l'appuntamento finisce ({item['fine']}) prima di cominciare ({item['inizio']})",
                    "controlla la data e l'ora di fine (il formato è AAAA-MM-GG HH:MM, oppure solo HH:MM per lo stesso giorno)",
                    "fine-prima-inizio",
                )
            return None
    every = until = None
    repeat = item.get("ripeti")
    if repeat is not None:
        every, until = repeat.get("ogni"), repeat.get("fino")
        if every is None:
            return None  # schema reported the missing `ogni`
        first_day = start.date() if isinstance(start, dt.datetime) else start
        if until is None or until < first_day:
            if report:
                report.error(
                    lines["fino"],
                    "la ripetizione non ha «fino»" if until is None else f"«fino» ({until}) viene prima dell'inizio",
                    f"aggiungi l'ultimo giorno, per esempio ripeti: {{ogni: {every}, fino: {_years_later(first_day, 1)}}}",
                    "ripeti-senza-fino",
                )
            return None
        latest = _years_later(first_day, LONGEST_REPEAT_YEARS)
        if until > latest:
            if report:
                report.error(
                    lines["fino"],
                    f"la ripetizione dura più di {LONGEST_REPEAT_YEARS} anni (fino al {until})",
                    f"metti fino: {latest} o prima; quando l'azione continua, allunga la data",
                    "ripeti-troppo-lunga",
                )
            return None
    return Appointment(start, end, item.get("luogo", ""), every, until)


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _moment(text: str, key: str, line: int, report: Problems | None) -> dt.datetime | dt.date | None:
    match = _MOMENT.match(text.strip())
    if match:
        year, month, day, hour, minute = match.groups()
        try:
            if hour is None:
                return dt.date(int(year), int(month), int(day))
            if len(hour) == 2 and text.strip()[-3] == ":":
                return dt.datetime(int(year), int(month), int(day), int(hour), int(minute))
        except ValueError:
            pass
    if report:
        report.error(
            line,
            f'"{key}" deve essere una data e un\'ora nel formato AAAA-MM-GG HH:MM (o solo la data), non "{text}"',
            f"scrivi per esempio {key}: 2026-10-06 17:00, con le ore da 00 a 23 e i due punti",
            "orario",
        )
    return None


def _end(text: str, start, line: int, report: Problems | None):
    """The end of an appointment: a moment like the start, or a time alone for the start's day. False when wrong."""
    stripped = text.strip()
    timed = isinstance(start, dt.datetime)
    if _TIME.match(stripped) and timed:
        match = _TIME.match(stripped)
        try:
            if len(match.group(1)) == 2 and ":" in stripped:
                return dt.datetime.combine(start.date(), dt.time(int(match.group(1)), int(match.group(2))))
        except ValueError:
            pass
        end = None
    else:
        end = _moment(text, "fine", line, None)
    if end is not None and isinstance(end, dt.datetime) == timed:
        return end
    if report:
        hint = (
            "scrivi l'ora di fine, per esempio fine: 19:00, o data e ora: fine: 2026-10-06 19:00"
            if timed
            else "per un appuntamento di tutto il giorno scrivi solo la data dell'ultimo giorno, per esempio fine: 2026-10-07"
        )
        report.error(line, f'"fine" non è una data o un\'ora valida per questo appuntamento: "{text}"', hint, "orario")
    return False
