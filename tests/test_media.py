"""Images and audio of page bundles: resized copies without metadata, srcset, refusals with file:line."""

from __future__ import annotations

import io
import re

import pytest
from conftest import build_digest, person_md, read, story_md
from media_samples import has_metadata, photo_with_gps, png_with_text, short_wav
from PIL import Image

from portale.content import media
from portale.pages import media_copies

FESTA = "content/aurora/storie/la-festa.md"

BUNDLE = "content/aurora/storie/la-festa/"


def story_bundle(extra: str, files: dict | None = None) -> dict:
    out = {FESTA: None, BUNDLE + "index.md": story_md("La festa di via Como", persone="[anna-rossi]", extra=extra)}
    out.update({BUNDLE + name: data for name, data in (files or {}).items()})
    return out


IMAGE = "immagine: {file: mercato.jpg, alt: Le bancarelle del mercato di via Como}\n"


def test_published_image_has_no_exif_gps_xmp_or_comment(make_site, run):
    original = photo_with_gps()
    assert {"exif", "gps", "comment", "xmp"} <= set(has_metadata(original))  # the source really carries them
    root = make_site(story_bundle(IMAGE, {"mercato.jpg": original}))
    code, out = run([], cwd=root)
    assert code == 0, out
    folder = root / "site/aurora/storie/la-festa"
    published = sorted(folder.glob("*.jpg"))
    assert [p.name for p in published] == ["mercato-480.jpg", "mercato-600.jpg"]
    for path in published:
        assert has_metadata(path.read_bytes()) == [], path.name
    assert not (folder / "mercato.jpg").exists()  # the original never reaches the site


def test_exif_orientation_is_applied_before_stripping(make_site, run):
    # 900x600 pixels with orientation 6 (rotate 90°): a portrait photo once turned
    root = make_site(story_bundle(IMAGE, {"mercato.jpg": photo_with_gps(900, 600, orientation=6)}))
    assert run([], cwd=root)[0] == 0
    with Image.open(root / "site/aurora/storie/la-festa/mercato-600.jpg") as im:
        assert im.size == (600, 900)


def test_story_page_has_srcset_dimensions_lazy_loading_and_alt(make_site, run):
    root = make_site(story_bundle(IMAGE, {"mercato.jpg": photo_with_gps(2000, 1500, orientation=1)}))
    assert run([], cwd=root)[0] == 0
    html = read(root, "site/aurora/storie/la-festa/index.html")
    img = re.search(r"<img [^>]+>", html).group()
    assert 'srcset="mercato-480.jpg 480w, mercato-800.jpg 800w, mercato-1200.jpg 1200w"' in img
    assert 'src="mercato-800.jpg"' in img and 'width="800" height="600"' in img
    assert 'loading="lazy"' in img and 'alt="Le bancarelle del mercato di via Como"' in img
    for width, height in [(480, 360), (800, 600), (1200, 900)]:
        with Image.open(root / f"site/aurora/storie/la-festa/mercato-{width}.jpg") as im:
            assert im.size == (width, height)


def test_png_text_chunks_are_dropped_and_transparency_kept(make_site, run):
    root = make_site(story_bundle("immagine: {file: disegno.png, alt: Un disegno}\n", {"disegno.png": png_with_text()}))
    assert run([], cwd=root)[0] == 0
    data = (root / "site/aurora/storie/la-festa/disegno-300.png").read_bytes()
    assert has_metadata(data) == []
    assert Image.open(io.BytesIO(data)).mode == "RGBA"


def test_two_builds_with_images_are_byte_identical(make_site, run):
    root = make_site(story_bundle(IMAGE, {"mercato.jpg": photo_with_gps()}))
    assert run(["--output", "a"], cwd=root)[0] == 0
    assert run(["--output", "b"], cwd=root)[0] == 0
    assert build_digest(root / "a") == build_digest(root / "b")


