"""Interviews in voice and pictures: videos with captions, timed transcripts whose segments search lands in, the
seek script, and the word and person pages that list the moments."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import person_md, read, story_md
from media_samples import captions_vtt, photo_with_gps, short_video, short_wav

from portale.content import media
from portale.pages import media_copies

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg (Debian) makes the test videos")
pytestmark = needs_ffmpeg

BUNDLE = "content/aurora/storie/la-festa/"
INDEX = BUNDLE + "index.md"
CAPTIONS = captions_vtt(
    ("00:00:00.000", "00:00:04.000", "Cominciamo dalla festa di via Como."),
    ("00:00:05.000", "00:00:08.500", "Poi la tosatura delle pecore, in primavera."),
    ("00:00:09.000", "00:00:11.500", "E infine il pane del forno."),
)
TRANSCRIPT = """\
  trascrizione: |
    Un'intervista registrata in portineria.

    [00:00:00] {tag: festa} Cominciamo dalla festa di via Como, che durava tre giorni.

    [00:00:05] {tag: lana, tosatura; persone: ciclofficina} Poi la tosatura delle pecore, in primavera: la lana
    si lavava nel torrente, una parola sola: cardatrice.

    [00:00:09] E infine il pane del forno.
"""
VIDEO = "video:\n  file: intervista.mp4\n  sottotitoli: intervista.vtt\n  persone: [anna-rossi]\n"
ANNA_CONSENTS = {
    "content/aurora/persone/anna-rossi.md": person_md("Anna Rossi", "[cucina-etnica]").replace(
        "[web]", "[web, foto, audio]"
    )
}


def interview(
    extra: str = VIDEO + TRANSCRIPT, files: dict | None = None, body: str = "Una storia del quartiere."
) -> dict:
    out = {
        "content/aurora/storie/la-festa.md": None,
        INDEX: story_md("La festa di via Como", persone="[anna-rossi]", extra=extra, body=body),
        BUNDLE + "intervista.mp4": short_video(),
        BUNDLE + "intervista.vtt": CAPTIONS,
        **ANNA_CONSENTS,
    }
    out.update({BUNDLE + name: data for name, data in (files or {}).items()})
    return out


@pytest.fixture
def interview_site(make_site, run):
    root = make_site(interview())
    code, out = run([], cwd=root)
    assert code == 0, out
    return root


def test_video_plays_with_captions_in_the_texts_language_and_no_metadata(interview_site):
    folder = interview_site / "site/aurora/storie/la-festa"
    html = read(folder, "index.html")
    assert '<video controls preload="none">\n<source src="intervista.mp4" type="video/mp4">' in html
    track = re.search(r"<track [^>]+>", html).group()
    assert 'kind="captions"' in track and 'src="intervista.vtt"' in track and 'srclang="it"' in track
    assert track.endswith(" default>")
    original = (interview_site / BUNDLE / "intervista.mp4").read_bytes()
    published = (folder / "intervista.mp4").read_bytes()
    assert b"Titolo segreto" in original and b"Titolo segreto" not in published  # ffmpeg -map_metadata -1
    assert b"+45.0703" not in published
    assert len(published) > len(original) * 0.8  # the pictures and sound are all there, copied as they were
    assert read(folder, "intervista.vtt").startswith("WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nCominciamo")


def test_timed_transcript_has_an_index_segments_with_anchors_and_media_fragments(interview_site):
    html = read(interview_site, "site/aurora/storie/la-festa/index.html")
    index = re.search(r'<nav class="indice".*?</nav>', html, re.S).group()
    assert "Indice dell'intervista" in index
    assert '<a href="#t-00-00-05"><span class="tempo">0:05</span> Poi la tosatura delle pecore' in index
    assert "— lana, tosatura" in index
    heading = re.search(r'<h4 id="t-00-00-05">.*?</h4>', html).group()
    assert '<a class="salto" href="intervista.mp4#t=5" data-t="5">Minuto 0:05</a> · lana, tosatura' in heading
    segment = html[html.index('id="t-00-00-05"') : html.index('id="t-00-00-09"')]
    assert "cardatrice" in segment and "tre giorni" not in segment  # the heading holds its segment's text
    assert "Un'intervista registrata in portineria." in html  # the introduction, before the first time
    assert '<script src="../../assets/intervista.js" defer></script>' in html


def test_keywords_of_a_segment_are_words_of_the_story_and_their_pages_list_the_moment(interview_site):
    story = read(interview_site, "site/aurora/storie/la-festa/index.html")
    assert '<a class="tema" href="../../parole/tosatura/">tosatura</a>' in story
    word = read(interview_site, "site/aurora/parole/tosatura/index.html")
    assert (
        '<a href="../../storie/la-festa/#t-00-00-05">minuto 0:05</a> dell\'intervista a Anna Rossi, «La festa di via Como»'
        in word
    )
    network = read(interview_site, "site/parole/tosatura/index.html")
    assert 'href="../../aurora/storie/la-festa/#t-00-00-05"' in network
    person = read(interview_site, "site/aurora/persone/ciclofficina/index.html")
    assert '<a href="../../storie/la-festa/#t-00-00-05">minuto 0:05</a>' in person  # the segment names it
    assert "#t-00-00-05" not in read(interview_site, "site/aurora/persone/anna-rossi/index.html")


def test_a_video_without_a_written_transcript_is_indexed_from_its_captions(make_site, run):
    root = make_site(interview(VIDEO))
    code, out = run([], cwd=root)
    assert code == 0, out
    html = read(root, "site/aurora/storie/la-festa/index.html")
    assert '<h4 id="t-00-00-00"><a class="salto" href="intervista.mp4#t=0" data-t="0">Minuto 0:00</a></h4>' in html
    assert "Poi la tosatura delle pecore, in primavera." in html


@pytest.mark.parametrize(
    "extra, files, expected",
    [
        (
            "video: {file: intervista.mp4}\n",
            {},
            f'{INDEX}:5: il video "intervista.mp4" non ha sottotitoli — un\'intervista senza sottotitoli non è accessibile',
        ),
        ("video: {file: manca.mp4, sottotitoli: intervista.vtt}\n", {}, f'{INDEX}:5: video "manca.mp4" non trovato'),
        (
            "video: {file: finto.mp4, sottotitoli: intervista.vtt}\n",
            {"finto.mp4": b"non sono un video" * 10},
            f'{INDEX}:5: "finto.mp4" non è un video che i browser sanno riprodurre',
        ),
        (
            "video: {file: intervista.mp4, sottotitoli: ../altro.vtt}\n",
            {},
            f'{INDEX}:5: sottotitoli "../altro.vtt" non trovati — scrivi solo il nome del file',
        ),
        (
            "video: {url: https://video.example.org/v/123}\n",
            {},
            f"{INDEX}:5: il video su un altro sito non ha titolo",
        ),
        (
            "video: {file: intervista.mp4, sottotitoli: intervista.vtt, persone: [nessuno]}\n",
            {},
            f'{INDEX}:5: persona sconosciuta "nessuno" in video.persone',
        ),
        (
            "video: {file: intervista.mp4, sottotitoli: s.vtt}\n",
            {"s.vtt": b"00:00:01.000 --> 00:00:02.000\nCiao\n"},
            f"{BUNDLE}s.vtt:1: il file dei sottotitoli non inizia con WEBVTT",
        ),
        (
            "video: {file: intervista.mp4, sottotitoli: s.vtt}\n",
            {"s.vtt": b"WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nCiao\n"},
            f'{BUNDLE}s.vtt:3: tempi del sottotitolo non validi: "00:00:01,000 --> 00:00:02,000" — usa il punto',
        ),
        (
            "video: {file: intervista.mp4, sottotitoli: s.vtt}\n",
            {"s.vtt": captions_vtt(("00:00:01.000", "00:00:04.000", "Uno"), ("00:00:03.000", "00:00:05.000", "Due"))},
            f"{BUNDLE}s.vtt:6: il sottotitolo comincia (00:00:03.000) prima che finisca il precedente",
        ),
        (
            "video: {file: intervista.mp4, sottotitoli: s.vtt}\n",
            {"s.vtt": captions_vtt(("00:00:05.000", "00:00:06.000", "Uno"), ("00:00:01.000", "00:00:02.000", "Due"))},
            f"{BUNDLE}s.vtt:6: il sottotitolo delle 00:00:01.000 viene prima del precedente",
        ),
        (
            "video: {file: intervista.mp4, sottotitoli: s.vtt}\n",
            {"s.vtt": captions_vtt(("00:00:03.000", "00:00:02.000", "Uno"))},
            f"{BUNDLE}s.vtt:3: il sottotitolo finisce (00:00:02.000) prima di cominciare (00:00:03.000)",
        ),
        (
            "video: {file: intervista.mp4, sottotitoli: s.vtt}\n",
            {"s.vtt": captions_vtt(("00:00:01.000", "00:00:02.000", "Uno"), ("00:00:30.000", "00:00:31.000", "Due"))},
            f"{BUNDLE}s.vtt:6: l'ultimo sottotitolo finisce a 0:31, dopo la fine del video (0:12)",
        ),
    ],
)
def test_bad_video_or_captions_are_refused_with_file_and_line(make_site, run, extra, files, expected):
    root = make_site(interview(extra, files))
    code, out = run([], cwd=root)
    assert code == 1
    assert expected in out, out
    assert not (root / "site").exists()


@pytest.mark.parametrize(
    "transcript, expected",
    [
        (
            "[00:00:05] Prima.\n\n[00:00:02] Dopo.",
            ":12: trascrizione: il tempo [00:00:02] non viene dopo quello del segmento precedente (0:05)",
        ),
        (
            "[00:00:05] Prima.\n\n[00:02:00] Oltre.",
            ":12: trascrizione: il tempo 2:00 va oltre la fine della registrazione (0:12)",
        ),
        (
            "[00:00:05] {parole: lana} Prima.",
            ':10: trascrizione: parola chiave del segmento non riconosciuta: "parole: lana"',
        ),
        ("[00:00:05] {persone: nessuno} Prima.", ':10: persona sconosciuta "nessuno" nel segmento della trascrizione'),
        ("[00:00:05] Prima.\n\n[0:61] Dopo.", ':12: trascrizione: tempo non valido "[0:61]"'),
    ],
)
def test_bad_times_of_a_transcript_are_refused_with_their_line(make_site, run, transcript, expected):
    block = "  trascrizione: |\n" + "".join(f"    {line}\n" if line else "\n" for line in transcript.split("\n"))
    root = make_site(interview(VIDEO + block))
    code, out = run(["check"], cwd=root)
    assert code == 1
    assert INDEX + expected in out, out


def test_an_audio_transcript_past_the_recordings_length_is_refused(make_site, run):
    extra = "audio:\n  file: voce.wav\n  trascrizione: |\n    [00:00:00] Inizio.\n\n    [00:00:03] Troppo tardi.\n"
    root = make_site(interview(extra, {"voce.wav": short_wav(1.0)}))
    code, out = run(["check"], cwd=root)
    assert code == 1
    assert f"{INDEX}:10: trascrizione: il tempo 0:03 va oltre la fine della registrazione (0:01)" in out


def test_a_timed_audio_transcript_gets_its_index_too(make_site, run):
    extra = "audio:\n  file: voce.wav\n  trascrizione: |\n    [00:00:00] {tag: pane} Inizio.\n\n    [00:00:01] Poi.\n"
    root = make_site(interview(extra, {"voce.wav": short_wav(2.0)}))
    code, out = run([], cwd=root)
    assert code == 0, out
    html = read(root, "site/aurora/storie/la-festa/index.html")
    assert '<h4 id="t-00-00-01"><a class="salto" href="voce.wav#t=1" data-t="1">Minuto 0:01</a></h4>' in html
    assert '<h3 id="trascrizione">Trascrizione</h3>' in html


def test_a_video_of_someone_without_photo_and_audio_consent_is_not_published(make_site, run):
    files = interview()
    del files["content/aurora/persone/anna-rossi.md"]  # the base file: ambito [web]
    root = make_site(files)
    code, out = run([], cwd=root)
    assert code == 0, out
    assert f"{INDEX}:5: avviso: il video non è pubblicato: Anna Rossi è senza consenso per «foto» e «audio»" in out
    folder = root / "site/aurora/storie/la-festa"
    assert "<video" not in read(folder, "index.html") and not list(folder.glob("*.mp4"))
    assert not list(folder.glob("*.vtt"))
    assert "Indice dell'intervista" not in read(folder, "index.html")


def test_a_video_in_a_persons_bundle_needs_their_photo_and_audio_consent(make_site, run):
    video = "video: {file: racconto.mp4, sottotitoli: racconto.vtt}\n"
    folder = "content/aurora/persone/bruno/"
    files = {
        folder + "index.md": person_md("Bruno Bianchi", extra=video),
        folder + "racconto.mp4": short_video(),
        folder + "racconto.vtt": CAPTIONS,
    }
    root = make_site(files)
    code, out = run([], cwd=root)
    assert code == 0, out
    assert f"{folder}index.md:6: avviso: il video non è pubblicato: la scheda di Bruno Bianchi è senza consenso" in out
    assert "<video" not in read(root, "site/aurora/persone/bruno/index.html")
    files[folder + "index.md"] = files[folder + "index.md"].replace("ambito: [web]", "ambito: [web, foto, audio]")
    root = make_site(files)
    code, out = run([], cwd=root)
    assert code == 0 and "il video non è pubblicato" not in out
    html = read(root, "site/aurora/persone/bruno/index.html")
    assert '<source src="racconto.mp4" type="video/mp4">' in html and 'srclang="it"' in html


def test_a_video_hosted_elsewhere_is_a_link_never_a_player(make_site, run):
    extra = "video: {url: 'https://video.example.org/v/123', titolo: La festa del 1990}\n"
    root = make_site(interview(extra))
    code, out = run([], cwd=root)
    assert code == 0, out
    html = read(root, "site/aurora/storie/la-festa/index.html")
    assert '<a href="https://video.example.org/v/123">La festa del 1990</a>' in html
    assert "<iframe" not in html and "<video" not in html


def test_captions_hide_the_full_name_of_someone_not_fully_public(make_site, run):
    captions = captions_vtt(("00:00:01.000", "00:00:03.000", "Ne parlava sempre Carla Verdi, al mercato."))
    files = interview(VIDEO, {"intervista.vtt": captions}) | {
        "content/aurora/persone/carla.md": person_md("Carla Verdi", extra="visibilita: solo-nome\n")
    }
    root = make_site(files)
    code, out = run([], cwd=root)
    assert code == 0, out
    folder = root / "site/aurora/storie/la-festa"
    for name in ("intervista.vtt", "index.html"):
        text = read(folder, name)
        assert "Ne parlava sempre Carla, al mercato." in text and "verdi" not in text.lower()


def test_a_draft_interview_publishes_no_video_and_no_segment(make_site, run):
    files = interview()
    files[INDEX] = files[INDEX].replace("persone: [anna-rossi]\n", "persone: [anna-rossi]\nbozza: true\n", 1)
    root = make_site(files)
    assert run([], cwd=root)[0] == 0
    assert not (root / "site/aurora/storie/la-festa").exists()
    assert "la-festa" not in read(root, "site/aurora/persone/ciclofficina/index.html")
    assert not (root / "site/aurora/parole/tosatura").exists()


def test_without_ffmpeg_the_site_builds_with_a_warning(make_site, run, monkeypatch):
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name.startswith("ff") else real(name, *a, **k))
    root = make_site(interview())
    code, out = run([], cwd=root)
    assert code == 0, out
    assert f'{INDEX}:6: avviso: video "intervista.mp4": ffmpeg non è installato' in out
    published = (root / "site/aurora/storie/la-festa/intervista.mp4").read_bytes()
    assert published == (root / BUNDLE / "intervista.mp4").read_bytes()


def test_an_unchanged_video_is_not_read_again_and_is_linked_from_the_cache(make_site, run, monkeypatch):
    from pathlib import Path

    from portale.content import memo

    monkeypatch.setattr(memo, "TRUST_AFTER_NS", -(10**10))  # the files just written count as old enough
    root = make_site(interview())
    assert run([], cwd=root)[0] == 0
    opened: list[str] = []
    real_open = open
    for module in (media, media_copies):
        monkeypatch.setattr(
            module,
            "open",
            lambda path, *a, **k: opened.append(Path(path).name) or real_open(path, *a, **k),
            raising=False,
        )
    stripped: list[Path] = []
    real_strip = media_copies.strip_video_metadata
    monkeypatch.setattr(media_copies, "strip_video_metadata", lambda o, t: stripped.append(o) or real_strip(o, t))
    (root / INDEX).write_text((root / INDEX).read_text().replace("Una storia del quartiere.", "Un testo nuovo."))
    code, out = run([], cwd=root)
    assert code == 0, out
    assert "intervista.mp4" not in opened and stripped == []
    assert "Un testo nuovo." in read(root, "site/aurora/storie/la-festa/index.html")
    cached = {p.stat().st_ino for p in (root / ".cache/immagini").glob("*.mp4")}
    assert (root / "site/aurora/storie/la-festa/intervista.mp4").stat().st_ino in cached
    (root / BUNDLE / "intervista.mp4").write_bytes(short_video(seconds=11))  # replaced: copied again
    assert run([], cwd=root)[0] == 0
    assert len(stripped) == 1


def test_the_seek_script_is_small():
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "templates/assets/intervista.js"
    assert script.stat().st_size < 2048


def test_a_click_on_a_time_seeks_the_player_and_highlights_the_segment(interview_site, serve_dir, page):
    size = (interview_site / "site/aurora/assets/intervista.js").stat().st_size
    assert size < 2048  # the published file: the one exception to "no JavaScript but search"
    base = serve_dir(interview_site / "site")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + "aurora/storie/la-festa/")
    page.click('#t-00-00-05 a[data-t="5"]')
    page.wait_for_function(
        "(v => v.readyState > 0 && Math.abs(v.currentTime - 5) < 1)(document.querySelector('video'))"
    )
    page.wait_for_timeout(800)  # the player keeps the time once loaded (it does not start again from 0)
    assert page.evaluate("document.querySelector('video').currentTime") >= 4.5
    assert page.evaluate("location.hash") == "#t-00-00-05"
    assert page.evaluate("document.querySelector('#t-00-00-05').parentElement.classList.contains('ora')")
    assert page.locator(".segmento.ora").count() == 1
    page.click('.indice a[href="#t-00-00-09"]')  # the index: to the segment, and the player follows
    page.wait_for_function(
        "(v => v.readyState > 0 && Math.abs(v.currentTime - 9) < 1)(document.querySelector('video'))"
    )
    assert all(url.startswith(base) for url in requests)  # nothing from another host


def test_without_javascript_a_time_opens_the_recording_at_that_moment(interview_site, serve_dir, browser):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    base = serve_dir(interview_site / "site")
    tab.goto(base + "aurora/storie/la-festa/#t-00-00-05")
    link = tab.locator('#t-00-00-05 a[data-t="5"]')
    assert link.get_attribute("href") == "intervista.mp4#t=5"
    assert tab.locator("video track[kind=captions]").count() == 1
    assert tab.locator(".indice a").first.get_attribute("href") == "#t-00-00-00"
    context.close()


def test_a_word_said_in_a_segment_is_a_search_sub_result_that_lands_on_the_segment(interview_site, serve_dir, page):
    base = serve_dir(interview_site / "site")
    page.goto(base + "aurora/cerca/")
    found = page.evaluate(
        """async () => {
            const pagefind = await import('/aurora/pagefind/pagefind.js');
            const search = await pagefind.search('cardatrice');
            const data = await Promise.all(search.results.map(r => r.data()));
            return data.map(d => ({url: d.url, subs: d.sub_results.map(s => s.url)}));
        }"""
    )
    assert [r["url"] for r in found] == ["/aurora/storie/la-festa/"]
    target = found[0]["subs"][0]
    assert target == "/aurora/storie/la-festa/#t-00-00-05"
    page.goto(base.rstrip("/") + target)
    assert page.evaluate("document.querySelector(':target').id") == "t-00-00-05"
    assert "cardatrice" in page.locator(":target + .testo").inner_text()


def test_a_poster_is_published_without_metadata(make_site, run):
    from media_samples import has_metadata

    extra = VIDEO.replace("persone:", "poster: copertina.jpg\n  persone:")
    root = make_site(interview(extra + TRANSCRIPT, {"copertina.jpg": photo_with_gps(900, 600, orientation=1)}))
    code, out = run([], cwd=root)
    assert code == 0, out
    folder = root / "site/aurora/storie/la-festa"
    assert 'poster="copertina-800.jpg"' in read(folder, "index.html")
    assert all(has_metadata(p.read_bytes()) == [] for p in folder.glob("copertina-*.jpg"))


INTERVIEW_EDITS = {
    "a segment's keywords": {INDEX: interview()[INDEX].replace("{tag: lana, tosatura;", "{tag: filatura;")},
    "the captions": {
        BUNDLE + "intervista.vtt": captions_vtt(("00:00:00.000", "00:00:03.000", "Una sola frase, corretta."))
    },
    "the speaker's consent for audio withdrawn": {"content/aurora/persone/anna-rossi.md": person_md("Anna Rossi")},
    "the speaker's name (the moment on another person's page)": {
        "content/aurora/persone/anna-rossi.md": ANNA_CONSENTS["content/aurora/persone/anna-rossi.md"].replace(
            "Anna Rossi", "Annamaria Rossi"
        )
    },
    "a body image added": {
        INDEX: interview(body='Testo.\n\n![Il forno](forno.jpg "Il forno")\n')[INDEX],
        BUNDLE + "forno.jpg": photo_with_gps(900, 600, orientation=1),
    },
}


@pytest.mark.parametrize("edit", list(INTERVIEW_EDITS), ids=list(INTERVIEW_EDITS))
def test_a_rebuild_after_an_interview_edit_equals_a_cold_build(make_site, run, edit):
    from conftest import build_digest

    root = make_site(interview())
    for _ in range(2):
        assert run([], cwd=root)[0] == 0
    make_site({**interview(), **INTERVIEW_EDITS[edit]})
    code, out = run([], cwd=root)
    assert code == 0, out
    incremental = build_digest(root / "site")
    shutil.rmtree(root / "site")
    shutil.rmtree(root / ".cache")
    assert run([], cwd=root)[0] == 0
    assert build_digest(root / "site") == incremental


def test_a_video_that_does_not_say_who_is_in_it_warns_about_the_people_the_story_names(make_site, run):
    files = interview("video: {file: intervista.mp4, sottotitoli: intervista.vtt}\n")
    del files["content/aurora/persone/anna-rossi.md"]  # the base file: ambito [web]
    root = make_site(files)
    code, out = run([], cwd=root)
    assert code == 0, out
    assert f"{INDEX}:5: avviso: la storia ha un video e nomina Anna Rossi, il cui consenso non comprende" in out
    root = make_site(interview("video: {file: intervista.mp4, sottotitoli: intervista.vtt}\n"))
    assert "consenso non comprende" not in run([], cwd=root)[1]


def test_a_deleted_interview_leaves_no_copy_in_the_site_or_the_cache(make_site, run):
    root = make_site(interview())
    assert run([], cwd=root)[0] == 0
    assert list((root / ".cache/immagini").glob("*.mp4"))
    shutil.rmtree(root / BUNDLE)
    assert run([], cwd=root)[0] == 0
    assert not list((root / "site").rglob("*.mp4")) and not list((root / "site").rglob("*.vtt"))
    assert not list((root / ".cache/immagini").glob("*.mp4"))  # erasure: the stripped copy goes too


def test_captions_are_checked_for_names_like_every_published_text(make_site, run):
    captions = captions_vtt(
        ("00:00:01.000", "00:00:03.000", "Me l'ha insegnato Carla Verdi."),
        ("00:00:04.000", "00:00:06.000", "La signora Verdi veniva ogni giovedì."),
    )
    files = interview(VIDEO.replace("[anna-rossi]", "[anna-rossi, carla]"), {"intervista.vtt": captions}) | {
        "content/aurora/persone/carla.md": person_md("Carla Verdi", extra="visibilita: solo-nome\n").replace(
            "[web]", "[web, foto, audio]"
        )
    }
    files[INDEX] = files[INDEX].replace("persone: [anna-rossi]", "persone: [anna-rossi, carla]", 1)
    root = make_site(files)
    code, out = run(["check"], cwd=root)
    assert code == 1
    assert f'{BUNDLE}intervista.vtt:3: avviso: il nome completo di "aurora/carla" compare nei sottotitoli' in out
    assert f'{BUNDLE}intervista.vtt:6: compare «verdi», la parte nascosta del nome di "aurora/carla"' in out


def test_captions_speak_the_language_of_the_text_they_were_recorded_in_on_every_version(make_site, run):
    """A story told in Romanian: its captions are `ro`, on its Italian translation's page too."""
    video = "video: {file: racconto.mp4, sottotitoli: racconto.vtt}\nlingua: ro\n"
    folder = "content/aurora/storie/painea/"
    root = make_site(
        {
            folder + "index.md": story_md("Pâinea de joi", extra=video, body="O poveste."),
            folder + "index.it.md": "---\ntitolo: Il pane del giovedì\n---\nUna storia.\n",
            folder + "racconto.mp4": short_video(),
            folder + "racconto.vtt": CAPTIONS,
        }
    )
    code, out = run([], cwd=root)
    assert code == 0, out
    for rel in ("site/aurora/storie/painea/index.html", "site/aurora/storie/painea/it/index.html"):
        assert 'srclang="ro"' in read(root, rel), rel
