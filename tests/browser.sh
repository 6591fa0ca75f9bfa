#!/usr/bin/env bash
# Browser check for the guide site: builds it, takes headless Chromium
# screenshots of the index and the tips page (desktop, phone, dark mode), and
# fails if a screenshot is missing or blank. The pictures stay in
# target/screenshots/ as CI artifacts.
#
# Usage: tests/browser.sh        (installs Debian's chromium when it is missing)
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
site=target/guide-site
shots=target/screenshots

find_chromium() {
    for c in chromium chromium-browser google-chrome-stable google-chrome; do
        if command -v "$c" >/dev/null 2>&1; then
            command -v "$c"
            return 0
        fi
    done
    return 1
}

if ! chrome=$(find_chromium); then
    echo "browser.sh: chromium is missing; installing Debian's chromium" >&2
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium
    chrome=$(find_chromium) || { echo "browser.sh: chromium could not be installed" >&2; exit 1; }
fi
echo "browser.sh: using $chrome ($("$chrome" --version 2>/dev/null || echo 'unknown version'))"

cargo run --quiet -- guide build --out "$site"
mkdir -p "$shots"
rm -f "$shots"/*.png

profiles=()
cleanup() { rm -rf "${profiles[@]}"; }
trap cleanup EXIT

# shot NAME PAGE WIDTH HEIGHT [EXTRA FLAGS...]
shot() {
    local name=$1 page=$2 width=$3 height=$4
    shift 4
    local profile
    profile=$(mktemp -d)
    profiles+=("$profile")
    timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --disable-extensions --hide-scrollbars \
        --user-data-dir="$profile" --window-size="$width,$height" \
        "$@" --screenshot="$root/$shots/$name.png" "file://$root/$site/$page.html" \
        >/dev/null 2>"$root/$shots/$name.log" || {
        echo "browser.sh: chromium failed on $page.html:" >&2
        cat "$root/$shots/$name.log" >&2
        return 1
    }
}

shot index index 1200 1600
shot tips tips 1200 1600
shot index-phone index 390 844 --force-device-scale-factor=1
shot tips-phone tips 390 844 --force-device-scale-factor=1
shot tips-dark tips 1200 1600 --force-dark-mode --blink-settings=preferredColorScheme=0

python3 - "$shots" index tips index-phone tips-phone tips-dark <<'PY'
"""Fails unless every screenshot exists, is a PNG, and shows more than a blank page."""
import struct
import sys
import zlib
from pathlib import Path


def pixels(path):
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"unsupported PNG layout (depth {depth}, colour type {colour})")
    raw = zlib.decompress(idat)
    stride = width * channels
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        row = bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = row[i - channels] if i >= channels else 0
            up = prev[i]
            upleft = prev[i - channels] if i >= channels else 0
            if kind == 1:
                row[i] = (row[i] + left) & 0xFF
            elif kind == 2:
                row[i] = (row[i] + up) & 0xFF
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else upleft)
                row[i] = (row[i] + pred) & 0xFF
        rows.append(bytes(row))
        prev = row
    return width, height, channels, rows


folder = Path(sys.argv[1])
failed = False
for name in sys.argv[2:]:
    path = folder / f"{name}.png"
    if not path.exists() or path.stat().st_size == 0:
        print(f"browser.sh: {path} is missing", file=sys.stderr)
        failed = True
        continue
    try:
        width, height, channels, rows = pixels(path)
    except Exception as e:  # noqa: BLE001 - any decoding problem fails the check
        print(f"browser.sh: {path} cannot be read: {e}", file=sys.stderr)
        failed = True
        continue
    colours = {}
    for y in range(0, height, 2):
        row = rows[y]
        for x in range(0, width, 2):
            px = row[x * channels : x * channels + min(channels, 3)]
            colours[px] = colours.get(px, 0) + 1
    total = sum(colours.values())
    background = max(colours.values())
    ink = 1 - background / total
    print(f"browser.sh: {path}: {width}x{height}, {len(colours)} colours, {ink:.1%} not background")
    if len(colours) < 16 or ink < 0.02:
        print(f"browser.sh: {path} looks blank", file=sys.stderr)
        failed = True
sys.exit(1 if failed else 0)
PY
echo "browser.sh: screenshots in $shots/"
