"""Calendars in iCalendar (RFC 5545), made with `icalendar`: each territory's `agenda.ics`, the network's, the copy in
`dati/` (opendata.py), and one `calendario.ics` per action, for a reader's phone to subscribe to or import.

- Each appointment is one VEVENT, a repetition an RRULE (the calendar client expands it, as the agenda page does).
- Times are Europe/Rome with its VTIMEZONE; an all-day event has DATE values, its DTEND the day after its last.
- The UID is the territory, the action and the appointment's first start: stable across builds and edits of the
  text (a changed time is a new event for a client: the old one is gone from the next download).
- DTSTAMP is the action's date, never the clock: two builds of the same content are byte-identical.
- Only published actions; the people named are those the action's page names (never someone without consent).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from urllib.parse import urlsplit

import icalendar

from portale.content.appointments import ZONE, Appointment
from portale.content.model import Action, Archive, Territory

PRODID = "-//Rete delle Portinerie di comunità//Portale dei Saperi//IT"


def render_calendars(archive: Archive) -> dict[str, bytes]:
    """{output path: bytes} of every calendar file."""
    out: dict[str, bytes] = {}
    title = archive.portal.title
    everything = [a for a in archive.actions if not a.draft]
    # An event is in three calendars (the network's, its territory's, its action's): serialised once (a fifth of
    # a no-change build at 4,000 stories).
    events = {id(a): [event(archive, a, appointment).to_ical() for appointment in a.appointments] for a in everything}
    network = calendar(everything, events, f"Agenda della rete · {title}")
    out["agenda.ics"] = network  # and dati/agenda.ics (opendata.py)
    for territory in archive.territories:
        own = [a for a in territory.actions if not a.draft]
        out[f"{territory.slug}/agenda.ics"] = calendar(own, events, f"Agenda · {territory.name} · {title}")
        for action in own:
            out[action.calendar_path] = calendar([action], events, f"{action.title} · {territory.name}")
    return out


def calendar(actions: list[Action], events: dict[int, list[bytes]], name: str) -> bytes:
    """A VCALENDAR of these actions' events (`events`: each action's serialised VEVENTs), with Europe/Rome's
    VTIMEZONE unless every event is all-day."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(ZONE))
    head, end = cal.to_ical().rsplit(b"END:VCALENDAR", 1)
    body = [item for action in actions for item in events[id(action)]]
    timed = any(not appointment.all_day for action in actions for appointment in action.appointments)
    return b"".join([head, rome() if timed else b"", *body, b"END:VCALENDAR", end])


@cache
def rome() -> bytes:
    """Europe/Rome's VTIMEZONE, as icalendar's `add_missing_timezones` makes it (1970-2038), serialised once."""
    return icalendar.Timezone.from_tzid(str(ZONE)).to_ical()


def uid(archive: Archive, action: Action, appointment: Appointment) -> str:
    start = appointment.start
    stamp = start.strftime("%Y%m%dT%H%M") if isinstance(start, dt.datetime) else start.strftime("%Y%m%d")
    host = urlsplit(archive.portal.base_url).hostname or "portale"
    return f"{action.territory.slug}-{action.slug}-{stamp}@{host}"


def description(archive: Archive, action: Action) -> str:
    lines = [action.summary] if action.summary else []
    who = [f"{p.label} ({p.skill.name})" if p.skill else p.label for p in action.participants if p.person is not None]
    if who:
        lines.append("Con: " + ", ".join(who))
    lines.append(archive.portal.base_url + action.path)
    return "\n".join(lines)


def event(archive: Archive, action: Action, appointment: Appointment) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", uid(archive, action, appointment))
    item.add("dtstamp", dt.datetime.combine(action.date, dt.time(), tzinfo=dt.UTC))
    item.add("summary", action.title)
    start, end = appointment.start, appointment.end
    if appointment.all_day:
        item.add("dtstart", start)
        item.add("dtend", (end or start) + dt.timedelta(days=1))  # DTEND of a DATE event is exclusive
    else:
        item.add("dtstart", start.replace(tzinfo=ZONE))
        if end is not None:
            item.add("dtend", end.replace(tzinfo=ZONE))
    if appointment.every is not None:
        until = appointment.until
        rule: dict = {"freq": "weekly" if appointment.every == "settimana" else "monthly"}
        # with a TZID start, UNTIL is in UTC (RFC 5545 3.3.10): the end of `fino`, Rome time
        rule["until"] = (
            until
            if appointment.all_day
            else dt.datetime.combine(until, dt.time(23, 59, 59), tzinfo=ZONE).astimezone(dt.UTC)
        )
        item.add("rrule", rule)
    if appointment.place:
        item.add("location", appointment.place)
    item.add("description", description(archive, action))
    item.add("url", archive.portal.base_url + action.path)
    item.add("status", "TENTATIVE" if action.status == "proposta" else "CONFIRMED")
    return item


def territory_calendar_path(territory: Territory | None) -> str:
    return f"{territory.slug}/agenda.ics" if territory else "agenda.ics"
