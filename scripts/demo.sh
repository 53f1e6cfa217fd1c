#!/usr/bin/env bash
# Starts the API emulator on the shared card data, syncs it into target/demo/holo.db with the
# release `holo`, prints the database's status, and stops the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."

database="${HOLO_DB:-target/demo/holo.db}"
mkdir -p "$(dirname "$database")"
source scripts/emulator.sh

status=0
target/release/holo sync --db "$database" --api-url "$api_url" || status=$?
echo
target/release/holo status --db "$database"
exit "$status"
