"""Images, audio and video of page bundles, as content: what `immagine`, `galleria`, `audio`, `video` and the
images written in a body name, and their problems.

`check_media(sources)` (called by validation) finds every problem of those keys: a file outside its bundle, a
missing or unreadable file, an unknown format, an original too large, a video without captions, captions or timed
transcripts whose times are wrong (transcripts.py), a time past the end of the recording. `Picture`, `Audio`,
`Video` and `LinkedVideo` are what the model gives the templates; their published copies are made by
`portale.pages.media_copies`. Every file reference must stay inside its bundle.

The length of a recording is read from a WAV's header, and from any file by `ffprobe` when ffmpeg is installed; the
build's memo keeps it with the file's identity, so an unchanged recording is never opened again.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from portale.content import transcripts
from portale.content.load import Source, Sources
from portale.content.problems import Problem, Problems
from portale.content.transcripts import Segment

# Pillow is imported where an image is looked at: a build without photos does without it (0.02 s of every build).

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
WARN_IMAGE_BYTES = 5 * 1024 * 1024  # an original this large is published reduced, but weighs on the archive
MAX_IMAGE_BYTES = 25 * 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000  # beyond this an "image" is likely a decompression bomb

AUDIO_TYPES = {
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
}
WARN_AUDIO_BYTES = 10 * 1024 * 1024
MAX_AUDIO_BYTES = 40 * 1024 * 1024
VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm"}
VIDEO_CODECS = {"h264", "vp8", "vp9", "av1"}  # what every browser of our readers plays, in MP4 or WebM
SOUND_CODECS = {"aac", "opus", "vorbis", "mp3"}
WARN_VIDEO_BYTES = 50 * 1024 * 1024
MAX_VIDEO_BYTES = 150 * 1024 * 1024
MAX_CAPTION_BYTES = 2 * 1024 * 1024


@dataclass
class Variant:
    path: str  # output path, e.g. "aurora/storie/festa/mercato-800.jpg"
    width: int
    height: int


@dataclass
class Picture:
    """An image of a story, person or territory; `variants` are filled by publish_media."""

    origin: Path  # the original inside its bundle (already checked)
    alt: str
    variants: list[Variant] = field(default_factory=list)
    caption: str = ""  # a gallery's or a body image's caption

    @property
    def main(self) -> Variant:  # the `src`: the middle width, or the largest there is
        return self.variants[min(1, len(self.variants) - 1)]

    @property
    def largest(self) -> Variant:
        return self.variants[-1]


@dataclass
class Audio:
    origin: Path
    transcript_html: str  # the introduction of a timed transcript, or the whole of an untimed one
    mime: str
    path: str = ""  # output path, filled by publish_media
    size: int = 0
    segments: list[Segment] = field(default_factory=list)  # a timed transcript's segments, in time order
    speakers: list = field(default_factory=list)  # the published people interviewed (model.Person)
    kind: str = "audio"

    @property
    def label(self) -> str:
        return self.origin.suffix.lstrip(".").upper()

    @property
    def size_text(self) -> str:  # shown beside the download link: readers on little data decide
        return _size_mb(self.size) if self.size >= 1024 * 1024 else f"{max(1, round(self.size / 1024))} KB"


@dataclass
class Video(Audio):
    """A video of the bundle: published with its captions (`captions_path`) and, when given, a poster."""

    captions: bytes = b""  # the WebVTT published beside it (made from the parsed cues, names already hidden)
    captions_path: str = ""
    poster: Picture | None = None
    kind: str = "video"


@dataclass
class LinkedVideo:
    """A video hosted elsewhere: only a link with its title, never a player that follows the reader."""

    url: str
    title: str
    kind: str = "link"


def bundle_folder(source: Source) -> Path | None:
    """Where the files of a page live: its bundle folder; a territory's own folder for territorio.md."""
    if source.bundle is not None:
        return source.bundle
    if source.kind == "territorio":
        return source.path.parent
    return None


def resolve_in_bundle(source: Source, name: str) -> tuple[Path | None, str]:
    """(path, "") when `name` is a file inside the bundle, else (None, Italian reason)."""
    folder = bundle_folder(source)
    if folder is None:
        return (
            None,
            f"i file vanno in una cartella: sposta {source.rel} in {source.rel[:-3]}/index.md e metti il file accanto",
        )
    pure = PurePosixPath(name)
    # "%" too: "%2e%2e/" is ".." once a browser decodes the published URL
    if (
        "\\" in name
        or "%" in name
        or pure.is_absolute()
        or ".." in pure.parts
        or not pure.parts
        or name.startswith("~")
    ):
        return None, "scrivi solo il nome del file che sta accanto a index.md, per esempio foto.jpg (niente percorsi)"
    root = folder.resolve()
    target = (root / pure).resolve()
    if not target.is_relative_to(root) or target == root:
        return None, "il file deve stare nella cartella della pagina, non fuori"
    if not target.is_file():
        present = sorted(
            p.name for p in root.iterdir() if p.is_file() and p.name != "index.md" and not p.name.startswith(".")
        )
        return (
            None,
            f"metti il file accanto a index.md ({'file presenti: ' + ', '.join(present) if present else 'la cartella non ha altri file'})",
        )
    return target, ""


