#!/usr/bin/env bash
# Linear in corpus size (issue 22): synthetic corpora of 1x, 1.5x and 2.5x the
# vendored v1.0 pages (xtask/corpus.py: copies with every type renamed and
# every path moved, deterministic), each through `xtask codegen --no-cache`
# (wall, CPU, peak RSS) and `cargo check --all-features` of the crate it
# generates (non-incremental, warm dependency cache, after a touch).
# usage: xtask/scale.sh [SCALE…]   (default 1 1.5 2.5)
set -euo pipefail
cd "$(dirname "$0")/.."
scales=("$@"); [ ${#scales[@]} -gt 0 ] || scales=(1 1.5 2.5)
work=$(mktemp -d)
target=${CARGO_TARGET_DIR_SCALE:-$work/target}
cargo build -q --release -p xtask
target/release/xtask codegen --check --no-cache --emit-ir "$work/ir.json" >/dev/null 2>&1 || true
for s in "${scales[@]}"; do
  python3 xtask/corpus.py "$s" "$work/docs-$s" "$work/ir.json"
  printf 'scale %s codegen: ' "$s"
  /usr/bin/time -f "%e s wall %U s user %M KB" target/release/xtask codegen --no-cache \
    --docs "$work/docs-$s" --out "$work/crate-$s" 2>&1 >/dev/null | grep -E "^codegen:|KB$" | sed 's/ errors.*//' | tr '\n' ' '
  echo
  # The first crate warms the dependency cache (shared by all: same dependencies).
  [ -n "${warm:-}" ] || CARGO_TARGET_DIR="$target" cargo check -q --manifest-path "$work/crate-$s/Cargo.toml" --all-features 2>/dev/null || true
  warm=1
  touch "$work/crate-$s/src/lib.rs"
  printf 'scale %s cargo check --all-features: ' "$s"
  CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$target" /usr/bin/time -f "%e s wall %U s user %M KB" \
    cargo check -q --manifest-path "$work/crate-$s/Cargo.toml" --all-features 2>&1 | tail -1
done
rm -rf "$work"
