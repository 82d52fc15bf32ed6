"""How the sample images and audio in content/ were made (run once; the results are committed).

- content/porta-palazzo/storie/il-banco-di-fatima-al-mercato/banco.jpg: a drawing made with Pillow,
  saved WITH camera EXIF, GPS coordinates, XMP and a comment, like a phone photo, so that the site
  visibly strips them (compare the original with site/porta-palazzo/storie/.../banco-*.jpg).
- content/borgo-san-paolo/storie/le-sirene-della-lancia/la-prima-sirena.mp3: the transcript read by
  espeak-ng (Debian package `espeak-ng`) and encoded by `lame` (Debian package `lame`): a synthetic
  voice for fictional sample content. Only needed to regenerate the file, never by the build or tests.
- content/oulx/storie/la-tosatura-all-alpeggio/tosatura.mp4, tosatura.vtt and copertina.jpg: a synthetic video,
  twelve seconds of pictures drawn with Pillow (a meadow, a flock crossing it, the sun rising) and a tone, encoded
  by ffmpeg (Debian package `ffmpeg`) as H.264 and AAC, with a title, a date and a place in its metadata (the site
  strips them); its WebVTT captions; its poster. Said to be synthetic in the captions and the story.
- content/avigliana/storie/la-palude-all-alba/*.jpg: three drawings with Pillow (the reeds at dawn, a heron, the
  lake), saved with camera EXIF like phone photos, for the images written in the text of the story.

    python scripts/make_sample_media.py
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

CONTENT = Path(__file__).resolve().parent.parent / "content"
PHOTO = CONTENT / "porta-palazzo/storie/il-banco-di-fatima-al-mercato/banco.jpg"
AUDIO = CONTENT / "borgo-san-paolo/storie/le-sirene-della-lancia/la-prima-sirena.mp3"
SPOKEN = (
    "La prima sirena suonava alle sei meno un quarto. La sentivi anche con la finestra chiusa, "
    "anche con il cuscino sulla testa. In selleria eravamo quasi tutte donne, e per resistere cantavamo. "
    "Le mie compagne mi hanno insegnato tutto. Adesso tocca a me."
)


def draw_stall(width: int = 1600, height: int = 1067) -> Image.Image:
    rng = random.Random(7)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):  # early-morning sky, blue to pale
        t = y / height
        draw.line([(0, y), (width, y)], fill=(int(70 + 150 * t), int(110 + 120 * t), int(170 + 60 * t)))
    stripe = width // 12
    for i in range(12):  # the striped awning
        colour = (190, 40, 35) if i % 2 == 0 else (245, 240, 230)
        draw.polygon(
            [(i * stripe, 80), ((i + 1) * stripe, 80), ((i + 1) * stripe + 20, 330), (i * stripe + 20, 330)],
            fill=colour,
        )
    for x in range(0, width, stripe // 2):  # scalloped edge
        draw.pieslice([x, 300, x + stripe // 2, 370], 0, 180, fill=(190, 40, 35))
    draw.rectangle([60, 330, 80, height], fill=(90, 90, 95))  # poles
    draw.rectangle([width - 80, 330, width - 60, height], fill=(90, 90, 95))
    draw.rectangle([0, 640, width, height], fill=(120, 80, 45))  # the table
    draw.rectangle([0, 640, width, 670], fill=(150, 105, 60))
    bowls = [(220, (95, 125, 40)), (560, (35, 30, 35)), (900, (110, 60, 90)), (1240, (130, 150, 50))]
    for cx, colour in bowls:  # bowls of olives
        draw.ellipse([cx - 150, 560, cx + 150, 700], fill=(215, 200, 170))
        for _ in range(160):
            x, y = cx + rng.randint(-120, 120), 590 + rng.randint(0, 60)
            shade = tuple(max(0, min(255, c + rng.randint(-25, 25))) for c in colour)
            draw.ellipse([x - 14, y - 10, x + 14, y + 10], fill=shade)
    for i in range(14):  # a row of lemons
        x = 120 + i * 100
        draw.ellipse([x, 760, x + 80, 830], fill=(240, 205, 40), outline=(200, 160, 20), width=3)
    return image.filter(ImageFilter.SMOOTH)


def save_with_metadata(image: Image.Image, path: Path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "Fotocamera di esempio"  # Make
    exif[0x0110] = "Telefono 12"  # Model
    exif[0x013B] = "Nome di chi ha scattato"  # Artist
    exif[0x0132] = "2026:03:14 06:42:10"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (45.0, 4.0, 41.16)  # piazza della Repubblica, Torino
    gps[3], gps[4] = "E", (7.0, 41.0, 2.04)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Nome di chi ha scattato</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>'
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=82, optimize=True, exif=exif, xmp=xmp, comment=b"scattata al mercato")


def speak(text: str, path: Path) -> None:
    if not (shutil.which("espeak-ng") and shutil.which("lame")):
        raise SystemExit("serve espeak-ng e lame: apt-get install espeak-ng lame")
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "voce.wav"
        subprocess.run(["espeak-ng", "-v", "it+f3", "-s", "140", "-p", "45", "-w", str(wav), text], check=True)
        subprocess.run(
            ["lame", "--quiet", "-m", "m", "-b", "32", "--resample", "22.05", "--noreplaygain", str(wav), str(path)],
            check=True,
        )


TOSATURA = CONTENT / "oulx/storie/la-tosatura-all-alpeggio"
PALUDE = CONTENT / "avigliana/storie/la-palude-all-alba"
VIDEO_SIZE, VIDEO_FPS, VIDEO_SECONDS = (320, 180), 10, 12
CAPTIONS = [  # (start, end, text): what the synthetic video "says", as a real interview's captions would
    ("00:00:00.000", "00:00:03.500", "(Video di esempio, sintetico: immagini disegnate e un suono, nessuna voce.)"),
    ("00:00:04.000", "00:00:07.500", "A giugno si sale all'alpeggio, e prima si tosano le pecore."),
    ("00:00:08.000", "00:00:11.500", "La lana la laviamo nel torrente, poi la portiamo a cardare."),
]


def draw_meadow(t: float, width: int = 320, height: int = 180) -> Image.Image:
    """One picture of the synthetic video at `t` (0..1): dawn over a meadow, a flock walking across it."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        k = y / height
        draw.line(
            [(0, y), (width, y)], fill=(int(90 + 120 * k + 40 * t), int(120 + 90 * k + 30 * t), int(190 - 40 * k))
        )
    sun = int(120 - 70 * t)
    draw.ellipse([230, sun, 262, sun + 32], fill=(250, 220, 120))
    draw.polygon([(0, 120), (70, 60), (140, 115), (210, 50), (320, 120), (320, 180), (0, 180)], fill=(110, 120, 130))
    draw.polygon([(190, 70), (210, 50), (232, 72)], fill=(240, 240, 245))  # snow on the peak
    draw.rectangle([0, 125, width, height], fill=(90, 150, 70))
    rng = random.Random(3)
    for i in range(9):  # the flock
        x = int(-60 + 420 * t + i * 22 + rng.randint(-6, 6)) % (width + 40) - 20
        y = 140 + (i % 3) * 10
        draw.ellipse([x, y, x + 18, y + 11], fill=(235, 232, 222))
        draw.ellipse([x + 14, y + 1, x + 21, y + 7], fill=(60, 55, 50))
    return image


