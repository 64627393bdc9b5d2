#!/usr/bin/env bash
# Cold `cargo test --workspace` (issue 22), as CI's test step runs it: a fresh
# `git clone` of each revision with `../shared` beside it, `cargo xtask codegen
# --check` first (release; leaves the emit cache the tests' codegen reuses, and
# is not timed), then `/usr/bin/time cargo test --workspace` with CI's
# environment. Revisions run one after the other, in the order given, so that
# they share one window of the machine's (varying) speed: compare them within a
# run, as ratios.
#
#   xtask/cold_test.sh REV…        e.g. xtask/cold_test.sh e481257 main
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
shared=$(cd .. && pwd)/shared
[ $# -gt 0 ] || { echo "usage: xtask/cold_test.sh REV…" >&2; exit 2; }
for rev in "$@"; do
  work=$(mktemp -d)
  git clone -q "$repo" "$work/repo"
  git -C "$work/repo" checkout -q "$(git rev-parse "$rev")"
  ln -s "$shared" "$work/shared"
  (
    cd "$work/repo"
    export CARGO_TERM_COLOR=never INSTA_UPDATE=no CI=true CARGO_INCREMENTAL=0
    cargo xtask codegen --check >/dev/null 2>&1
    start=$(date -u +%H:%M)
    /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB peak" cargo test -q --workspace >"$work/log" 2>&1 || true
    passed=$(grep -oE "[0-9]+ passed" "$work/log" | awk '{s += $1} END {print s + 0}')
    failed=$(grep -oE "[0-9]+ failed" "$work/log" | awk '{s += $1} END {print s + 0}')
    printf '%s (%s, from %s UTC): %s; %s passed, %s failed\n' \
      "$rev" "$(git rev-parse --short HEAD)" "$start" "$(tail -n 1 "$work/log")" "$passed" "$failed"
  )
  rm -rf "$work"
done
