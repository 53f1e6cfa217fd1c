#!/usr/bin/env bash
# Opens the desktop app on a demo: starts the API emulator on the shared card data and the
# release app pointed at it, with its own database in target/demo/app.db, so that "Sync now"
# works offline. Stops the emulator when the app's window is closed.
set -euo pipefail
cd "$(dirname "$0")/.."

database="${HOLO_DB:-$PWD/target/demo/app.db}"
mkdir -p "$(dirname "$database")"
source scripts/emulator.sh
echo "The app's database is $database"

HOLO_API_URL="$api_url" HOLO_DB="$database" target/release/holo-app
