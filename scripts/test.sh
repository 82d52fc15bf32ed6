#!/usr/bin/env bash
# The whole test suite on a fresh machine: system packages for the browser and the HTML
# checker, the QR decoder, PDF tools and WeasyPrint's Pango, Node for the web editor, the Python test extra and
# the editor's npm packages, then pytest. README's second command; .ci/run calls it too.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v java >/dev/null || need_apt+=(default-jre-headless)
command -v npm >/dev/null || need_apt+=(nodejs npm)                # the web editor: Decap CMS and decap-server
command -v zbarimg >/dev/null || need_apt+=(zbar-tools)           # reads back the printed QR codes
command -v pdftoppm >/dev/null || need_apt+=(poppler-utils)       # renders the printed sheets, counts pages
command -v ffmpeg >/dev/null || need_apt+=(ffmpeg)                 # makes the test videos, strips videos' metadata
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need_apt+=(libpango-1.0-0 libpangoft2-1.0-0)  # WeasyPrint
fc-list 2>/dev/null | grep -qi "Noto Sans" || need_apt+=(fonts-noto-core)  # the sheets' typeface
if [ ${#need_apt[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

python -m pip install -q -e '.[test]'
# the web editor's pinned npm packages (editor/package-lock.json), from the npm registry
[ -f editor/node_modules/decap-cms/dist/decap-cms.js ] || npm ci --prefix editor --no-audit --no-fund --loglevel=error
python -m pytest "$@"