# An image written in the body: Markdown `![alt](file "caption")`, or an HTML <img> (refused: Markdown says it).
_MARKDOWN_IMAGE = re.compile(r"""!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+(["'])(.*?)\3)?\s*\)""")
_HTML_IMAGE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


@dataclass
class BodyImage:
    line: int  # of the file
    alt: str
    target: str
    caption: str
    alone: bool  # the only thing of its paragraph (a caption needs it: a <figure> cannot sit inside a <p>)


def body_images(source: Source) -> list[BodyImage]:
    """The Markdown images of a body, with their lines."""
    body = source.body
    if "![" not in body:
        return []
    found = []
    lines = body.split("\n")
    for offset, text in enumerate(lines):
        for match in _MARKDOWN_IMAGE.finditer(text):
            before = lines[offset - 1].strip() if offset else ""
            after = lines[offset + 1].strip() if offset + 1 < len(lines) else ""
            alone = text.strip() == match.group() and not before and not after
            found.append(
                BodyImage(
                    source.body_line + offset, match.group(1).strip(), match.group(2), match.group(4) or "", alone
                )
            )
    return found


# The memo's name for "this file was opened and verified as an image, with no problem" (memo.py, `known_digest`).
VERIFIED = "immagine verificata\0"
DURATION = "durata\0"  # the memo's name for what ffprobe said of a recording (its length, its codecs)


def check_media(sources: Sources, memo=None) -> list[Problem]:
    """The problems of every image and recording the sources name. With the build's memo, an image whose identity is
    the one an earlier build verified is not opened again (0.6 ms a photo, on every build), nor a recording whose
    length was read."""
    sink: list[Problem] = []
    people = {(s.territory, s.slug) for s in sources.files if s.kind == "persona"}
    ffmpeg_missing = shutil.which("ffmpeg") is None
    for source in sources.files:
        report = Problems(source.rel, sink)
        image = source.data.get("immagine")
        if image and image.get("file"):
            _check_image(source, image["file"], functools.partial(_file_line, source, "immagine"), report, memo)
        for index, entry in enumerate(source.data.get("galleria", [])):
            _check_image(source, entry["file"], functools.partial(_gallery_line, source, index), report, memo)
        _check_body_images(source, report, memo)
        audio = source.data.get("audio")
        if audio and audio.get("file"):
            line = functools.partial(_file_line, source, "audio")
            path = _check_audio(source, audio["file"], line, report)
            length = recording_length(path, memo) if path else None
            _check_transcript(source, "audio", audio.get("trascrizione", ""), length, people, report)
        video = source.data.get("video")
        if video:
            _check_video(source, video, people, report, memo, ffmpeg_missing)
    return sink


def _check_body_images(source: Source, report: Problems, memo) -> None:
    if _HTML_IMAGE.search(source.body):  # a regex search: lowering every body cost 0.1 s a build
        for offset, text in enumerate(source.body.split("\n")):
            for match in _HTML_IMAGE.finditer(text):
                report.error(
                    source.body_line + offset,
                    f'immagine nel testo scritta in HTML ("{match.group(1)}")',
                    "scrivila in Markdown, con il file accanto a index.md: ![cosa si vede](foto.jpg)",
                    "immagine-nel-testo",
                )
    for image in body_images(source):
        if _REMOTE.match(image.target):
            report.error(
                image.line,
                f'immagine nel testo da un altro sito "{image.target}"',
                "le pagine non caricano niente da altri siti: scarica la foto (se puoi pubblicarla), mettila accanto a index.md e scrivi ![cosa si vede](foto.jpg)",
                "immagine-nel-testo",
            )
            continue
        if not image.alt:
            report.error(
                image.line,
                f'immagine nel testo "{image.target}" senza descrizione',
                "scrivi tra le parentesi quadre che cosa si vede, per chi non vede la foto: ![Il banco al mercato](foto.jpg)",
                "immagine-alt",
            )
        if image.caption and not image.alone:
            report.error(
                image.line,
                f'immagine con didascalia "{image.target}" in mezzo al testo',
                "mettila su una riga da sola, con una riga vuota prima e dopo",
                "immagine-nel-testo",
            )
        _check_image(source, image.target, lambda line=image.line: line, report, memo, "immagine nel testo")


