"""The recordings of a text as the model gives them to the pages: an audio file or a video with its segments.

Validation (media.check_media) has already refused a missing file, captions that do not parse, times out of order.
Here a transcript becomes its introduction and its segments, each with its HTML and the id of its heading on the
page (`t-00-03-15`); a video without a written transcript takes its segments from its captions, a cue opening a new
segment once `CAPTION_SEGMENT_SECONDS` have passed since the last one began. The captions are published as parsed,
after `clean` (privacy: the full names of people who are not fully public) went over every cue.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from portale.content import transcripts
from portale.content.load import Source
from portale.content.markup import render_markdown
from portale.content.media import AUDIO_TYPES, VIDEO_TYPES, Audio, LinkedVideo, Picture, Video, resolve_in_bundle
from portale.content.transcripts import Segment

CAPTION_SEGMENT_SECONDS = 30.0


def audio_of(source: Source) -> Audio | None:
    data = source.data.get("audio")
    if not data:
        return None
    origin, _ = resolve_in_bundle(source, data["file"])
    if origin is None:
        return None
    intro, segments = _timed(data["trascrizione"])
    return Audio(origin, intro, AUDIO_TYPES[origin.suffix.lower()], segments=segments)


def video_of(source: Source, clean: Callable[[str], str]) -> Video | LinkedVideo | None:
    data = source.data.get("video")
    if not data:
        return None
    if "url" in data:
        return LinkedVideo(data["url"], data.get("titolo", data["url"]))
    origin, _ = resolve_in_bundle(source, data["file"])
    captions_file, _ = resolve_in_bundle(source, data.get("sottotitoli", ""))
    if origin is None or captions_file is None:
        return None
    cues, _, _ = transcripts.read_captions(captions_file.read_bytes())
    for cue in cues:
        cue.text = clean(cue.text)
    captions = transcripts.write_captions([(cue.start, cue.end, cue.text) for cue in cues])
    if data.get("trascrizione"):
        intro, segments = _timed(data["trascrizione"])
    else:
        intro, segments = "", _from_captions(cues)
    poster = None
    if "poster" in data:
        poster_file, _ = resolve_in_bundle(source, data["poster"])
        poster = Picture(poster_file, "") if poster_file else None
    return Video(origin, intro, VIDEO_TYPES[origin.suffix.lower()], segments=segments, captions=captions, poster=poster)


def _timed(text: str) -> tuple[str, list[Segment]]:
    """(HTML of the introduction, or of the whole untimed transcript; the segments, their HTML made)."""
    transcript, _ = transcripts.read_transcript(text)
    if not transcript.segments:
        return render_markdown(text), []
    for segment in transcript.segments:
        segment.html = render_markdown(segment.text) if segment.text else ""
    return (render_markdown(transcript.intro) if transcript.intro else ""), transcript.segments


def _from_captions(cues: list[Segment]) -> list[Segment]:
    segments: list[Segment] = []
    for cue in cues:
        if segments and cue.start - segments[-1].start < CAPTION_SEGMENT_SECONDS:
            segments[-1].text += " " + cue.text
        else:
            segments.append(Segment(cue.start, cue.text, line=cue.line))
    for segment in segments:
        segment.html = render_markdown(_escape_markdown(segment.text))
    return segments


def _escape_markdown(text: str) -> str:
    """Captions are plain text: what Markdown would read as markup is shown as typed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|])", r"\\\1", text)


def give_anchors(recordings: list[Audio]) -> None:
    """Each segment's heading id, unique on the page: `t-00-03-15`, then `t-00-03-15-2` for a second recording."""
    taken: set[str] = set()
    for recording in recordings:
        for segment in recording.segments:
            name = base = transcripts.anchor(segment.start)
            n = 1
            while name in taken:
                n += 1
                name = f"{base}-{n}"
            taken.add(name)
            segment.anchor = name


def people_in_recordings(data: dict) -> list[str]:
    """The references to people a text's recordings make: `video.persone` and each segment's `persone`."""
    found: list[str] = []
    for key in ("audio", "video"):
        value = data.get(key)
        if not isinstance(value, dict):
            continue
        found.extend(value.get("persone", []))
        text = value.get("trascrizione", "")
        if text and ("persone" in text or "persona" in text):
            transcript, _ = transcripts.read_transcript(text)
            for segment in transcript.segments:
                found.extend(segment.people)
    return list(dict.fromkeys(found))