def make_video(folder: Path) -> None:
    if not shutil.which("ffmpeg"):
        raise SystemExit("serve ffmpeg: apt-get install ffmpeg")
    folder.mkdir(parents=True, exist_ok=True)
    frames = VIDEO_FPS * VIDEO_SECONDS
    raw = b"".join(draw_meadow(n / frames).tobytes() for n in range(frames))
    command = [
        "ffmpeg",
        "-v",
        "error",
        "-y",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-s",
        f"{VIDEO_SIZE[0]}x{VIDEO_SIZE[1]}",
    ]
    command += ["-r", str(VIDEO_FPS), "-i", "-", "-f", "lavfi", "-i", f"sine=frequency=330:duration={VIDEO_SECONDS}"]
    command += ["-c:v", "libx264", "-preset", "veryslow", "-crf", "30", "-pix_fmt", "yuv420p", "-c:a", "aac"]
    command += ["-b:a", "32k", "-ac", "1", "-shortest", "-movflags", "+faststart"]
    command += ["-metadata", "title=Alpeggio, prova", "-metadata", "creation_time=2026-06-12T06:10:00Z"]
    command += ["-metadata", "location=+45.0326+006.8339/", str(folder / "tosatura.mp4")]
    subprocess.run(command, input=raw, check=True)
    lines = ["WEBVTT", ""]
    for start, end, text in CAPTIONS:
        lines += [f"{start} --> {end}", text, ""]
    (folder / "tosatura.vtt").write_text("\n".join(lines), encoding="utf-8")
    draw_meadow(0.55, 960, 540).save(folder / "copertina.jpg", "JPEG", quality=80)