def _gallery_line(source: Source, index: int) -> int:
    raw = source.meta.get("galleria")
    item = raw[index] if isinstance(raw, list) and index < len(raw) else None
    return (
        getattr(item, "key_lines", {}).get("file")
        or getattr(item, "line", 0)
        or source.meta.key_lines.get("galleria", 1)
    )


def _key_line(source: Source, key: str, sub: str) -> int:
    raw = source.meta.get(key)
    return getattr(raw, "key_lines", {}).get(sub) or source.meta.key_lines.get(key, 1)


def _transcript_line(source: Source, key: str) -> int:
    """The line of a transcript's first line of text: the line after `trascrizione: |`, or the key's own line."""
    raw = source.meta.get(key)
    value = raw.get("trascrizione") if hasattr(raw, "get") else None
    line = _key_line(source, key, "trascrizione")
    return line + 1 if value is not None and "\n" in str(value) else line


def _check_transcript(source: Source, key: str, text: str, length: float | None, people: set, report: Problems) -> None:
    """A timed transcript: its times in order and within the recording, its keywords, the people it names."""
    transcript, problems = transcripts.read_transcript(text or "")
    if not problems and not transcript.segments:
        return
    first = _transcript_line(source, key)
    for problem in problems:
        report.error(first + problem.line - 1, f"trascrizione: {problem.message}", problem.hint, problem.code)
    for segment in transcript.segments:
        line = first + segment.line - 1
        if length is not None and segment.start > length:
            report.error(
                line,
                f"trascrizione: il tempo {segment.clock} va oltre la fine della registrazione ({transcripts.clock(length)})",
                "controlla il tempo: la registrazione è più corta",
                "trascrizione-tempo",
            )
        for ref in segment.people:
            _check_person_ref(source, ref, line, people, report, "nel segmento della trascrizione")


def _check_person_ref(source: Source, ref: str, line: int, people: set, report: Problems, where: str) -> None:
    owner, _, slug = ref.rpartition("/")
    if (owner or source.territory, slug) not in people:
        report.error(
            line,
            f'persona sconosciuta "{ref}" {where}',
            f"scrivi il nome del file di una persona in content/{owner or source.territory}/persone/",
            "persona-sconosciuta",
        )


def _check_video(source: Source, video: dict, people: set, report: Problems, memo, ffmpeg_missing: bool) -> None:
    key_line = functools.partial(_key_line, source, "video")
    if "url" in video or "file" not in video:
        if "file" in video:
            report.error(
                key_line("url"),
                "il video ha sia file sia url",
                "tieni file (un video nella cartella) oppure url (un video su un altro sito), non tutti e due",
                "video-file",
            )
        elif "url" not in video:
            report.error(
                source.meta.key_lines.get("video", 1),
                "il video non ha né file né url",
                "scrivi video: {file: intervista.mp4, sottotitoli: intervista.vtt} oppure video: {url: https://..., titolo: ...}",
                "video-file",
            )
        elif "titolo" not in video:
            report.error(
                key_line("url"),
                "il video su un altro sito non ha titolo",
                "aggiungi titolo: ... : il sito mostra un link con il titolo, non il video",
                "video-titolo",
            )
        return
    name = video["file"]
    path, reason = resolve_in_bundle(source, name)
    if path is None:
        report.error(key_line("file"), f'video "{name}" non trovato', reason, "video-file")
    else:
        _check_video_file(path, name, key_line("file"), report, memo)
        if ffmpeg_missing:
            report.warn(
                key_line("file"),
                f'video "{name}": ffmpeg non è installato, il video è pubblicato con i suoi metadati (data, luogo, apparecchio)',
                "installa ffmpeg (apt-get install ffmpeg) sul computer che costruisce il sito",
                "video-metadati",
            )
    if "poster" in video:
        _check_image(source, video["poster"], lambda: key_line("poster"), report, memo, "copertina")
    for ref in video.get("persone", []):
        _check_person_ref(source, ref, key_line("persone"), people, report, "in video.persone")
    if "sottotitoli" not in video:
        report.error(
            source.meta.key_lines.get("video", 1),
            f'il video "{name}" non ha sottotitoli',
            "un'intervista senza sottotitoli non è accessibile: aggiungi sottotitoli: intervista.vtt (la guida dice come farli)",
            "video-sottotitoli",
        )
        return
    length = recording_length(path, memo) if path is not None else None
    captions_name = video["sottotitoli"]
    captions, reason = resolve_in_bundle(source, captions_name)
    if captions is None:
        report.error(key_line("sottotitoli"), f'sottotitoli "{captions_name}" non trovati', reason, "video-sottotitoli")
    elif captions.suffix.lower() != ".vtt" or captions.stat().st_size > MAX_CAPTION_BYTES:
        report.error(
            key_line("sottotitoli"),
            f'"{captions_name}" non è un file di sottotitoli WebVTT (.vtt)',
            transcripts._SAVE_AS,
            "sottotitoli-formato",
        )
    else:
        segments, end, problems = transcripts.read_captions(captions.read_bytes())
        rel = f"{source.rel.rsplit('/', 1)[0]}/{captions_name}"
        captions_report = Problems(rel, report.sink)
        for problem in problems:
            captions_report.error(problem.line, problem.message, problem.hint, problem.code)
        if length is not None and segments and end > length + 1:
            captions_report.error(
                segments[-1].line,
                f"l'ultimo sottotitolo finisce a {transcripts.clock(end)}, dopo la fine del video ({transcripts.clock(length)})",
                "controlla i tempi: forse i sottotitoli sono di un'altra versione del video",
                "sottotitoli-tempi",
            )
    _check_transcript(source, "video", video.get("trascrizione", ""), length, people, report)


