"""The editors' tools: `scaffold` (`new`: ready-to-fill files), `serve` (the live preview over HTTP, with
`anteprima.js`, the reload script) and `watch` (the watcher and the rebuild state behind it).

Imports: `portale.build` and the layers below it, never the command line.
"""
