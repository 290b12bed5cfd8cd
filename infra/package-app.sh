#!/usr/bin/env bash
# Builds the App Service deployment zip: dist/ (npm run build), package.json, package-lock.json and the production
# node_modules (npm ci --omit=dev), nothing else. App Service mounts it read-only (WEBSITE_RUN_FROM_PACKAGE=1) and
# starts `node dist/bot/main.js`. Build on Linux x64 (the native SQLite binding is per platform), with Node 22.
#
#   infra/package-app.sh [out.zip]        default: dist/secbot-app.zip
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$root/dist/secbot-app.zip}")"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

(cd "$root" && npm run build)
cp -r "$root/dist" "$stage/dist"
# Only the compiled code: dist/ also holds the Teams app package and earlier zips.
find "$stage/dist" -type f ! -name '*.js' -delete
cp "$root/package.json" "$root/package-lock.json" "$stage/"
(cd "$stage" && npm ci --omit=dev --no-audit --no-fund)
rm -f "$out"
mkdir -p "$(dirname "$out")"
(cd "$stage" && zip -qr -y "$out" .)
echo "wrote $out ($(du -h "$out" | cut -f1))"