def _check_video_file(path: Path, name: str, line: int, report: Problems, memo) -> None:
    suffix = path.suffix.lower()
    found = suffix  # a file probed by an earlier build, of the same identity, had a video's header
    if memo is None or memo.known_digest(str(path), DURATION) is None:
        with open(path, "rb") as handle:
            head = handle.read(16)
        found = ".mp4" if head[4:8] == b"ftyp" else ".webm" if head[:4] == b"\x1a\x45\xdf\xa3" else None
    if suffix not in VIDEO_TYPES or found is None or VIDEO_TYPES[found] != VIDEO_TYPES[suffix]:
        report.error(
            line,
            f'"{name}" non è un video che i browser sanno riprodurre',
            "esportalo come MP4 (H.264 e AAC), per esempio con HandBrake o Shotcut, e scrivi il nuovo nome",
            "video-formato",
        )
        return
    size = path.stat().st_size
    if size > MAX_VIDEO_BYTES:
        report.error(
            line,
            f'video "{name}" troppo grande ({_size_mb(size)}, al massimo {_size_mb(MAX_VIDEO_BYTES)})',
            "esportalo a 720 pixel di altezza, o dividilo in parti",
            "video-grande",
        )
        return
    if size > WARN_VIDEO_BYTES:
        report.warn(
            line,
            f'video "{name}" pesante ({_size_mb(size)})',
            "esportalo a 720 pixel di altezza: chi legge dal telefono lo scarica prima",
            "video-grande",
        )
    codecs = probe(path, memo).get("codecs", [])
    odd = [c for c in codecs if c not in VIDEO_CODECS | SOUND_CODECS]
    if odd:
        report.error(
            line,
            f'il video "{name}" usa una codifica che molti browser non riproducono ({", ".join(odd)})',
            "esportalo come MP4 con video H.264 e audio AAC (per esempio con HandBrake, preset «Fast 720p30»)",
            "video-formato",
        )


def probe(path: Path, memo=None) -> dict:
    """What ffprobe says of a recording: {"length": seconds, "codecs": [...]}; {} without ffprobe or when it cannot
    tell. Remembered by the memo with the file's identity: an unchanged 30 MB video is not opened again."""
    known = memo.known_digest(str(path), DURATION) if memo is not None else None
    if known is not None:
        return json.loads(known)
    st = path.stat()
    found: dict = {}
    if path.suffix.lower() == ".wav":
        import wave

        try:
            with wave.open(str(path)) as recording:
                found = {"length": recording.getnframes() / recording.getframerate(), "codecs": []}
        except (wave.Error, EOFError, ZeroDivisionError):
            found = {}
    elif shutil.which("ffprobe"):
        try:
            result = subprocess.run(
                [
                    "ffprobe",
                    "-v",
                    "error",
                    "-show_entries",
                    "format=duration:stream=codec_name",
                    "-of",
                    "json",
                    str(path),
                ],
                capture_output=True,
                timeout=60,
                check=False,
            )
            data = json.loads(result.stdout or b"{}")
            length = data.get("format", {}).get("duration")
            found = {
                "length": float(length) if length not in (None, "N/A") else None,
                "codecs": [s["codec_name"] for s in data.get("streams", []) if s.get("codec_name")],
            }
            if found["length"] is None:
                del found["length"]
        except (OSError, ValueError, subprocess.TimeoutExpired):
            found = {}
    if memo is not None:
        memo.note_read(str(path), st, json.dumps(found), DURATION)
    return found


