#!/usr/bin/env python3
"""Portale dei Saperi: `python build.py` builds site/ from content/. See README.md."""

import sys

from portale.cli import main

if __name__ == "__main__":
    sys.exit(main())
