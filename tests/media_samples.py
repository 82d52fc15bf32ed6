"""Small media files made on the fly for tests: a photo carrying EXIF, GPS, XMP and a comment,
a PNG with text chunks, a short WAV. Nothing is downloaded."""

from __future__ import annotations

import functools
import io
import math
import wave

from PIL import Image, PngImagePlugin

XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Segreto Fotografo</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>'


def photo_with_gps(width: int = 900, height: int = 600, orientation: int = 6) -> bytes:
    """A JPEG with camera EXIF, GPS coordinates, an orientation tag, XMP and a comment."""
    red = Image.linear_gradient("L").resize((width, height))
    green = red.rotate(90).resize((width, height))
    image = Image.merge("RGB", (red, green, Image.new("L", (width, height), 120)))
    exif = Image.Exif()
    exif[0x010F] = "FotoCamera SpA"  # Make
    exif[0x0110] = "Modello Segreto 9"  # Model
    exif[0x0112] = orientation
    exif[0x0131] = "Software Segreto"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (45.0, 4.0, 51.5)
    gps[3] = "E"
    gps[4] = (7.0, 40.0, 12.25)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"commento segreto", xmp=XMP, quality=85)
    return buffer.getvalue()


def png_with_text(width: int = 300, height: int = 200) -> bytes:
    image = Image.new("RGBA", (width, height), (200, 60, 20, 255))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Autore Segreto")
    info.add_text("Comment", "testo segreto")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def short_wav(seconds: float = 0.3, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        frames = bytes(128 + int(60 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(seconds * rate)))
        out.writeframes(frames)
    return buffer.getvalue()


def has_metadata(data: bytes) -> list[str]:
    """Which kinds of metadata a published file still carries (empty when clean)."""
    found = []
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    if exif:
        found.append("exif")
    if exif.get_ifd(0x8825):
        found.append("gps")
    for key in ("exif", "comment", "xmp", "XML:com.adobe.xmp", "icc_profile", "Author", "Comment"):
        if key in image.info:
            found.append(key)
    if getattr(image, "text", None):
        found.append("text")
    for marker in (b"Exif", b"GPS", b"Segreto", b"segreto", b"xmpmeta"):
        if marker in data:
            found.append(marker.decode())
    return found


@functools.lru_cache(maxsize=8)
def short_video(seconds: int = 12, title: str = "Titolo segreto", container: str = "mp4") -> bytes:
    """A small video made by ffmpeg (Debian's, installed by scripts/test.sh): a test picture and a tone, with a title
    and a place in its metadata, as a phone writes them. Cached per arguments for the session."""
    import subprocess
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"video.{container}"
        codecs = (
            ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac"]
            if container == "mp4"
            else ["-c:v", "libvpx", "-c:a", "libopus"]
        )
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                f"testsrc=size=160x120:rate=10:duration={seconds}",
                "-f",
                "lavfi",
                "-i",
                f"sine=frequency=440:duration={seconds}",
                *codecs,
                "-b:v",
                "40k",
                "-b:a",
                "24k",
                "-metadata",
                f"title={title}",
                "-metadata",
                "location=+45.0703+007.6869/",
                "-shortest",
                str(out),
            ],
            check=True,
        )
        return out.read_bytes()


def captions_vtt(*cues: tuple[str, str, str]) -> bytes:
    """A WebVTT file of (start, end, text) cues."""
    body = "".join(f"{start} --> {end}\n{text}\n\n" for start, end, text in cues)
    return ("WEBVTT\n\n" + body).encode()
