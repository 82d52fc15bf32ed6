"""Images and audio of page bundles: checked with the content, published beside their page.

`check_media(sources)` (called by validation) finds every problem of an `immagine` or `audio`
key: a file outside its bundle, a missing or unreadable file, an unknown format, an original
too large. `publish_media(archive)` (a build stage after the model) makes the published files:
- an image becomes a few resized copies (Pillow), EXIF orientation applied first, then rebuilt
  from its pixels alone, so no EXIF, GPS, XMP, ICC profile, comment or PNG text survives;
- an audio file is copied as it is (only its container type is checked).
Originals never reach the site. Every file reference must stay inside its bundle.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import warnings
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Callable

from .load import Source, Sources
from .problems import Problem, Problems
from .slugs import slugify

if TYPE_CHECKING:
    from PIL import Image as PILImage

# Pillow is imported where an image is looked at: a build without photos does without it (0.02 s of every build).

IMAGE_WIDTHS = (480, 800, 1200)  # phone, tablet, desktop at 2x of the 46rem column
JPEG_QUALITY = 78
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
WARN_IMAGE_BYTES = 5 * 1024 * 1024  # an original this large is published reduced, but weighs on the archive
MAX_IMAGE_BYTES = 25 * 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000  # beyond this an "image" is likely a decompression bomb

AUDIO_TYPES = {".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".oga": "audio/ogg", ".opus": "audio/ogg", ".m4a": "audio/mp4", ".wav": "audio/wav"}
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
        return None, f"i file vanno in una cartella: sposta {source.rel} in {source.rel[:-3]}/index.md e metti il file accanto"
    pure = PurePosixPath(name)
    # "%" too: "%2e%2e/" is ".." once a browser decodes the published URL
    if "\\" in name or "%" in name or pure.is_absolute() or ".." in pure.parts or not pure.parts or name.startswith("~"):
        return None, "scrivi solo il nome del file che sta accanto a index.md, per esempio foto.jpg (niente percorsi)"
    root = folder.resolve()
    target = (root / pure).resolve()
    if not target.is_relative_to(root) or target == root:
        return None, "il file deve stare nella cartella della pagina, non fuori"
    if not target.is_file():
        present = sorted(p.name for p in root.iterdir() if p.is_file() and p.name != "index.md" and not p.name.startswith("."))
        return None, f"metti il file accanto a index.md ({'file presenti: ' + ', '.join(present) if present else 'la cartella non ha altri file'})"
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
                report.error(source.body_line + offset, f'immagine nel testo "{target}": le foto non si mettono nel testo', "togli la riga e indica la foto con immagine: {file: ..., alt: ...} nel front matter", "immagine-nel-testo")


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
        report.error(line(), f'immagine "{name}" troppo grande ({_size_mb(size)}, al massimo {_size_mb(MAX_IMAGE_BYTES)})', "riducila a circa 2000 pixel di lato prima di aggiungerla", "immagine-grande")
        return
    if memo is None or memo.known_digest(str(path), VERIFIED) is None:
        if not _verify_image(path, name, line, report):
            return
        if memo is not None:
            memo.note_read(str(path), st, "ok", VERIFIED)
    if size > WARN_IMAGE_BYTES:
        report.warn(line(), f'immagine "{name}" molto pesante ({_size_mb(size)}): il sito ne pubblica copie ridotte, ma l\'archivio si appesantisce', "riducila a circa 2000 pixel di lato", "immagine-grande")


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
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, PILImage.DecompressionBombWarning, PILImage.DecompressionBombError):
        report.error(line(), f'"{name}" non è un\'immagine leggibile', "salvala di nuovo come JPEG o PNG", "immagine-formato")
        return False
    if kind not in IMAGE_FORMATS:
        report.error(line(), f'formato d\'immagine non supportato ({kind}) per "{name}"', "salvala come JPEG (foto) o PNG (disegni)", "immagine-formato")
        return False
    if pixels > MAX_IMAGE_PIXELS:
        report.error(line(), f'immagine "{name}" troppo grande ({pixels // 1_000_000} megapixel)', "riducila a circa 2000 pixel di lato", "immagine-grande")
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
        report.error(line(), f'"{name}" non è un file audio che i browser sanno suonare', "convertilo in MP3 (per esempio con Audacity) e scrivi il nuovo nome", "audio-formato")
    elif size > MAX_AUDIO_BYTES:
        report.error(line(), f'audio "{name}" troppo grande ({_size_mb(size)}, al massimo {_size_mb(MAX_AUDIO_BYTES)})', "dividilo in parti o salvalo come MP3 mono a 64 kbps", "audio-grande")
    elif size > WARN_AUDIO_BYTES:
        report.warn(line(), f'audio "{name}" pesante ({_size_mb(size)})', "salvalo come MP3 mono a 64 kbps: basta per la voce", "audio-grande")


# --- publishing -------------------------------------------------------------------------------


def publish_media(archive, cache: Path | None = None, memo=None) -> dict[str, bytes | Path]:
    """Every published image and audio file of the archive, as {output path: bytes, or the file in the cache folder
    to link there (`write.write_site`)}. Fills `variants` of each Picture and `path` of each Audio, which the
    templates read. With a cache folder, resized copies are kept by the hash of the original: a rebuild reuses them,
    linked into the site instead of written again (600 MB a build for 1,000 photos). With the build's
    memo (memo.py), an original whose identity is the one the last build read is not read again: hashing every photo
    on every build took 6 ms a photo."""
    out: dict[str, bytes | Path] = {}
    used: set[str] = set()
    for territory in archive.territories:
        owners = [territory, *territory.people, *territory.stories]
        for owner in owners:
            if owner.image is not None:
                owner.image.variants = []
                for variant, data in _resize_cached(owner.image.origin, owner.path, cache, used, memo):
                    owner.image.variants.append(variant)
                    out[variant.path] = data
        for story in territory.stories:
            if story.audio is not None:
                story.audio.path = story.path + _file_name(story.audio.origin.stem, story.audio.origin.suffix.lower())
                data = strip_audio_tags(story.audio.origin.read_bytes())
                story.audio.size = len(data)
                out[story.audio.path] = data
    if cache is not None and cache.is_dir():
        for stale in cache.iterdir():  # copies of originals that are gone or changed
            if stale.name.split(".", 1)[0].split("-", 1)[0] not in used:
                stale.unlink()
    return out


def cache_version() -> str:
    """What the resized copies of an image depend on besides its bytes."""
    from PIL import __version__ as pillow

    return f"1:{IMAGE_WIDTHS}:{JPEG_QUALITY}:{pillow}"


def _image_key(origin: Path, memo) -> str:
    """The key of an original's resized copies: a hash of the copies' recipe (`cache_version`) and the original's
    bytes, remembered by the memo for as long as the file's identity and the recipe stay the same."""
    version = cache_version()
    kind = f"immagine {version}\0"
    known = memo.known_digest(str(origin), kind) if memo is not None else None
    if known is not None:
        return known
    with open(origin, "rb") as handle:
        st = os.fstat(handle.fileno())
        digest = hashlib.sha256(version.encode())
        digest.update(handle.read())
    key = digest.hexdigest()[:32]
    if memo is not None:
        memo.note_read(str(origin), st, key, kind)
    return key


