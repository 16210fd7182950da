#!/usr/bin/env bash
# `npm run check`, what CI runs: the TypeScript build of the app and the tests (`tsc -b test`, which
# the tests run), then every test (Jest, with the arguments given), while Prettier and ESLint
# (type-aware rules, module graph) read the code beside them at a lower priority: they need no build,
# and the tests leave part of the two cores idle (waiting on the database, the browser, the apps they
# start). Every output is shown; fails if any of the four fails.
set -uo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
nice -n 10 npx prettier --check "src/**/*.ts" "test/**/*.ts" "test/**/*.js" "migrations/**/*.ts" "scripts/**/*.ts" "*.js" "*.mjs" > "$dir/format" 2>&1 &
format=$!
nice -n 10 npx eslint . > "$dir/lint" 2>&1 &
lint=$!
status=0
if npx tsc -b test > "$dir/build" 2>&1; then
  echo "build: ok"
  npx jest "$@" || status=1
else
  status=1; echo "build: FAILED (tests not run)"; cat "$dir/build"
fi
for check in format lint; do
  pid=${!check}
  if wait "$pid"; then echo "$check: ok"; else status=1; echo "$check: FAILED"; cat "$dir/$check"; fi
done
exit $status
