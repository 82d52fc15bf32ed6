"""How the sample images and audio in content/ were made (run once; the results are committed).

- content/porta-palazzo/storie/il-banco-di-fatima-al-mercato/banco.jpg: a drawing made with Pillow,
  saved WITH camera EXIF, GPS coordinates, XMP and a comment, like a phone photo, so that the site
  visibly strips them (compare the original with site/porta-palazzo/storie/.../banco-*.jpg).
- content/borgo-san-paolo/storie/le-sirene-della-lancia/la-prima-sirena.mp3: the transcript read by
  espeak-ng (Debian package `espeak-ng`) and encoded by `lame` (Debian package `lame`): a synthetic
  voice for fictional sample content. Only needed to regenerate the file, never by the build or tests.

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


if __name__ == "__main__":
    save_with_metadata(draw_stall(), PHOTO)
    print(PHOTO, PHOTO.stat().st_size)
    speak(SPOKEN, AUDIO)
    print(AUDIO, AUDIO.stat().st_size)