@pytest.mark.parametrize(
    "extra, files, expected",
    [
        ("immagine: {file: mercato.jpg}\n", {"mercato.jpg": b"x"}, ':5: manca "alt" in "immagine": è obbligatorio'),
        (
            "immagine: {file: manca.jpg, alt: Foto}\n",
            {},
            ':5: immagine "manca.jpg" non trovata — metti il file accanto a index.md',
        ),
        (
            "immagine: {file: ../altra/foto.jpg, alt: Foto}\n",
            {},
            ':5: immagine "../altra/foto.jpg" non trovata — scrivi solo il nome del file',
        ),
        (
            "immagine: {file: /etc/passwd, alt: Foto}\n",
            {},
            ':5: immagine "/etc/passwd" non trovata — scrivi solo il nome del file',
        ),
        (
            "immagine: {file: finta.jpg, alt: Foto}\n",
            {"finta.jpg": b"non sono una foto"},
            ':5: "finta.jpg" non è un\'immagine leggibile',
        ),
        ("audio: {file: voce.mp3}\n", {"voce.mp3": short_wav()}, ':5: manca "trascrizione" in "audio": è obbligatorio'),
        (
            "audio: {file: voce.mp3, trascrizione: Ciao}\n",
            {"voce.mp3": b"testo, non audio" * 4},
            ':5: "voce.mp3" non è un file audio che i browser sanno suonare',
        ),
        ("audio: {file: assente.mp3, trascrizione: Ciao}\n", {}, ':5: audio "assente.mp3" non trovato'),
    ],
)
def test_bad_media_is_refused_with_file_and_line(make_site, run, extra, files, expected):
    root = make_site(story_bundle(extra, files))
    code, out = run([], cwd=root)
    assert code == 1
    assert BUNDLE + "index.md" + expected in out
    assert not (root / "site").exists()


BODY = (
    "Primo paragrafo.\n\n"
    '![Il banco del mercato](mercato.jpg "Il banco, alle sei del mattino")\n\n'
    "Un paragrafo con ![una foto piccola](dettaglio.jpg) in mezzo.\n\n"
    "![La piazza vuota](piazza.jpg)\n"
)


def test_images_in_the_body_are_published_like_the_lead_image(make_site, run):
    photos = {
        name: photo_with_gps(2000, 1500, orientation=1) for name in ("mercato.jpg", "dettaglio.jpg", "piazza.jpg")
    }
    root = make_site(story_bundle("", photos) | {BUNDLE + "index.md": story_md("La festa", body=BODY)})
    code, out = run([], cwd=root)
    assert code == 0, out
    folder = root / "site/aurora/storie/la-festa"
    html = read(folder, "index.html")
    figure = re.search(r'<figure class="immagine nel-testo">(.*?)</figure>', html).group(1)
    assert 'srcset="mercato-480.jpg 480w, mercato-800.jpg 800w, mercato-1200.jpg 1200w"' in figure
    assert 'src="mercato-800.jpg"' in figure and 'width="800" height="600"' in figure
    assert 'loading="lazy"' in figure and 'alt="Il banco del mercato"' in figure
    assert figure.endswith("<figcaption>Il banco, alle sei del mattino</figcaption>")
    assert '<p>Un paragrafo con <img src="dettaglio-800.jpg"' in html  # inline: stays in its paragraph
    assert '<p class="immagine nel-testo"><img src="piazza-800.jpg"' in html  # alone, without caption: no figure
    assert "<p><figure" not in html
    for path in folder.glob("*.jpg"):
        assert has_metadata(path.read_bytes()) == [], path.name
    assert not (folder / "mercato.jpg").exists() and not (folder / "piazza.jpg").exists()
    feed = read(root, "site/aurora/feed.xml")
    assert "https://saperi.example.org/aurora/storie/la-festa/mercato-800.jpg" in feed
    assert 'src="mercato.jpg"' not in feed and "src=&quot;mercato.jpg&quot;" not in feed


