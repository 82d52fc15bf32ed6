"""The built pages in a real headless Chromium, at phone width."""

from __future__ import annotations


def test_story_page_reads_well_on_a_phone(make_site, run, serve_dir, page):
    root = make_site()
    code, out = run([], cwd=root)
    assert code == 0, out
    base = serve_dir(root / "site")
    page.goto(base + "aurora/storie/la-festa/")
    assert page.locator("h1").inner_text() == "La festa di via Como"
    # nothing overflows a 360 px screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="Anna Rossi").click()
    assert page.url.endswith("/aurora/persone/anna-rossi/")
    assert "La festa di via Como" in page.locator("main").inner_text()
