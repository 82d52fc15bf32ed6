"""The web editor, for volunteers who do not use git: `config` (Decap CMS's `config.yml`) and `jsonschema` (a JSON
Schema per content kind), both made from the content schema in the code (`content.schema`, `content.labels`), and
`admin` (the `admin/` folder: the page, its config and schemas, the vendored CMS and `redazione.js`).

Imports: `portale.content` only. The editor knows nothing of how the build writes or indexes it.
"""
