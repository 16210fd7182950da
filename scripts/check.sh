#!/usr/bin/env bash
# `npm run check`, what CI runs: the TypeScript build of the app (`tsc -b`, which the tests run), then
# every test (Jest, with the arguments given), while the type-check of the tests, Prettier and ESLint
# (type-aware rules, module graph) read the code beside them at a lower priority: they need no more
# than the build, and the tests leave part of the two cores idle (waiting on the database, the
# browser, the apps they start). Every output is shown; fails if any of them fails.
set -uo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
nice -n 10 npx prettier --check "src/**/*.ts" "test/**/*.ts" "test/**/*.js" "migrations/**/*.ts" "scripts/**/*.ts" "*.js" "*.mjs" > "$dir/format" 2>&1 &
format=$!
nice -n 10 npx eslint . > "$dir/lint" 2>&1 &
lint=$!
status=0
if npx tsc -b > "$dir/build" 2>&1; then
  echo "build: ok"
  # The tests' own types, against the app just built (Jest only strips them).
  nice -n 10 npx tsc -b test > "$dir/typecheck" 2>&1 &
  typecheck=$!
  npx jest "$@" || status=1
else
  status=1; echo "build: FAILED (tests not run)"; cat "$dir/build"
  typecheck=
fi
for check in typecheck format lint; do
  pid=${!check}
  [ -n "$pid" ] || continue
  if wait "$pid"; then echo "$check: ok"; else status=1; echo "$check: FAILED"; cat "$dir/$check"; fi
done
exit $status
