"""Timed transcripts of recordings: segments that start at a time, carry keywords and name people.

A transcript (`audio.trascrizione`, `video.trascrizione`) is Markdown. A paragraph that starts with a time,
`[00:03:15]` (or `[03:15]`), opens a segment; the paragraphs after it, up to the next time, belong to it. Right after
the time, `{tag: lana, tosatura; persone: anna-rossi}` gives the segment its keywords (resolved like tags) and the
people it is about (slugs, as in `persone`). Paragraphs before the first time are an introduction with no time.

A video's captions are a WebVTT file (`video.sottotitoli`), read by webvtt-py; its cues become the segments of a
video that has no written transcript. webvtt-py gives no line numbers and accepts some broken timings, so the lines
are read here too: each timing line with its line number, in the order of the parser's cues.

`read_transcript` and `read_captions` return what they found and the problems, each with a line relative to the
text; the caller (media.check_media, the model) places them in the file.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

_TIME = r"(?:(\d{1,2}):)?([0-5]?\d):([0-5]\d)"
_SEGMENT_START = re.compile(r"^\[\s*([^\]]*?)\s*\]\s*(?:\{([^}]*)\}\s*)?")
_STRICT_TIME = re.compile(rf"^{_TIME}$")
SEGMENT_KEYS = {"tag": "keywords", "persone": "people", "persona": "people"}

_CUE_TIME = r"(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}"
_CUE_TIMING = re.compile(rf"^\s*({_CUE_TIME})[ \t]+-->[ \t]+({_CUE_TIME})(?:[ \t]+.*)?$")
_LOOKS_LIKE_TIMING = re.compile(r"^\s*\d[\d:.,]*\s*(?:-+>|–>|—>|-->)|-->")


@dataclass
class Segment:
    """A moment of a recording: from `start` seconds, its text, keywords and the people it is about."""

    start: float
    text: str  # Markdown (a transcript) or plain text (a caption)
    keywords: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)  # references, "slug" or "territorio/slug"
    line: int = 1  # of the time, relative to the transcript or captions file
    end: float = 0.0  # a caption's end (0 for a transcript's segment)
    html: str = ""  # filled by the model
    anchor: str = ""  # "t-00-03-15": the id of the segment's heading on the page
    words: list = field(default_factory=list)  # the keywords as words of the dictionary (model.Word)
    mentions: list = field(default_factory=list)  # the published people it is about (model.Person)

    @property
    def clock(self) -> str:
        """The time as a reader says it: "3:15", "1:03:15"."""
        return clock(self.start)

    @property
    def seconds(self) -> str:
        """The time of a media fragment (`#t=195`)."""
        return f"{self.start:g}"

    @property
    def first_words(self) -> str:
        words = re.sub(r"[*_`#>\[\]]", "", self.text).split()
        return " ".join(words[:12]) + (" …" if len(words) > 12 else "")


@dataclass
class Finding:
    line: int  # relative to the text (1 = its first line)
    message: str
    hint: str
    code: str


def clock(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def anchor(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"t-{hours:02d}-{minutes:02d}-{secs:02d}"


@dataclass
class Transcript:
    intro: str  # Markdown before the first time ("" when none); the whole text when untimed
    segments: list[Segment]

    @property
    def timed(self) -> bool:
        return bool(self.segments)


def read_transcript(text: str) -> tuple[Transcript, list[Finding]]:
    """Split a transcript into its introduction and its timed segments; problems of the times and keywords."""
    problems: list[Finding] = []
    intro: list[str] = []
    segments: list[Segment] = []
    paragraph: list[str] = []
    start_line = 1

    def close() -> None:
        if not paragraph:
            return
        block = "\n".join(paragraph)
        match = _SEGMENT_START.match(block)
        time = _STRICT_TIME.match(match.group(1)) if match else None
        if match and time is None and re.match(r"^[\d:.\s]+$", match.group(1)):
            problems.append(
                Finding(
                    start_line,
                    f'tempo non valido "[{match.group(1)}]" all\'inizio del paragrafo',
                    "scrivi ore, minuti e secondi tra parentesi quadre, per esempio [00:03:15]",
                    "trascrizione-tempo",
                )
            )
        if time is None:
            if segments:
                segments[-1].text += "\n\n" + block
            else:
                intro.append(block)
            return
        hours, minutes, secs = (int(g or 0) for g in time.groups())
        segment = Segment(hours * 3600 + minutes * 60 + secs, block[match.end() :].strip(), line=start_line)
        if match.group(2) is not None:
            _read_marks(match.group(2), segment, start_line, problems)
        if segments and segment.start <= segments[-1].start:
            problems.append(
                Finding(
                    start_line,
                    f"il tempo [{match.group(1)}] non viene dopo quello del segmento precedente ({segments[-1].clock})",
                    "i segmenti vanno in ordine di tempo, ciascuno dopo il precedente: controlla ore, minuti e secondi",
                    "trascrizione-ordine",
                )
            )
        segments.append(segment)

    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if not paragraph:
                start_line = number
            paragraph.append(line)
        else:
            close()
            paragraph = []
    close()
    return Transcript("\n\n".join(intro), segments), problems


def _read_marks(marks: str, segment: Segment, line: int, problems: list[Finding]) -> None:
    for part in marks.split(";"):
        if not part.strip():
            continue
        key, colon, values = part.partition(":")
        attribute = SEGMENT_KEYS.get(key.strip())
        if not colon or attribute is None:
            problems.append(
                Finding(
                    line,
                    f'parola chiave del segmento non riconosciuta: "{part.strip()}"',
                    "scrivi per esempio {tag: lana, tosatura} oppure {tag: lana; persone: anna-rossi}",
                    "trascrizione-chiavi",
                )
            )
            continue
        for value in values.split(","):
            if value.strip():
                getattr(segment, attribute).append(value.strip())


def seconds_of(cue_time: str) -> float:
    parts = cue_time.split(":")
    hours = int(parts[0]) if len(parts) == 3 else 0
    minutes, secs = int(parts[-2]), float(parts[-1])
    return hours * 3600 + minutes * 60 + secs


def read_captions(data: bytes) -> tuple[list[Segment], float, list[Finding]]:
    """The cues of a WebVTT file as segments (their text, plain), the end of the last cue, and the problems."""
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    problems: list[Finding] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], 0.0, [Finding(1, "il file dei sottotitoli non è testo UTF-8", _SAVE_AS, "sottotitoli-formato")]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        return [], 0.0, [Finding(1, "il file dei sottotitoli non inizia con WEBVTT", _SAVE_AS, "sottotitoli-formato")]
    timings: list[tuple[int, float, float]] = []
    for number, line in enumerate(lines, 1):
        match = _CUE_TIMING.match(line)
        if match:
            timings.append((number, seconds_of(match.group(1)), seconds_of(match.group(2))))
        elif _LOOKS_LIKE_TIMING.search(line):
            hint = (
                "usa il punto prima dei millesimi: 00:01:02.500, non 00:01:02,500"
                if re.search(r"\d,\d{3}", line)
                else "scrivi inizio --> fine, per esempio 00:01:02.500 --> 00:01:05.000"
            )
            problems.append(
                Finding(number, f'tempi del sottotitolo non validi: "{line.strip()}"', hint, "sottotitoli-tempi")
            )
    if problems:
        return [], 0.0, problems
    try:
        captions = list(webvtt.from_buffer(io.StringIO("\n".join(lines))))
    except (MalformedFileError, MalformedCaptionError, ValueError) as exc:
        return [], 0.0, [Finding(1, f"il file dei sottotitoli non si legge ({exc})", _SAVE_AS, "sottotitoli-formato")]
    if len(captions) != len(timings):  # a timing line the parser did not take as a cue
        return [], 0.0, [Finding(1, "il file dei sottotitoli non si legge per intero", _SAVE_AS, "sottotitoli-formato")]
    segments: list[Segment] = []
    previous_end, previous_start = 0.0, -1.0
    for (number, start, end), caption in zip(timings, captions):
        if end <= start:
            problems.append(
                Finding(
                    number,
                    f"il sottotitolo finisce ({caption.end}) prima di cominciare ({caption.start})",
                    "la fine va dopo l'inizio: controlla i due tempi",
                    "sottotitoli-tempi",
                )
            )
        elif start < previous_start:
            problems.append(
                Finding(
                    number,
                    f"il sottotitolo delle {caption.start} viene prima del precedente",
                    "metti i sottotitoli in ordine di tempo (il programma di sottotitolazione lo fa da sé)",
                    "sottotitoli-ordine",
                )
            )
        elif start < previous_end:
            problems.append(
                Finding(
                    number,
                    f"il sottotitolo comincia ({caption.start}) prima che finisca il precedente",
                    "fai finire il sottotitolo precedente prima, o comincia questo più tardi",
                    "sottotitoli-ordine",
                )
            )
        previous_start, previous_end = max(previous_start, start), max(previous_end, end)
        words = " ".join(re.sub(r"<[^>]*>", "", caption.text).split())
        if words:
            segments.append(Segment(start, words, line=number, end=end))
    return segments, previous_end, problems


_SAVE_AS = "salva i sottotitoli come WebVTT (.vtt, UTF-8), per esempio con Subtitle Edit o Aegisub"


def write_captions(segments: list[tuple[float, float, str]]) -> bytes:
    """A WebVTT file of (start, end, text) cues, made by webvtt-py (the published captions: names already hidden)."""
    import webvtt

    vtt = webvtt.WebVTT()
    for start, end, text in segments:
        vtt.captions.append(webvtt.Caption(_cue_time(start), _cue_time(end), text))
    return (vtt.content.rstrip("\n") + "\n").encode("utf-8")


def _cue_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"
