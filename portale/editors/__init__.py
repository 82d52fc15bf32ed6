"""The editors' tools: `scaffold` (`new`: ready-to-fill files), `serve` (the live preview over HTTP, with
`anteprima.js`, the reload script), `watch` (the watcher and the rebuild state behind it) and `backend`
(`serve --redazione`: the web editor's local backend, decap-server).

Imports: `portale.build`, `portale.cms` and the layers below them, never the command line.
"""
