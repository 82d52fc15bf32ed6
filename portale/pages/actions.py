"""What readers see of actions: the lists by state, an action's next and past meetings, the agenda of the months
ahead (repetitions expanded, grouped by month). Plain data for the templates; the build date (`--oggi`) is "today".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portale.content.appointments import Appointment, Occurrence
from portale.content.model import ACTION_STATES, Action, Territory, occurrence_order

AGENDA_MONTHS = 12  # the agenda shows the appointments of the next twelve months
SOON_DAYS = 30  # "in the next 30 days", as the numbers count them
NEXT_SHOWN = 6  # an action's page lists its next meetings, then says how many more
PAST_SHOWN = 6
MONTH_NAMES = [
    "Gennaio",
    "Febbraio",
    "Marzo",
    "Aprile",
    "Maggio",
    "Giugno",
    "Luglio",
    "Agosto",
    "Settembre",
    "Ottobre",
    "Novembre",
    "Dicembre",
]
WEEKDAYS = ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"]


@dataclass(frozen=True)
class Meeting:
    """One meeting of an action, as a list shows it."""

    occurrence: Occurrence
    action: Action

    @property
    def anchor(self) -> str:
        """The id of the meeting on an agenda page: its action and its start."""
        start = self.occurrence.start
        stamp = start.strftime("%Y%m%dT%H%M") if isinstance(start, dt.datetime) else start.strftime("%Y%m%d")
        return f"{self.action.territory.slug}-{self.action.slug}-{stamp}"


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def agenda_end(today: dt.date) -> dt.date:
    return months_later(today, AGENDA_MONTHS)


def by_state(actions: list[Action]) -> list[tuple[str, str, list[Action]]]:
    """(state, its name, the actions in it) for each state with actions, in corso first."""
    return [
        (state, name, [a for a in actions if a.status == state])
        for state, name in ACTION_STATES.items()
        if any(a.status == state for a in actions)
    ]


def meetings(actions: list[Action], since: dt.date, before: dt.date) -> list[Meeting]:
    """Every meeting of `actions` from `since` to before `before`, in time order."""
    found = [Meeting(o, a) for a in actions for o in a.occurrences(since, before)]
    return sorted(found, key=lambda m: (*occurrence_order(m.occurrence), m.action.title.casefold(), m.action.slug))


def agenda(actions: list[Action], today: dt.date) -> list[tuple[str, list[Meeting]]]:
    """The meetings of the next twelve months, grouped by month: [("Dicembre 2026", [...]), ...]."""
    months: dict[tuple[int, int], list[Meeting]] = {}
    for meeting in meetings(actions, today, agenda_end(today)):
        day = meeting.occurrence.day
        months.setdefault((day.year, day.month), []).append(meeting)
    return [(f"{MONTH_NAMES[month - 1]} {year}", found) for (year, month), found in months.items()]


def territory_actions(territories: list[Territory]) -> list[Action]:
    return [a for t in territories for a in t.actions]


@dataclass(frozen=True)
class ActionDates:
    """An action's meetings around today: the next ones and the latest past ones, with how many more of each."""

    upcoming: list[Occurrence]
    more_upcoming: int
    past: list[Occurrence]  # most recent first
    more_past: int


def action_dates(action: Action, today: dt.date) -> ActionDates:
    if not action.appointments:
        return ActionDates([], 0, [], 0)
    first = min(a.first_day for a in action.appointments)
    past = action.occurrences(first, today)[::-1]
    upcoming = action.occurrences(today, agenda_end(today))
    return ActionDates(
        upcoming[:NEXT_SHOWN],
        len(upcoming) - NEXT_SHOWN if len(upcoming) > NEXT_SHOWN else 0,
        past[:PAST_SHOWN],
        max(0, len(past) - PAST_SHOWN),
    )


def when(occurrence: Occurrence) -> str:
    """An Italian reader's way to say a meeting's time: "martedì 6 ottobre 2026, 17:00–19:00"."""
    start, end = occurrence.start, occurrence.end
    day = occurrence.day
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1].lower()} {day.year}"
    if isinstance(start, dt.datetime):
        text += f", {start:%H:%M}"
        if isinstance(end, dt.datetime):
            text += (
                f"–{end:%H:%M}"
                if end.date() == day
                else f" – {end.day} {MONTH_NAMES[end.month - 1].lower()} {end:%H:%M}"
            )
    elif end is not None and end != start:
        text += f" – {end.day} {MONTH_NAMES[end.month - 1].lower()} {end.year} (tutto il giorno)"
    else:
        text += " (tutto il giorno)"
    return text


def repeats(occurrence: Occurrence) -> str:
    """ "ogni settimana", "ogni mese", or "" for a single appointment."""
    every = occurrence.appointment.every
    return f"ogni {every}" if every else ""


def _day(day: dt.date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1].lower()} {day.year}"


def rule(appointment: Appointment) -> str:
    """An appointment as its rule: "ogni martedì, 17:00–19:00, dal 6 ottobre 2026 al 27 giugno 2028", or its one
    date ("martedì 6 ottobre 2026, 17:00–19:00")."""
    first = Occurrence(appointment, appointment.start, appointment.end)
    if appointment.every is None:
        return when(first)
    start, end = appointment.start, appointment.end
    hours = ""
    if isinstance(start, dt.datetime):
        hours = f", {start:%H:%M}" + (
            f"–{end:%H:%M}" if isinstance(end, dt.datetime) and end.date() == start.date() else ""
        )
    day = appointment.first_day
    often = f"ogni {WEEKDAYS[day.weekday()]}" if appointment.every == "settimana" else f"ogni mese, il giorno {day.day}"
    return f"{often}{hours}, dal {_day(day)} al {_day(appointment.until)}"


def iso(moment: dt.date | dt.datetime) -> str:
    """The value of a <time datetime>: a date, or a local date and time."""
    return moment.strftime("%Y-%m-%dT%H:%M") if isinstance(moment, dt.datetime) else moment.isoformat()
