#!/usr/bin/env bash
# The checks that read the code without running it, side by side (each uses one core): Prettier,
# ESLint (type-aware rules, module graph) and the TypeScript build of the app and the tests
# (`tsc -b test`, which the tests then run). Every output is shown; fails if any of them fails.
set -uo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
npx prettier --check "src/**/*.ts" "test/**/*.ts" "test/**/*.js" "migrations/**/*.ts" "scripts/**/*.ts" "*.js" "*.mjs" > "$dir/format" 2>&1 &
format=$!
npx eslint . > "$dir/lint" 2>&1 &
lint=$!
npx tsc -b test > "$dir/build" 2>&1 &
build=$!
status=0
for check in format lint build; do
  pid=${!check}
  if wait "$pid"; then echo "$check: ok"; else status=1; echo "$check: FAILED"; cat "$dir/$check"; fi
done
exit $status
