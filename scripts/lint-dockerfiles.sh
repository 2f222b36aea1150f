#!/usr/bin/env bash
# Lints the two Dockerfiles (no Docker engine is needed or used): unknown instructions, bad
# syntax, misplaced flags. Uses dockerfile-utils (the linter behind VS Code's Dockerfile support)
# from the npm registry, pinned, installed into a throw-away folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
npm install --prefix "$tools" --silent --no-audit --no-fund dockerfile-utils@0.16.3 >/dev/null
status=0
for dockerfile in "$root/node-image/Dockerfile" "$root/operator/Dockerfile"; do
  if "$tools/node_modules/.bin/dockerfile-utils" lint "$dockerfile"; then
    echo "dockerfile lint: ${dockerfile#"$root"/} ok"
  else
    echo "dockerfile lint: ${dockerfile#"$root"/} has problems (see above)"
    status=1
  fi
done
exit "$status"
