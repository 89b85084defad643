#!/usr/bin/env sh
# `npm run dev`: compile what changed (tsc --watch, incremental) and restart the service when its
# compiled output changes (node --watch). Stops both on Ctrl-C.
set -eu
cd "$(dirname "$0")/.."
npm run --silent build
node_modules/.bin/tsc -b tsconfig.build.json --watch --preserveWatchOutput &
TSC=$!
trap 'kill "$TSC" 2>/dev/null || true' EXIT INT TERM
node --watch-path=dist/src --watch-path=dist/migrations --watch-preserve-output dist/src/main.js
