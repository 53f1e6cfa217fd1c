# Sourced by the demo scripts: checks the card data folder and starts the release
# holo-emulator in the background on port HOLO_DEMO_PORT (8765 by default). Sets `api_url`, and
# stops the emulator when the sourcing script exits. The port stays the same from one demo to
# the next because the emulator writes its own address into every image URL: on a new port,
# every card of a demo database would look changed.

data="${HOLO_DATA:-../shared/pokemon-tcg-data}"
if [ ! -f "$data/sets/en.json" ]; then
    echo "error: no card data at $data (expected $data/sets/en.json); set HOLO_DATA" >&2
    exit 1
fi

emulator_log=$(mktemp)
target/release/holo-emulator --data "$data" --port "${HOLO_DEMO_PORT:-8765}" >"$emulator_log" 2>"$emulator_log.err" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true; rm -f "$emulator_log" "$emulator_log.err"' EXIT

api_url=""
for _ in $(seq 1 100); do
    api_url=$(sed -n '1s/^listening on //p' "$emulator_log")
    [ -n "$api_url" ] && break
    sleep 0.1
done
if [ -z "$api_url" ]; then
    echo "error: the emulator did not start (is port ${HOLO_DEMO_PORT:-8765} taken? set HOLO_DEMO_PORT):" >&2
    cat "$emulator_log.err" >&2
    exit 1
fi
echo "Emulator listening on $api_url"
