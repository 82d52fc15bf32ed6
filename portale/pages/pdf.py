"""The printed sheets as PDF files, with WeasyPrint (the optional extra `stampa`): `build.py stampa` writes each
notice board and form beside its page (`bacheca/bacheca.pdf`, `moduli/consenso/consenso.pdf`), from the HTML the
build has just written, so paper and screen are the same sheet."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

INSTALL_HINT = (
    "per i PDF serve WeasyPrint: pip install -e '.[stampa]' (su Debian anche: apt install libpango-1.0-0 "
    "libpangoft2-1.0-0 fonts-noto-core). Senza, stampa i fogli dal browser: python build.py costruisce le pagine."
)


def available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: the Python package is there, Debian's Pango is not
        return False
    return True


def render_pdfs(folder: Path, sheets: list) -> dict[str, bytes]:
    """{output path: PDF bytes} of each sheet page (render.pdf_sheets) already written under `folder`."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    root = folder.resolve()

    class LocalOnly(URLFetcher):
        """The sheets name only their stylesheet: nothing is fetched from another host, nor outside the site."""

        def fetch(self, url, headers=None):
            if not url.startswith("file://") or not Path(unquote(url[len("file://") :])).resolve().is_relative_to(root):
                raise ValueError(f"refusing to fetch {url} while printing")
            return super().fetch(url, headers)

    fetcher = LocalOnly(allowed_protocols=("file",))
    out = {}
    for page in sheets:
        html = weasyprint.HTML(filename=str(root / page.output), url_fetcher=fetcher)
        out[page.path + page.context["pdf"]] = html.write_pdf()
    return out
