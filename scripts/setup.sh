#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Holo's build and tests need: a C toolchain for SQLite,
# WebKitGTK for the desktop app, Node.js for its UI, and for the end-to-end test Xvfb,
# WebKitWebDriver and xdotool (which fills in the native file dialogs). The Rust toolchain itself
# comes from rustup (https://rustup.rs). Skips apt when everything is already there.
set -euo pipefail

packages=(
    build-essential pkg-config make curl python3
    libwebkit2gtk-4.1-dev
    xvfb xauth webkit2gtk-driver xdotool
)
# Node.js 20 or newer builds the UI; Debian's own is used only when none is installed.
if ! command -v npm >/dev/null 2>&1; then
    packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "Installing: ${missing[*]}"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
