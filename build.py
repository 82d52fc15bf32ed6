#!/usr/bin/env python3
"""Portale dei Saperi: `python build.py` builds site/ from content/. See README.md."""

import os
import sys

from portale.cli import main

if __name__ == "__main__":
    code = main()
    # Everything is written and closed by now: leave without freeing the archive object by object, which takes a
    # tenth of a second on a large archive (a rebuild after one edit takes about one second).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
