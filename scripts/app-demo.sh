#!/usr/bin/env bash
# Opens the desktop app on a demo: starts the API emulator on the shared card data and the
# release app pointed at it, with its own database in target/demo/app.db, so that "Sync now"
# works offline. Stops the emulator when the app's window is closed.
set -euo pipefail
cd "$(dirname "$0")/.."

data="${HOLO_DATA:-../shared/pokemon-tcg-data}"
database="${HOLO_DB:-$PWD/target/demo/app.db}"
if [ ! -f "$data/sets/en.json" ]; then
    echo "error: no card data at $data (expected $data/sets/en.json); set HOLO_DATA" >&2
    exit 1
fi
mkdir -p "$(dirname "$database")"

log=$(mktemp)
target/release/holo-emulator --data "$data" --port 0 >"$log" 2>/dev/null &
emulator=$!
trap 'kill "$emulator" 2>/dev/null || true; rm -f "$log"' EXIT

url=""
for _ in $(seq 1 100); do
    url=$(sed -n '1s/^listening on //p' "$log")
    [ -n "$url" ] && break
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "error: the emulator did not start" >&2
    exit 1
fi
echo "Emulator listening on $url; the app's database is $database"

HOLO_API_URL="$url" HOLO_DB="$database" target/release/holo-app
