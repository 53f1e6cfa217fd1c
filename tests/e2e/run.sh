#!/usr/bin/env bash
# Runs the desktop app's end-to-end test. It builds the UI, the app and the API emulator, and
# installs tauri-driver when missing. It starts Xvfb, the emulator and tauri-driver on a free
# display and free ports, runs app.e2e.mjs against a fresh temporary database, and stops what
# it started. Screenshots go to tests/e2e/artifacts/. An optional argument names another WebDriver
# script to run in the same setup, such as tests/e2e/measure.mjs. HOLO_E2E_PROFILE=release
# builds and drives the release build instead of the debug one. Needs the system packages listed in the
# README: libwebkit2gtk-4.1-dev, build-essential, pkg-config, xvfb, xauth, webkit2gtk-driver.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
artifacts="$root/tests/e2e/artifacts"
data="${HOLO_E2E_DATA:-$root/../shared/pokemon-tcg-data}"
work="$(mktemp -d -t holo-e2e.XXXXXX)"
pids=()

cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

free_display() {
  local display=90
  while [ -e "/tmp/.X${display}-lock" ] || [ -e "/tmp/.X11-unix/X${display}" ]; do
    display=$((display + 1))
  done
  echo "$display"
}

echo "== building the UI, the app and the emulator"
cd "$root"
[ -d node_modules ] || npm ci
npm run build
profile="${HOLO_E2E_PROFILE:-debug}"
profile_flag=()
[ "$profile" = release ] && profile_flag=(--release)
# The workspace's own dev profile, so the build reuses what `cargo test -p holo-app` compiled.
CARGO_TARGET_DIR="$target_dir" cargo build "${profile_flag[@]}" -p holo-app -p holo-emulator
app="$target_dir/$profile/holo-app"
emulator="$target_dir/$profile/holo-emulator"

driver="$(command -v tauri-driver || true)"
if [ -z "$driver" ]; then
  echo "== installing tauri-driver"
  cargo install tauri-driver --locked --version '^2'
  driver="$HOME/.cargo/bin/tauri-driver"
fi

display="$(free_display)"
echo "== starting Xvfb on :$display"
Xvfb ":$display" -screen 0 1400x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=":$display"
for _ in $(seq 50); do
  [ -e "/tmp/.X11-unix/X${display}" ] && break
  sleep 0.1
done

echo "== starting the emulator"
# Latency on every API response makes a sync last a few seconds, long enough for the test to see
# the progress bar move and to cancel a run.
"$emulator" --data "$data" --port 0 --latency-ms "${HOLO_E2E_LATENCY_MS:-100}" \
  >"$work/emulator.out" 2>"$work/emulator.log" &
pids+=($!)
api_url=""
for _ in $(seq 100); do
  api_url="$(sed -n '1s/^listening on //p' "$work/emulator.out")"
  [ -n "$api_url" ] && break
  sleep 0.1
done
[ -n "$api_url" ] || { echo "the emulator did not start:"; cat "$work/emulator.log"; exit 1; }
echo "emulator at $api_url"

driver_port="$(free_port)"
native_port="$(free_port)"
echo "== starting tauri-driver on port $driver_port"
# The app inherits this environment through tauri-driver and WebKitWebDriver. XDG_DATA_HOME
# keeps its settings file out of the real data folder.
HOLO_API_URL="$api_url" HOLO_DB="$work/holo.db" XDG_DATA_HOME="$work/data" HOLO_LOG=info \
  "$driver" --port "$driver_port" --native-port "$native_port" >"$work/driver.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  (echo >"/dev/tcp/127.0.0.1/$driver_port") 2>/dev/null && break
  sleep 0.1
done

echo "== running the test"
rm -rf "$artifacts"
mkdir -p "$artifacts"
status=0
HOLO_E2E_APP="$app" HOLO_E2E_DRIVER_PORT="$driver_port" HOLO_E2E_ARTIFACTS="$artifacts" \
  HOLO_E2E_DB="$work/holo.db" HOLO_E2E_API_URL="$api_url" \
  node "${1:-tests/e2e/app.e2e.mjs}" || status=$?
cp "$work/driver.log" "$artifacts/app-and-driver.log"
if [ "$status" -ne 0 ]; then
  echo "== the test failed; the app's log is in $artifacts/app-and-driver.log"
fi
exit "$status"
