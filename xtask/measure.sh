#!/usr/bin/env bash
# Re-measures the figures in BENCHMARKS.md on this machine and prints them;
# copy them into BENCHMARKS.md with the date. Input: the vendored
# docs-input/graph-v1.0 (3,341 pages). Run on a quiet machine: the figures are
# wall times (criterion's are also given as ratios to a baseline of the same run).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
target=${CARGO_TARGET_DIR_BENCH:-$out/target}

echo "== machine"; nproc; grep -m1 "model name" /proc/cpuinfo || true; rustc --version; date -u

echo "== codegen stages against the baseline, same run (cargo bench -p generator --features bench --bench pipeline)"
cargo bench -q -p generator --features bench --bench pipeline 2>&1 | grep -E "^v1|^\|"

echo "== CLI end to end, release (wall s, user s, peak RSS KB): 3 cold (--no-cache), then 3 warm"
cargo build -q --release -p xtask
for _ in 1 2 3; do
  /usr/bin/time -f "cold %e s %U u %M KB" target/release/xtask codegen --no-cache --out "$out/crate" >/dev/null 2>"$out/time" || true
  tail -1 "$out/time"
done
for _ in 1 2 3; do
  /usr/bin/time -f "warm %e s %U u %M KB" target/release/xtask codegen --out "$out/crate" >/dev/null 2>"$out/time" || true
  tail -1 "$out/time"
done

check() { # label, cargo check args…
  touch "$out/crate/src/lib.rs"
  printf '%s: ' "$1"; shift
  CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$target" /usr/bin/time -f "%e s %U u %M KB" \
    cargo check -q --manifest-path "$out/crate/Cargo.toml" "$@" 2>&1 | tail -1
}
echo "== generated v1.0 crate: cargo check, non-incremental, warm dependency cache"
CARGO_TARGET_DIR="$target" cargo check -q --manifest-path "$out/crate/Cargo.toml" --all-features
check "all features" --all-features
check "intune-deviceconfig only" --no-default-features --features intune-deviceconfig
check "users only" --no-default-features --features users
check "files only" --no-default-features --features files
check "default (no features)"

echo "== compile cost: the committed generated/ of \$COMPILE_COST_BASE (default main) against the work tree's, alternated"
xtask/compile_cost.sh "${COMPILE_COST_BASE:-main}" 2

echo "== diff: whole v1.0 IR against a modified copy (cargo bench -p generator --features bench --bench diff)"
cargo bench -p generator --features bench --bench diff 2>&1 | grep -E "^diff|time:"

echo "== width: crates generated from one N-property page, N-member enum, N derived types"
xtask/width.sh props enum derived -- 500 1000 2000 5000

echo "== corpus size: 1x, 1.5x, 2.5x v1.0 (codegen and cargo check of the generated crate)"
xtask/scale.sh 1 1.5 2.5

if [ "${COLD_TEST:-}" = 1 ]; then
  echo "== cold cargo test --workspace (fresh clones, CI's environment; \$COLD_TEST_BASE first if set, then HEAD)"
  # shellcheck disable=SC2086
  xtask/cold_test.sh ${COLD_TEST_BASE:-} HEAD
fi
