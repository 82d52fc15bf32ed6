"""Pages out: what a reader gets, made from the archive.

- `render` (with `templates/`): the plan of every page and the Jinja renderer; `directory` and `matching`: the
  skills directory and who could meet a need; `metadata`: canonical URLs, OpenGraph and JSON-LD;
- `feeds` (Atom, sitemaps, robots.txt), `opendata` (`dati/`), `media_copies` (resized images, audio without tags).

Imports: `portale.content` and `portale.common`. Pages know nothing of search or of how the build writes them.
"""
