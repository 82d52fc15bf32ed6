"""`admin/`: the web editor's page, its config.yml and JSON Schemas, and the vendored Decap CMS, written into the
network site by every build unless portale.yml says `redazione: {attiva: false}`.

The CMS's script comes from the pinned npm package in `editor/` (`npm ci --prefix editor`); without it the page
says how to install it, and the rest of the site is the same. The page is never indexed, never in a sitemap, feed
or search bundle, and no reader's page links to it or loads anything of it.
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2

from portale.cms import config as cms_config
from portale.cms.jsonschema import schema_files
from portale.content.model import Archive

CONFIG_HEAD = "# Made by build.py from portale/content/schema.py and labels.py: change those, not this file.\n"
EDITOR = Path(__file__).resolve().parents[2] / "editor"  # package.json, package-lock.json, node_modules/
DIST = EDITOR / "node_modules" / "decap-cms" / "dist"
SCRIPT = "decap-cms.js"
YAML_SCRIPT = EDITOR / "node_modules" / "js-yaml" / "dist" / "js-yaml.min.js"  # read and write front matter
OWN_SCRIPT = Path(__file__).with_name("redazione.js")  # the front-matter format the collections use


def cms_files() -> dict[str, Path]:
    """The CMS's script, the chunks it loads on demand (same folder) and its WebAssembly, without source maps;
    nothing when `npm ci --prefix editor` has not been run."""
    folder = DIST
    if not (folder / SCRIPT).is_file() or not YAML_SCRIPT.is_file():
        return {}
    files: dict[str, Path] = {
        f"admin/{p.name}": p
        for p in sorted(folder.iterdir())
        if p.name == SCRIPT or p.name.endswith((f".{SCRIPT}", ".wasm"))
    }
    return files | {"admin/js-yaml.min.js": YAML_SCRIPT, "admin/redazione.js": OWN_SCRIPT}


def content_security_policy(backend: dict) -> str:
    """What Decap needs and nothing more: its own scripts (it does not start without 'unsafe-eval'), the styles it
    injects, images from the repository being edited (blob:, data:, the backend's hosts) and the backend's API.
    The local backend's loopback address stays in the published policy too: the same page serves `serve
    --redazione`. A <meta> policy cannot forbid framing (frame-ancestors): that needs the host's header."""
    port = cms_config.LOCAL_BACKEND_PORT
    apis = {f"http://127.0.0.1:{port}", f"http://localhost:{port}"}
    if backend["name"] == "github":
        apis |= {"https://api.github.com", "https://raw.githubusercontent.com", "https://avatars.githubusercontent.com"}
    elif backend["name"] == "gitlab":
        apis.add("https://gitlab.com")
    apis |= {cms_config.origin(backend[key]) for key in ("api_root", "base_url") if backend.get(key)}
    hosts = " ".join(sorted(apis))
    return (
        "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob: {hosts}; font-src 'self' data:; connect-src 'self' blob: {hosts}; "
        "frame-src 'self' blob:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'"
    )


def admin_files(archive: Archive, env: jinja2.Environment) -> dict:
    """Output path -> bytes or a file to link, for the whole admin/ folder; empty when the editor is off. `env` is
    the build's Jinja environment (pages.render.make_environment), for templates/admin.html."""
    settings, site_url = archive.portal.editor, archive.portal.base_url
    if settings.get("attiva") is False:
        return {}
    territories = [(t.slug, t.name) for t in archive.territories]
    skills = [(s.slug, f"{s.name} ({s.category.name})") for s in archive.skills.values()]
    config = cms_config.cms_config(settings, site_url, territories, skills)
    script = cms_files()
    page = env.get_template("admin.html").render(
        csp=content_security_policy(config["backend"]),
        installed=bool(script),
        script=SCRIPT,
        site_url=site_url,
    )
    files: dict[str, bytes | Path] = {"admin/index.html": page.encode()}
    # JSON is YAML: json.dumps writes it in a few ms, where PyYAML's emitters took 80 to 600 ms on every build
    files["admin/config.yml"] = (CONFIG_HEAD + json.dumps(config, ensure_ascii=False, indent=1) + "\n").encode()
    for name, text in schema_files(site_url).items():
        files[f"admin/schemi/{name}"] = text.encode()
    files |= script
    return files
