"""Portale dei Saperi: the static-site generator of the Rete delle Portinerie di comunità."""

__version__ = "0.1.0"