def _resize_cached(origin: Path, folder: str, cache: Path | None, used: set[str], memo=None) -> list[tuple[Variant, bytes | Path]]:
    if cache is None:
        return resize_image(origin, folder)
    key = _image_key(origin, memo)
    used.add(key)
    index = cache / f"{key}.json"
    stem = slugify(origin.stem) or "immagine"
    if index.is_file():
        try:
            entries = json.loads(index.read_text())
            copies = [(Variant(f"{folder}{stem}-{w}{ext}", w, h), cache / f"{key}-{w}{ext}") for w, h, ext in entries]
            if all(path.is_file() for _, path in copies):
                return copies
        except (OSError, ValueError):
            pass  # a damaged cache entry: make the copies again
    result = resize_image(origin, folder)
    cache.mkdir(parents=True, exist_ok=True)
    entries = []
    for variant, data in result:
        ext = variant.path[variant.path.rindex("."):]
        (cache / f"{key}-{variant.width}{ext}").write_bytes(data)
        entries.append([variant.width, variant.height, ext])
    index.write_text(json.dumps(entries))  # written last: an index means its copies are complete
    return result


def strip_audio_tags(data: bytes) -> bytes:
    """Drop the tags a recorder or editor may write (names, comments, places): ID3v2/ID3v1 around an MP3,
    LIST/INFO and other non-audio chunks of a WAV. Other containers are published as they are."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        chunks, offset = [], 12
        while offset + 8 <= len(data):
            name, size = data[offset : offset + 4], int.from_bytes(data[offset + 4 : offset + 8], "little")
            end = offset + 8 + size + (size & 1)
            if name in (b"fmt ", b"data", b"fact"):
                chunks.append(data[offset:end])
            offset = end
        body = b"WAVE" + b"".join(chunks)
        return b"RIFF" + len(body).to_bytes(4, "little") + body
    if data[:3] == b"ID3" and len(data) > 10:
        size = 10 + ((data[6] & 0x7F) << 21 | (data[7] & 0x7F) << 14 | (data[8] & 0x7F) << 7 | (data[9] & 0x7F))
        data = data[size + (10 if data[5] & 0x10 else 0) :]
    if len(data) >= 128 and data[-128:-125] == b"TAG":
        data = data[:-128]
    return data


def _file_name(stem: str, suffix: str) -> str:
    return (slugify(stem) or "file") + suffix


def resize_image(origin: Path, folder: str) -> list[tuple[Variant, bytes]]:
    """The published copies of one image: at most len(IMAGE_WIDTHS) widths, never upscaled,
    oriented, converted to sRGB, with no metadata at all."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    with PILImage.open(origin) as source:
        if source.format == "JPEG":
            source.draft("RGB", (max(IMAGE_WIDTHS), max(IMAGE_WIDTHS)))  # decode at a reduced scale: faster
        oriented = ImageOps.exif_transpose(source)
        icc = source.info.get("icc_profile")
        pixels = _to_srgb(oriented, icc)
    alpha = pixels.mode in ("RGBA", "LA") or (pixels.mode == "P" and "transparency" in pixels.info)
    pixels = pixels.convert("RGBA" if alpha else "RGB")
    fmt, suffix = ("PNG", ".png") if alpha else ("JPEG", ".jpg")
    widths = [w for w in IMAGE_WIDTHS if w < pixels.width] + [min(pixels.width, max(IMAGE_WIDTHS))]
    stem = slugify(origin.stem) or "immagine"
    result = []
    for width in dict.fromkeys(widths):
        height = max(1, round(pixels.height * width / pixels.width))
        resized = pixels.resize((width, height), PILImage.Resampling.LANCZOS) if width != pixels.width else pixels
        clean = PILImage.frombytes(resized.mode, resized.size, resized.tobytes())  # pixels only: no info, no EXIF
        buffer = BytesIO()
        if fmt == "JPEG":
            clean.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        else:
            clean.save(buffer, "PNG", optimize=True)
        result.append((Variant(f"{folder}{stem}-{width}{suffix}", width, height), buffer.getvalue()))
    return result


def _to_srgb(image: PILImage.Image, icc: bytes | None) -> PILImage.Image:
    """Photos from phones may carry a wide-gamut profile: convert them, since the profile is dropped."""
    from PIL import ImageCms

    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image.convert("RGB") if image.mode == "CMYK" else image
    try:
        profile = ImageCms.ImageCmsProfile(BytesIO(icc))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, profile, ImageCms.createProfile("sRGB"), outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError):
        return image.convert("RGB") if image.mode == "CMYK" else image
