"""Images and audio of page bundles, as content: what a `immagine` or `audio` key names, and its problems.

`check_media(sources)` (called by validation) finds every problem of an `immagine` or `audio`
key: a file outside its bundle, a missing or unreadable file, an unknown format, an original
too large. `Picture` and `Audio` are what the model gives the templates; their published copies are made by
`portale.pages.media_copies`. Every file reference must stay inside its bundle.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from portale.content.load import Source, Sources
from portale.content.problems import Problem, Problems

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

    @property
    def main(self) -> Variant:  # the `src`: the middle width, or the largest there is
        return self.variants[min(1, len(self.variants) - 1)]

    @property
    def largest(self) -> Variant:
        return self.variants[-1]


@dataclass
class Audio:
    origin: Path
    transcript_html: str
    mime: str
    path: str = ""  # output path, filled by publish_media
    size: int = 0

    @property
    def label(self) -> str:
        return self.origin.suffix.lstrip(".").upper()

    @property
    def size_text(self) -> str:  # shown beside the download link: readers on little data decide
        return _size_mb(self.size) if self.size >= 1024 * 1024 else f"{max(1, round(self.size / 1024))} KB"


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


# An image written in the body (Markdown or HTML) that points at a file: originals are never
# published, so it would be a broken image; external addresses (https://...) are left alone.
_BODY_IMAGE = re.compile(r"""!\[[^\]]*\]\(\s*<?([^)\s>]+)|<img\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


# The memo's name for "this file was opened and verified as an image, with no problem" (memo.py, `known_digest`).
VERIFIED = "immagine verificata\0"


def check_media(sources: Sources, memo=None) -> list[Problem]:
    """The problems of every image and recording the sources name. With the build's memo, an image whose identity is
    the one an earlier build verified is not opened again (0.6 ms a photo, on every build)."""
    sink: list[Problem] = []
    for source in sources.files:
        report = Problems(source.rel, sink)
        image = source.data.get("immagine")
        if image and image.get("file"):
            _check_image(source, image["file"], functools.partial(_file_line, source, "immagine"), report, memo)
        audio = source.data.get("audio")
        if audio and audio.get("file"):
            _check_audio(source, audio["file"], functools.partial(_file_line, source, "audio"), report)
    return sink


def check_body_images(source: Source, report: Problems) -> None:
    """Images in the body: a check of the file alone (validate.py runs it with the other ones, remembered in the memo)."""
    for offset, text in enumerate(source.body.split("\n")):
        for match in _BODY_IMAGE.finditer(text):
            target = match.group(1) or match.group(2)
            if not re.match(r"^(https?:)?//", target, re.IGNORECASE):
                report.error(
                    source.body_line + offset,
                    f'immagine nel testo "{target}": le foto non si mettono nel testo',
                    "togli la riga e indica la foto con immagine: {file: ..., alt: ...} nel front matter",
                    "immagine-nel-testo",
                )


def _file_line(source: Source, key: str) -> int:
    """The line of the file an image or audio key names: looked up only for a problem (a remembered file's front
    matter is unpickled when needed, load.Source.meta)."""
    raw = source.meta.get(key)
    line = getattr(raw, "key_lines", {}).get("file") if raw is not None else None
    return line or source.meta.key_lines.get(key, 1)


def _size_mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def _check_image(source: Source, name: str, line: Callable[[], int], report: Problems, memo=None) -> None:
    path, reason = resolve_in_bundle(source, name)
    if path is None:
        report.error(line(), f'immagine "{name}" non trovata', reason, "immagine-file")
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


def _check_audio(source: Source, name: str, line: Callable[[], int], report: Problems) -> None:
    path, reason = resolve_in_bundle(source, name)
    if path is None:
        report.error(line(), f'audio "{name}" non trovato', reason, "audio-file")
        return
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
    elif size > MAX_AUDIO_BYTES:
        report.error(
            line(),
            f'audio "{name}" troppo grande ({_size_mb(size)}, al massimo {_size_mb(MAX_AUDIO_BYTES)})',
            "dividilo in parti o salvalo come MP3 mono a 64 kbps",
            "audio-grande",
        )
    elif size > WARN_AUDIO_BYTES:
        report.warn(
            line(),
            f'audio "{name}" pesante ({_size_mb(size)})',
            "salvalo come MP3 mono a 64 kbps: basta per la voce",
            "audio-grande",
        )
