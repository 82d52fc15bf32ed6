"""Stage: the published copies of a bundle's images, audio and video, made after the model and before the pages.

`publish_media(archive)` gives every published image and recording:
- an image (the lead image, a gallery's, a video's poster, one written in the body) becomes a few resized copies
  (Pillow), EXIF orientation applied first, then rebuilt from its pixels alone, so no EXIF, GPS, XMP, ICC profile,
  comment or PNG text survives;
- an audio file is copied without its tags (only its container type is checked, by `portale.content.media`);
- a video is copied by ffmpeg without its metadata (`-map_metadata -1 -c copy`: the pictures and sound untouched);
  without ffmpeg it is published as it is, and validation warned;
- a video's captions are the WebVTT the model wrote from the parsed cues.
Originals never reach the site. With the build cache, every copy is made once per original and hard-linked into
each build: an unchanged recording is neither read nor written again (the memo knows its identity).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from portale.content.media import Picture, Variant, Video
from portale.content.slugs import slugify

if TYPE_CHECKING:
    from PIL import Image as PILImage

# Pillow is imported where an image is made: a build without photos does without it.

IMAGE_WIDTHS = (480, 800, 1200)  # phone, tablet, desktop at 2x of the 46rem column
JPEG_QUALITY = 78


def publish_media(archive, cache: Path | None = None, memo=None) -> dict[str, bytes | Path]:
    """Every published image and audio file of the archive, as {output path: bytes, or the file in the cache folder
    to link there (`write.write_site`)}. Fills `variants` of each Picture and `path` of each Audio, which the
    templates read. With a cache folder, resized copies are kept by the hash of the original: a rebuild reuses them,
    linked into the site instead of written again (600 MB a build for 1,000 photos). With the build's
    memo (memo.py), an original whose identity is the one the last build read is not read again: hashing every photo
    on every build took 6 ms a photo."""
    out: dict[str, bytes | Path] = {}
    used: set[str] = set()

    def publish_picture(picture: Picture | None, folder: str) -> None:
        if picture is None:
            return
        picture.variants = []
        for variant, data in _resize_cached(picture.origin, folder, cache, used, memo):
            picture.variants.append(variant)
            out[variant.path] = data

    for territory in archive.territories:
        owners = [territory, *territory.people, *territory.stories, *territory.actions, *territory.needs]
        for owner in owners:
            publish_picture(getattr(owner, "image", None), owner.path)
            for picture in (*getattr(owner, "gallery", ()), *owner.body_images.values()):
                publish_picture(picture, owner.path)
            for recording in getattr(owner, "recordings", ()):
                recording.path = owner.path + _file_name(recording.origin.stem, recording.origin.suffix.lower())
                data = _recording_copy(recording, cache, used, memo)
                recording.size = data.stat().st_size if isinstance(data, Path) else len(data)
                out[recording.path] = data
                if isinstance(recording, Video):
                    publish_picture(recording.poster, owner.path)
                    recording.captions_path = owner.path + _file_name(recording.origin.stem, ".vtt")
                    out[recording.captions_path] = recording.captions
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
    """The key of an original's resized copies: the copies' recipe (`cache_version`) and the original's bytes."""
    return _file_key(origin, memo, f"immagine {cache_version()}")


def _resize_cached(
    origin: Path, folder: str, cache: Path | None, used: set[str], memo=None
) -> list[tuple[Variant, bytes | Path]]:
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
        ext = variant.path[variant.path.rindex(".") :]
        (cache / f"{key}-{variant.width}{ext}").write_bytes(data)
        entries.append([variant.width, variant.height, ext])
    index.write_text(json.dumps(entries))  # written last: an index means its copies are complete
    return result


def _recording_copy(recording, cache: Path | None, used: set[str], memo=None) -> bytes | Path:
    """The published copy of an audio or video file: in the cache folder by the hash of the original (made once,
    linked into every build), or as bytes without a cache."""
    is_video = isinstance(recording, Video)
    if cache is None:
        if not is_video:
            return strip_audio_tags(recording.origin.read_bytes())
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / ("copia" + recording.origin.suffix.lower())
            strip_video_metadata(recording.origin, target)
            return target.read_bytes()
    key = _file_key(recording.origin, memo, f"registrazione {RECORDING_VERSION}:{_ffmpeg() is not None}")
    used.add(key)
    target = cache / f"{key}{recording.origin.suffix.lower()}"
    if not target.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        partial = cache / f"{key}.parziale{recording.origin.suffix.lower()}"
        if is_video:
            strip_video_metadata(recording.origin, partial)
        else:
            partial.write_bytes(strip_audio_tags(recording.origin.read_bytes()))
        partial.replace(target)  # complete, or absent
    return target


RECORDING_VERSION = "1"


def _ffmpeg() -> str | None:
    return shutil.which("ffmpeg")


def strip_video_metadata(origin: Path, target: Path) -> None:
    """A copy of a video without its metadata (title, date, place, device, chapters), its streams as they are, made by
    ffmpeg; without ffmpeg (validation warned), the file as it is."""
    ffmpeg = _ffmpeg()
    if ffmpeg is None:
        shutil.copyfile(origin, target)
        return
    container = "webm" if origin.suffix.lower() == ".webm" else "mp4"
    command = [ffmpeg, "-v", "error", "-y", "-i", str(origin), "-map", "0:v?", "-map", "0:a?", "-map_metadata", "-1"]
    command += ["-map_chapters", "-1", "-c", "copy", "-fflags", "+bitexact", "-flags:v", "+bitexact"]
    command += ["-flags:a", "+bitexact"]
    if container == "mp4":
        command += ["-movflags", "+faststart"]
    subprocess.run([*command, "-f", container, str(target)], check=True, capture_output=True, timeout=600)


def _file_key(origin: Path, memo, recipe: str) -> str:
    """A hash of a recipe and an original's bytes, remembered by the memo while the file's identity stays the same."""
    kind = f"{recipe}\0"
    known = memo.known_digest(str(origin), kind) if memo is not None else None
    if known is not None:
        return known
    with open(origin, "rb") as handle:
        st = os.fstat(handle.fileno())
        digest = hashlib.sha256(recipe.encode())
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    key = digest.hexdigest()[:32]
    if memo is not None:
        memo.note_read(str(origin), st, key, kind)
    return key


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
