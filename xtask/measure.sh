#!/usr/bin/env bash
# Re-measures the figures in BENCHMARKS.md on this machine. Prints them; edit
# BENCHMARKS.md by hand with the date. Needs ../shared/graph-docs/v1.0.
set -euo pipefail
cd "$(dirname "$0")/.."
docs=../shared/graph-docs/v1.0
out=$(mktemp -d)
target=${CARGO_TARGET_DIR_BENCH:-$out/target}

echo "== machine"; nproc; grep -m1 "model name" /proc/cpuinfo || true; rustc --version

echo "== criterion: stage timings and baseline (cargo bench -p generator --bench pipeline)"
cargo bench -p generator --bench pipeline 2>&1 | grep -E "^v1|time:"

echo "== CLI end to end, release, 3 runs (wall s, peak RSS KB)"
cargo build -q --release -p xtask
for _ in 1 2 3; do
  /usr/bin/time -f "%e s %M KB" target/release/xtask codegen --docs "$docs" --out "$out/crate" >/dev/null 2>"$out/time" || true
  tail -1 "$out/time"
done

echo "== generated v1.0 crate: cargo check, non-incremental, warm dependency cache"
CARGO_TARGET_DIR="$target" cargo check -q --manifest-path "$out/crate/Cargo.toml"
touch "$out/crate/src/lib.rs"
CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$target" /usr/bin/time -f "%e s %M KB" \
  cargo check -q --manifest-path "$out/crate/Cargo.toml" 2>&1 | tail -1
