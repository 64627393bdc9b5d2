#!/usr/bin/env bash
# Compile cost of the generated crate, before and after, in the same run:
# `cargo check` (non-incremental, warm dependency cache) of the committed
# `generated/` of BASE (default: main) and of the work tree's, alternating,
# ROUNDS times (default 3), for all features and a few single workloads.
# Prints one line per check: wall s, user CPU s, peak RSS KB. On a shared
# machine compare user CPU and peak RSS (wall times swing with the load).
#
#   xtask/compile_cost.sh [BASE] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-main}
rounds=${2:-3}
work=$(mktemp -d)
target=${CARGO_TARGET_DIR_BENCH:-$PWD/target/compile-cost}
trap 'rm -rf "$work"' EXIT

# Each crate alone in a workspace of its own, with the work tree's lock file
# (same dependency versions, so one warm target folder serves both).
mkdir -p "$work/before" "$work/after"
git archive "$base" generated | tar -x -C "$work/before"
git ls-files -z generated | xargs -0 tar -c | tar -x -C "$work/after"
for side in before after; do
  echo '[workspace]' >>"$work/$side/generated/Cargo.toml"
  cp Cargo.lock "$work/$side/generated/"
done

configs=(
  "all features|--all-features"
  "users|--no-default-features --features users"
  "files|--no-default-features --features files"
  "intune-deviceconfig|--no-default-features --features intune-deviceconfig"
)

check() { # side, label, args
  local crate="$work/$1/generated"
  touch "$crate/src/lib.rs"
  printf '%-6s %-20s ' "$1" "$2"
  # shellcheck disable=SC2086
  CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$target" /usr/bin/time -f "%e s %U u %M KB" \
    cargo check -q --manifest-path "$crate/Cargo.toml" $3 2>&1 | tail -1
}

echo "== warming the dependency cache"
CARGO_TARGET_DIR="$target" cargo check -q --manifest-path "$work/after/generated/Cargo.toml" --all-features 2>/dev/null
echo "== base $base ($(git rev-parse --short "$base")) against the work tree, $rounds rounds; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
  for c in "${configs[@]}"; do
    check before "${c%%|*}" "${c#*|}"
    check after "${c%%|*}" "${c#*|}"
  done
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