@pytest.mark.parametrize(
    "body, files, expected",
    [
        (
            "Testo.\n\n![Il banco](manca.jpg)\n",
            {},
            ':8: immagine nel testo "manca.jpg" non trovata — metti il file accanto',
        ),
        (
            "Testo.\n\n![Il banco](../altra/foto.jpg)\n",
            {},
            ':8: immagine nel testo "../altra/foto.jpg" non trovata — scrivi solo il nome del file',
        ),
        (
            "Testo.\n\n![Il banco](https://example.org/a.jpg)\n",
            {},
            ':8: immagine nel testo da un altro sito "https://example.org/a.jpg" — le pagine non caricano niente da altri siti',
        ),
        (
            "Testo.\n\n![](mercato.jpg)\n",
            {"mercato.jpg": None},
            ':8: immagine nel testo "mercato.jpg" senza descrizione',
        ),
        (
            "Testo.\n\n<img src='mercato.jpg' alt='Il banco'>\n",
            {"mercato.jpg": None},
            ':8: immagine nel testo scritta in HTML ("mercato.jpg") — scrivila in Markdown',
        ),
        (
            'Testo con ![Il banco](mercato.jpg "Didascalia") in mezzo.\n',
            {"mercato.jpg": None},
            ':6: immagine con didascalia "mercato.jpg" in mezzo al testo — mettila su una riga da sola',
        ),
        (
            "Testo.\n\n![Il banco](finta.jpg)\n",
            {"finta.jpg": b"non sono una foto"},
            ':8: "finta.jpg" non è un\'immagine leggibile',
        ),
    ],
)
def test_a_bad_image_in_the_body_is_refused_with_file_and_line(make_site, run, body, files, expected):
    files = {name: data if data is not None else photo_with_gps() for name, data in files.items()}
    root = make_site(story_bundle("", files) | {BUNDLE + "index.md": story_md("La festa", body=body)})
    code, out = run([], cwd=root)
    assert code == 1
    assert BUNDLE + "index.md" + expected in out, out
    assert not (root / "site").exists()


def test_an_image_in_the_body_of_a_story_that_is_not_a_bundle_is_refused(make_site, run):
    root = make_site({FESTA: story_md("La festa", body="Testo.\n\n![Il banco](mercato.jpg)\n")})
    code, out = run(["check"], cwd=root)
    assert code == 1
    assert f'{FESTA}:8: immagine nel testo "mercato.jpg" non trovata — i file vanno in una cartella' in out


def test_a_persons_body_images_need_consent_for_photos(make_site, run):
    body = "Una biografia.\n\n![Anna al banco](banco.jpg)\n"
    files = {
        "content/aurora/persone/anna-rossi.md": None,
        "content/aurora/persone/anna-rossi/index.md": person_md("Anna Rossi", "[cucina-etnica]", body=body),
        "content/aurora/persone/anna-rossi/banco.jpg": photo_with_gps(),
    }
    root = make_site(files)
    code, out = run([], cwd=root)
    assert code == 0, out
    anna = root / "site/aurora/persone/anna-rossi"
    assert "<img" not in read(anna, "index.html") and not list(anna.glob("*.jpg"))
    assert "Una biografia." in read(anna, "index.html")
    files["content/aurora/persone/anna-rossi/index.md"] = files["content/aurora/persone/anna-rossi/index.md"].replace(
        "ambito: [web]", "ambito: [web, foto]"
    )
    root = make_site(files)
    assert run([], cwd=root)[0] == 0
    assert 'alt="Anna al banco"' in read(anna, "index.html") and list(anna.glob("banco-*.jpg"))


