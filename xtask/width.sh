#!/usr/bin/env bash
# Width bench: does the generated crate's compile cost grow linearly in the
# number of members of one construct? For each N it synthesizes a docs folder
# with one page (a resource type with an N-row Properties table, an enum type
# with N members, a base type with N derived types for the polymorphic
# `…Any` enum, or an action whose Request body table has N parameters),
# generates a crate from it with `cargo xtask codegen`, and
# measures `cargo check` of that crate alone (non-incremental, warm dependency
# cache) with /usr/bin/time: wall seconds and peak RSS.
#
#   xtask/width.sh [--base REV] [KIND…] [-- N…]   KIND: props (default), enum, derived, ops
#   xtask/width.sh --base 4c50190 props enum -- 500 1000 2000 5000
#
# --base REV also generates each crate with the generator of git revision REV
# (extracted with git archive, built once) and measures it in the same run,
# just before the current one: a before/after curve.
#
# WIDTH_LIMIT_KB caps each check's address space (ulimit -v) so a quadratic
# build fails instead of taking the machine's memory (default 8 GB).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

base_rev=
if [ "${1:-}" = "--base" ]; then base_rev=$2; shift 2; fi
kinds=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do kinds+=("$1"); shift; done
[ $# -gt 0 ] && shift
sizes=("$@")
[ ${#kinds[@]} -eq 0 ] && kinds=(props)
[ ${#sizes[@]} -eq 0 ] && sizes=(500 1000 2000 5000)
limit=${WIDTH_LIMIT_KB:-8388608}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target=${WIDTH_TARGET_DIR:-$PWD/target/width}

# One resource page: `wideType` with N properties of mixed types.
props_page() { # N FILE
  local types=(String Int32 Boolean DateTimeOffset "String collection" Double Int64 Guid)
  {
    printf -- '---\ntitle: "wideType resource type"\ndescription: "A synthetic type with %s properties."\n' "$1"
    printf -- 'ms.prod: "users"\ndoc_type: resourcePageType\n---\n\n# wideType resource type\n\n'
    printf 'Namespace: microsoft.graph\n\nA synthetic type with %s properties.\n\n## Properties\n\n' "$1"
    printf '| Property | Type | Description |\n|:---|:---|:---|\n'
    for ((i = 0; i < $1; i++)); do
      printf '| property%s | %s | Property number %s. |\n' "$i" "${types[i % ${#types[@]}]}" "$i"
    done
  } >"$2"
}

# One enum page: `wideEnum` with N members.
enum_page() { # N FILE
  {
    printf -- '---\ntitle: "wideEnum enum type"\ndescription: "A synthetic enum with %s members."\n' "$1"
    printf -- 'ms.prod: "users"\ndoc_type: enumPageType\n---\n\n# wideEnum enum type\n\n'
    printf 'Namespace: microsoft.graph\n\nA synthetic enum with %s members.\n\n## Members\n\n' "$1"
    printf '| Member | Value | Description |\n|:---|:---|:---|\n'
    for ((i = 0; i < $1; i++)); do
      printf '| member%s | %s | Member number %s. |\n' "$i" "$i" "$i"
    done
  } >"$2"
}

# A base type and N derived types, one page each: `wideBaseAny` has N + 1 variants.
derived_pages() { # N DIR
  {
    printf -- '---\ntitle: "wideBase resource type"\nms.prod: "users"\ndoc_type: resourcePageType\n---\n\n'
    printf '# wideBase resource type\n\nNamespace: microsoft.graph\n\nA synthetic base type.\n\n## Properties\n\n'
    printf '| Property | Type | Description |\n|:---|:---|:---|\n| id | String | The identifier. |\n'
  } >"$2/widebase.md"
  for ((i = 0; i < $1; i++)); do
    {
      printf -- '---\ntitle: "wideDerived%s resource type"\nms.prod: "users"\ndoc_type: resourcePageType\n---\n\n' "$i"
      printf '# wideDerived%s resource type\n\nNamespace: microsoft.graph\n\n' "$i"
      printf 'Inherits from [wideBase](widebase.md).\n\n## Properties\n\n'
      printf '| Property | Type | Description |\n|:---|:---|:---|\n| value%s | Int32 | A value. |\n' "$i"
    } >"$2/widederived$i.md"
  done
}

# An action with N body parameters (its `{Op}Body` struct has N fields), on a
# type with one property.
ops_pages() { # N DIR
  local types=(String Int32 Boolean DateTimeOffset "String collection" Double Int64 Guid)
  mkdir -p "$2/../api"
  {
    printf -- '---\ntitle: "wideType resource type"\nms.prod: "users"\ndoc_type: resourcePageType\n---\n\n'
    printf '# wideType resource type\n\nNamespace: microsoft.graph\n\nA synthetic type.\n\n## Properties\n\n'
    printf '| Property | Type | Description |\n|:---|:---|:---|\n| id | String | The identifier. |\n'
  } >"$2/widetype.md"
  {
    printf -- '---\ntitle: "wideType: wideAction"\nms.prod: "users"\ndoc_type: apiPageType\n---\n\n'
    printf '# wideType: wideAction\n\nNamespace: microsoft.graph\n\nA synthetic action.\n\n## HTTP request\n\n'
    printf '```http\nPOST /wideTypes/{id}/wideAction\n```\n\n## Request body\n\n'
    printf '| Parameter | Type | Description |\n|:---|:---|:---|\n'
    for ((i = 0; i < $1; i++)); do
      printf '| parameter%s | %s | Parameter number %s. |\n' "$i" "${types[i % ${#types[@]}]}" "$i"
    done
    printf '\n## Response\n\nIf successful, this action returns a `200 OK` response code and a [wideType](../resources/widetype.md) object in the response body.\n'
  } >"$2/../api/widetype-wideaction.md"
}

echo "== machine"; nproc; grep -m1 "model name" /proc/cpuinfo || true; rustc --version; date -u
echo "== commit"; git log -1 --format='%h %s'
gens=()
if [ -n "$base_rev" ]; then
  mkdir -p "$work/base"
  git archive "$base_rev" | tar -x -C "$work/base"
  # A target dir of its own: cargo names workspace artifacts by their path
  # relative to the workspace root and git archive gives old mtimes, so in
  # this checkout's target dir the current binary would pass for the base.
  (cd "$work/base" && CARGO_TARGET_DIR="$root/target/width-base" cargo build -q -p xtask)
  cp target/width-base/debug/xtask "$work/xtask-base"
  gens+=("base:$work/xtask-base")
fi
cargo build -q -p xtask
cp target/debug/xtask "$work/xtask-current"
gens+=("current:$work/xtask-current")

for kind in "${kinds[@]}"; do
  for n in "${sizes[@]}"; do
    docs="$work/docs-$kind-$n/resources"
    mkdir -p "$docs"
    case $kind in
      props) props_page "$n" "$docs/widetype.md" ;;
      enum) enum_page "$n" "$docs/wideenum.md" ;;
      derived) derived_pages "$n" "$docs" ;;
      ops) ops_pages "$n" "$docs" ;;
      *) echo "unknown kind $kind" >&2; exit 2 ;;
    esac
    for gen in "${gens[@]}"; do
      label=${gen%%:*} bin=${gen#*:}
      crate="$work/crate-$kind-$n-$label"
      "$bin" codegen --docs "$docs/.." --out "$crate" >/dev/null 2>"$work/codegen.log" ||
        { tail -5 "$work/codegen.log" >&2; exit 1; }
      # Warm dependency cache: check the dependencies alone first.
      CARGO_TARGET_DIR="$target" cargo check -q --manifest-path "$crate/Cargo.toml" \
        -p serde -p serde_json -p percent-encoding
      printf '%s N=%s %s: ' "$kind" "$n" "$label"
      (
        ulimit -v "$limit"
        CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$target" /usr/bin/time -f "%e s %M KB" \
          cargo check -q --manifest-path "$crate/Cargo.toml" --all-features --lib 2>&1 |
          grep -E "^[0-9.]+ s [0-9]+ KB$|^error|memory allocation" | head -3 | tr '\n' ' '
      ) || true
      echo
      rm -rf "$crate"
    done
  done
done
