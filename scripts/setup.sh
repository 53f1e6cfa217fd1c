#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Holo's build needs. The Rust toolchain itself comes from
# rustup (https://rustup.rs). Skips apt when everything is already there.
set -euo pipefail

packages=(build-essential pkg-config make curl)

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