def test_a_gallery_is_a_grid_of_pictures_with_their_captions(make_site, run):
    extra = (
        "galleria:\n  - {file: uno.jpg, alt: Il forno acceso, didascalia: Il forno alle cinque}\n"
        "  - {file: due.jpg, alt: Le pagnotte sul bancone}\n"
    )
    photos = {"uno.jpg": photo_with_gps(1200, 900, orientation=1), "due.jpg": photo_with_gps(900, 600, orientation=1)}
    root = make_site(story_bundle(extra, photos))
    code, out = run([], cwd=root)
    assert code == 0, out
    html = read(root, "site/aurora/storie/la-festa/index.html")
    grid = re.search(r'<section class="galleria".*?</section>', html, re.S).group()
    assert '<h2 id="sezione-galleria">Galleria</h2>' in grid
    assert grid.count("<li>") == 2 and "<script" not in grid
    assert 'alt="Il forno acceso"' in grid and "<figcaption>Il forno alle cinque</figcaption>" in grid
    assert '<a href="uno-1200.jpg"><img src="uno-480.jpg"' in grid
    root = make_site(story_bundle("galleria:\n  - {file: tre.jpg}\n", {}))
    code, out = run(["check"], cwd=root)
    assert code == 1 and f'{BUNDLE}index.md:6: manca "alt" in "galleria"' in out, out


def test_image_reference_through_a_symlink_out_of_the_bundle_is_refused(make_site, run, tmp_path):
    secret = tmp_path / "segreto.jpg"
    secret.write_bytes(photo_with_gps())
    root = make_site(story_bundle(IMAGE))
    (root / BUNDLE / "mercato.jpg").symlink_to(secret)
    code, out = run(["check"], cwd=root)
    assert code == 1
    assert 'immagine "mercato.jpg" non trovata — il file deve stare nella cartella della pagina' in out


def test_image_of_a_story_that_is_not_a_bundle_is_refused(make_site, run):
    root = make_site({FESTA: story_md("La festa", extra=IMAGE)})
    code, out = run(["check"], cwd=root)
    assert code == 1
    assert (
        f'{FESTA}:5: immagine "mercato.jpg" non trovata — i file vanno in una cartella: sposta {FESTA} in content/aurora/storie/la-festa/index.md'
        in out
    )


def test_large_original_gets_a_warning_and_is_still_published_reduced(make_site, run, monkeypatch):
    monkeypatch.setattr(media, "WARN_IMAGE_BYTES", 10_000)
    root = make_site(story_bundle(IMAGE, {"mercato.jpg": photo_with_gps()}))
    code, out = run([], cwd=root)
    assert code == 0
    assert f'{BUNDLE}index.md:5: avviso: immagine "mercato.jpg" molto pesante' in out
    assert (root / "site/aurora/storie/la-festa/mercato-480.jpg").is_file()


def test_too_large_original_is_an_error(make_site, run, monkeypatch):
    monkeypatch.setattr(media, "MAX_IMAGE_BYTES", 10_000)
    root = make_site(story_bundle(IMAGE, {"mercato.jpg": photo_with_gps()}))
    code, out = run([], cwd=root)
    assert code == 1
    assert f'{BUNDLE}index.md:5: immagine "mercato.jpg" troppo grande' in out


def test_person_photo_only_with_consent_for_photos(make_site, run):
    photo = "immagine: {file: ritratto.jpg, alt: Anna al banco del mercato}\n"
    files = {
        "content/aurora/persone/anna-rossi.md": None,
        "content/aurora/persone/anna-rossi/index.md": person_md("Anna Rossi", "[cucina-etnica]", extra=photo),
        "content/aurora/persone/anna-rossi/ritratto.jpg": photo_with_gps(),
        "content/aurora/persone/bruno/index.md": person_md("Bruno Bianchi", extra=photo).replace(
            "ambito: [web]", "ambito: [web, foto]"
        ),
        "content/aurora/persone/bruno/ritratto.jpg": photo_with_gps(),
    }
    root = make_site(files)
    code, out = run([], cwd=root)
    assert code == 0, out
    anna = root / "site/aurora/persone/anna-rossi"
    assert "<img" not in read(anna, "index.html") and not list(anna.glob("*.jpg"))
    bruno = root / "site/aurora/persone/bruno"
    assert 'alt="Anna al banco del mercato"' in read(bruno, "index.html")
    assert all(has_metadata(p.read_bytes()) == [] for p in bruno.glob("*.jpg"))


