#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver for the gallery browser check,
# unless both are already there.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "chromium is missing and this user cannot install it: apt-get install chromium chromium-driver" >&2; exit 1; }
    sudo="sudo"
fi
echo "Installing chromium and chromium-driver (Debian packages) for the gallery browser check..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