def recording_length(path: Path, memo=None) -> float | None:
    """A recording's length in seconds, where it can be read."""
    return probe(path, memo).get("length")


def _file_line(source: Source, key: str) -> int:
    """The line of the file an image or audio key names: looked up only for a problem (a remembered file's front
    matter is unpickled when needed, load.Source.meta)."""
    raw = source.meta.get(key)
    line = getattr(raw, "key_lines", {}).get("file") if raw is not None else None
    return line or source.meta.key_lines.get(key, 1)


def _size_mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def _check_image(
    source: Source, name: str, line: Callable[[], int], report: Problems, memo=None, what: str = "immagine"
) -> None:
    path, reason = resolve_in_bundle(source, name)
    if path is None:
        report.error(line(), f'{what} "{name}" non trovata', reason, "immagine-file")
        return
    st = path.stat()
    size = st.st_size
    if size > MAX_IMAGE_BYTES:
        report.error(
            line(),
            f'immagine "{name}" troppo grande ({_size_mb(size)}, al massimo {_size_mb(MAX_IMAGE_BYTES)})',
            "riducila a circa 2000 pixel di lato prima di aggiungerla",
            "immagine-grande",
        )
        return
    if memo is None or memo.known_digest(str(path), VERIFIED) is None:
        if not _verify_image(path, name, line, report):
            return
        if memo is not None:
            memo.note_read(str(path), st, "ok", VERIFIED)
    if size > WARN_IMAGE_BYTES:
        report.warn(
            line(),
            f'immagine "{name}" molto pesante ({_size_mb(size)}): il sito ne pubblica copie ridotte, ma l\'archivio si appesantisce',
            "riducila a circa 2000 pixel di lato",
            "immagine-grande",
        )


def _verify_image(path: Path, name: str, line: Callable[[], int], report: Problems) -> bool:
    """Open the image and check its format and size in pixels; False (with the error reported) when it fails."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as im:
                kind, pixels = im.format, im.width * im.height
                im.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        PILImage.DecompressionBombWarning,
        PILImage.DecompressionBombError,
    ):
        report.error(
            line(), f'"{name}" non è un\'immagine leggibile', "salvala di nuovo come JPEG o PNG", "immagine-formato"
        )
        return False
    if kind not in IMAGE_FORMATS:
        report.error(
            line(),
            f'formato d\'immagine non supportato ({kind}) per "{name}"',
            "salvala come JPEG (foto) o PNG (disegni)",
            "immagine-formato",
        )
        return False
    if pixels > MAX_IMAGE_PIXELS:
        report.error(
            line(),
            f'immagine "{name}" troppo grande ({pixels // 1_000_000} megapixel)',
            "riducila a circa 2000 pixel di lato",
            "immagine-grande",
        )
        return False
    return True


def _audio_kind(head: bytes) -> str | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return ".wav"
    if head[:4] == b"OggS":
        return ".ogg"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return ".mp3"
    if head[4:8] == b"ftyp":
        return ".m4a"
    return None


def _check_audio(source: Source, name: str, line: Callable[[], int], report: Problems) -> Path | None:
    """The recording's path when it is one browsers play (its length can then be read), else None."""
    path, reason = resolve_in_bundle(source, name)
    if path is None:
        report.error(line(), f'audio "{name}" non trovato', reason, "audio-file")
        return None
    suffix = path.suffix.lower()
    size = path.stat().st_size
    with open(path, "rb") as handle:
        found = _audio_kind(handle.read(16))
    same_family = found is not None and AUDIO_TYPES.get(found) == AUDIO_TYPES.get(suffix)
    if suffix not in AUDIO_TYPES or not same_family:
        report.error(
            line(),
            f'"{name}" non è un file audio che i browser sanno suonare',
            "convertilo in MP3 (per esempio con Audacity) e scrivi il nuovo nome",
            "audio-formato",
        )
        return None
    if size > MAX_AUDIO_BYTES:
        report.error(
            line(),
            f'audio "{name}" troppo grande ({_size_mb(size)}, al massimo {_size_mb(MAX_AUDIO_BYTES)})',
            "dividilo in parti o salvalo come MP3 mono a 64 kbps",
            "audio-grande",
        )
        return None
    if size > WARN_AUDIO_BYTES:
        report.warn(
            line(),
            f'audio "{name}" pesante ({_size_mb(size)})',
            "salvalo come MP3 mono a 64 kbps: basta per la voce",
            "audio-grande",
        )
    return path