def draw_marsh(kind: str, width: int = 1400, height: int = 933) -> Image.Image:
    """The marsh of the Mareschi at dawn: the reeds, a heron, the lake."""
    rng = random.Random({"canneto": 1, "airone": 2, "lago": 3}[kind])
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        k = y / height
        draw.line([(0, y), (width, y)], fill=(int(240 - 90 * k), int(170 - 40 * k), int(120 + 60 * k)))
    draw.ellipse([width * 0.6, height * 0.25, width * 0.6 + 120, height * 0.25 + 120], fill=(255, 215, 150))
    water = int(height * (0.55 if kind == "lago" else 0.7))
    draw.rectangle([0, water, width, height], fill=(70, 95, 120))
    for y in range(water, height, 9):  # reflections
        draw.line([(rng.randint(0, width), y), (rng.randint(0, width), y)], fill=(200, 150, 110), width=2)
    reeds = 260 if kind == "canneto" else 60
    for _ in range(reeds):
        x = rng.randint(0, width)
        top = water - rng.randint(80, 380 if kind == "canneto" else 160)
        draw.line([(x, water + 20), (x + rng.randint(-25, 25), top)], fill=(60, 55, 35), width=4)
        draw.ellipse([x - 6, top - 30, x + 6, top + 10], fill=(90, 60, 35))
    if kind == "airone":
        x, y = width // 3, water - 260
        draw.line([(x + 40, y + 170), (x + 30, water + 10)], fill=(70, 50, 40), width=6)
        draw.line([(x + 60, y + 170), (x + 70, water + 10)], fill=(70, 50, 40), width=6)
        draw.ellipse([x, y + 60, x + 130, y + 180], fill=(150, 80, 60))
        draw.line([(x + 110, y + 90), (x + 150, y)], fill=(150, 80, 60), width=16)
        draw.polygon([(x + 150, y), (x + 215, y + 10), (x + 150, y + 14)], fill=(210, 170, 60))
    if kind == "lago":
        draw.polygon(
            [(0, water), (300, water - 120), (650, water - 40), (1000, water - 150), (width, water)], fill=(60, 80, 70)
        )
    return image.filter(ImageFilter.SMOOTH)


if __name__ == "__main__":
    save_with_metadata(draw_stall(), PHOTO)
    print(PHOTO, PHOTO.stat().st_size)
    speak(SPOKEN, AUDIO)
    print(AUDIO, AUDIO.stat().st_size)
    make_video(TOSATURA)
    for name in ("tosatura.mp4", "tosatura.vtt", "copertina.jpg"):
        print(TOSATURA / name, (TOSATURA / name).stat().st_size)
    for kind in ("canneto", "airone", "lago"):
        save_with_metadata(draw_marsh(kind), PALUDE / f"{kind}.jpg")
        print(PALUDE / f"{kind}.jpg", (PALUDE / f"{kind}.jpg").stat().st_size)
