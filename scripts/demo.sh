#!/usr/bin/env bash
# Starts the API emulator on the shared card data, syncs it into target/demo/holo.db with the
# release `holo`, prints the database's status, and stops the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."

data="${HOLO_DATA:-../shared/pokemon-tcg-data}"
database="${HOLO_DB:-target/demo/holo.db}"
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
echo "Emulator listening on $url"

status=0
target/release/holo sync --db "$database" --api-url "$url" || status=$?
echo
target/release/holo status --db "$database"
exit "$status"
