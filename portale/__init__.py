"""Portale dei Saperi: the static-site generator of the Rete delle Portinerie di comunità.

The package is layered by role; a layer imports only the layers below it (checked by import-linter, see
`pyproject.toml` and `tests/test_architecture.py`):

    cli        the command line (`build.py` hands it the arguments)
    editors    the editors' tools: new files, the live preview
    build      the pipeline and the rebuild machinery
    search     Pagefind bundles        pages   what a reader gets      cms   the web editor (Decap CMS)
    content    content/ read, checked, modelled
    common     work over the cores
"""

__version__ = "0.1.0"
