#!/usr/bin/env bash
# Screenshots of the sample hub for the README, with Debian's headless Chromium:
# the home, a campaign, a guide module and the policy, at desktop (1280 px) and
# phone (390 px) widths, in light mode.
#
#   docs/screenshots.sh            # writes docs/screenshots/*.png
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
site=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$site"' EXIT
cargo run --release --quiet -- build --now 2026-11-25 --output "$site/public"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site/public" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
shoot() { # name path width height
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$3,$4" --virtual-time-budget=3000 --screenshot="$out/$1.png" "http://127.0.0.1:$port$2" 2>/dev/null
}
mkdir -p "$out"
for page in "home /" "campaign /campagnes/nouvelle-gamme-hiver/ 2600" "module /formation/premiers-pas/ 2000" "policy /politique/"; do
  set -- $page
  shoot "$1" "$2" 1280 "${3:-1500}"
  shoot "$1-phone" "$2" 390 1400
done
ls -la "$out"
