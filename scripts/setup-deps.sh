#!/usr/bin/env bash
# Installs every build, test and runtime dependency from Debian 12 packages.
# Idempotent: packages already present are skipped by apt-get.
# libmicrohttpd-dev is the server of `sitrep serve`; libcpp-httplib-dev is only
# the HTTP client of its tests.
set -euo pipefail
PKGS=(
  build-essential cmake ninja-build pkg-config git
  libsimdjson-dev libcli11-dev libfmt-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev sqlite3 libgumbo-dev libre2-dev libutf8proc-dev
  libarchive-dev zlib1g-dev libzstd-dev libbz2-dev liblzma-dev
  libmicrohttpd-dev libcpp-httplib-dev libssl-dev libpqxx-dev libpq-dev postgresql
  pybind11-dev python3-dev python3-pybind11 python3-pytest python3-distributed python3-dask
  python3-selenium chromium chromium-driver libjs-leaflet
  clang-14 libclang-rt-14-dev libfuzzer-14-dev
  wrk hyperfine
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "setup-deps: need root to install: ${missing[*]}" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Country outlines for the dashboard map (sitrep serve): npm world-atlas
# (Natural Earth, public domain) into node_modules/ at the repository root,
# which is not committed. Optional: without it the map draws a graticule.
if command -v npm >/dev/null && [ ! -f "$(dirname "$0")/../node_modules/world-atlas/countries-110m.json" ]; then
  (cd "$(dirname "$0")/.." && timeout 300 npm install --no-save --no-package-lock --no-audit --no-fund \
     --prefix . world-atlas@2.0.2 >/dev/null 2>&1) || echo "setup-deps: npm world-atlas not installed (map falls back to a graticule)" >&2
fi
