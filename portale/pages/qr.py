"""QR codes as inline SVG, drawn by `segno`: on the printed sheets and at the end of a printed page, each one opens
the page it names. Only addresses under the portal's `base_url` are ever encoded."""

from __future__ import annotations

from functools import lru_cache

import segno
from markupsafe import Markup


@lru_cache(maxsize=4096)
def qr_svg(address: str) -> Markup:
    """An SVG QR code for `address` (an absolute URL), sized by CSS: error correction M (a crease or a pin hole
    still reads), the quiet zone of 4 modules the standard asks for. Hidden from screen readers: the address is
    always written out beside it. The data mask is fixed: choosing the best of eight took 4/5 of the time (a code
    on every printable page), and decoders read any mask; tests/test_print.py reads every printed code back."""
    code = segno.make(address, error="m", micro=False, mask=0)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None, dark="#000")
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))
