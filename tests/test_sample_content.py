"""The sample content shipped in content/ is the first thing a newcomer sees: it must stay valid and rich."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from portale.content import load, validate

ROOT = Path(__file__).resolve().parent.parent
TERRITORIES = [
    "aurora",
    "avigliana",
    "borgo-san-paolo",
    "dora",
    "madonna-di-campagna",
    "oulx",
    "porta-palazzo",
    "rivarolo",
]


@pytest.fixture(scope="module")
def sources():
    sources = load.read_sources(ROOT / "content")
    problems = validate.check(sources)
    assert [p.format() for p in problems if not p.warning] == []
    return sources


def test_sample_content_has_every_territory_of_the_seed(sources):
    assert sources.territories == TERRITORIES


def test_each_territory_is_richly_filled(sources):
    kinds = Counter((s.territory, s.kind) for s in sources.originals if not s.data.get("bozza"))
    for territory in TERRITORIES:
        assert kinds[(territory, "territorio")] == 1
        assert kinds[(territory, "storia")] >= 4, territory
        assert kinds[(territory, "persona")] >= 3, territory
        open_needs = [
            s
            for s in sources.files
            if s.territory == territory and s.kind == "bisogno" and s.data.get("stato", "aperto") == "aperto"
        ]
        assert len(open_needs) >= 2, territory
        assert any(s.data.get("persone") for s in sources.files if s.territory == territory and s.kind == "storia"), (
            territory
        )


def test_actor_categories_and_skills_vocabulary(sources):
    categories = {s.data.get("categoria") for s in sources.files if s.kind == "persona"}
    assert {"terzo-settore", "scuola", "commercio", "impresa", "abitanti"} <= categories
    vocabulary = sources.vocabulary_data
    assert len(vocabulary["categorie"]) >= 8
    assert len(vocabulary["_known"]) >= 40
    offered = {entry["sapere"] for s in sources.files if s.kind == "persona" for entry in s.data.get("saperi", [])}
    assert len(offered) >= 20


def test_sample_site_builds(tmp_path, run):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    code, out = run(["--oggi", "2026-11-25"], cwd=tmp_path)
    assert code == 0, out
    for territory in TERRITORIES:
        assert (tmp_path / "site" / territory / "index.html").is_file()


def test_the_sample_dictionary_is_rich_and_every_sample_tag_is_in_it(sources):
    words = sources.words
    assert len(words.entries) >= 80
    assert sum(len(e.narrower) for e in words.entries.values()) >= 10
    assert sum(len(e.related) for e in words.entries.values()) // 2 >= 20  # each pair counted on both sides
    assert {"alpaca", "angora", "cachemire"} <= set(words.entries["lana"].narrower)
    assert {"cotone", "seta"} <= set(words.entries["lana"].related)
    problems = validate.check(sources)
    assert [p.format() for p in problems if p.code == "tag-fuori-dizionario"] == []
    tags = [label for s in sources.files for label in s.data.get("tag", [])]
    assert len(tags) > 150 and all(words.resolve(label) for label in tags)


def test_a_long_itinerary_of_the_sample_crosses_three_territories():
    import datetime as dt

    from portale.content import model, privacy
    from portale.pages import words

    sources = load.read_sources(ROOT / "content")
    validate.check(sources, dt.date(2026, 6, 1))
    privacy.redact(sources, dt.date(2026, 6, 1))
    graph = words.WordGraph(model.build_archive(sources, today=dt.date(2026, 6, 1)))
    trips = graph.long_itineraries()
    assert trips
    texts = [step.path for step in trips[0].steps[1::2]]
    assert len(texts) >= 3 and len({path.split("/")[0] for path in texts}) >= 3


def test_porta_palazzo_and_aurora_tell_stories_in_their_languages(sources):
    """At least four stories with a translation, in Arabic, Chinese, Romanian and Piemontese, whichever way round."""
    stories = {(s.territory, s.slug): s for s in sources.originals if s.kind == "storia"}
    pairs = [
        (stories[(s.territory, s.slug)], s)
        for s in sources.files
        if s.kind == "storia" and s.translation and s.territory in ("porta-palazzo", "aurora")
    ]
    languages = {lang for original, t in pairs for lang in (original.language("it"), t.language("it"))}
    assert {"ar", "zh", "ro", "pms"} <= languages
    assert len({(o.territory, o.slug) for o, _ in pairs}) >= 4
    assert any(original.language("it") != "it" for original, _ in pairs)  # an original told in another language
    for original, translation in pairs:
        assert len(translation.body.split()) > len(original.body.split()) / 3 or translation.language("it") == "zh"


def test_the_sample_tells_in_voice_and_pictures(sources):
    """Interviews with timed transcripts and keywords, a small synthetic video with captions, images in a text."""
    import re

    timed = [
        s.rel
        for s in sources.files
        for key in ("audio", "video")
        if re.search(r"^\[\d\d:\d\d:\d\d\] \{tag: ", s.data.get(key, {}).get("trascrizione", ""), re.M)
    ]
    assert len(timed) >= 2, timed
    videos = [s for s in sources.files if "file" in s.data.get("video", {})]
    assert videos
    for story in videos:
        video = story.bundle / story.data["video"]["file"]
        captions = (story.bundle / story.data["video"]["sottotitoli"]).read_text(encoding="utf-8")
        assert video.stat().st_size < 1024 * 1024 and captions.startswith("WEBVTT")
        assert "sintetico" in captions
    body_images = {s.rel: s.body.count("![") for s in sources.files if "![" in s.body}
    assert any(n >= 3 for n in body_images.values()), body_images
    assert any(re.search(r'!\[[^\]]+\]\([^)]+ "[^"]+"\)', s.body) for s in sources.files)
    assert not {s.territory for s in sources.files if s.rel in timed or s.rel in body_images} & {
        "porta-palazzo",
        "aurora",
    }