def test_territory_image_sits_beside_territorio_md(make_site, run):
    from conftest import territory_md

    text = territory_md("Aurora").replace(
        "---\nLa portineria", "immagine: {file: piazza.jpg, alt: La piazza del mercato}\n---\nLa portineria"
    )
    root = make_site({"content/aurora/territorio.md": text, "content/aurora/piazza.jpg": photo_with_gps()})
    code, out = run([], cwd=root)
    assert code == 0, out
    assert 'src="piazza-600.jpg"' in read(root, "site/aurora/index.html")
    assert has_metadata((root / "site/aurora/piazza-600.jpg").read_bytes()) == []


def test_oral_history_plays_with_its_transcript(make_site, run):
    extra = "audio:\n  file: intervista.wav\n  trascrizione: |\n    Anna: nel 1990 la festa durava tre giorni.\n\n    Il giorno dopo si puliva tutti insieme.\n"
    root = make_site(story_bundle(extra, {"intervista.wav": short_wav()}))
    code, out = run([], cwd=root)
    assert code == 0, out
    html = read(root, "site/aurora/storie/la-festa/index.html")
    assert '<audio controls preload="none">\n<source src="intervista.wav" type="audio/wav">' in html
    assert "<p>Anna: nel 1990 la festa durava tre giorni.</p>\n<p>Il giorno dopo si puliva tutti insieme.</p>" in html
    assert (root / "site/aurora/storie/la-festa/intervista.wav").read_bytes() == short_wav()


def test_tags_of_a_recording_are_not_published(make_site, run):
    import wave

    frames = b"\x90\x70" * 400
    tag = b"ID3\x03\x00\x00\x00\x00\x00\x1aTIT2\x00\x00\x00\x10\x00\x00\x00Nome Segreto 12"
    mp3 = tag + b"\xff\xfb\x90\x64" + frames + b"TAG" + b"Segreto".ljust(125, b"\x00")
    wav = bytearray(short_wav())
    info = b"LIST" + (4 + 8 + 8).to_bytes(4, "little") + b"INFOIART" + (8).to_bytes(4, "little") + b"Segreto\x00"
    wav[4:8] = (len(wav) - 8 + len(info)).to_bytes(4, "little")
    extra = "audio: {file: voce.mp3, trascrizione: Ciao}\n"
    root = make_site(
        story_bundle(extra, {"voce.mp3": mp3})
        | {
            "content/aurora/storie/wav/index.md": story_md(
                "Wav", extra="audio: {file: voce.wav, trascrizione: Ciao}\n"
            ),
            "content/aurora/storie/wav/voce.wav": bytes(wav) + info,
        }
    )
    code, out = run([], cwd=root)
    assert code == 0, out
    published = (root / "site/aurora/storie/la-festa/voce.mp3").read_bytes()
    assert published == b"\xff\xfb\x90\x64" + frames
    clean_wav = (root / "site/aurora/storie/wav/voce.wav").read_bytes()
    assert b"Segreto" not in clean_wav
    with wave.open(io.BytesIO(clean_wav)) as audio:  # still a valid recording, all of it
        assert audio.getnframes() == len(short_wav()) - 44


def test_a_rebuild_reuses_resized_copies_and_a_changed_photo_is_redone(make_site, run, monkeypatch):
    root = make_site(story_bundle(IMAGE, {"mercato.jpg": photo_with_gps(900, 600, orientation=1)}))
    assert run(["--output", "a"], cwd=root)[0] == 0
    calls = []
    real = media_copies.resize_image
    monkeypatch.setattr(media_copies, "resize_image", lambda *args: calls.append(args) or real(*args))
    assert run(["--output", "b"], cwd=root)[0] == 0
    assert calls == [] and build_digest(root / "a") == build_digest(root / "b")
    (root / BUNDLE / "mercato.jpg").write_bytes(photo_with_gps(600, 900, orientation=1))  # now a portrait
    assert run(["--output", "b"], cwd=root)[0] == 0
    assert len(calls) == 1
    assert 'width="600" height="900"' in read(root, "b/aurora/storie/la-festa/index.html")


def test_story_media_naming_a_person_without_that_consent_gets_a_warning(make_site, run):
    extra = IMAGE + "audio: {file: voce.wav, trascrizione: Ciao}\n"
    root = make_site(
        story_bundle(extra, {"mercato.jpg": photo_with_gps(), "voce.wav": short_wav()})
    )  # anna: ambito [web]
    code, out = run([], cwd=root)
    assert code == 0
    assert (
        f"{BUNDLE}index.md:5: avviso: la storia ha una foto e nomina Anna Rossi, il cui consenso non comprende «foto»"
        in out
    )
    assert (
        f"{BUNDLE}index.md:6: avviso: la storia ha una registrazione e nomina Anna Rossi, il cui consenso non comprende «audio»"
        in out
    )
    root = make_site(
        {
            "content/aurora/persone/anna-rossi.md": person_md("Anna Rossi", "[cucina-etnica]").replace(
                "[web]", "[web, foto, audio]"
            )
        }
    )
    assert "consenso non comprende" not in run([], cwd=root)[1]


def test_an_unchanged_photo_is_not_read_again_and_a_replaced_one_is(make_site, run, monkeypatch):
    """Verifying and hashing every original on every build took 6 ms a photo: an original whose inode, size and times
    are the ones the last build read keeps its key and its verdict (memo.py)."""
    from pathlib import Path

    from portale.content import memo

    monkeypatch.setattr(memo, "TRUST_AFTER_NS", -(10**10))  # the files just written count as old enough to be trusted
    root = make_site(story_bundle(IMAGE, {"mercato.jpg": photo_with_gps(900, 600, orientation=1)}))
    assert run(["--output", "a"], cwd=root)[0] == 0
    opened: list[str] = []
    real_open = open
    for module in (media, media_copies):  # the checks and the published copies
        monkeypatch.setattr(
            module,
            "open",
            lambda path, *args, **kwargs: opened.append(Path(path).name) or real_open(path, *args, **kwargs),
            raising=False,
        )
    for _ in range(2):  # and still trusted by the build after
        assert run(["--output", "a"], cwd=root)[0] == 0
    assert "mercato.jpg" not in opened
    checked: list[str] = []
    real_verify = media._verify_image
    monkeypatch.setattr(
        media, "_verify_image", lambda path, *args: checked.append(path.name) or real_verify(path, *args)
    )
    (root / BUNDLE / "mercato.jpg").write_bytes(photo_with_gps(600, 900, orientation=1))  # replaced: now a portrait
    assert run(["--output", "a"], cwd=root)[0] == 0
    assert "mercato.jpg" in opened and checked == ["mercato.jpg"]
    assert 'width="600" height="900"' in read(root, "a/aurora/storie/la-festa/index.html")


def test_a_rebuild_links_the_resized_copies_from_the_cache_or_copies_them(make_site, run, monkeypatch):
    """Writing every photo's copies again on every build is 600 MB for 1,000 photos: a rebuild hard-links them from
    the build cache, and copies them where links are not allowed; the site is the same either way."""
    from portale.build import write

    root = make_site(story_bundle(IMAGE, {"mercato.jpg": photo_with_gps(900, 600, orientation=1)}))
    assert run(["--output", "a"], cwd=root)[0] == 0
    assert run(["--output", "b"], cwd=root)[0] == 0
    copies = sorted((root / "b/aurora/storie/la-festa").glob("mercato-*.jpg"))
    cached = {p.stat().st_ino for p in (root / ".cache/immagini").glob("*.jpg")}
    assert copies and all(p.stat().st_ino in cached for p in copies)
    assert build_digest(root / "b") == build_digest(root / "a")

    def no_links(*args, **kwargs):
        raise PermissionError("links not allowed here")

    monkeypatch.setattr(write.os, "link", no_links)
    assert run(["--output", "c"], cwd=root)[0] == 0
    assert not any(p.stat().st_ino in cached for p in (root / "c/aurora/storie/la-festa").glob("mercato-*.jpg"))
    assert build_digest(root / "c") == build_digest(root / "a")
